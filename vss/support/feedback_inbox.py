"""The staff side of phản ánh, kiến nghị: the inbox of an office (a reviewer sees their office's,
a supervisor or an admin their province's — the rule of the dossier list), filtered by
department, state and overdue; assigning to a member of staff of the receiving office; the
answer, sent by SMS (and email when given) and shown on the status page. Every action is one
transaction with its audit row; out of scope is indistinguishable from missing."""

from flask_babel import lazy_gettext as _l
from peewee import JOIN, Case, fn

from vss.core import audit
from vss.core.clock import utcnow, vn_today
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.messages import notify
from vss.support.feedback import (
    ANSWERED,
    ASSIGNED,
    DEPARTMENT_LABELS,
    NEW,
    OPEN_STATES,
    STATE_LABELS,
    UNCONFIRMED,
    Feedback,
)

PAGE_SIZE = 100
LISTED = [f for f in Feedback._meta.sorted_fields if f.name != "photo"]  # the list never shows a photo
SMS_ANSWER_CHARS = 300  # the SMS carries the answer's start; the email and the status page all of it
ALREADY_ANSWERED = _l("Phản ánh này đã được trả lời. Không thể thay đổi.")
CHOOSE_ASSIGNEE = _l("Vui lòng chọn cán bộ của cơ quan tiếp nhận.")
ANSWER_NEEDED = _l("Vui lòng nhập nội dung trả lời.")


def scoped(staff):
    """What this member of staff may see: confirmed feedback of their office (a reviewer) or of
    their province (others)."""
    if staff.role == StaffUser.REVIEWER:
        where = Feedback.office == staff.office_id
    else:
        where = Feedback.office_province == staff.office.province_code
    return where & (Feedback.state != UNCONFIRMED)


def item_for(staff, feedback_id):
    """A feedback in scope, or None."""
    return Feedback.select().where(scoped(staff) & (Feedback.id == feedback_id)).first()


def search(staff, *, department=None, state=None, overdue=False, limit=PAGE_SIZE):
    """The inbox: open items first by due day, then answered ones, newest first."""
    where = scoped(staff)
    if department in DEPARTMENT_LABELS:
        where &= Feedback.department == department
    if state in STATE_LABELS and state != UNCONFIRMED:
        where &= Feedback.state == state
    if overdue:
        where &= Feedback.state.in_(OPEN_STATES) & (Feedback.due_on < vn_today())
    answered = Case(None, ((Feedback.state == ANSWERED, 1),), 0)
    return list(
        Feedback.select(*LISTED, StaffUser.full_name.alias("assignee_name"))
        .join(StaffUser, on=(Feedback.assignee == StaffUser.id), join_type=JOIN.LEFT_OUTER)
        .where(where)
        .order_by(answered, Feedback.due_on, Feedback.id.desc())
        .limit(limit)
        .objects()
    )


def counts(staff):
    """Open, answered and overdue counts of the inbox."""
    by_state = dict(
        Feedback.select(Feedback.state, fn.COUNT(Feedback.id))
        .where(scoped(staff))
        .group_by(Feedback.state)
        .tuples()
    )
    overdue = (
        Feedback.select()
        .where(scoped(staff) & Feedback.state.in_(OPEN_STATES) & (Feedback.due_on < vn_today()))
        .count()
    )
    return {"states": {s: by_state.get(s, 0) for s in (NEW, ASSIGNED, ANSWERED)}, "overdue": overdue}


def colleagues(item):
    """Who may be assigned: active staff of the receiving office (it owns the answer)."""
    return list(
        StaffUser.select()
        .where((StaffUser.office == item.office_id) & (StaffUser.active == True))  # noqa: E712
        .order_by(StaffUser.full_name, StaffUser.id)
    )


def _actor(staff):
    return {
        "actor_kind": "staff",
        "actor_id": staff.id,
        "actor_label": f"{staff.office.code}/{staff.username}",
    }


def assign(staff, item, assignee_id, ip=""):
    """Give an open item to a member of staff of its office (again to another, until answered)."""
    assignee = next((s for s in colleagues(item) if s.id == assignee_id), None)
    if assignee is None:
        raise UserError(CHOOSE_ASSIGNEE, field="assignee", code="assignee")
    with transaction():
        changed = (
            Feedback.update(assignee=assignee.id, state=ASSIGNED)
            .where((Feedback.id == item.id) & Feedback.state.in_(OPEN_STATES))
            .execute()
        )
        if not changed:
            raise UserError(ALREADY_ANSWERED, code="answered")
        audit.record(
            "feedback.assign",
            obj=item,
            ip=ip,
            detail={"assignee": f"{item.office.code}/{assignee.username}"},
            **_actor(staff),
        )
    return assignee


def answer(staff, item, text, ip=""):
    """The answer: once (a second click or another member of staff changes nothing); the SMS
    and the email after commit."""
    text = (text or "").strip()
    if not text:
        raise UserError(ANSWER_NEEDED, field="answer", code="answer")
    with transaction():
        now = utcnow()
        changed = (
            Feedback.update(answer=text, answered_at=now, answered_by=staff.id, state=ANSWERED)
            .where((Feedback.id == item.id) & Feedback.state.in_(OPEN_STATES))
            .execute()
        )
        if not changed:
            raise UserError(ALREADY_ANSWERED, code="answered")
        audit.record("feedback.answer", obj=item, ip=ip, detail={"chars": len(text)}, **_actor(staff))
        short = text if len(text) <= SMS_ANSWER_CHARS else text[: SMS_ANSWER_CHARS - 3].rstrip() + "..."
        office = item.office.name
        notify.sms(item.phone, "feedback_answered", number=item.number, office=office, answer=short)
        if item.email:
            notify.email(item.email, "feedback_answered", number=item.number, office=office, answer=text)
