"""The desk's steps before the code: the Mẫu 01 fields, the photos, the identity declaration.
Each view hands its form to one desk function and goes to the next step, or shows the step again
with what the rule said."""

from flask import abort, g, request

from vss.core.errors import UserError
from vss.dossiers import desk, drafts, review
from vss.dossiers.dossiers import PHOTO_KINDS
from vss.views import places
from vss.views.desk.base import bp, goto, own_sitting, render, sitting
from vss.views.problems import shown
from vss.views.register.steps import fill_from_qr
from vss.views.render import jpeg
from vss.views.staff_auth import staff_required
from vss.web.forms import DeskInfoForm, IdentityForm


@bp.route("/<int:draft_id>/thong-tin", methods=["GET", "POST"])
@staff_required(*desk.ROLES)
@sitting("thong-tin")
def info(draft_id):
    """The Mẫu 01 fields (the citizen's form and checks); the CCCD chip's or the BHYT card's QR
    fills what it carries (a USB scanner types it into the QR field)."""
    draft = g.draft
    form = DeskInfoForm(data=draft.info if request.method == "GET" else None)
    places.fill_address(form)
    action = request.form.get("action")
    context = {"warn_plain": False, "qr_address": None, "error": None, "pending": None}
    if request.method == "POST" and action in ("qr", "province"):
        if action == "qr":
            context.update(fill_from_qr(form))
    elif form.validate_on_submit():
        try:
            given = {**form.data, "id_kind": form.id_kind}
            desk.save_info(
                g.staff, draft, given, plain_name_ok=form.plain_name_ok.data, ip=request.remote_addr
            )
        except UserError as error:
            if error.code == "plain_name":  # a warning: the same name sent again confirms it
                context["warn_plain"], form.plain_name_ok.data = True, form.full_name.data
            else:
                context["error"] = shown(error, form)
                context["lookup_hint"] = error.code == "not_in_registry"
                pending = getattr(error, "dossier", None)  # this code's dossier waiting at an office
                context["pending"] = pending and review.dossier_for(g.staff, pending.id)
        else:
            return goto(draft, "anh")
    return render("staff/desk/info.html", form=form, draft=draft, **context)


def _uploads():
    """{kind: stream} of the photos sent: the camera's field first, else the file's."""
    uploads = {}
    for kind in PHOTO_KINDS:
        for name in (kind, f"{kind}_tep"):
            file = request.files.get(name)
            if file and file.filename and kind not in uploads:
                uploads[kind] = file.stream  # the stream: Werkzeug keeps a large file on disk
    return uploads


@bp.route("/<int:draft_id>/anh", methods=["GET", "POST"])
@staff_required(*desk.ROLES)
@sitting("anh")
def photos_step(draft_id):
    """Portrait, ID front and back from the tablet's camera (or a file); shrunk as the citizen's."""
    errors = {}
    if request.method == "POST":
        try:
            desk.take_photos(g.staff, g.draft, _uploads(), ip=request.remote_addr)
        except drafts.PhotosRefused as refused:
            errors = refused.errors
        else:
            return goto(g.draft, "xac-minh")
    return render("staff/desk/photos.html", draft=g.draft, errors=errors, have=drafts.photo_kinds(g.draft))


@bp.get("/<int:draft_id>/anh/<kind>.jpg")
@staff_required(*desk.ROLES)
def photo(draft_id, kind):
    """A photo of this staff member's sitting (thumbnails)."""
    content = drafts.photo_content(own_sitting(draft_id), kind)
    if content is None:
        abort(404)
    return jpeg(content)


@bp.route("/<int:draft_id>/xac-minh", methods=["GET", "POST"])
@staff_required(*desk.ROLES)
@sitting("xac-minh")
def identity(draft_id):
    """Xác minh nhân thân: which document was seen, its number, the face — the staff member's
    declaration, recorded with their name and the time."""
    draft = g.draft
    form = IdentityForm(data={"document": draft.info.get("id_kind")} if request.method == "GET" else None)
    error = None
    if form.validate_on_submit():
        try:
            desk.declare_identity(
                g.staff,
                draft,
                form.document.data,
                number_matches=form.number_matches.data,
                face_matches=form.face_matches.data,
                ip=request.remote_addr,
            )
        except UserError as problem:
            error = shown(problem, form)
        else:
            return goto(draft, "xem-lai")
    photos = drafts.photo_kinds(draft)
    return render("staff/desk/identity.html", form=form, draft=draft, error=error, photos=photos)
