"""Quản lý cá nhân: who is signed in, links to the records, and requests to change the phone,
email or address (the password is asked again; staff apply them)."""

from flask import Blueprint, flash, g, redirect, request, url_for

from vss import directory, review, signin
from vss.accounts import Account
from vss.forms import ChangeRequestForm, choices
from vss.views.auth import citizen_required
from vss.views.render import page

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")


@bp.get("")
@citizen_required
def home():
    """Mã số BHXH, họ tên, ngày sinh, giấy tờ, điện thoại, địa chỉ; the records; requests."""
    requests = (review.ChangeRequest.select().where(review.ChangeRequest.account == g.account)
                .order_by(review.ChangeRequest.created_at.desc()).limit(5))
    return page("account/home.html", account=g.account, person=g.account.person, requests=list(requests),
                labels=review.FIELD_LABELS, old_password=signin.password_is_old(g.account),
                shared=g.citizen_session.shared)


@bp.route("/yeu-cau-thay-doi", methods=["GET", "POST"])
@citizen_required
def change_request():
    """File a request; BHXH staff check and apply it, and both contacts are told."""
    form = ChangeRequestForm()
    form.province_code.choices = choices([(0, "— Chọn tỉnh, thành phố —")] +
                                         [(c, n) for c, n, _ in directory.provinces()])
    form.ward_code.choices = choices([(0, "— Chọn phường, xã —")] +
                                     (directory.wards(form.province_code.data) if form.province_code.data else []))
    if request.form.get("action") == "province":  # no JavaScript: refresh the ward list only
        return page("account/change_request.html", form=form)
    if form.validate_on_submit():
        value = form.new_value()
        if not g.account.check_password(form.password.data):
            form.password.errors = ["Mật khẩu không đúng."]
        elif value is not None:
            taken = {"phone": Account.phone, "email": Account.email}.get(form.field.data)
            if taken is not None and Account.select().where((taken == value) & (Account.id != g.account.id)).exists():
                getattr(form, form.field.data).errors = [
                    "Mỗi số điện thoại chỉ được đăng ký cho 1 mã số BHXH." if form.field.data == "phone"
                    else "Mỗi email chỉ được đăng ký cho 1 mã số BHXH."]
            else:
                signin.reauthenticated(g.citizen_session)
                review.file_change(g.account, form.field.data, value)
                flash("Đã gửi yêu cầu. Cơ quan BHXH sẽ xem xét và thông báo đến cả liên hệ cũ và mới.")
                return redirect(url_for("account.home"))
    return page("account/change_request.html", form=form)
