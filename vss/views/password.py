"""Password lifecycle for citizens: change (old, new, repeat → code) and forgotten
(BHXH code + registered phone or email → code → new password), without revealing whether an
account exists, rate-limited per IP and per account."""

import contextlib
import time

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for

from vss import signin
from vss.accounts import Account
from vss.forms import CodeForm, ForgotForm, NewPasswordForm, ResetForm
from vss.otp import OtpError
from vss.security import no_store
from vss.views.auth import _enter, _masked, citizen_required
from vss.views.render import page

bp = Blueprint("password", __name__)
SENT = ("Nếu mã số BHXH và số điện thoại (hoặc email) khớp với tài khoản, mã xác thực đã được gửi đến đó. "
        "Mã có hiệu lực vài phút.")
PER_IP_HOUR, PER_ACCOUNT_HOUR = 10, 3


def _key():
    return current_app.config["OTP_HMAC_KEY"]


def _minutes():
    return current_app.config["OTP_LIFETIME_MINUTES"]


@bp.route("/tai-khoan/doi-mat-khau", methods=["GET", "POST"])
@citizen_required
def change():
    """Đổi mật khẩu: old, new, repeat; a code to the registered phone confirms it."""
    account = g.account
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = signin.request_new_password(account, form.old.data, form.new.data, form.repeat.data,
                                              signin.CHANGE, f"change:{g.citizen_session.key}", key=_key(),
                                              minutes=_minutes())
        if problem:
            form.new.errors = [problem]
        else:
            signin.reauthenticated(g.citizen_session)
            return redirect(url_for("password.change_code"))
    return page("auth/new_password.html", form=form, first=False)


@bp.route("/tai-khoan/doi-mat-khau/xac-thuc", methods=["GET", "POST"])
@citizen_required
def change_code():
    """The code confirms the new password; every other session ends, this one goes on."""
    account = g.account
    form = CodeForm()
    if form.validate_on_submit():
        try:
            signin.confirm_new_password(account, signin.CHANGE, f"change:{g.citizen_session.key}",
                                        form.code.data, key=_key())
        except (OtpError, signin.SignInError) as error:
            form.code.errors = [error.message]
        else:
            flash("Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất.")
            return _enter(Account.get_by_id(account.id), shared=g.citizen_session.shared,
                          bind=not g.citizen_session.shared)
    return page("auth/code.html", form=form, phone=_masked(account.phone), resend=None)


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@no_store
def forgot():
    """Quên mật khẩu: the same answer whether or not the account exists."""
    form = ForgotForm()
    if form.validate_on_submit():
        ip_limited = signin.rate_limited(f"reset-ip:{request.remote_addr}", PER_IP_HOUR, 3600)
        account_limited = signin.rate_limited(f"reset-account:{form.bhxh_code.data}", PER_ACCOUNT_HOUR, 3600)
        if ip_limited or account_limited:
            return page("auth/forgot.html", form=form,
                        error="Bạn đã thử quá nhiều lần. Vui lòng thử lại sau một giờ."), 429
        account, target = signin.reset_target(form.bhxh_code.data, form.contact.data)
        if account is not None:
            # Same answer even when the cool-down or the hourly cap stops the code: no enumeration.
            with contextlib.suppress(OtpError):
                signin.send_reset_code(account, target, key=_key(), minutes=_minutes())
        session["reset"] = {"code": form.bhxh_code.data, "contact": form.contact.data, "at": time.time()}
        flash(SENT)
        return redirect(url_for("password.reset"))
    return page("auth/forgot.html", form=form, error=None)


@bp.route("/quen-mat-khau/dat-lai", methods=["GET", "POST"])
@no_store
def reset():
    """The code and the new password. Any failure looks the same for unknown accounts."""
    state = session.get("reset")
    if not state or time.time() - state["at"] > 1800:
        return redirect(url_for("password.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        account, _target = signin.reset_target(state["code"], state["contact"])
        if account is None:
            form.code.errors = ["Mã xác thực không đúng. Vui lòng kiểm tra lại."]
        elif problem := signin.password_problem(account, form.new.data, form.repeat.data):
            form.new.errors = [problem]
        else:
            try:
                signin.verify_reset(account, form.code.data, form.new.data, key=_key())
            except (OtpError, signin.SignInError) as error:
                form.code.errors = [error.message]
            else:
                session.pop("reset", None)
                flash("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới.")
                return redirect(url_for("auth.sign_in"))
    return page("auth/reset.html", form=form)
