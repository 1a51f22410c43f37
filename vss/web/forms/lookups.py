"""The public look-ups' forms: Tra cứu mã số BHXH (POST: personal facts stay out of URLs and
logs), đơn vị tham gia BHXH and điểm thu, đại lý thu (GET: nothing personal, links can be shared)."""

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from vss.core import validators
from vss.core.clock import vn_today
from vss.registry.codes import Birth
from vss.web.forms.fields import KnownProvince, Normalised, StrippedForm, code_number

EARLIEST_BIRTH = dt.date(1900, 1, 1)
BIRTH_FORMAT = _l("Ngày sinh theo dạng dd/mm/yyyy (ví dụ 17/05/1990), hoặc chỉ năm sinh nếu không rõ ngày.")
BIRTH_FUTURE = _l("Ngày sinh không thể sau ngày hôm nay.")
WHAT_TO_TYPE = _l("Vui lòng nhập họ tên, ngày sinh và tỉnh, thành phố; hoặc chỉ số CCCD.")
CCCD_FORMAT = _l("Số CCCD gồm 12 chữ số.")


def birth(raw):
    """'dd/mm/yyyy' (or yyyy-mm-dd) → Birth(date, False); 'yyyy' → Birth(1 January, True);
    ASCII digits only, from 1900 to today."""
    raw = (raw or "").strip()
    if re.fullmatch(r"[0-9]{4}", raw):
        value = Birth(dt.date(int(raw), 1, 1), True)
        if not EARLIEST_BIRTH.year <= value.day.year <= 9999:
            raise validators.Invalid(BIRTH_FORMAT)
    else:
        try:
            value = Birth(validators.day(raw, earliest=EARLIEST_BIRTH, latest=dt.date(9999, 12, 31)), False)
        except validators.Invalid:
            raise validators.Invalid(BIRTH_FORMAT) from None
    if value.day.year > vn_today().year or (not value.year_only and value.day > vn_today()):
        raise validators.Invalid(BIRTH_FUTURE)
    return value


def cccd(raw):
    """A 12-digit CCCD number, its structure checked (spaces, dots and hyphens ignored)."""
    kind, number = validators.id_number(raw)
    if kind != validators.CCCD:
        raise validators.Invalid(CCCD_FORMAT)
    return number


class CodeLookupForm(StrippedForm):
    """Tra cứu mã số BHXH: name + birth + province (+ CCCD), or the CCCD alone."""

    ho_ten = StringField(_l("Họ và tên"), validators=[Optional(), Normalised(validators.full_name)])
    ngay_sinh = StringField(_l("Ngày sinh"), validators=[Optional()])
    tinh = SelectField(
        _l("Tỉnh, thành phố nơi cư trú"),
        coerce=code_number,
        validate_choice=False,
        validators=[Optional(), KnownProvince()],
    )
    cccd = StringField(_l("Số CCCD"), validators=[Optional(), Normalised(cccd)])

    birth = None

    def validate_ngay_sinh(self, field):
        """Kept as typed on the field (shown again as typed); the parsed Birth on the form."""
        try:
            self.birth = birth(field.data)
        except validators.Invalid as error:
            raise ValidationError(str(error)) from None

    @property
    def by_facts(self):
        """Whether the name, birth or province was given (else the CCCD alone)."""
        return bool(self.ho_ten.data or self.ngay_sinh.data or self.tinh.data)

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.by_facts:
            missing = [f for f in (self.ho_ten, self.ngay_sinh, self.tinh) if not f.data]
            for field in missing:
                field.errors = [*field.errors, WHAT_TO_TYPE]
            return not missing
        if not self.cccd.data:
            self.cccd.errors = [*self.cccd.errors, WHAT_TO_TYPE]
            return False
        return True

    def facts(self):
        """The look-up's keyword arguments (vss.registry.codes.find_code)."""
        if not self.by_facts:
            return {"cccd": self.cccd.data}
        return {
            "full_name": self.ho_ten.data,
            "birth": self.birth,
            "province_code": self.tinh.data,
            "cccd": self.cccd.data or None,
        }


class EmployerSearchForm(StrippedForm):
    """Tra cứu đơn vị tham gia BHXH (GET): what to find, in which province."""

    class Meta:
        csrf = False

    q = StringField(_l("Tên đơn vị, mã số thuế hoặc mã đơn vị"), validators=[Optional(), Length(max=120)])
    tinh = SelectField(
        _l("Tỉnh, thành phố"),
        coerce=code_number,
        validate_choice=False,
        validators=[Optional(), KnownProvince()],
    )

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not self.tinh.data:
            self.tinh.errors = [*self.tinh.errors, _l("Vui lòng chọn tỉnh, thành phố.")]
        if not self.q.data:
            self.q.errors = [*self.q.errors, _l("Vui lòng nhập tên đơn vị, mã số thuế hoặc mã đơn vị.")]
        return not (self.tinh.errors or self.q.errors)
