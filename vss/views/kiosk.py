"""The hospital counter's kiosk: its home page, and check-ins (a form post — with htmx, answered
by the message line alone — or the kiosk's offline queue sending JSON with the CSRF token in
X-CSRFToken, as htmx does)."""

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from vss.core.clock import utcnow
from vss.core.errors import UserError
from vss.kiosk import checkins
from vss.views.kiosk_auth import kiosk_required
from vss.views.problems import retry_headers, status
from vss.views.render import page
from vss.web.forms import CheckInForm

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.get("")
@kiosk_required
def home():
    """The counter's page (the scanning page takes its place)."""
    return page("kiosk/home.html", kiosk=g.kiosk)


def _fields():
    """The posted fields: the form's, or the JSON object's (values that are not text are left out,
    so they read as missing)."""
    if not request.is_json:
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return MultiDict()
    flags = {"offline": "1" if body.get("offline") in (True, "1", "true") else ""}
    return MultiDict({k: v for k, v in {**body, **flags}.items() if isinstance(v, str)})


def _said(message, category="message"):
    """The answer to a form post: htmx gets the message line alone, a plain form goes back to the
    counter's page with it."""
    if request.headers.get("HX-Request"):
        return render_template("kiosk/_said.html", message=message, category=category)
    flash(message, category)
    return redirect(url_for("kiosk.home"))


def _answer(error, json):
    if json:
        return (
            jsonify(error=str(error.message), code=error.code),
            429 if status(error) == 429 else 400,
            retry_headers(error),
        )
    return _said(str(error.message), "error")


@bp.post("/tiep-nhan")
@kiosk_required
def check_in():
    """Record a check-in (idempotent by its key): JSON in, {"id", "created", "recorded_at"} out;
    a form post goes back to the counter's page with a message."""
    json = request.is_json
    form = CheckInForm(formdata=_fields()) if json else CheckInForm()
    if not form.validate():
        return _answer(UserError(form.first_error or _("Dữ liệu không hợp lệ."), code="invalid"), json)
    try:
        checkin, created = checkins.record(
            g.kiosk,
            card_number=form.card_number.data,
            bhxh_code=form.bhxh_code.data,
            status=form.status.data,
            scanned_at=form.scanned_time or utcnow(),
            key=form.key.data,
            offline=form.offline.data in ("1", "true"),
        )
    except UserError as error:
        return _answer(error, json)
    if json:
        recorded = checkin.recorded_at.isoformat(timespec="seconds") + "Z"
        return jsonify(id=checkin.id, created=created, recorded_at=recorded), 201 if created else 200
    return _said(_("Đã tiếp nhận.") if created else _("Thẻ này vừa được tiếp nhận."))
