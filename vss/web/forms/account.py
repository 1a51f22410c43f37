"""The signed-in citizen's request to change a phone number, email or contact address."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from vss.core import validators
from vss.requests.changes import ADDRESS, EMAIL, PHONE
from vss.web.forms.fields import Normalised, StrippedForm, choices, code_number, required
from vss.web.forms.register import STREET_LABEL, STREET_MISSING


class ChangeRequestForm(StrippedForm):
    """Yêu cầu thay đổi số điện thoại, email hoặc địa chỉ."""

    field = RadioField(
        _l("Thông tin cần thay đổi"),
        choices=choices(
            [
                (PHONE, _l("Số điện thoại")),
                (EMAIL, _l("Địa chỉ thư điện tử")),
                (ADDRESS, _l("Địa chỉ liên hệ")),
            ]
        ),
        validators=[InputRequired(_l("Vui lòng chọn thông tin cần thay đổi."))],
    )
    phone = StringField(_l("Số điện thoại mới"), validators=[Optional(), Normalised(validators.mobile_phone)])
    email = StringField(_l("Địa chỉ thư điện tử mới"), validators=[Optional(), Normalised(validators.email)])
    province_code = SelectField(
        _l("Tỉnh, thành phố"), coerce=code_number, validate_choice=False, validators=[Optional()]
    )
    ward_code = SelectField(
        _l("Phường, xã, đặc khu"), coerce=code_number, validate_choice=False, validators=[Optional()]
    )
    street = StringField(STREET_LABEL, validators=[Optional()])
    password = StringField(
        _l("Mật khẩu (xác nhận là bạn)"), validators=[required(_l("Vui lòng nhập mật khẩu."))]
    )

    def new_value(self):
        """The requested value, or None with an error on the right field."""
        from vss.registry.directory import ward_province

        if self.field.data == PHONE:
            if not self.phone.data:
                self.phone.errors = [_l("Vui lòng nhập số điện thoại mới.")]
            return self.phone.data or None
        if self.field.data == EMAIL:
            if not self.email.data:
                self.email.errors = [_l("Vui lòng nhập địa chỉ thư điện tử mới.")]
            return self.email.data or None
        if not self.ward_code.data or ward_province(self.ward_code.data) != self.province_code.data:
            self.ward_code.errors = [_l("Vui lòng chọn phường, xã thuộc tỉnh, thành phố đã chọn.")]
            return None
        if not self.street.data:
            self.street.errors = [STREET_MISSING]
            return None
        return {"street": self.street.data, "ward_code": self.ward_code.data}
