"""The citizen's sign-in and password forms: sign in, change, forgot, reset."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import EqualTo

from vss.web.forms.fields import StrippedForm, required

NEW_PASSWORD = _l("Mật khẩu mới")
REPEAT_PASSWORD = _l("Nhập lại mật khẩu mới")
NEW_MISSING = _l("Vui lòng nhập mật khẩu mới.")
REPEAT_MISSING = _l("Vui lòng nhập lại mật khẩu mới.")


class SignInForm(StrippedForm):
    """Đăng nhập (citizens)."""

    username = StringField(
        _l("Mã số BHXH hoặc số CCCD"), validators=[required(_l("Vui lòng nhập mã số BHXH hoặc số CCCD."))]
    )
    password = StringField(
        _l("Mật khẩu"), filters=[lambda v: v], validators=[required(_l("Vui lòng nhập mật khẩu."))]
    )
    shared = BooleanField(_l("Máy dùng chung (không lưu đăng nhập trên máy này)"))


class NewPasswordForm(StrippedForm):
    """Đổi mật khẩu: old, new, repeat."""

    old = StringField(_l("Mật khẩu cũ"), validators=[required(_l("Vui lòng nhập mật khẩu cũ."))])
    new = StringField(NEW_PASSWORD, validators=[required(NEW_MISSING)])
    repeat = StringField(REPEAT_PASSWORD, validators=[required(REPEAT_MISSING)])


class ForgotForm(StrippedForm):
    """Quên mật khẩu."""

    bhxh_code = StringField(_l("Mã số BHXH"), validators=[required(_l("Vui lòng nhập mã số BHXH."))])
    contact = StringField(
        _l("Số điện thoại hoặc email đã đăng ký"),
        validators=[required(_l("Vui lòng nhập số điện thoại hoặc email đã đăng ký."))],
    )


class ResetForm(StrippedForm):
    """Đặt lại mật khẩu: the code, then the new password twice."""

    code = StringField(_l("Mã xác thực"), validators=[required(_l("Vui lòng nhập mã xác thực."))])
    new = StringField(NEW_PASSWORD, validators=[required(NEW_MISSING)])
    repeat = StringField(
        REPEAT_PASSWORD,
        validators=[required(REPEAT_MISSING), EqualTo("new", message=_l("Mật khẩu nhập lại không khớp."))],
    )
