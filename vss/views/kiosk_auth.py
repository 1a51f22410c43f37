"""The kiosk's credential: the enrolment page where the kiosk's browser trades its one-time code
for a long-lived credential cookie, and `kiosk_required`, which every kiosk page wears.

The credential opens kiosk pages only: its cookie is sent to /kiosk alone (Path), never from
another site (SameSite=Strict), never to scripts (HttpOnly); and a kiosk never gets a citizen or
staff session (no sign-in happens here, and citizen and staff pages read only their own)."""

import functools

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import logout_user

from vss.core.errors import UserError
from vss.identity import sessions
from vss.kiosk import kiosks
from vss.views.problems import retry_headers, shown, status
from vss.views.render import page
from vss.web.forms import KioskCodeForm
from vss.web.security import no_store

bp = Blueprint("kiosk_auth", __name__, url_prefix="/kiosk")
COOKIE = "vss_kiosk"
COOKIE_PATH = "/kiosk"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie; renewed whenever the kiosk is seen


def set_credential(response, token):
    """Put the kiosk's credential in its cookie (or renew it)."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_DAYS * 86400,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _wants_json():
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _signed_out(why):
    """No kiosk here: a revoked one is told so; any other goes to the enrolment page."""
    message = _("Kiosk này đã bị thu hồi. Vui lòng liên hệ quản trị viên để ghi danh lại.")
    if _wants_json():
        response = make_response(
            jsonify(error=message if why == kiosks.REVOKED else _("Chưa ghi danh kiosk."))
        )
        response.status_code = 401
    else:
        if why == kiosks.REVOKED:
            flash(message, "error")
        response = redirect(url_for("kiosk_auth.enrol"))
    if why:
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


def kiosk_required(view):
    """The enrolled, unrevoked kiosk of this browser's credential (`g.kiosk`, its facility joined)."""

    @functools.wraps(view)
    @no_store
    def wrapper(*args, **kwargs):
        token = request.cookies.get(COOKIE)
        seen = kiosks.authenticate(token)
        if seen.kiosk is None:
            return _signed_out(seen.why)
        g.kiosk = seen.kiosk
        response = make_response(view(*args, **kwargs))
        return set_credential(response, token) if seen.touched else response

    return wrapper


def _nobody_signed_in(response):
    """A browser that becomes a kiosk keeps no one's session: a citizen or member of staff
    signed in here is signed out (here and on the server), and a citizen's card kept offline
    in this browser is deleted (as when a citizen session ends: vss.views.auth.base)."""
    if session.get("citizen_sid"):
        sessions.close_citizen_session(session["citizen_sid"])
        response.headers["Clear-Site-Data"] = '"storage"'
    if session.get("staff_sid"):
        sessions.close_staff_session(session["staff_sid"])
    if {"_user_id", "citizen_sid", "staff_sid", "staff_pending", "signin"} & set(session):
        logout_user()
        session.clear()
    return response


@bp.route("/ghi-danh", methods=["GET", "POST"])
@no_store
def enrol():
    """Ghi danh kiosk: the code an admin was shown becomes this browser's kiosk credential."""
    form = KioskCodeForm()
    if form.validate_on_submit():
        try:
            kiosk, token = kiosks.redeem(form.code.data, client=request.remote_addr)
        except UserError as error:
            html = page("kiosk/enrol.html", form=form, error=shown(error, form))
            return html, status(error), retry_headers(error)
        response = _nobody_signed_in(redirect(url_for("kiosk.home")))
        flash(
            _("Đã ghi danh kiosk %(name)s tại %(facility)s.", name=kiosk.name, facility=kiosk.facility.name)
        )
        return set_credential(response, token)
    return page("kiosk/enrol.html", form=form, error=None)
