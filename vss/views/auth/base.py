"""The sign-in blueprint's shared part: the device cookie, the citizen guard, entering the account."""

import functools

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from vss.identity import sessions, signin
from vss.identity.accounts import new_device_id
from vss.web.security import no_store

bp = Blueprint("auth", __name__)
DEVICE_COOKIE = "vss_device"
DEVICE_YEARS = 10
TAKEN_OVER = _l(
    "Tài khoản của bạn vừa được đăng nhập trên một thiết bị khác, nên phiên trên thiết bị này đã "
    "kết thúc. Mỗi tài khoản chỉ đăng nhập trên một thiết bị ở cùng một thời điểm."
)


@bp.after_app_request
def _device_cookie(response):
    """A random device id for this browser: for the browser session while signing in, kept ten
    years once a citizen enters on their own device, deleted when they enter on a shared one (a
    public computer keeps nothing that outlives its browser session)."""
    keep = g.get("device_keep")  # set by enter(): True on one's own device, False on a shared one
    if keep is False:
        secure = current_app.config["SESSION_COOKIE_SECURE"]
        response.delete_cookie(DEVICE_COOKIE, samesite="Lax", secure=secure)
    elif keep or (request.blueprint == "auth" and DEVICE_COOKIE not in request.cookies):
        response.set_cookie(
            DEVICE_COOKIE,
            device(),
            max_age=DEVICE_YEARS * 365 * 86400 if keep else None,
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
            notice = str(TAKEN_OVER) if why == "taken_over" else _("Vui lòng đăng nhập.")
            flash(notice, "error" if why else "message")
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
    g.device_keep = not shared
    return redirect(url_for("account.home"))


def masked(phone):
    """The registered phone as the code pages show it."""
    return f"{phone[:3]}****{phone[-3:]}"


def masked_email(email):
    """The registered email as the code pages show it ('h***@example.vn'), or None."""
    if not email:
        return None
    name, _, host = email.partition("@")
    return f"{name[:1]}***@{host}"


def pending():
    """The sign-in in progress in this browser: (state, account), or (None, None)."""
    return signin.in_progress(session.get("signin"))
