"""Flask-WTF forms on a whitespace-stripping base; validators wrap vss.core.validators."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from vss.core import validators

# Longest text anyone types into a one-line field, and into a text area. Longer input is
# refused with a message, never stored, never copied into a cookie.
LINE_MAX, AREA_MAX = 200, 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\t]")


class Clean:
    """Runs first on every text field: control characters (a NUL breaks PostgreSQL) and input
    longer than the field can hold are refused with a message, and nothing after it runs."""

    def __init__(self, limit, multiline):
        self.limit, self.multiline = limit, multiline

    def __call__(self, form, field):
        value = field.data
        if not isinstance(value, str):
            return
        if _CONTROL.search(value) or (not self.multiline and _LINE_BREAK.search(value)):
            raise StopValidation(_l("Nội dung có ký tự không hợp lệ. Vui lòng nhập lại."))
        if len(value) > self.limit:
            raise StopValidation(_l("Nội dung quá dài (tối đa %(limit)s ký tự).", limit=self.limit))


class StrippedForm(FlaskForm):
    """Every text field arrives without surrounding whitespace and passes `Clean` first (its
    limit: the field's own Length(max=…) if it has one, else LINE_MAX or AREA_MAX)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kwargs = unbound_field.kwargs
            if issubclass(unbound_field.field_class, (StringField, TextAreaField, SelectField, RadioField)):
                multiline = issubclass(unbound_field.field_class, TextAreaField)
                given = list(kwargs.get("validators") or [])
                limit = min(
                    [v.max for v in given if isinstance(v, Length) and v.max > 0]
                    + [AREA_MAX if multiline else LINE_MAX]
                )
                options = {**options, "validators": [Clean(limit, multiline), *given]}
                return unbound_field.bind(form=form, filters=[_strip, *kwargs.get("filters", [])], **options)
            return unbound_field.bind(form=form, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def code_number(value):
    """A <select>'s value as a code number (ASCII digits only; anything else is 0, 'none chosen')."""
    if isinstance(value, int):
        return value
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else 0


class Normalised:
    """Run a vss.core.validators function; keep its normalised value on the field."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = self.check(field.data)
        except validators.Invalid as error:
            raise ValidationError(str(error)) from None


def choices(pairs):
    """[(value, label)] as WTForms SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def required(message):
    return DataRequired(message=message)


class KnownProvince:
    """One of the 34 provinces (a code from another list, or typed in, is refused)."""

    def __call__(self, form, field):
        from vss.registry.directory import province_name

        if field.data and not province_name(field.data):
            raise ValidationError(_l("Vui lòng chọn tỉnh, thành phố trong danh sách."))


class StartForm(StrippedForm):
    registrant = RadioField(
        "Đối tượng đăng ký",
        choices=choices([("ca_nhan", "Cá nhân")]),
        default="ca_nhan",
        validators=[InputRequired("Vui lòng chọn đối tượng đăng ký.")],
    )


class InfoForm(StrippedForm):
    """Bước 2 — Thông tin (the Mẫu 01 fields)."""

    qr = TextAreaField("Quét hoặc dán mã QR trên thẻ BHYT hoặc CCCD gắn chip", validators=[Optional()])
    bhxh_code = StringField(
        "Mã số BHXH", validators=[required("Vui lòng nhập mã số BHXH."), Normalised(validators.bhxh_code)]
    )
    full_name = StringField(
        "Họ và tên", validators=[required("Vui lòng nhập họ và tên."), Normalised(validators.full_name)]
    )
    plain_name_ok = StringField(validators=[Optional()])  # hidden: the no-diacritics name confirmed
    id_number = StringField(
        "Số CCCD/CMND/Hộ chiếu", validators=[required("Vui lòng nhập số CCCD, CMND hoặc hộ chiếu.")]
    )
    province_code = SelectField(
        "Tỉnh, thành phố",
        coerce=code_number,
        validate_choice=False,
        validators=[required("Vui lòng chọn tỉnh, thành phố."), KnownProvince()],
    )
    ward_code = SelectField(
        "Phường, xã, đặc khu",
        coerce=code_number,
        validate_choice=False,
        validators=[required("Vui lòng chọn phường, xã.")],
    )
    street = StringField(
        "Số nhà, tên đường, tổ/xóm, khu phố/thôn",
        validators=[required("Vui lòng nhập số nhà, tên đường hoặc thôn, xóm.")],
    )
    phone = StringField(
        "Điện thoại di động",
        validators=[required("Vui lòng nhập số điện thoại di động."), Normalised(validators.mobile_phone)],
    )
    phone_confirmed = BooleanField(
        "Tôi đã kiểm tra: đây đúng là số điện thoại của tôi (không sửa được sau khi đăng ký)",
        validators=[DataRequired("Vui lòng xác nhận số điện thoại đúng.")],
    )
    email = StringField(
        "Địa chỉ thư điện tử (không bắt buộc)", validators=[Optional(), Normalised(validators.email)]
    )

    def validate_id_number(self, field):
        try:
            self.id_kind, field.data = validators.id_number(field.data)
        except validators.Invalid as error:
            raise ValidationError(str(error)) from None

    def validate_ward_code(self, field):
        from vss.registry.directory import ward_province

        if field.data and ward_province(field.data) != self.province_code.data:
            raise ValidationError("Phường, xã không thuộc tỉnh, thành phố đã chọn.")


class OfficeForm(StrippedForm):
    """Bước 4 — Cơ quan tiếp nhận."""

    province_code = SelectField(
        "Tỉnh, thành phố của cơ quan BHXH",
        coerce=code_number,
        validate_choice=False,
        validators=[required("Vui lòng chọn tỉnh, thành phố."), KnownProvince()],
    )
    office_code = RadioField(
        "Cơ quan BHXH tiếp nhận",
        validate_choice=False,
        validators=[InputRequired("Vui lòng chọn cơ quan BHXH tiếp nhận.")],
    )
    submission_method = RadioField(
        "Hình thức nộp hồ sơ",
        choices=choices(
            [
                ("tai_co_quan", "Tại nơi tiếp nhận hồ sơ theo quy định của Bảo hiểm xã hội Việt Nam"),
                (
                    "buu_chinh",
                    "Tại nhà thông qua dịch vụ bưu chính công ích (cước do cá nhân tự trả khi gửi hồ sơ)",
                ),
            ]
        ),
        validators=[InputRequired("Vui lòng chọn hình thức nộp hồ sơ.")],
    )
    channel = RadioField(
        "Đăng ký giao dịch tại",
        choices=choices(
            [
                ("cong_bhxh", "Cổng thông tin điện tử của Bảo hiểm xã hội Việt Nam"),
                ("ivan", "Tổ chức I-VAN"),
            ]
        ),
        default="cong_bhxh",
        validators=[InputRequired("Vui lòng chọn nơi đăng ký giao dịch.")],
    )
    ivan_name = StringField("Tên tổ chức I-VAN")
    committed = BooleanField(
        "Tôi cam kết", validators=[DataRequired("Vui lòng đánh dấu cam kết để tiếp tục.")]
    )

    def validate_ivan_name(self, field):
        if self.channel.data == "ivan" and not field.data:
            raise ValidationError("Vui lòng nhập tên tổ chức I-VAN.")


class CodeForm(StrippedForm):
    """Nhập mã xác thực."""

    code = StringField("Mã xác thực", validators=[required("Vui lòng nhập mã xác thực.")])


class LookupForm(StrippedForm):
    """Tra cứu hồ sơ."""

    so = StringField("Số hồ sơ", validators=[required("Vui lòng nhập số hồ sơ.")])
    dien_thoai = StringField(
        "Số điện thoại đã đăng ký",
        validators=[required("Vui lòng nhập số điện thoại."), Normalised(validators.mobile_phone)],
    )


class StaffSignInForm(StrippedForm):
    """Đăng nhập cán bộ."""

    office_code = StringField("Mã cơ quan BHXH", validators=[required("Vui lòng nhập mã cơ quan.")])
    username = StringField("Tên đăng nhập", validators=[required("Vui lòng nhập tên đăng nhập.")])
    password = StringField("Mật khẩu", validators=[required("Vui lòng nhập mật khẩu.")])


class DecisionForm(StrippedForm):
    """Đánh giá hồ sơ."""

    evaluation = RadioField(
        "Đánh giá hồ sơ",
        choices=choices([("hop_le", "Hồ sơ hợp lệ"), ("khong_hop_le", "Hồ sơ không hợp lệ")]),
        validators=[InputRequired("Vui lòng chọn đánh giá hồ sơ.")],
    )
    reason = TextAreaField("Lý do (bắt buộc khi hồ sơ không hợp lệ)")

    def validate_reason(self, field):
        if self.evaluation.data == "khong_hop_le" and not field.data:
            raise ValidationError("Vui lòng nhập lý do hồ sơ không hợp lệ.")


class DossierFilterForm(StrippedForm):
    """'Mở rộng': the list's search fields (GET, no CSRF)."""

    class Meta:
        csrf = False

    so = StringField("Số hồ sơ", validators=[Optional()])
    ma = StringField("Mã số BHXH", validators=[Optional()])
    tu = StringField("Từ ngày", validators=[Optional()])
    den = StringField("Đến ngày", validators=[Optional()])
    tinh_trang = SelectField(
        "Tình trạng",
        validate_choice=False,
        choices=choices(
            [
                ("", "Tất cả"),
                ("cho_tiep_nhan", "Chờ tiếp nhận"),
                ("da_tiep_nhan", "Đã tiếp nhận"),
                ("da_duyet", "Đã duyệt"),
                ("da_xoa", "Đã xoá"),
            ]
        ),
        validators=[Optional()],
    )
    trang_thai = SelectField(
        "Trạng thái",
        validate_choice=False,
        choices=choices([("", "Tất cả"), ("hop_le", "Hợp lệ"), ("khong_hop_le", "Không hợp lệ")]),
        validators=[Optional()],
    )

    def criteria(self):
        """The search as clean values: a field that fails its checks (a NUL, too long, a date
        that is not one) shows its message and is left out of the search."""
        self.validate()
        values = {}
        for name in ("so", "ma", "tinh_trang", "trang_thai"):
            values[name] = None if self[name].errors else (self[name].data or None)
        for name in ("tu", "den"):
            field, values[name] = self[name], None
            if field.data and not field.errors:
                try:
                    values[name] = validators.day(field.data)
                except validators.Invalid as error:
                    field.errors = [str(error)]
        return values


class StaffCreateForm(StrippedForm):
    """Tạo tài khoản cán bộ."""

    office_code = SelectField(
        "Cơ quan", validate_choice=False, validators=[required("Vui lòng chọn cơ quan.")]
    )
    username = StringField(
        "Tên đăng nhập",
        validators=[
            required("Vui lòng nhập tên đăng nhập."),
            Length(max=32, message="Tên đăng nhập tối đa 32 ký tự."),
            Normalised(validators.staff_username),
        ],
    )
    full_name = StringField("Họ và tên", validators=[required("Vui lòng nhập họ và tên."), Length(max=80)])
    role = SelectField(
        "Vai trò",
        validate_choice=False,
        choices=choices(
            [
                ("reviewer", "Cán bộ tiếp nhận, duyệt hồ sơ"),
                ("supervisor", "Giám sát cấp tỉnh"),
                ("admin", "Quản trị tài khoản"),
            ]
        ),
        validators=[required("Vui lòng chọn vai trò.")],
    )


class SignInForm(StrippedForm):
    """Đăng nhập (citizens)."""

    username = StringField(
        "Mã số BHXH hoặc số CCCD", validators=[required("Vui lòng nhập mã số BHXH hoặc số CCCD.")]
    )
    password = StringField(
        "Mật khẩu", filters=[lambda v: v], validators=[required("Vui lòng nhập mật khẩu.")]
    )
    shared = BooleanField("Máy dùng chung (không lưu đăng nhập trên máy này)")


class NewPasswordForm(StrippedForm):
    """Đổi mật khẩu: old, new, repeat."""

    old = StringField("Mật khẩu cũ", validators=[required("Vui lòng nhập mật khẩu cũ.")])
    new = StringField("Mật khẩu mới", validators=[required("Vui lòng nhập mật khẩu mới.")])
    repeat = StringField("Nhập lại mật khẩu mới", validators=[required("Vui lòng nhập lại mật khẩu mới.")])


class ForgotForm(StrippedForm):
    """Quên mật khẩu."""

    bhxh_code = StringField("Mã số BHXH", validators=[required("Vui lòng nhập mã số BHXH.")])
    contact = StringField(
        "Số điện thoại hoặc email đã đăng ký",
        validators=[required("Vui lòng nhập số điện thoại hoặc email đã đăng ký.")],
    )


class ResetForm(StrippedForm):
    """Đặt lại mật khẩu: the code, then the new password twice."""

    code = StringField("Mã xác thực", validators=[required("Vui lòng nhập mã xác thực.")])
    new = StringField("Mật khẩu mới", validators=[required("Vui lòng nhập mật khẩu mới.")])
    repeat = StringField(
        "Nhập lại mật khẩu mới",
        validators=[
            required("Vui lòng nhập lại mật khẩu mới."),
            EqualTo("new", message="Mật khẩu nhập lại không khớp."),
        ],
    )


class ChangeRequestForm(StrippedForm):
    """Yêu cầu thay đổi số điện thoại, email hoặc địa chỉ."""

    field = RadioField(
        "Thông tin cần thay đổi",
        choices=choices(
            [("phone", "Số điện thoại"), ("email", "Địa chỉ thư điện tử"), ("address", "Địa chỉ liên hệ")]
        ),
        validators=[InputRequired("Vui lòng chọn thông tin cần thay đổi.")],
    )
    phone = StringField("Số điện thoại mới", validators=[Optional(), Normalised(validators.mobile_phone)])
    email = StringField("Địa chỉ thư điện tử mới", validators=[Optional(), Normalised(validators.email)])
    province_code = SelectField(
        "Tỉnh, thành phố", coerce=code_number, validate_choice=False, validators=[Optional()]
    )
    ward_code = SelectField(
        "Phường, xã, đặc khu", coerce=code_number, validate_choice=False, validators=[Optional()]
    )
    street = StringField("Số nhà, tên đường, tổ/xóm, khu phố/thôn", validators=[Optional()])
    password = StringField("Mật khẩu (xác nhận là bạn)", validators=[required("Vui lòng nhập mật khẩu.")])

    def new_value(self):
        """The requested value, or None with an error on the right field."""
        from vss.registry.directory import ward_province

        if self.field.data == "phone":
            if not self.phone.data:
                self.phone.errors = ["Vui lòng nhập số điện thoại mới."]
            return self.phone.data or None
        if self.field.data == "email":
            if not self.email.data:
                self.email.errors = ["Vui lòng nhập địa chỉ thư điện tử mới."]
            return self.email.data or None
        if not self.ward_code.data or ward_province(self.ward_code.data) != self.province_code.data:
            self.ward_code.errors = ["Vui lòng chọn phường, xã thuộc tỉnh, thành phố đã chọn."]
            return None
        if not self.street.data:
            self.street.errors = ["Vui lòng nhập số nhà, tên đường hoặc thôn, xóm."]
            return None
        return {"street": self.street.data, "ward_code": self.ward_code.data}


class ChangeDecisionForm(StrippedForm):
    """Cập nhật thông tin: đồng ý cập nhật, hoặc từ chối kèm lý do."""

    decision = RadioField(
        _l("Xử lý yêu cầu"),
        choices=choices([("cap_nhat", _l("Đồng ý cập nhật")), ("tu_choi", _l("Không đồng ý (từ chối)"))]),
        validators=[InputRequired(_l("Vui lòng chọn đồng ý cập nhật hoặc từ chối."))],
    )
    reason = TextAreaField(_l("Lý do từ chối (bắt buộc khi từ chối, gửi cho người yêu cầu)"))

    def validate_reason(self, field):
        if self.decision.data == "tu_choi" and not field.data:
            raise ValidationError(_l("Vui lòng nhập lý do từ chối."))
