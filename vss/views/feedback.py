"""Phản ánh, kiến nghị (citizen side): the form (anyone; a signed-in citizen skips the code), the
one-time code to the phone, the tracking number, and the status look-up by number + phone.
Every page works without JavaScript; with htmx only the `main` block is swapped. The rules are
in vss.support.feedback; the staff inbox is vss.views.feedback_staff."""

from flask import Blueprint, make_response, redirect, request, session, url_for
from htmx_flask import request as hx_request

from vss.core.errors import UserError
from vss.core.settings import settings
from vss.dossiers import photos
from vss.identity import sessions
from vss.registry import directory
from vss.support import feedback
from vss.views import places
from vss.views.problems import retry_headers, shown, status
from vss.views.render import page
from vss.web.forms import CodeForm
from vss.web.forms.feedback import FeedbackForm, FeedbackLookupForm, prefill
from vss.web.security import no_store

bp = Blueprint("feedback", __name__, url_prefix="/phan-anh-kien-nghi")
COOKIE = "vss_feedback"  # the form key of this browser's last sending


def _account():
    """The signed-in citizen, or None (the form is open to everyone)."""
    row, _why = sessions.citizen_session(session.get("citizen_sid"))
    if row is None or session.get("_user_id") != row.account.get_id():
        return None
    return row.account


def _render(template, code=200, headers=None, **context):
    """A page, or its `main` block for htmx (pushing the URL the browser ended on)."""
    response = make_response(page(template, block="main", **context), code, headers or {})
    if request.headers.get("HX-Request"):
        response.headers["HX-Push-Url"] = request.path
    return response


def _defaults(account):
    """The first view: the text the assistant passed on, a signed-in citizen's address."""
    data = {"noi_dung": prefill(request.args.get("noi_dung"))}
    if account is not None:
        person = account.person
        data.update(province_code=person.province_code, ward_code=person.ward_code)
    return data


def _photo():
    """(the re-encoded photo or None when none was chosen, the refusal's message or None): the
    registration's rules (size cap, types, decompression bombs)."""
    upload = request.files.get("anh")
    if upload is None or not upload.filename:
        return None, None
    try:
        return photos.process(upload.stream)[0], None
    except UserError as error:
        return None, error.message


@bp.route("", methods=["GET", "POST"], endpoint="new")
@no_store
def new_feedback():
    """The form: topic, text, an optional photo, contact (or the account), the office."""
    account = _account()
    form = FeedbackForm(
        signed_in=account is not None, data=_defaults(account) if request.method == "GET" else None
    )
    places.fill_address(form)
    province = form.province_code.data
    offices = list(directory.Office.in_province(province)) if province else []
    context = {"form": form, "offices": offices, "account": account, "photo_error": None}
    if request.method == "POST" and request.form.get("action") == "province":
        form.office_code.data = None  # no JavaScript: the province's offices and wards, then the rest
    elif form.validate_on_submit():
        photo, context["photo_error"] = _photo()
        if context["photo_error"] is None:
            try:
                row = feedback.send(
                    form.given(), key=form.khoa.data, photo=photo, account=account, client=request.remote_addr
                )
            except UserError as error:
                context["error"] = shown(error, form)
                code = 200 if hx_request.htmx else status(error)  # htmx swaps no 4xx answer
                return _render("feedback/new.html", code, retry_headers(error), **context)
            return _sent_to(row, form.khoa.data)
    return _render("feedback/new.html", **context)


def _sent_to(row, key):
    """To the code (or, confirmed, the number); the browser keeps the form key in its cookie."""
    waiting = row.state == feedback.UNCONFIRMED
    response = redirect(url_for("feedback.verify" if waiting else "feedback.sent"))
    response.set_cookie(
        COOKIE,
        key,
        max_age=30 * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=bp.url_prefix,
    )
    return response


def _mine():
    return feedback.by_key(request.cookies.get(COOKIE))


@bp.route("/xac-thuc", methods=["GET", "POST"])
@no_store
def verify():
    """The code sent to the phone; a right code confirms the feedback (once)."""
    row = _mine()
    if row is None:
        return redirect(url_for("feedback.new"))
    if row.state != feedback.UNCONFIRMED:
        return redirect(url_for("feedback.sent"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            feedback.confirm(row, form.code.data)
        except UserError as error:
            form.code.errors = [error.message]
        else:
            return redirect(url_for("feedback.sent"))
    resent = request.args.get("gui-lai") == "1"
    return _render(
        "feedback/verify.html", form=form, row=row, minutes=settings.OTP_LIFETIME_MINUTES, resent=resent
    )


@bp.post("/xac-thuc/gui-lai")
@no_store
def resend():
    """Không nhận được mã? Another code (after the cool-down; at most 5 an hour)."""
    row = _mine()
    if row is None:
        return redirect(url_for("feedback.new"))
    try:
        feedback.resend_code(row, client=request.remote_addr)
    except UserError as error:
        form = CodeForm()
        form.code.errors = [error.message]
        return _render("feedback/verify.html", form=form, row=row, minutes=settings.OTP_LIFETIME_MINUTES)
    return redirect(url_for("feedback.verify", **{"gui-lai": "1"}))


@bp.get("/da-gui")
@no_store
def sent():
    """The tracking number, the office, the department and the due day."""
    row = _mine()
    if row is None or row.state == feedback.UNCONFIRMED:
        return redirect(url_for("feedback.new"))
    return _render("feedback/sent.html", row=row)


@bp.route("/tra-cuu", methods=["GET", "POST"])
@no_store
def lookup():
    """Tra cứu: number + phone → the state and the answer. A POST keeps the phone out of URLs;
    nothing changes, so no redirect."""
    form = FeedbackLookupForm()
    row, searched, code, headers = None, request.method == "POST", 200, {}
    if searched and form.validate():
        try:
            row = feedback.lookup(form.so.data, form.dien_thoai.data, client=request.remote_addr)
        except UserError as error:
            shown(error, form)
            code = 200 if hx_request.htmx else status(error)
            headers = retry_headers(error)
    return make_response(
        page(
            "feedback/lookup.html", block="results", form=form, row=row, searched=searched and not form.errors
        ),
        code,
        headers,
    )
