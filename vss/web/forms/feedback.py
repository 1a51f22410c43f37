"""Phản ánh, kiến nghị: the form (topic, text, an optional photo, contact, office), the status
look-up and the staff inbox's filters, assignment and answer."""

import re
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from vss.core import validators
from vss.support.feedback import DEPARTMENT_LABELS, STATE_LABELS, TOPICS, UNCONFIRMED
from vss.web.forms.fields import KnownProvince, Normalised, StrippedForm, choices, code_number, required
from vss.web.forms.staff import ALL

BODY_MAX = 4000
_KEY = re.compile(r"[A-Za-z0-9_-]{22,64}")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]"
)  # as fields.Clean refuses


def prefill(text):
    """Text another page passes in the URL (`noi_dung`, from the assistant): without control
    characters, at most BODY_MAX long; the person reads and edits it before sending."""
    return _CONTROL.sub("", text or "")[:BODY_MAX]


def new_key():
    """A form key: names one sending of the form (a double submit sends the same key)."""
    return secrets.token_urlsafe(24)


class FeedbackForm(StrippedForm):
    """Gửi phản ánh, kiến nghị. The contact fields are dropped for a signed-in citizen."""

    topic = RadioField(
        _l("Nội dung liên quan đến"),
        choices=choices([(code, label) for code, (label, _dept) in TOPICS.items()]),
        validators=[InputRequired(_l("Vui lòng chọn nội dung phản ánh, kiến nghị."))],
    )
    noi_dung = TextAreaField(
        _l("Nội dung phản ánh, kiến nghị"),
        validators=[required(_l("Vui lòng nhập nội dung phản ánh, kiến nghị."))],
    )
    full_name = StringField(
        _l("Họ và tên"),
        validators=[required(_l("Vui lòng nhập họ và tên.")), Normalised(validators.full_name)],
    )
    phone = StringField(
        _l("Điện thoại di động"),
        validators=[
            required(_l("Vui lòng nhập số điện thoại di động.")),
            Normalised(validators.mobile_phone),
        ],
    )
    email = StringField(
        _l("Địa chỉ thư điện tử (không bắt buộc)"), validators=[Optional(), Normalised(validators.email)]
    )
    province_code = SelectField(
        _l("Tỉnh, thành phố"),
        coerce=code_number,
        validate_choice=False,
        validators=[required(_l("Vui lòng chọn tỉnh, thành phố.")), KnownProvince()],
    )
    ward_code = SelectField(_l("Phường, xã nơi cư trú"), coerce=code_number, validate_choice=False)
    office_code = RadioField(_l("Gửi đến"), validate_choice=False, validators=[Optional()])
    khoa = StringField(validators=[Optional()])  # hidden: the form key

    def __init__(self, *args, signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            for name in ("full_name", "phone", "email"):
                del self[name]
        if not _KEY.fullmatch(self.khoa.data or ""):
            self.khoa.data = new_key()  # none, or not one we gave: a new sending

    def given(self):
        """What the domain takes (vss.support.feedback.send)."""
        values = {name: self[name].data for name in ("topic", "province_code", "ward_code") if name in self}
        values["body"] = self.noi_dung.data
        values["office_code"] = self.office_code.data or ""
        for name in ("full_name", "phone", "email"):
            if name in self:
                values[name] = self[name].data
        return values


class FeedbackLookupForm(StrippedForm):
    """Tra cứu phản ánh, kiến nghị."""

    so = StringField(_l("Số phản ánh"), validators=[required(_l("Vui lòng nhập số phản ánh."))])
    dien_thoai = StringField(
        _l("Số điện thoại đã gửi"),
        validators=[required(_l("Vui lòng nhập số điện thoại.")), Normalised(validators.mobile_phone)],
    )


class InboxFilterForm(StrippedForm):
    """The inbox's filters (GET, no CSRF): department, state, overdue only."""

    class Meta:
        csrf = False

    bo_phan = SelectField(
        _l("Bộ phận"),
        validate_choice=False,
        choices=choices([("", ALL), *DEPARTMENT_LABELS.items()]),
        validators=[Optional()],
    )
    tinh_trang = SelectField(
        _l("Tình trạng"),
        validate_choice=False,
        choices=choices([("", ALL), *((k, v) for k, v in STATE_LABELS.items() if k != UNCONFIRMED)]),
        validators=[Optional()],
    )
    qua_han = SelectField(
        _l("Hạn trả lời"),
        validate_choice=False,
        choices=choices([("", ALL), ("1", _l("Quá hạn"))]),
        validators=[Optional()],
    )

    def criteria(self):
        """Clean values: an unknown one is no filter."""
        self.validate()
        department = self.bo_phan.data if self.bo_phan.data in DEPARTMENT_LABELS else None
        state = self.tinh_trang.data if self.tinh_trang.data in STATE_LABELS else None
        return {"department": department, "state": state, "overdue": self.qua_han.data == "1"}


class AssignForm(StrippedForm):
    """Phân công: a member of staff of the receiving office."""

    assignee = SelectField(
        _l("Cán bộ xử lý"),
        coerce=code_number,
        validate_choice=False,
        validators=[required(_l("Vui lòng chọn cán bộ của cơ quan tiếp nhận."))],
    )


class AnswerForm(StrippedForm):
    """Trả lời."""

    answer = TextAreaField(
        _l("Nội dung trả lời"), validators=[required(_l("Vui lòng nhập nội dung trả lời."))]
    )
