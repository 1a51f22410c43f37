"""The first sign-in with a temporary password (part of Đăng nhập, blueprint `auth`): choose a new
one, confirm it with a code sent to the registered phone; then this device is bound."""

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _

from vss.core.errors import UserError
from vss.identity import password_change, signin
from vss.views.auth.base import bp, device, enter, masked, pending
from vss.views.problems import shown
from vss.views.render import page
from vss.web.forms import CodeForm, NewPasswordForm
from vss.web.security import no_store


@bp.route("/dang-nhap/mat-khau-moi", methods=["GET", "POST"])
@no_store
def first_password():
    """First sign-in with the temporary password: choose a new one (then a code confirms it)."""
    state, account = pending()
    if account is None or state["step"] != "first":
        return redirect(url_for("auth.sign_in"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            flow = password_change.request_new_password(
                account,
                form.old.data,
                form.new.data,
                form.repeat.data,
                signin.FIRST,
                device=device(),
                client=request.remote_addr,
                ip=request.remote_addr,
            )
        except UserError as error:
            shown(error, form)
        else:
            session["signin"] = {**state, "flow": flow}
            return redirect(url_for("auth.first_code"))
    return page("auth/new_password.html", form=form, first=True)


@bp.route("/dang-nhap/mat-khau-moi/xac-thuc", methods=["GET", "POST"])
@no_store
def first_code():
    """The code that confirms the first new password; then this device is bound."""
    state, account = pending()
    if account is None or state["step"] != "first":
        return redirect(url_for("auth.sign_in"))
    if not state.get("flow"):
        return redirect(url_for("auth.first_password"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            account = password_change.confirm_new_password(
                account, signin.FIRST, state["flow"], form.code.data
            )
        except UserError as error:
            shown(error, form)
        else:
            flash(_("Đã đổi mật khẩu."))
            return enter(account, shared=state["shared"], bind=not state["shared"])
    return page("auth/code.html", form=form, phone=masked(account.phone), resend=url_for("auth.resend"))
