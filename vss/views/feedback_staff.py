"""Phản ánh, kiến nghị (staff side): the inbox of the office (filters: department, state,
overdue), an item with its photo and history, assigning it to a member of staff of the
receiving office, and the answer. Scoped like the dossier list; out of scope is a 404. The
rules are in vss.support.feedback_inbox."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from vss.core import audit
from vss.core.errors import UserError
from vss.support import feedback_inbox as inbox
from vss.views.problems import shown
from vss.views.render import jpeg, page
from vss.views.staff_auth import staff_required
from vss.web.forms import choices
from vss.web.forms.feedback import AnswerForm, AssignForm, InboxFilterForm

bp = Blueprint("feedback_staff", __name__, url_prefix="/can-bo/phan-anh")


@bp.get("")
@staff_required()
def inbox_list():
    """The inbox: open items by due day (overdue marked), then answered ones; htmx refreshes the table."""
    form = InboxFilterForm(request.args)
    return page(
        "feedback/inbox.html",
        block="table",
        form=form,
        rows=inbox.search(g.staff, **form.criteria()),
        summary=inbox.counts(g.staff),
    )


def _item(feedback_id):
    item = inbox.item_for(g.staff, feedback_id)
    if item is None:
        abort(404)
    return item


def _detail(item, assign_form=None, answer_form=None):
    assign_form = assign_form or AssignForm(assignee=item.assignee_id)
    assign_form.assignee.choices = choices(
        [(0, _("— Chọn cán bộ —"))]
        + [(s.id, f"{s.full_name} ({s.username})") for s in inbox.colleagues(item)]
    )
    return page(
        "feedback/item.html",
        item=item,
        assign_form=assign_form,
        answer_form=answer_form or AnswerForm(),
        history=list(audit.history("Feedback", item.id)),
    )


@bp.get("/<int:feedback_id>")
@staff_required()
def item(feedback_id):
    """The question, the sender's contact, the photo, the history, assignment and the answer."""
    return _detail(_item(feedback_id))


@bp.get("/<int:feedback_id>/anh.jpg")
@staff_required()
def photo(feedback_id):
    """The photo sent with it (scoped like the item)."""
    found = _item(feedback_id)
    if found.photo is None:
        abort(404)
    return jpeg(found.photo)


@bp.post("/<int:feedback_id>/phan-cong")
@staff_required()
def assign(feedback_id):
    """'Phân công': a member of staff of the receiving office."""
    found = _item(feedback_id)
    form = AssignForm()
    if not form.validate_on_submit():
        return _detail(found, assign_form=form)
    try:
        assignee = inbox.assign(g.staff, found, form.assignee.data, ip=request.remote_addr)
    except UserError as error:
        if error.field:  # not one of the office's staff: on the form
            shown(error, form)
            return _detail(found, assign_form=form)
        shown(error)  # answered meanwhile: said on the item's page
    else:
        flash(_("Đã phân công cho %(name)s.", name=assignee.full_name))
    return redirect(url_for("feedback_staff.item", feedback_id=found.id))


@bp.post("/<int:feedback_id>/tra-loi")
@staff_required()
def answer(feedback_id):
    """'Trả lời': once; sent by SMS (and email) and shown on the status page."""
    found = _item(feedback_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _detail(found, answer_form=form)
    try:
        inbox.answer(g.staff, found, form.answer.data, ip=request.remote_addr)
    except UserError as error:
        shown(error)  # answered meanwhile: said on the item's page
    else:
        flash(_("Đã gửi câu trả lời bằng tin nhắn (và thư điện tử nếu có)."))
    return redirect(url_for("feedback_staff.item", feedback_id=found.id))
