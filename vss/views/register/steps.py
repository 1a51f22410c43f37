"""Bước 1–5 of the registration: each view hands its form to one draft function and goes to the
next step, or shows the step again with what the rule said."""

from flask import abort, g, render_template, request

from vss.core.errors import UserError
from vss.core.settings import settings
from vss.dossiers import drafts, photos, prefill
from vss.registry import directory
from vss.views import args, places
from vss.views.errors import MESSAGES as ERROR_MESSAGES
from vss.views.problems import shown
from vss.views.register.base import COOKIE, bp, cookie_draft, goto, render, step_view
from vss.views.render import jpeg
from vss.web.forms import InfoForm, OfficeForm, StartForm, choices
from vss.web.security import no_store


@bp.route("", methods=["GET", "POST"])
@no_store
def start():
    """Bước 1: registrant type (Cá nhân) → Tiếp; starts (or resumes) a draft."""
    form = StartForm()
    if form.validate_on_submit():
        _draft, token = drafts.start(request.cookies.get(COOKIE), form.registrant.data)
        response = goto("thong-tin")
        response.set_cookie(
            COOKIE,
            token,
            max_age=drafts.DRAFT_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            path="/dang-ky",
        )
        return response
    return render("register/start.html", form=form, draft=cookie_draft())


@bp.get("/phuong-xa")
def wards():
    """The ward <option>s of a province (htmx swaps them into the ward list), keeping the ward
    already chosen when it is in that province (a late answer must not undo a choice)."""
    province = args.province("province_code")
    choices = places.ward_choices(province)
    chosen = args.integer("ward_code", default=0)
    selected = chosen if any(c.value == chosen for c in choices) else 0
    return render_template("register/_ward_options.html", choices=choices, selected=selected)


def fill_from_qr(form):
    """Fill what a scanned/pasted QR carries (a chip CCCD's address too, in 2025 units where it
    can be matched); the user checks and completes the rest. Returns what the page says about
    it: the card's address as written, and what became of it."""
    try:
        found = prefill.read_qr(form.qr.data)
    except UserError as error:
        shown(error, form)
        return {}
    for name in ("bhxh_code", "id_number", "full_name", "province_code", "ward_code", "street"):
        if name in found:
            form[name].data = found[name]
    places.fill_address(form)  # the wards of the province the QR named
    form.qr.data = ""
    return {
        "qr_read": True,
        "qr_address": found["address"],
        "address_note": found.get("address_note"),
        "address_matched": found.get("address_matched"),
    }


@bp.route("/thong-tin", methods=["GET", "POST"])
@step_view("thong-tin")
def info():
    """Bước 2: the Mẫu 01 fields."""
    draft = g.draft
    form = InfoForm(data=draft.info if request.method == "GET" else None)
    places.fill_address(form)
    action = request.form.get("action")
    if action == "qr" and not (request.form.get("qr") or "").strip():
        action = None  # Enter in another field: browsers send the form's first button, this one
    context = {"warn_plain": False}
    if request.method == "POST" and action in ("qr", "province"):
        if action == "qr":
            context.update(fill_from_qr(form))
        form.phone_confirmed.data = False
    elif form.validate_on_submit():
        try:
            given = {**form.data, "id_kind": form.id_kind}
            drafts.save_info(draft, given, plain_name_ok=form.plain_name_ok.data, client=request.remote_addr)
        except UserError as error:
            if error.code == "plain_name":  # shown as a warning: sending the same name again confirms it
                context["warn_plain"], form.plain_name_ok.data = True, form.full_name.data
            else:
                context["error"], context["pending"] = shown(error, form), getattr(error, "dossier", None)
                context["lookup_hint"] = error.code == "not_in_registry"
        else:
            return goto("anh")
    return render("register/info.html", form=form, **context)


@bp.route("/anh", methods=["GET", "POST"])
@step_view("anh")
def photos_step():
    """Bước 3: portrait (optional), ID front and back (required)."""
    errors = {}
    if request.method == "POST":
        # The streams, not their bytes: Werkzeug keeps a large file on disk.
        uploads = {kind: file.stream for kind, file in request.files.items() if file.filename}
        try:
            drafts.take_photos(g.draft, uploads)
        except drafts.PhotosRefused as refused:
            errors = refused.errors
        else:
            return goto("co-quan")
    return render("register/photos.html", errors=errors, have=drafts.photo_kinds(g.draft))


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
    response = render(
        "register/photos.html", errors={"": photos.REQUEST_TOO_BIG}, have=drafts.photo_kinds(g.draft)
    )
    if not request.headers.get("HX-Request"):
        response.status_code = 413  # htmx swaps only a 2xx answer; a browser shows any page
    return response


@bp.get("/anh/<kind>.jpg")
@no_store
def photo(kind):
    """A photo of this browser's draft (thumbnails on the review page)."""
    draft = cookie_draft()
    content = drafts.photo_content(draft, kind) if draft else None
    if content is None:
        abort(404)
    return jpeg(content)


@bp.route("/co-quan", methods=["GET", "POST"])
@step_view("co-quan")
def office():
    """Bước 4: receiving office, submission method, channel, commitment (NĐ 166/2016)."""
    draft = g.draft
    form = OfficeForm(data=drafts.office_defaults(draft) if request.method == "GET" else None)
    places.fill_address(form)
    offices = list(directory.Office.in_province(form.province_code.data)) if form.province_code.data else []
    form.office_code.choices = choices([(o.code, o.name) for o in offices])
    if request.method == "POST" and request.form.get("action") == "province":
        form.office_code.data = None
        form.committed.data = False
    elif form.validate_on_submit():
        try:
            drafts.save_office(draft, form.data)
        except UserError as error:
            shown(error, form)
        else:
            return goto("xem-lai")
    return render("register/office.html", form=form, offices=offices)


@bp.get("/co-quan/danh-sach")
def office_options():
    """The offices of a province as radio buttons (htmx swaps them in)."""
    province = args.province("province_code")
    offices = list(directory.Office.in_province(province)) if province else []
    return render_template("register/_office_options.html", offices=offices, selected=None)
