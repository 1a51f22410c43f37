"""Staff review of registration dossiers ("Hồ sơ ĐK GDĐT" → "Cá nhân"): the scoped list with
keyset pagination, the registry check, receiving and the decision. Change requests are in
vss.requests.changes (scoped by the same rule, `scoped`)."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from vss.core import audit
from vss.core.clock import VN, utcnow
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.dossiers.dossiers import (
    APPROVED,
    DELETED,
    INVALID,
    NO_CODE_GUIDANCE,
    RECEIVED,
    VALID,
    WAITING,
    Dossier,
    as_stored,
)
from vss.identity import contacts
from vss.identity.accounts import Account, StaffUser, hash_password
from vss.identity.passwords import temporary_password
from vss.messages import notify
from vss.registry.names import name_key  # the look-up's and registration's rule too
from vss.registry.registry import Person

PAGE_SIZE = 50
ALREADY_RECEIVED = _l("Hồ sơ này đã được tiếp nhận hoặc xử lý trước đó.")
CHOOSE_EVALUATION = _l("Vui lòng chọn đánh giá hồ sơ.")
REASON_NEEDED = _l("Vui lòng nhập lý do hồ sơ không hợp lệ.")
NOT_RECEIVED = _l("Hồ sơ chưa được tiếp nhận. Hãy bấm “Tiếp nhận” khi nhận được tờ khai giấy.")
DECIDED_MEANWHILE = _l("Hồ sơ này vừa được cán bộ khác xử lý. Kết quả không thay đổi.")
# What the reviewer is told of each outcome of `decide`, and whether it is a warning.
OUTCOMES = {
    "approved": (
        _l("Cập nhật thành công: hồ sơ hợp lệ, tài khoản đã được cấp và mật khẩu đã gửi bằng tin nhắn."),
        False,
    ),
    "not_in_registry": (
        _l(
            "Hồ sơ chưa được duyệt: mã số BHXH hoặc họ tên không khớp với cơ sở dữ liệu. "
            "Đã gửi tin nhắn hướng dẫn kê khai cấp mã số BHXH."
        ),
        True,
    ),
    "invalid": (_l("Từ chối duyệt thành công. Đã gửi tin nhắn thông báo kèm lý do."), False),
}


# --- the list -----------------------------------------------------------------------------


def scoped(staff, model=Dossier):
    """What this member of staff may see of `model` (a dossier, or anything else an office
    handles with `office` and `office_province` columns): a reviewer their office's, others
    their province's."""
    if staff.role == StaffUser.REVIEWER:
        return model.office == staff.office_id
    return model.office_province == staff.office.province_code


def dossier_for(staff, dossier_id):
    """A dossier in scope, or None (out of scope is indistinguishable from missing)."""
    return Dossier.select().where(scoped(staff) & (Dossier.id == dossier_id)).first()


def _vn_day_start(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=VN).astimezone(dt.UTC).replace(tzinfo=None)


def search(
    staff,
    *,
    number=None,
    bhxh_code=None,
    date_from=None,
    date_to=None,
    status=None,
    evaluation=None,
    before=None,
    limit=PAGE_SIZE,
):
    """Newest first, `limit` rows after the keyset cursor `before` = (submitted_at, id);
    returns (rows, next_cursor or None). No OFFSET: every page costs the same."""
    where = scoped(staff)
    if number:
        where &= Dossier.number == number.strip().upper()
    if bhxh_code:
        where &= Dossier.bhxh_code == bhxh_code.strip()
    if date_from:
        where &= Dossier.submitted_at >= _vn_day_start(date_from)
    if date_to:
        where &= Dossier.submitted_at < _vn_day_start(date_to + dt.timedelta(days=1))
    if status:
        where &= Dossier.status == status
    if evaluation:
        where &= Dossier.evaluation == evaluation
    if before:
        at, last_id = before
        where &= (Dossier.submitted_at < at) | ((Dossier.submitted_at == at) & (Dossier.id < last_id))
    rows = list(
        Dossier.select(Dossier, StaffUser.full_name.alias("reviewer_name"))
        .join(StaffUser, JOIN.LEFT_OUTER, on=(Dossier.reviewer_id == StaffUser.id))
        .where(where)
        .order_by(Dossier.submitted_at.desc(), Dossier.id.desc())
        .limit(limit + 1)
        .objects()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, ((rows[-1].submitted_at, rows[-1].id) if more else None)


def dashboard(staff, today=None):
    """Counts per processing state, and dossiers waiting more than 3 working days."""
    counts = dict(
        Dossier.select(Dossier.status, fn.COUNT(Dossier.id))
        .where(scoped(staff))
        .group_by(Dossier.status)
        .tuples()
    )
    cutoff = _working_days_ago(3, today)
    overdue = (
        Dossier.select()
        .where(scoped(staff) & Dossier.status.in_([WAITING, RECEIVED]) & (Dossier.submitted_at < cutoff))
        .count()
    )
    return {
        "counts": {s: counts.get(s, 0) for s in (WAITING, RECEIVED, APPROVED, DELETED)},
        "overdue": overdue,
    }


def _working_days_ago(days, today=None):
    """Start (UTC) of the day `days` working days (Mon–Fri) before today, Vietnam time."""
    day = today or utcnow().replace(tzinfo=dt.UTC).astimezone(VN).date()
    while days:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return _vn_day_start(day)


# --- the registry check -------------------------------------------------------------------


def registry_check(dossier):
    """What the registry says about the declared BHXH code and name."""
    person = Person.by_code(dossier.bhxh_code)
    return {
        "person": person,
        "exists": person is not None,
        "name_matches": person is not None and name_key(person.full_name) == name_key(dossier.full_name),
        "id_matches": person is not None and person.cccd == dossier.id_number,
    }


# --- actions ------------------------------------------------------------------------------


def actor(staff):
    """The audit columns of a staff action."""
    return {
        "actor_kind": "staff",
        "actor_id": staff.id,
        "actor_label": f"{staff.office.code}/{staff.username}",
    }


def receive(staff, dossier, ip=""):
    """'Tiếp nhận': the signed paper form has arrived (UserError if it already had)."""
    with transaction():
        changed = (
            Dossier.update(status=RECEIVED, received_at=utcnow(), reviewer_id=staff.id)
            .where((Dossier.id == dossier.id) & (Dossier.status == WAITING))
            .execute()
        )
        if not changed:
            raise UserError(ALREADY_RECEIVED, code="already_received")
        audit.record("dossier.receive", obj=dossier, ip=ip, **actor(staff))


def decide(staff, dossier, evaluation, reason="", ip=""):
    """'Đánh giá hồ sơ' → 'Ghi nhận': exactly one outcome, however many clicks or reviewers.
    Returns (outcome, temporary password or None); outcome is 'approved', 'not_in_registry'
    or 'invalid'. An approval whose phone or email has meanwhile gone to another BHXH code
    (an applied change request) raises contacts.ContactTaken and changes nothing."""
    if evaluation not in (VALID, INVALID):
        raise UserError(CHOOSE_EVALUATION, field="evaluation", code="evaluation")
    reason = (reason or "").strip()
    if evaluation == INVALID and not reason:
        raise UserError(REASON_NEEDED, field="reason", code="reason")
    check = registry_check(dossier)
    if evaluation == VALID and not (check["exists"] and check["name_matches"]):
        outcome, stored, reason = "not_in_registry", INVALID, as_stored(NO_CODE_GUIDANCE)
    else:
        outcome, stored = ("approved" if evaluation == VALID else "invalid"), evaluation
    password = None
    with contacts.guarded(), transaction():
        changed = (
            Dossier.update(
                status=APPROVED,
                evaluation=stored,
                reason=reason,
                decided_at=utcnow(),
                reviewer_id=staff.id,
                pending_bhxh=None,
                pending_phone=None,
                pending_email=None,
            )
            .where((Dossier.id == dossier.id) & (Dossier.status == RECEIVED))
            .execute()
        )
        if not changed:
            fresh = Dossier.get_by_id(dossier.id)
            if fresh.status == WAITING:
                raise UserError(NOT_RECEIVED, code="not_received")
            raise UserError(DECIDED_MEANWHILE, code="decided")
        if outcome == "approved":
            contacts.check(dossier.bhxh_code, phone=dossier.phone, email=dossier.email)
            password = temporary_password()
            Account.create(
                person=check["person"],
                username=dossier.bhxh_code,
                password_hash=hash_password(password),
                phone=dossier.phone,
                email=dossier.email,
                must_change_password=True,
            )
            notify.sms(
                dossier.phone,
                "account_created",
                person=check["person"],
                username=dossier.bhxh_code,
                password=notify.Secret(password),
            )
            if dossier.email:
                notify.email(
                    dossier.email,
                    "account_created",
                    person=check["person"],
                    username=dossier.bhxh_code,
                    password=notify.Secret(password),
                    name=dossier.full_name,
                )
        elif outcome == "not_in_registry":
            notify.sms(dossier.phone, "dossier_no_code", number=dossier.number)
        else:
            notify.sms(dossier.phone, "dossier_rejected", number=dossier.number, reason=reason)
        audit.record(
            f"dossier.{outcome}",
            obj=dossier,
            ip=ip,
            detail={"evaluation": evaluation, "reason": reason},
            **actor(staff),
        )
    return outcome, password
