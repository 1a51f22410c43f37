"""The staff forms: sign-in, the dossier list's search, the decision on a dossier or a change
request, and creating a staff account."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from vss.core import validators
from vss.dossiers.vocabulary import EVALUATION_LABELS, INVALID, STATUS_LABELS, VALID
from vss.identity.accounts import StaffUser
from vss.web.forms.fields import Normalised, StrippedForm, choices, required

ALL = _l("Tất cả")
APPLY, REJECT = "cap_nhat", "tu_choi"  # the change-request decision
USERNAME = _l("Tên đăng nhập")
USERNAME_MISSING = _l("Vui lòng nhập tên đăng nhập.")


class StaffSignInForm(StrippedForm):
    """Đăng nhập cán bộ."""

    office_code = StringField(_l("Mã cơ quan BHXH"), validators=[required(_l("Vui lòng nhập mã cơ quan."))])
    username = StringField(USERNAME, validators=[required(USERNAME_MISSING)])
    password = StringField(_l("Mật khẩu"), validators=[required(_l("Vui lòng nhập mật khẩu."))])


class DecisionForm(StrippedForm):
    """Đánh giá hồ sơ."""

    evaluation = RadioField(
        _l("Đánh giá hồ sơ"),
        choices=choices(list(EVALUATION_LABELS.items())),
        validators=[InputRequired(_l("Vui lòng chọn đánh giá hồ sơ."))],
    )
    reason = TextAreaField(_l("Lý do (bắt buộc khi hồ sơ không hợp lệ)"))

    def validate_reason(self, field):
        """A reason is required when the answer is no (it is sent to the person)."""
        if self.evaluation.data == INVALID and not field.data:
            raise ValidationError(_l("Vui lòng nhập lý do hồ sơ không hợp lệ."))

    @property
    def valid(self):
        """The reviewer found the dossier valid (the confirmation page says what follows)."""
        return self.evaluation.data == VALID


class DossierFilterForm(StrippedForm):
    """'Mở rộng': the list's search fields (GET, no CSRF)."""

    class Meta:
        csrf = False

    so = StringField(_l("Số hồ sơ"), validators=[Optional()])
    ma = StringField(_l("Mã số BHXH"), validators=[Optional()])
    tu = StringField(_l("Từ ngày"), validators=[Optional()])
    den = StringField(_l("Đến ngày"), validators=[Optional()])
    tinh_trang = SelectField(
        _l("Tình trạng"),
        validate_choice=False,
        choices=choices([("", ALL), *STATUS_LABELS.items()]),
        validators=[Optional()],
    )
    trang_thai = SelectField(
        _l("Trạng thái"),
        validate_choice=False,
        choices=choices([("", ALL), *EVALUATION_LABELS.items()]),
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
        _l("Cơ quan"), validate_choice=False, validators=[required(_l("Vui lòng chọn cơ quan."))]
    )
    username = StringField(
        USERNAME,
        validators=[
            required(USERNAME_MISSING),
            Length(max=32, message=_l("Tên đăng nhập tối đa 32 ký tự.")),
            Normalised(validators.staff_username),
        ],
    )
    full_name = StringField(
        _l("Họ và tên"), validators=[required(_l("Vui lòng nhập họ và tên.")), Length(max=80)]
    )
    role = SelectField(
        _l("Vai trò"),
        validate_choice=False,
        choices=choices(list(StaffUser.ROLE_LABELS.items())),
        validators=[required(_l("Vui lòng chọn vai trò."))],
    )


class ChangeDecisionForm(StrippedForm):
    """Cập nhật thông tin: đồng ý cập nhật, hoặc từ chối kèm lý do."""

    decision = RadioField(
        _l("Xử lý yêu cầu"),
        choices=choices([(APPLY, _l("Đồng ý cập nhật")), (REJECT, _l("Không đồng ý (từ chối)"))]),
        validators=[InputRequired(_l("Vui lòng chọn đồng ý cập nhật hoặc từ chối."))],
    )
    reason = TextAreaField(_l("Lý do từ chối (bắt buộc khi từ chối, gửi cho người yêu cầu)"))

    def validate_reason(self, field):
        """A reason is required when the answer is no (it is sent to the person)."""
        if self.rejecting and not field.data:
            raise ValidationError(_l("Vui lòng nhập lý do từ chối."))

    @property
    def rejecting(self):
        """The staff member said no (a reason is then required and sent)."""
        return self.decision.data == REJECT
