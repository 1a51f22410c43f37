"""The desk's start and end: the desk's page (a new sitting, sittings to resume, dossiers opened
here), the review that sends the code, the code the citizen reads out, the result with the way
to decide it at once, and the Mẫu 01 to print for the citizen's signature."""

from flask import abort, g, make_response, redirect, request, url_for

from vss.core.errors import UserError
from vss.dossiers import desk, drafts, mau01, registration, review
from vss.views.desk.base import STEP_VIEWS, bp, goto, own_sitting, render, sitting
from vss.views.problems import shown
from vss.views.render import page
from vss.views.staff_auth import staff_required
from vss.web.forms import CodeForm


@bp.get("")
@staff_required(*desk.ROLES)
def home():
    """The desk: start a sitting, resume one, or print again for a dossier opened here."""
    sittings = [(draft, STEP_VIEWS[desk.first_open(draft)]) for draft in desk.open_sittings(g.staff)]
    return page("staff/desk/home.html", sittings=sittings, recent=desk.recent(g.staff))


@bp.post("")
@staff_required(*desk.ROLES)
def start():
    """'Đăng ký mới': a new sitting at this staff member's office."""
    draft = desk.start(g.staff, ip=request.remote_addr)
    return goto(draft, "thong-tin")


@bp.route("/<int:draft_id>/xem-lai", methods=["GET", "POST"], endpoint="review")
@staff_required(*desk.ROLES)
@sitting("xem-lai")
def review_step(draft_id):
    """Everything declared, for the citizen to check; 'Gửi mã' sends the code to their phone."""
    error = None
    if request.method == "POST":
        try:
            desk.send_code(g.staff, g.draft, ip=request.remote_addr)
        except UserError as problem:
            error = problem.message  # no form here: the page shows it above the summary
        else:
            return goto(g.draft, "xac-thuc")
    summary = drafts.summary(g.draft)
    return render("staff/desk/review.html", draft=g.draft, error=error, **summary)


def _code_page(form, resent=False):
    info = g.draft.info
    minutes = registration.code_minutes()
    return render(
        "staff/desk/verify.html", draft=g.draft, form=form, info=info, minutes=minutes, resent=resent
    )


def _on_code(form, error):
    """Every refusal is shown on the one field the page has."""
    form.code.errors = [error.message]
    return form


@bp.route("/<int:draft_id>/xac-thuc", methods=["GET", "POST"])
@staff_required(*desk.ROLES)
@sitting("xac-thuc")
def verify(draft_id):
    """The code the citizen reads from their phone: the dossier is opened, received (once)."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            desk.submit(g.staff, g.draft, form.code.data, ip=request.remote_addr)
        except UserError as error:
            _on_code(form, error)
        else:
            return redirect(url_for("desk.done", draft_id=draft_id))
    return _code_page(form, resent=request.args.get("gui-lai") == "1")


@bp.post("/<int:draft_id>/xac-thuc/gui-lai")
@staff_required(*desk.ROLES)
@sitting("xac-thuc")
def resend(draft_id):
    """'Gửi lại mã' (after the cool-down; the hourly caps apply)."""
    try:
        desk.send_code(g.staff, g.draft, ip=request.remote_addr, again=True)
    except UserError as error:
        return _code_page(_on_code(CodeForm(), error))
    return redirect(url_for("desk.verify", draft_id=draft_id, **{"gui-lai": "1"}))


@bp.post("/<int:draft_id>/huy")
@staff_required(*desk.ROLES)
def discard(draft_id):
    """'Huỷ phiên': the citizen left; the sitting and its photos are deleted."""
    try:
        desk.discard(g.staff, own_sitting(draft_id), ip=request.remote_addr)
    except UserError as error:
        shown(error)
        return redirect(url_for("desk.done", draft_id=draft_id))
    return redirect(url_for("desk.home"))


def _dossier(draft_id):
    """The sitting and the dossier it became; a sitting not finished goes back to its step."""
    draft = own_sitting(draft_id)
    return draft, desk.dossier_of(draft)


@bp.get("/<int:draft_id>/xong")
@staff_required(*desk.ROLES)
def done(draft_id):
    """The number, received; decide it now (the workspace's review), print the Mẫu 01."""
    draft, dossier = _dossier(draft_id)
    if dossier is None:
        return goto(draft, desk.first_open(draft))
    decidable = dossier.received and review.dossier_for(g.staff, dossier.id) is not None
    identity = desk.identity_of(dossier)
    return render(
        "staff/desk/done.html", draft=draft, dossier=dossier, identity=identity, decidable=decidable
    )


@bp.get("/<int:draft_id>/mau-01.pdf")
@staff_required(*desk.ROLES)
def pdf(draft_id):
    """The Mẫu 01 for the citizen's signature (rendered once, then kept); the print is audited."""
    draft, dossier = _dossier(draft_id)
    if dossier is None:
        return goto(draft, desk.first_open(draft))
    if dossier.status == registration.DELETED:
        abort(404)
    content = mau01.pdf_for(dossier)
    desk.printed(g.staff, dossier, ip=request.remote_addr)
    response = make_response(content)
    response.mimetype = "application/pdf"
    filename = f"mau-01-{dossier.number.replace('/', '-')}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
