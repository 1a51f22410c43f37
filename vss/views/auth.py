"""Citizen sign-in (Đăng nhập): the bound device goes straight in; another device is warned, then
needs a code sent to the registered phone, and the first device is signed out."""

import functools
import secrets
import time

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user, logout_user

from vss.core.errors import UserError
from vss.identity import signin
from vss.identity.accounts import Account
from vss.views.render import page
from vss.web.forms import CodeForm, NewPasswordForm, SignInForm
from vss.web.security import no_store

bp = Blueprint("auth", __name__)
DEVICE_COOKIE = "vss_device"
PENDING_SECONDS = 600
TAKEN_OVER = (
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
            g.get("device_id") or signin.new_device_id(),
            max_age=10 * 365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _device():
    """This browser's device id (a new one is set on the response if it has none)."""
    device = request.cookies.get(DEVICE_COOKIE)
    if not device:
        device = g.setdefault("device_id", signin.new_device_id())
    return device


def citizen_required(view):
    """The signed-in citizen with a live server-side session (`g.account`, `g.citizen_session`)."""

    @functools.wraps(view)
    @no_store
    def wrapper(*args, **kwargs):
        row, why = signin.session_for(session.get("citizen_sid"))
        # The session row brings its account: no second query through Flask-Login's loader.
        if row is None or session.get("_user_id") != row.account.get_id():
            had_session = "citizen_sid" in session
            logout_user()
            session.clear()
            flash(TAKEN_OVER if why == "taken_over" else "Vui lòng đăng nhập.", "error" if why else "message")
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


def _key():
    return current_app.config["OTP_HMAC_KEY"]


def _minutes():
    return current_app.config["OTP_LIFETIME_MINUTES"]


def _pending():
    """The sign-in in progress (after the password), or None when absent or stale."""
    state = session.get("signin")
    if not state or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None, None
    return state, Account.get_or_none(Account.id == state["account"])


def _context(state):
    return f"signin:{state['account']}:{state['nonce']}"


def _enter(account, *, shared, bind):
    """Open the session (ending any other), remember it in the cookie, go to the account."""
    key = signin.open_session(account, _device(), shared=shared, bind=bind, ip=request.remote_addr)
    session.clear()
    login_user(account)
    session["citizen_sid"] = key
    session.permanent = not shared  # 30 days on one's own device; the browser session on a shared one
    return redirect(url_for("account.home"))


@bp.route("/dang-nhap", methods=["GET", "POST"])
@no_store
def sign_in():
    """Đăng nhập bằng mã số BHXH (hoặc số CCCD) và mật khẩu."""
    _device()
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            account = signin.check_password(
                form.username.data, form.password.data, device=_device(), ip=request.remote_addr
            )
        except UserError as failure:
            error = failure.message
        else:
            step = signin.next_step(account, _device(), form.shared.data)
            if step == "in":
                return _enter(account, shared=False, bind=False)
            session["signin"] = {
                "account": account.id,
                "step": step,
                "shared": bool(form.shared.data),
                "nonce": secrets.token_hex(8),
                "at": time.time(),
            }
            if step == "first":
                return redirect(url_for("auth.first_password"))
            if step == "takeover":
                return redirect(url_for("auth.other_device"))
            return _send_and_ask(account)
    return page("auth/sign_in.html", form=form, error=error)


def _send_and_ask(account):
    state, _ = _pending()
    try:
        signin.send_code(
            account,
            signin.SIGNIN,
            _context(state),
            key=_key(),
            minutes=_minutes(),
            client=request.remote_addr,
        )
    except UserError as error:
        flash(error.message, "error")
    return redirect(url_for("auth.code"))


@bp.route("/dang-nhap/thiet-bi-khac", methods=["GET", "POST"])
@no_store
def other_device():
    """The seed's warning; "Tiếp tục" sends a code, "Huỷ" keeps the other device signed in."""
    state, account = _pending()
    if account is None or state["step"] != "takeover":
        return redirect(url_for("auth.sign_in"))
    if request.method == "POST":
        if request.form.get("action") == "continue":
            return _send_and_ask(account)
        session.pop("signin", None)
        flash("Đã huỷ. Tài khoản vẫn đăng nhập trên thiết bị trước.")
        return redirect(url_for("public.index"))
    return page("auth/other_device.html", phone=_masked(account.phone))


def _masked(phone):
    return f"{phone[:3]}****{phone[-3:]}"


@bp.route("/dang-nhap/ma-xac-thuc", methods=["GET", "POST"])
@no_store
def code():
    """The code sent to the registered phone (another device, a shared computer, no device yet)."""
    state, account = _pending()
    if account is None or state["step"] not in ("takeover", "shared", "unbound"):
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            signin.verify_code(account, signin.SIGNIN, _context(state), form.code.data, key=_key())
        except UserError as error:
            form.code.errors = [error.message]
        else:
            return _enter(account, shared=state["shared"], bind=not state["shared"])
    return page("auth/code.html", form=form, phone=_masked(account.phone), resend=url_for("auth.resend"))


@bp.post("/dang-nhap/gui-lai-ma")
@no_store
def resend():
    """Không nhận được mã? Another one (after 60 s)."""
    state, account = _pending()
    if account is None:
        return redirect(url_for("auth.sign_in"))
    first = state["step"] == "first"
    if first and not state.get("flow"):
        return redirect(url_for("auth.first_password"))
    try:
        signin.resend_code(
            account,
            signin.FIRST if first else signin.SIGNIN,
            state["flow"] if first else _context(state),
            key=_key(),
            minutes=_minutes(),
            client=request.remote_addr,
        )
    except UserError as error:
        flash(error.message, "error")
    else:
        flash("Đã gửi mã mới. Mã gửi trước đó vẫn dùng được nếu chưa hết hạn.")
    return redirect(url_for("auth.first_code" if state["step"] == "first" else "auth.code"))


@bp.route("/dang-nhap/mat-khau-moi", methods=["GET", "POST"])
@no_store
def first_password():
    """First sign-in with the temporary password: choose a new one (then a code confirms it)."""
    state, account = _pending()
    if account is None or state["step"] != "first":
        return redirect(url_for("auth.sign_in"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            flow = signin.request_new_password(
                account,
                form.old.data,
                form.new.data,
                form.repeat.data,
                signin.FIRST,
                device=_device(),
                key=_key(),
                minutes=_minutes(),
                client=request.remote_addr,
                ip=request.remote_addr,
            )
        except UserError as error:
            form[error.field or "new"].errors = [error.message]
        else:
            session["signin"] = {**state, "flow": flow}
            return redirect(url_for("auth.first_code"))
    return page("auth/new_password.html", form=form, first=True)


@bp.route("/dang-nhap/mat-khau-moi/xac-thuc", methods=["GET", "POST"])
@no_store
def first_code():
    """The code that confirms the first new password; then this device is bound."""
    state, account = _pending()
    if account is None or state["step"] != "first":
        return redirect(url_for("auth.sign_in"))
    if not state.get("flow"):
        return redirect(url_for("auth.first_password"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            signin.confirm_new_password(account, signin.FIRST, state["flow"], form.code.data, key=_key())
        except UserError as error:
            form.code.errors = [error.message]
        else:
            flash("Đã đổi mật khẩu.")
            return _enter(Account.get_by_id(account.id), shared=state["shared"], bind=not state["shared"])
    return page("auth/code.html", form=form, phone=_masked(account.phone), resend=url_for("auth.resend"))


@bp.post("/dang-xuat")
def sign_out():
    """Đăng xuất: the session ends here and on the server."""
    signin.close_session(session.get("citizen_sid"))
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.")
    response = redirect(
        url_for("public.index", **{"dang-xuat": "1"})
    )  # the page clears it too (older browsers)
    response.headers["Clear-Site-Data"] = '"storage"'  # the offline card and its service worker
    return response
