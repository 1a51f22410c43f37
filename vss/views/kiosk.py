"""The hospital counter's kiosk: the scanning page (a USB scanner types the QR, then Enter; the
answer is the verdict, what the registry says and the check-in), and check-ins sent on their own
(a form post — with htmx, answered by the message line alone — or the kiosk's offline queue
sending JSON with the CSRF token in X-CSRFToken, as htmx does).

A scan answers its post with the page (not a redirect): it is a look-up whose only write, the
check-in, is idempotent — the form's key, and one check-in per card per visit — so a repeated
post shows the same answer and records nothing new."""

import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from vss.core.clock import utcnow
from vss.core.errors import UserError
from vss.kiosk import checkins, counter
from vss.kiosk import verdict as verdicts
from vss.views import kiosk_answer as shown_answer
from vss.views.kiosk_auth import kiosk_required
from vss.views.problems import retry_headers, status
from vss.views.render import jpeg, page
from vss.web.forms import CheckInForm

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
OFFLINE_FILES = (
    "css/app.css",
    "css/kiosk.css",
    "js/kiosk.js",
    "js/kiosk-verify.js",
    "js/scanner.js",
    "js/vendor/qr-decode-0.7.0.min.js",
)


def _counter_page(answer=None, code=200):
    """The scanning page, with the answer to a scan when there is one (htmx or the kiosk's
    script: the answer box alone)."""
    context = {"rows": None, "tone": "", "portrait_url": None, "notes": []}
    if answer is not None:
        context.update(shown_answer.shown(answer))
        if answer.portrait and answer.checkin is not None:
            context["portrait_url"] = url_for("kiosk.portrait", checkin_id=answer.checkin.id)
    whole = not request.headers.get("HX-Request")  # the answer box alone needs no script texts
    body = page(
        "kiosk/scan.html",
        block="answer",
        kiosk=g.kiosk,
        labels=shown_answer.labels(),
        texts=shown_answer.texts() if whole else None,
        scan_key=uuid.uuid4().hex,
        **context,
    )
    return body, code


@bp.get("")
@kiosk_required
def home():
    """Quầy tiếp đón: the field the scanner types into, large type."""
    return _counter_page()


@bp.post("/quet")
@kiosk_required
def scan():
    """Check a scanned QR and record the check-in (JavaScript off: the whole page again)."""
    key = request.form.get("key", "")
    if not checkins.KEY.fullmatch(key):
        key = uuid.uuid4().hex
    answer = counter.scan(g.kiosk, request.form.get("qr", ""), key)
    return _counter_page(answer, 422 if answer.verdict["status"] == "unreadable" else 200)


@bp.get("/anh/<int:checkin_id>.jpg")
@kiosk_required
def portrait(checkin_id):
    """The approved dossier's portrait of a patient this kiosk checked in a moment ago."""
    checkin = checkins.recent(g.kiosk, checkin_id)
    content = counter.portrait(checkin) if checkin else None
    if content is None:
        abort(404)
    return jpeg(content)


@bp.get("/phien")
@kiosk_required
def session_token():
    """A CSRF token for the offline queue's sender (the page it came with may be hours old)."""
    return {"csrf": generate_csrf()}


@bp.get("/sw.js")
def worker():
    """The kiosk's service worker: the scanning page and its files, offline."""
    response = make_response(
        render_template(
            "kiosk/sw.js", assets=[current_app.jinja_env.globals["asset"](n) for n in OFFLINE_FILES]
        )
    )
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("kiosk.home")
    return response


def _fields():
    """The posted fields: the form's, or the JSON object's (values that are not text are left out,
    so they read as missing)."""
    if not request.is_json:
        return None
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # JSON nested deeper than Python's parser goes
        body = None
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
            429 if status(error) == 429 else 422,
            retry_headers(error),
        )
    return _said(str(error.message), "error")


def _checked_again(qr, form):
    """A queued check-in with its QR: verified here as a scan made at its time."""
    answer = counter.scan(g.kiosk, qr, form.key.data, form.scanned_time or utcnow(), offline=True)
    if answer.checkin is None:
        raise UserError(answer.refused or verdicts.message("unreadable"), code="refused")
    return answer.checkin, answer.checkin_created


@bp.post("/tiep-nhan")
@kiosk_required
def check_in():
    """Record a check-in (idempotent by its key): JSON in, {"id", "created", "recorded_at"} out;
    a form post goes back to the counter's page with a message."""
    json = request.is_json
    form = CheckInForm(formdata=_fields()) if json else CheckInForm()
    if not form.validate():
        return _answer(UserError(form.first_error or _("Dữ liệu không hợp lệ."), code="invalid"), json)
    qr = (_fields() or {}).get("qr")
    try:
        if qr:  # the kiosk's queue sends what it scanned: VSS gives its own verdict, not the kiosk's
            checkin, created = _checked_again(qr, form)
        else:
            checkin, created = checkins.record(
                g.kiosk,
                card_number=form.card_number.data,
                bhxh_code=form.bhxh_code.data,
                status=checkins.UNVERIFIED,  # no QR: the kiosk's word, not a verdict
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
