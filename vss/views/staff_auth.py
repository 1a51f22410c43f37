"""Staff sign-in: office code + username + password, then TOTP (enrolled at first sign-in);
server-side sessions checked on every request."""

import functools
import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from vss.core.errors import UserError
from vss.identity import sessions
from vss.identity import staff as staff_domain
from vss.identity.accounts import StaffUser, new_device_id
from vss.views.problems import shown, status
from vss.views.render import page
from vss.web.forms import CodeForm, StaffSignInForm
from vss.web.security import no_store

bp = Blueprint("staff_auth", __name__, url_prefix="/can-bo")
DEVICE_COOKIE = "vss_staff_device"


def staff_required(*roles):
    """The signed-in staff member with a live server-side session and one of `roles` — by
    default the casework roles (StaffUser.CASEWORK): an editor never reaches citizens' data
    through a view that forgot to name its roles."""
    roles = roles or StaffUser.CASEWORK

    def decorator(view):
        @functools.wraps(view)
        @no_store
        def wrapper(*args, **kwargs):
            row = sessions.staff_session(session.get("staff_sid"))
            if (
                not isinstance(current_user._get_current_object(), StaffUser)
                or row is None
                or row.staff_id != current_user.id
            ):
                had_session = "staff_sid" in session
                logout_user()
                session.clear()
                if had_session:
                    flash(_("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return redirect(url_for("staff_auth.sign_in"))
            if current_user.role not in roles:
                abort(404)
            g.staff, g.staff_session = current_user._get_current_object(), row
            g.session_expires = sessions.staff_expires_at(row)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _pending_staff():
    return sessions.pending_staff(session.get("staff_pending"))


def _device():
    """This browser's staff device id (a random cookie, given at the first full sign-in)."""
    return request.cookies.get(DEVICE_COOKIE) or None


@bp.route("/dang-nhap", methods=["GET", "POST"])
@no_store
def sign_in():
    """First factor."""
    form = StaffSignInForm()
    if form.validate_on_submit():
        try:
            staff = staff_domain.check_password(
                form.office_code.data,
                form.username.data,
                form.password.data,
                ip=request.remote_addr,
                device=_device(),
            )
        except UserError as error:
            return page("staff/sign_in.html", form=form, error=shown(error, form)), status(error)
        session.clear()
        session["staff_pending"] = sessions.open_pending(staff, request.remote_addr)
        return redirect(url_for("staff_auth.totp" if staff.totp_secret else "staff_auth.enrol"))
    return page("staff/sign_in.html", form=form, error=None)


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return Markup(out.getvalue().decode().split("?>", 1)[-1])  # noqa: S704 - SVG made by qrcode here, no user input


def landing(staff):
    """Where a member of staff starts: the news desk for an editor, else the dossier list."""
    return url_for("news_desk.index") if staff.is_editor else url_for("staff.dossiers")


def _finish(staff):
    pending, device = session.get("staff_pending"), _device() or new_device_id()
    session.clear()
    login_user(staff)
    session["staff_sid"] = sessions.open_staff_session(
        staff, request.remote_addr, pending_key=pending, device=device
    )
    response = redirect(landing(staff))
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        path="/can-bo",
    )
    return response


@bp.route("/xac-thuc", methods=["GET", "POST"])
@no_store
def totp():
    """Second factor: the 6-digit code from the authenticator app."""
    staff = _pending_staff()
    if staff is None:
        return redirect(url_for("staff_auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            staff_domain.check_totp(staff, form.code.data, device=_device())
        except UserError as error:
            shown(error, form)
        else:
            return _finish(staff)
    return page("staff/totp.html", form=form)


@bp.route("/dang-ky-xac-thuc", methods=["GET", "POST"])
@no_store
def enrol():
    """First sign-in: set up the authenticator app (QR or key), confirm with one code."""
    staff = _pending_staff()
    if staff is None or staff.totp_secret:
        return redirect(url_for("staff_auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            staff_domain.finish_enrolment(staff, form.code.data, device=_device())
        except UserError as error:
            shown(error, form)
        else:
            return _finish(staff)
    secret, uri = staff_domain.start_enrolment(staff)
    return page(
        "staff/enrol.html",
        form=form,
        qr=_qr_svg(uri),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


@bp.post("/dang-xuat")
def sign_out():
    """End the session here and on the server."""
    sessions.close_staff_session(session.get("staff_sid"))
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."))
    return redirect(url_for("staff_auth.sign_in"))


@bp.post("/giu-phien")
@staff_required(*StaffUser.ROLES)
def keep_alive():
    """'Tiếp tục làm việc' from the idle warning."""
    sessions.keep_alive(g.staff_session)
    return ("", 204)
