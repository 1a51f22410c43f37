"""Password lifecycle for citizens: change (old, new, repeat → code) and forgotten
(BHXH code + registered phone or email → code → new password), without revealing whether an
account exists (vss.identity.password_reset)."""

import secrets
import time

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for

from vss.core.errors import UserError
from vss.identity import password_reset, signin
from vss.identity.accounts import Account
from vss.views.auth import _device, _enter, _masked, citizen_required
from vss.views.render import page
from vss.web.forms import CodeForm, ForgotForm, NewPasswordForm, ResetForm
from vss.web.security import no_store

bp = Blueprint("password", __name__)
SENT = (
    "Nếu mã số BHXH và số điện thoại (hoặc email) khớp với tài khoản, mã xác thực đã được gửi đến đó. "
    "Mã có hiệu lực vài phút."
)
RESET_SECONDS = 1800


def _key():
    return current_app.config["OTP_HMAC_KEY"]


def _minutes():
    return current_app.config["OTP_LIFETIME_MINUTES"]


@bp.route("/tai-khoan/doi-mat-khau", methods=["GET", "POST"])
@citizen_required
def change():
    """Đổi mật khẩu: old, new, repeat; a code to the registered phone confirms it."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            flow = signin.request_new_password(
                g.account,
                form.old.data,
                form.new.data,
                form.repeat.data,
                signin.CHANGE,
                device=_device(),
                key=_key(),
                minutes=_minutes(),
                client=request.remote_addr,
                ip=request.remote_addr,
            )
        except UserError as error:
            form[error.field or "new"].errors = [error.message]
        else:
            session["password_flow"] = flow
            signin.reauthenticated(g.citizen_session)
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
            signin.confirm_new_password(account, signin.CHANGE, flow, form.code.data, key=_key())
        except UserError as error:
            form.code.errors = [error.message]
        else:
            flash("Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất.")
            return _enter(
                Account.get_by_id(account.id),
                shared=g.citizen_session.shared,
                bind=not g.citizen_session.shared,
            )
    return page("auth/code.html", form=form, phone=_masked(account.phone), resend=None)


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@no_store
def forgot():
    """Quên mật khẩu: the same answer, at once, whether or not the account exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        nonce = secrets.token_hex(8)
        try:
            password_reset.ask(form.bhxh_code.data, form.contact.data, nonce, client=request.remote_addr)
        except UserError as error:
            return page("auth/forgot.html", form=form, error=error.message), 429
        session["reset"] = {
            "code": form.bhxh_code.data,
            "contact": form.contact.data,
            "nonce": nonce,
            "at": time.time(),
        }
        flash(SENT)
        return redirect(url_for("password.reset"))
    return page("auth/forgot.html", form=form, error=None)


@bp.route("/quen-mat-khau/dat-lai", methods=["GET", "POST"])
@no_store
def reset():
    """The code and the new password; the code is judged first, the same way for everyone."""
    state = session.get("reset")
    if not state or not state.get("nonce") or time.time() - state["at"] > RESET_SECONDS:
        return redirect(url_for("password.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(
                state["code"],
                state["contact"],
                state["nonce"],
                form.code.data,
                form.new.data,
                key=_key(),
                client=request.remote_addr,
            )
        except UserError as error:
            form[error.field or "code"].errors = [error.message]
        else:
            session.pop("reset", None)
            flash("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới.")
            return redirect(url_for("auth.sign_in"))
    return page("auth/reset.html", form=form)
