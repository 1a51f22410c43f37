"""The registration forms (Tờ khai Mẫu số 01, step by step), its code step and the dossier lookup."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from vss.core import validators
from vss.dossiers.vocabulary import AT_OFFICE, BY_POST, CHANNEL_LABELS, IVAN, PORTAL
from vss.web.forms.fields import KnownProvince, Normalised, StrippedForm, choices, code_number, required

STREET_LABEL = _l("Số nhà, tên đường, tổ/xóm, khu phố/thôn")
STREET_MISSING = _l("Vui lòng nhập số nhà, tên đường hoặc thôn, xóm.")


class StartForm(StrippedForm):
    """Bước 1 — Đối tượng đăng ký (only individuals register here)."""

    registrant = RadioField(
        _l("Đối tượng đăng ký"),
        choices=choices([("ca_nhan", _l("Cá nhân"))]),
        default="ca_nhan",
        validators=[InputRequired(_l("Vui lòng chọn đối tượng đăng ký."))],
    )


class InfoForm(StrippedForm):
    """Bước 2 — Thông tin (the Mẫu 01 fields)."""

    qr = TextAreaField(_l("Quét hoặc dán mã QR trên thẻ BHYT hoặc CCCD gắn chip"), validators=[Optional()])
    bhxh_code = StringField(
        _l("Mã số BHXH"),
        validators=[required(_l("Vui lòng nhập mã số BHXH.")), Normalised(validators.bhxh_code)],
    )
    full_name = StringField(
        _l("Họ và tên"),
        validators=[required(_l("Vui lòng nhập họ và tên.")), Normalised(validators.full_name)],
    )
    plain_name_ok = StringField(validators=[Optional()])  # hidden: the no-diacritics name confirmed
    id_number = StringField(
        _l("Số CCCD/CMND/Hộ chiếu"),
        validators=[required(_l("Vui lòng nhập số CCCD, CMND hoặc hộ chiếu."))],
    )
    province_code = SelectField(
        _l("Tỉnh, thành phố"),
        coerce=code_number,
        validate_choice=False,
        validators=[required(_l("Vui lòng chọn tỉnh, thành phố.")), KnownProvince()],
    )
    ward_code = SelectField(
        _l("Phường, xã, đặc khu"),
        coerce=code_number,
        validate_choice=False,
        validators=[required(_l("Vui lòng chọn phường, xã."))],
    )
    street = StringField(STREET_LABEL, validators=[required(STREET_MISSING)])
    phone = StringField(
        _l("Điện thoại di động"),
        validators=[
            required(_l("Vui lòng nhập số điện thoại di động.")),
            Normalised(validators.mobile_phone),
        ],
    )
    phone_confirmed = BooleanField(
        _l("Tôi đã kiểm tra: đây đúng là số điện thoại của tôi (không sửa được sau khi đăng ký)"),
        validators=[DataRequired(_l("Vui lòng xác nhận số điện thoại đúng."))],
    )
    email = StringField(
        _l("Địa chỉ thư điện tử (không bắt buộc)"), validators=[Optional(), Normalised(validators.email)]
    )

    def validate_id_number(self, field):
        """A CCCD, CMND or passport number; keeps which kind it is on the form (`id_kind`)."""
        try:
            self.id_kind, field.data = validators.id_number(field.data)
        except validators.Invalid as error:
            raise ValidationError(str(error)) from None

    def validate_ward_code(self, field):
        """The ward must lie in the chosen province."""
        from vss.registry.directory import ward_province

        if field.data and ward_province(field.data) != self.province_code.data:
            raise ValidationError(_l("Phường, xã không thuộc tỉnh, thành phố đã chọn."))


class OfficeForm(StrippedForm):
    """Bước 4 — Cơ quan tiếp nhận."""

    province_code = SelectField(
        _l("Tỉnh, thành phố của cơ quan BHXH"),
        coerce=code_number,
        validate_choice=False,
        validators=[required(_l("Vui lòng chọn tỉnh, thành phố.")), KnownProvince()],
    )
    office_code = RadioField(
        _l("Cơ quan BHXH tiếp nhận"),
        validate_choice=False,
        validators=[InputRequired(_l("Vui lòng chọn cơ quan BHXH tiếp nhận."))],
    )
    submission_method = RadioField(
        _l("Hình thức nộp hồ sơ"),
        choices=choices(
            [
                (AT_OFFICE, _l("Tại nơi tiếp nhận hồ sơ theo quy định của Bảo hiểm xã hội Việt Nam")),
                (
                    BY_POST,
                    _l("Tại nhà thông qua dịch vụ bưu chính công ích (cước do cá nhân tự trả khi gửi hồ sơ)"),
                ),
            ]
        ),
        validators=[InputRequired(_l("Vui lòng chọn hình thức nộp hồ sơ."))],
    )
    channel = RadioField(
        _l("Đăng ký giao dịch tại"),
        choices=choices(list(CHANNEL_LABELS.items())),
        default=PORTAL,
        validators=[InputRequired(_l("Vui lòng chọn nơi đăng ký giao dịch."))],
    )
    ivan_name = StringField(_l("Tên tổ chức I-VAN"))
    committed = BooleanField(
        _l("Tôi cam kết"), validators=[DataRequired(_l("Vui lòng đánh dấu cam kết để tiếp tục."))]
    )

    def validate_ivan_name(self, field):
        """The I-VAN provider's name is needed only when registering through one."""
        if self.channel.data == IVAN and not field.data:
            raise ValidationError(_l("Vui lòng nhập tên tổ chức I-VAN."))


class CodeForm(StrippedForm):
    """Nhập mã xác thực (registration, sign-in, changes, staff: one six-digit code)."""

    code = StringField(_l("Mã xác thực"), validators=[required(_l("Vui lòng nhập mã xác thực."))])


class LookupForm(StrippedForm):
    """Tra cứu hồ sơ."""

    so = StringField(_l("Số hồ sơ"), validators=[required(_l("Vui lòng nhập số hồ sơ."))])
    dien_thoai = StringField(
        _l("Số điện thoại đã đăng ký"),
        validators=[required(_l("Vui lòng nhập số điện thoại.")), Normalised(validators.mobile_phone)],
    )
