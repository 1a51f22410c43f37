"""Citizen sign-in (Đăng nhập): the bound device goes straight in; another device is warned, then
needs a code sent to the registered phone, and the first device is signed out. The first sign-in
with a temporary password sets a new one (vss.views.password has the pages)."""

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from vss.core.errors import UserError
from vss.identity import sessions, signin
from vss.views.auth.base import bp, device, enter, masked, masked_email, pending
from vss.views.problems import shown, status
from vss.views.render import page
from vss.web.forms import CodeForm, SignInForm
from vss.web.security import no_store


@bp.route("/dang-nhap", methods=["GET", "POST"])
@no_store
def sign_in():
    """Đăng nhập bằng mã số BHXH (hoặc số CCCD) và mật khẩu."""
    device()
    form = SignInForm()
    if form.validate_on_submit():
        try:
            account = signin.check_password(
                form.username.data, form.password.data, device=device(), ip=request.remote_addr
            )
        except UserError as error:
            return page("auth/sign_in.html", form=form, error=shown(error, form)), status(error)
        step = signin.next_step(account, device(), form.shared.data)
        if step == "in":
            return enter(account, shared=False, bind=False)
        session["signin"] = signin.begin(account, step, form.shared.data)
        if step == "first":
            return redirect(url_for("auth.first_password"))
        if step == "takeover":
            return redirect(url_for("auth.other_device"))
        return _send_and_ask(account)
    return page("auth/sign_in.html", form=form, error=None)


def _send_and_ask(account):
    state, _account = pending()
    try:
        signin.send_code(account, *signin.code_flow(state), client=request.remote_addr)
    except UserError as error:
        shown(error)
    return redirect(url_for("auth.code"))


@bp.route("/dang-nhap/thiet-bi-khac", methods=["GET", "POST"])
@no_store
def other_device():
    """The seed's warning; "Tiếp tục" sends a code, "Huỷ" keeps the other device signed in."""
    state, account = pending()
    if account is None or state["step"] != "takeover":
        return redirect(url_for("auth.sign_in"))
    if request.method == "POST":
        if request.form.get("action") == "continue":
            return _send_and_ask(account)
        session.pop("signin", None)
        flash(_("Đã huỷ. Tài khoản vẫn đăng nhập trên thiết bị trước."))
        return redirect(url_for("public.index"))
    return page("auth/other_device.html", phone=masked(account.phone))


@bp.route("/dang-nhap/ma-xac-thuc", methods=["GET", "POST"])
@no_store
def code():
    """The code sent to the registered phone (another device, a shared computer, no device yet)."""
    state, account = pending()
    if account is None or state["step"] not in ("takeover", "shared", "unbound"):
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            signin.verify_code(account, *signin.code_flow(state), form.code.data)
        except UserError as error:
            shown(error, form)
        else:
            return enter(account, shared=state["shared"], bind=not state["shared"])
    return page(
        "auth/code.html",
        form=form,
        phone=masked(account.phone),
        resend=url_for("auth.resend"),
        email=masked_email(account.email),
    )


@bp.post("/dang-nhap/gui-lai-ma")
@no_store
def resend():
    """Không nhận được mã? Another one (after 60 s)."""
    state, account = pending()
    if account is None:
        return redirect(url_for("auth.sign_in"))
    purpose, context = signin.code_flow(state)
    if not context:
        return redirect(url_for("auth.first_password"))
    try:
        by_email = request.form.get("kenh") == "email"
        signin.resend_code(account, purpose, context, client=request.remote_addr, by_email=by_email)
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã gửi mã mới. Mã gửi trước đó vẫn dùng được nếu chưa hết hạn."))
    return redirect(url_for("auth.first_code" if state["step"] == "first" else "auth.code"))


@bp.post("/dang-xuat")
def sign_out():
    """Đăng xuất: the session ends here and on the server."""
    sessions.close_citizen_session(session.get("citizen_sid"))
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."))
    # The page clears it too (older browsers).
    response = redirect(url_for("public.index", **{"dang-xuat": "1"}))
    response.headers["Clear-Site-Data"] = '"storage"'  # the offline card and its service worker
    return response
