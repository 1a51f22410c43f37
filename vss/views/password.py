"""Password lifecycle for citizens: change (old, new, repeat → code) and forgotten
(BHXH code + registered phone or email → code → new password), without revealing whether an
account exists (vss.identity.password_reset)."""

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError
from vss.identity import password_change, password_reset, sessions, signin
from vss.views.auth import citizen_required, device, enter, masked, masked_email
from vss.views.problems import shown, status
from vss.views.render import page
from vss.web.forms import CodeForm, ForgotForm, NewPasswordForm, ResetForm
from vss.web.security import no_store

bp = Blueprint("password", __name__)
SENT = _l(
    "Nếu mã số BHXH và số điện thoại (hoặc email) khớp với tài khoản, mã xác thực đã được gửi đến đó. "
    "Mã có hiệu lực vài phút."
)


@bp.route("/tai-khoan/doi-mat-khau", methods=["GET", "POST"])
@citizen_required
def change():
    """Đổi mật khẩu: old, new, repeat; a code to the registered phone confirms it."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            flow = password_change.request_new_password(
                g.account,
                form.old.data,
                form.new.data,
                form.repeat.data,
                signin.CHANGE,
                device=device(),
                client=request.remote_addr,
                ip=request.remote_addr,
            )
        except UserError as error:
            shown(error, form)
        else:
            session["password_flow"] = flow
            sessions.reauthenticated(g.citizen_session)
            return redirect(url_for("password.change_code"))
    return page("auth/new_password.html", form=form, first=False)


@bp.route("/tai-khoan/doi-mat-khau/xac-thuc", methods=["GET", "POST"])
@citizen_required
def change_code():
    """The code confirms the new password; every other session ends, this one goes on."""
    account, flow = g.account, session.get("password_flow")
    if not flow:
        return redirect(url_for("password.change"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            account = password_change.confirm_new_password(account, signin.CHANGE, flow, form.code.data)
        except UserError as error:
            shown(error, form)
        else:
            shared = g.citizen_session.shared
            entered = enter(account, shared=shared, bind=not shared)  # a new session: flash after it
            flash(_("Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất."))
            return entered
    return page(
        "auth/code.html",
        form=form,
        phone=masked(account.phone),
        resend=url_for("password.change_resend"),
        email=masked_email(account.email),
    )


@bp.post("/tai-khoan/doi-mat-khau/gui-lai-ma")
@citizen_required
def change_resend():
    """Không nhận được mã? Another code confirming the same new password, by SMS or by email."""
    flow = session.get("password_flow")
    if not flow:
        return redirect(url_for("password.change"))
    try:
        by_email = request.form.get("kenh") == "email"
        signin.resend_code(g.account, signin.CHANGE, flow, client=request.remote_addr, by_email=by_email)
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã gửi mã mới. Mã gửi trước đó vẫn dùng được nếu chưa hết hạn."))
    return redirect(url_for("password.change_code"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@no_store
def forgot():
    """Quên mật khẩu: the same answer, at once, whether or not the account exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            flow = password_reset.ask(form.bhxh_code.data, form.contact.data, client=request.remote_addr)
        except UserError as error:
            return page("auth/forgot.html", form=form, error=shown(error, form)), status(error)
        session["reset"] = flow
        flash(str(SENT))
        return redirect(url_for("password.reset"))
    return page("auth/forgot.html", form=form, error=None)


@bp.route("/quen-mat-khau/dat-lai", methods=["GET", "POST"])
@no_store
def reset():
    """The code and the new password; the code is judged first, the same way for everyone."""
    flow = password_reset.open_flow(session.get("reset"))
    if flow is None:
        return redirect(url_for("password.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(flow, form.code.data, form.new.data, client=request.remote_addr)
        except UserError as error:
            shown(error, form)
        else:
            session.pop("reset", None)
            flash(_("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect(url_for("auth.sign_in"))
    return page("auth/reset.html", form=form)
