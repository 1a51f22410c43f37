"""Staff workspace: "Hồ sơ ĐK GDĐT" → "Cá nhân" (list, search, detail, receive, decide) and
"Cập nhật thông tin" (change requests). Every query is scoped; out of scope is a 404."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from vss.core import audit
from vss.core.errors import UserError
from vss.dossiers import desk, review
from vss.dossiers.drafts import photo_content, photo_kinds
from vss.identity.accounts import StaffUser
from vss.requests import changes
from vss.views import args as query
from vss.views.problems import shown
from vss.views.render import jpeg, page
from vss.views.staff_auth import landing, staff_required
from vss.web.forms import ChangeDecisionForm, DecisionForm, DossierFilterForm

bp = Blueprint("staff", __name__, url_prefix="/can-bo")


@bp.get("/")
@staff_required(*StaffUser.ROLES)
def home():
    """The workspace opens on the dossier list (an editor's on the news desk)."""
    return redirect(landing(g.staff))


@bp.get("/ho-so")
@staff_required()
def dossiers():
    """The list: newest first, 50 a page (keyset), filters kept in the URL; htmx refreshes the table."""
    form = DossierFilterForm(request.args)
    wanted = form.criteria()
    rows, next_cursor = review.search(
        g.staff,
        number=wanted["so"],
        bhxh_code=wanted["ma"],
        date_from=wanted["tu"],
        date_to=wanted["den"],
        status=wanted["tinh_trang"],
        evaluation=wanted["trang_thai"],
        before=query.cursor(),
    )
    args = {k: v for k, v in request.args.items() if v and k != "truoc"}
    next_url = (
        url_for("staff.dossiers", **args, truoc=query.cursor_text(next_cursor)) if next_cursor else None
    )
    return page(
        "staff/dossiers.html",
        block="table",
        form=form,
        rows=rows,
        next_url=next_url,
        first_url=url_for("staff.dossiers", **args) if request.args.get("truoc") else None,
        summary=review.dashboard(g.staff),
    )


def _dossier(dossier_id):
    dossier = review.dossier_for(g.staff, dossier_id)
    if dossier is None:
        abort(404)
    return dossier


def _detail(item, form):
    return page(
        "staff/dossier.html",
        dossier=item,
        form=form,
        check=review.registry_check(item),
        history=list(audit.history("Dossier", item.id)),
        photos=photo_kinds(item),
        identity=desk.identity_of(item),
    )


@bp.get("/ho-so/<int:dossier_id>")
@staff_required()
def dossier(dossier_id):
    """All Mẫu 01 fields, photos, the registry panel, history, and the actions."""
    return _detail(_dossier(dossier_id), DecisionForm())


@bp.get("/ho-so/<int:dossier_id>/anh/<kind>.jpg")
@staff_required()
def photo(dossier_id, kind):
    """A dossier photo, full size (scoped like the dossier)."""
    content = photo_content(_dossier(dossier_id), kind)
    if content is None:
        abort(404)
    return jpeg(content)


@bp.post("/ho-so/<int:dossier_id>/tiep-nhan")
@staff_required()
def receive(dossier_id):
    """'Tiếp nhận': the paper form (and the ID) have been presented."""
    item = _dossier(dossier_id)
    try:
        review.receive(g.staff, item, ip=request.remote_addr)
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã tiếp nhận hồ sơ %(number)s.", number=item.number))
    return redirect(url_for("staff.dossier", dossier_id=item.id))


@bp.post("/ho-so/<int:dossier_id>/danh-gia")
@staff_required()
def evaluate(dossier_id):
    """'Đánh giá hồ sơ' → 'Ghi nhận': show the confirmation before anything changes."""
    item = _dossier(dossier_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _detail(item, form)
    return page("staff/confirm.html", dossier=item, form=form, check=review.registry_check(item))


@bp.post("/ho-so/<int:dossier_id>/danh-gia/xac-nhan")
@staff_required()
def decide(dossier_id):
    """'Xác nhận': one transaction, one outcome, the SMS after commit."""
    item = _dossier(dossier_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.dossier", dossier_id=item.id))
    try:
        outcome, _password = review.decide(
            g.staff, item, form.evaluation.data, form.reason.data, ip=request.remote_addr
        )
    except UserError as error:  # decided by someone else, or the phone/email taken meanwhile
        shown(error)
        return redirect(url_for("staff.dossier", dossier_id=item.id))
    message, warning = review.OUTCOMES[outcome]
    flash(str(message), "error" if warning else "message")
    return redirect(url_for("staff.dossier", dossier_id=item.id))


# --- "Cập nhật thông tin" -----------------------------------------------------------------


@bp.get("/cap-nhat", endpoint="changes")
@staff_required()
def change_list():
    """Change requests in scope (like dossiers: a reviewer's office, else the province),
    pending first."""
    return page("staff/changes.html", rows=list(changes.change_requests(g.staff).limit(200)))


def _change(change_id):
    change = changes.change_request_for(g.staff, change_id)
    if change is None:
        abort(404)
    return change


@bp.route("/cap-nhat/<int:change_id>", methods=["GET", "POST"])
@staff_required()
def change(change_id):
    """Old and new values and the history; 'Ghi nhận' (apply, or reject with a reason) shows
    the confirmation before anything changes."""
    item = _change(change_id)
    form = ChangeDecisionForm()
    confirming = request.method == "POST" and form.validate_on_submit()
    return page(
        "staff/change.html",
        change=item,
        form=form,
        confirming=confirming,
        history=list(audit.history("ChangeRequest", item.id)),
    )


@bp.post("/cap-nhat/<int:change_id>/xac-nhan")
@staff_required()
def decide_change(change_id):
    """'Xác nhận': one transaction, one outcome; the messages after commit."""
    item = _change(change_id)
    form = ChangeDecisionForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.change", change_id=item.id))
    rejecting = form.rejecting
    try:
        if rejecting:
            changes.reject(g.staff, item, form.reason.data, ip=request.remote_addr)
        else:
            changes.apply(g.staff, item, ip=request.remote_addr)
    except UserError as error:
        shown(error)
    else:
        flash(
            _("Đã từ chối yêu cầu. Đã gửi tin nhắn thông báo kèm lý do.")
            if rejecting
            else _("Cập nhật thông tin thành công.")
        )
    return redirect(url_for("staff.change", change_id=item.id))
