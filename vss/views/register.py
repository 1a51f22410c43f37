"""Đăng ký: the Mẫu 01 registration flow. Each step has its own URL and works without
JavaScript; with htmx only the step is swapped and the URL pushed."""

import functools

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from vss.cards import cardqr
from vss.core.errors import UserError
from vss.dossiers import photos
from vss.dossiers import registration as reg
from vss.registry import directory
from vss.views import args, places
from vss.views.errors import MESSAGES as ERROR_MESSAGES
from vss.views.render import jpeg, page
from vss.web.forms import CodeForm, InfoForm, OfficeForm, StartForm, choices
from vss.web.security import no_store

bp = Blueprint("register", __name__, url_prefix="/dang-ky")
COOKIE = "vss_draft"
STEP_VIEWS = {
    "loai": "register.start",
    "thong-tin": "register.info",
    "anh": "register.photos_step",
    "co-quan": "register.office",
    "xem-lai": "register.review",
    "xac-thuc": "register.verify",
}


def _render(template, **context):
    """A step page, or its `step` block for htmx (pushing the step's URL)."""
    response = make_response(page(template, block="step", **context))
    if request.headers.get("HX-Request"):
        response.headers["HX-Push-Url"] = request.path
    return response


def _goto(step):
    return redirect(url_for(STEP_VIEWS[step]))


def step_view(step):
    """Load the draft from the cookie; send the user to the first incomplete step if they
    jump ahead; the draft is `g.draft`."""

    def decorator(view):
        @functools.wraps(view)
        @no_store
        def wrapper(*args, **kwargs):
            g.draft = reg.draft_for(request.cookies.get(COOKIE))
            if g.draft is None:
                return redirect(url_for("register.start"))
            if g.draft.dossier_id:
                return redirect(url_for("register.done"))
            if not g.draft.may_open(step):
                return _goto(g.draft.first_incomplete())
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _key():
    return current_app.config["OTP_HMAC_KEY"]


def _minutes():
    return current_app.config["OTP_LIFETIME_MINUTES"]


@bp.route("", methods=["GET", "POST"])
@no_store
def start():
    """Bước 1: registrant type (Cá nhân) → Tiếp; starts (or resumes) a draft."""
    form = StartForm()
    if form.validate_on_submit():
        token = request.cookies.get(COOKIE)
        draft = reg.draft_for(token)
        if draft is None or draft.dossier_id:
            draft, token = reg.new_draft()
        reg.save_step(draft, "loai", {"registrant": form.registrant.data})
        response = _goto("thong-tin")
        response.set_cookie(
            COOKIE,
            token,
            max_age=reg.DRAFT_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            path="/dang-ky",
        )
        return response
    draft = reg.draft_for(request.cookies.get(COOKIE))
    return _render("register/start.html", form=form, draft=draft)


@bp.get("/phuong-xa")
def wards():
    """The ward <option>s of a province (htmx swaps them into the ward list)."""
    province = args.province("province_code")
    return render_template("register/_ward_options.html", choices=places.ward_choices(province), selected=0)


def _prefill(form):
    """Fill what a scanned/pasted QR carries; the user checks and completes the rest."""
    try:
        qr = cardqr.parse_any(form.qr.data)
    except cardqr.QrError as error:
        form.qr.errors = [str(error)]
        return
    if isinstance(qr, cardqr.BhytQr):
        form.bhxh_code.data = qr.bhxh_code
    else:
        form.id_number.data = qr.cccd
    form.full_name.data = qr.full_name
    g.qr_address = qr.address
    form.qr.data = ""


@bp.route("/thong-tin", methods=["GET", "POST"])
@step_view("thong-tin")
def info():
    """Bước 2: the Mẫu 01 fields."""
    draft = g.draft
    form = InfoForm(data=draft.info if request.method == "GET" else None)
    places.fill_address(form)
    action = request.form.get("action")
    warn_plain = False
    if request.method == "POST" and action in ("qr", "province"):
        if action == "qr":
            _prefill(form)
        form.phone_confirmed.data = False
    elif form.validate_on_submit():
        from vss.core import validators

        warn_plain = (
            validators.lacks_diacritics(form.full_name.data)
            and form.plain_name_ok.data != form.full_name.data
        )
        if not warn_plain:
            values = {
                name: form[name].data
                for name in (
                    "bhxh_code",
                    "full_name",
                    "id_number",
                    "province_code",
                    "ward_code",
                    "street",
                    "phone",
                    "email",
                )
            }
            values["id_kind"] = form.id_kind
            values["email"] = values["email"] or None
            try:
                reg.check_unique(values["bhxh_code"], values["phone"], values["email"])
            except reg.PendingDossier as pending:
                draft.data = {**draft.data, "pending": pending.dossier.id}
                draft.save()
                form.bhxh_code.errors = [pending.message]
                return _render("register/info.html", form=form, pending=pending.dossier)
            except reg.RegistrationError as error:
                form[error.field].errors = [error.message]
            else:
                reg.save_step(draft, "thong-tin", values)
                return _goto("anh")
        else:
            form.plain_name_ok.data = form.full_name.data
    return _render("register/info.html", form=form, warn_plain=warn_plain, qr_address=g.get("qr_address"))


@bp.route("/anh", methods=["GET", "POST"])
@step_view("anh")
def photos_step():
    """Bước 3: portrait (optional), ID front and back (required)."""
    draft = g.draft
    errors = {}
    if request.method == "POST":
        for kind in reg.PHOTO_KINDS:
            upload = request.files.get(kind)
            if upload is None or upload.filename == "":
                continue
            try:
                # The stream, not its bytes: Werkzeug keeps a large file on disk, and process()
                # reads only the headers, then what the decoder asks for.
                content, size = photos.process(upload.stream)
            except photos.PhotoError as error:
                errors[kind] = str(error)
            else:
                reg.set_photo(draft, kind, content, size)
        have = reg.photo_kinds(draft)
        for kind in ("mat_truoc", "mat_sau"):
            if kind not in have and kind not in errors:
                errors[kind] = "Vui lòng chụp hoặc tải lên ảnh mặt trước và mặt sau giấy tờ."
        if not errors:
            reg.save_step(draft, "anh", {"kinds": sorted(have)})
            return _goto("co-quan")
    return _render("register/photos.html", errors=errors, have=reg.photo_kinds(draft))


@bp.errorhandler(413)
def too_large(error):
    """A request over MAX_CONTENT_LENGTH. On the photo step (a browser without JavaScript sends
    the photos as they are), the step again with the message and the form; elsewhere the
    site's error page."""
    if request.endpoint != "register.photos_step":
        title, message = ERROR_MESSAGES[413]
        return render_template("errors/error.html", title=title, message=message), 413
    return _photos_too_large()


@step_view("anh")
def _photos_too_large():
    # Werkzeug refused the body before reading it (Flask-WTF parses the form for its token
    # before any view), so nothing was received and nothing changes.
    response = _render(
        "register/photos.html", errors={"": str(photos.REQUEST_TOO_BIG)}, have=reg.photo_kinds(g.draft)
    )
    if not request.headers.get("HX-Request"):
        response.status_code = 413  # htmx swaps only a 2xx answer; a browser shows any page
    return response


@bp.get("/anh/<kind>.jpg")
@no_store
def photo(kind):
    """A photo of this browser's draft (thumbnails on the review page)."""
    draft = reg.draft_for(request.cookies.get(COOKIE))
    if draft is None or kind not in reg.PHOTO_KINDS:
        abort(404)
    row = reg.Photo.get_or_none((reg.Photo.draft == draft) & (reg.Photo.kind == kind))
    if row is None:
        abort(404)
    return jpeg(row.content)


@bp.route("/co-quan", methods=["GET", "POST"])
@step_view("co-quan")
def office():
    """Bước 4: receiving office, submission method, channel, commitment (NĐ 166/2016)."""
    draft = g.draft
    saved = draft.office_choice
    if request.method == "GET" and not saved:
        saved = {"province_code": draft.info.get("province_code"), "channel": reg.PORTAL}
    form = OfficeForm(data=saved if request.method == "GET" else None)
    places.fill_address(form)
    offices = list(directory.Office.in_province(form.province_code.data)) if form.province_code.data else []
    form.office_code.choices = choices([(o.code, o.name) for o in offices])
    if request.method == "POST" and request.form.get("action") == "province":
        form.office_code.data = None
        form.committed.data = False
    elif form.validate_on_submit():
        if form.office_code.data not in {o.code for o in offices}:
            form.office_code.errors = ["Vui lòng chọn cơ quan BHXH tiếp nhận."]
        else:
            reg.save_step(
                draft,
                "co-quan",
                {
                    "province_code": form.province_code.data,
                    "office_code": form.office_code.data,
                    "submission_method": form.submission_method.data,
                    "channel": form.channel.data,
                    "ivan_name": form.ivan_name.data if form.channel.data == reg.IVAN else "",
                },
            )
            return _goto("xem-lai")
    return _render("register/office.html", form=form, offices=offices)


@bp.get("/co-quan/danh-sach")
def office_options():
    """The offices of a province as radio buttons (htmx swaps them in)."""
    province = args.province("province_code")
    offices = list(directory.Office.in_province(province)) if province else []
    return render_template("register/_office_options.html", offices=offices, selected=None)


def _summary(draft):
    choice = draft.office_choice
    return {
        "info": draft.info,
        "office": directory.Office.get_or_none(directory.Office.code == choice.get("office_code")),
        "choice": choice,
        "photos": reg.photo_kinds(draft),
        "address": directory.format_address(draft.info.get("street"), draft.info.get("ward_code")),
    }


@bp.route("/xem-lai", methods=["GET", "POST"])
@step_view("xem-lai")
def review():
    """Bước 5: everything on one page with "Sửa" links; "Ghi nhận" sends the code."""
    draft = g.draft
    error = None
    if request.method == "POST":
        try:
            reg.send_code(draft, key=_key(), minutes=_minutes(), client=request.remote_addr)
        except UserError as problem:
            error = problem.message
        else:
            return _goto("xac-thuc")
    return _render("register/review.html", error=error, **_summary(draft))


@bp.route("/xac-thuc", methods=["GET", "POST"])
@step_view("xac-thuc")
def verify():
    """Bước 6: the one-time code; a correct code creates the dossier (once)."""
    draft = g.draft
    form = CodeForm()
    if form.validate_on_submit():
        try:
            reg.submit(draft, form.code.data, key=_key(), token=request.cookies.get(COOKIE))
        except UserError as error:
            form.code.errors = [error.message]
        else:
            return redirect(url_for("register.done"))
    return _render(
        "register/verify.html",
        form=form,
        info=draft.info,
        minutes=_minutes(),
        resent=request.args.get("gui-lai") == "1",
    )


@bp.post("/xac-thuc/gui-lai")
@step_view("xac-thuc")
def resend():
    """Không nhận được mã? Send another (after 60 s; at most 5 an hour)."""
    try:
        waiting = reg.send_code(g.draft, key=_key(), minutes=_minutes(), client=request.remote_addr)
        if waiting:
            raise waiting
    except UserError as error:
        form = CodeForm()
        form.code.errors = [error.message]
        return _render("register/verify.html", form=form, info=g.draft.info, minutes=_minutes(), resent=False)
    return redirect(url_for("register.verify", **{"gui-lai": "1"}))


def _own_dossier():
    token = request.cookies.get(COOKIE)
    draft = reg.draft_for(token)
    if draft is None or not draft.dossier_id:
        abort(404)
    return reg.Dossier.get_by_id(draft.dossier_id)


@bp.get("/hoan-tat")
@no_store
def done():
    """Bước 7: the dossier number, what to do next, the Mẫu 01 PDF."""
    dossier = _own_dossier()
    return _render("register/done.html", dossier=dossier, office=dossier.office)


@bp.get("/hoan-tat/mau-01.pdf")
@no_store
def pdf():
    """The printable Mẫu 01 (rendered once, then served from the database)."""
    from vss.dossiers import mau01

    dossier = _own_dossier()
    if dossier.status == reg.DELETED:
        abort(404)
    response = make_response(mau01.pdf_for(dossier))
    response.mimetype = "application/pdf"
    filename = f"mau-01-{dossier.number.replace('/', '-')}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/huy-ho-so", methods=["GET", "POST"])
@step_view("thong-tin")
def cancel_pending():
    """Cancel one's own pending dossier (code sent to its phone), then start again."""
    draft = g.draft
    dossier = reg.Dossier.get_or_none(reg.Dossier.id == draft.data.get("pending"))
    if dossier is None or dossier.status not in reg.PENDING_STATES:
        return _goto("thong-tin")
    form = CodeForm()
    sent = request.args.get("da-gui") == "1"
    if request.method == "POST" and request.form.get("action") == "send":
        try:
            reg.send_cancel_code(draft, dossier, key=_key(), minutes=_minutes(), client=request.remote_addr)
        except UserError as error:
            form.code.errors = [error.message]
        else:
            return redirect(url_for("register.cancel_pending", **{"da-gui": "1"}))
    elif form.validate_on_submit():
        try:
            reg.cancel_pending(draft, dossier, form.code.data, key=_key())
        except UserError as error:
            form.code.errors = [error.message]
            sent = True
        else:
            return _goto("thong-tin")
    return _render("register/cancel.html", form=form, dossier=dossier, sent=sent)
