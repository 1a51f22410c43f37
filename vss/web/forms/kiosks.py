"""The kiosk forms: an admin enrols or renames a kiosk, the kiosk's browser gives its enrolment
code, and a check-in arrives (a form post, or the kiosk's offline queue as JSON)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from vss.kiosk import checkins, kiosks
from vss.web.forms.fields import StrippedForm, required

NAME_MISSING = _l("Vui lòng nhập tên kiosk.")


def _name():
    return StringField(
        _l("Tên kiosk (ví dụ: Quầy tiếp đón số 1)"),
        validators=[required(NAME_MISSING), Length(max=kiosks.NAME_MAX)],
    )


class KioskEnrolForm(StrippedForm):
    """Ghi danh kiosk: the facility by its code, and the kiosk's name."""

    facility_code = StringField(
        _l("Mã cơ sở khám chữa bệnh (5 ký tự)"),
        validators=[required(_l("Vui lòng nhập mã cơ sở khám chữa bệnh.")), Length(max=12)],
    )
    name = _name()


class KioskRenameForm(StrippedForm):
    """Đổi tên kiosk."""

    name = _name()


class KioskCodeForm(StrippedForm):
    """The kiosk's browser: the enrolment code the admin was shown."""

    code = StringField(
        _l("Mã ghi danh"), validators=[required(_l("Vui lòng nhập mã ghi danh.")), Length(max=24)]
    )


class CheckInForm(StrippedForm):
    """A check-in (the fields of the JSON body as well): only their shape is checked here."""

    key = StringField(validators=[required(checkins.BAD_KEY), Length(max=64)])
    card_number = StringField(validators=[required(checkins.BAD_CARD), Length(max=15)])
    bhxh_code = StringField(validators=[Optional(), Length(max=10)])
    status = StringField(validators=[required(checkins.BAD_STATUS), Length(max=24)])
    scanned_at = StringField(validators=[Optional(), Length(max=40)])
    offline = StringField(validators=[Optional(), Length(max=8)])
    scanned_time = None  # scanned_at as naive UTC, once valid (None: not given)

    def validate_scanned_at(self, field):
        """An ISO 8601 time with its offset, as a browser's Date.toISOString() writes it."""
        if field.data:
            self.scanned_time = checkins.parse_time(field.data)
            if self.scanned_time is None:
                raise ValidationError(_l("Thời điểm quét thẻ không hợp lệ."))

    @property
    def first_error(self):
        """The first field's message (a JSON answer carries one)."""
        return next((errors[0] for errors in self.errors.values() if errors), None)
