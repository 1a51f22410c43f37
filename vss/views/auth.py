"""Citizen sign-in (Đăng nhập): the bound device goes straight in; another device is warned, then
needs a code sent to the registered phone, and the first device is signed out. The first sign-in
with a temporary password sets a new one (vss.views.password has the pages)."""

import functools

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from vss.core.errors import UserError
from vss.identity import sessions, signin
from vss.identity.accounts import new_device_id
from vss.views.problems import shown, status
from vss.views.render import page
from vss.web.forms import CodeForm, SignInForm
from vss.web.security import no_store

bp = Blueprint("auth", __name__)
DEVICE_COOKIE = "vss_device"
TAKEN_OVER = _l(
    "Tài khoản của bạn vừa được đăng nhập trên một thiết bị khác, nên phiên trên thiết bị này đã "
    "kết thúc. Mỗi tài khoản chỉ đăng nhập trên một thiết bị ở cùng một thời điểm."
)


@bp.after_app_request
def _device_cookie(response):
    """Give each browser a long-lived random device id (only sign-in pages need it)."""
    if (
        request.blueprint == "auth"
        and DEVICE_COOKIE not in request.cookies
        and not getattr(g, "device_set", False)
    ):
        response.set_cookie(
            DEVICE_COOKIE,
            g.get("device_id") or new_device_id(),
            max_age=10 * 365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def device():
    """This browser's device id (a new one is set on the response if it has none)."""
    return request.cookies.get(DEVICE_COOKIE) or g.setdefault("device_id", new_device_id())


def citizen_required(view):
    """The signed-in citizen with a live server-side session (`g.account`, `g.citizen_session`)."""

    @functools.wraps(view)
    @no_store
    def wrapper(*args, **kwargs):
        row, why = sessions.citizen_session(session.get("citizen_sid"))
        # The session row brings its account: no second query through Flask-Login's loader.
        if row is None or session.get("_user_id") != row.account.get_id():
            had_session = "citizen_sid" in session
            logout_user()
            session.clear()
            flash(
                TAKEN_OVER if why == "taken_over" else _("Vui lòng đăng nhập."), "error" if why else "message"
            )
            response = redirect(url_for("auth.sign_in"))
            if had_session:
                # This browser was signed in as a citizen: the card kept offline (service worker
                # and its cache) and htmx's history of personal pages go. Browsers that never had
                # a citizen session (kiosks keep their own offline data here) are not told.
                response.headers["Clear-Site-Data"] = '"storage"'
            return response
        g.account, g.citizen_session = row.account, row
        return view(*args, **kwargs)

    return wrapper


def enter(account, *, shared, bind):
    """Open the session (ending any other), remember it in the cookie, go to the account."""
    key = sessions.open_citizen_session(account, device(), shared=shared, bind=bind, ip=request.remote_addr)
    session.clear()
    login_user(account)
    session["citizen_sid"] = key
    session.permanent = not shared  # 30 days on one's own device; the browser session on a shared one
    return redirect(url_for("account.home"))


def masked(phone):
    """The registered phone as the code pages show it."""
    return f"{phone[:3]}****{phone[-3:]}"


def pending():
    """The sign-in in progress in this browser: (state, account), or (None, None)."""
    return signin.in_progress(session.get("signin"))


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
    return page("auth/code.html", form=form, phone=masked(account.phone), resend=url_for("auth.resend"))


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
        signin.resend_code(account, purpose, context, client=request.remote_addr)
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


from vss.views import first_password  # noqa: E402, F401 - its pages join this blueprint (auth.first_*)
