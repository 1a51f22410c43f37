"""Change requests ("Cập nhật thông tin"): a citizen asks to change their phone, email or
address; staff of one office apply it or reject it with a reason.

- The citizen types their password again; a new phone or email is then proved by a one-time
  code sent to it, and only then is the request filed (an address needs no code).
- A request goes to the office that received the person's approved registration dossier (it
  holds their e-transaction registration), else to their province's office, and is stored
  with it: staff see requests exactly as they see dossiers (`review.scoped`).
- One pending request per person and field: a newer one replaces it.
- Applying or rejecting is one conditional UPDATE: one outcome, however many clicks or staff.
  Applying re-checks that a new phone or email is free (vss.identity.contacts) in the same transaction,
  and a new address reissues the card QR there too, so the old QR is revoked at once."""

from flask_babel import lazy_gettext as _l
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from vss.cards import cards
from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import BaseModel, FixedQuery, JSONField, serialize, transaction
from vss.core.errors import UserError
from vss.dossiers import review
from vss.dossiers.dossiers import APPROVED, Dossier
from vss.identity import contacts, otp
from vss.identity.accounts import Account
from vss.messages import notify
from vss.registry.directory import Office, ward_province
from vss.registry.registry import HealthCard, Person

PURPOSE = "contact-change"
PHONE, EMAIL, ADDRESS = "phone", "email", "address"
# Plain text: they travel in SMS and email parameters (the templates unaccent them).
FIELD_LABELS = {PHONE: "Số điện thoại", EMAIL: "Địa chỉ thư điện tử", ADDRESS: "Địa chỉ liên hệ"}
PENDING, APPLIED, REJECTED, REPLACED = "cho_xu_ly", "da_cap_nhat", "tu_choi", "da_thay_the"
STATUS_LABELS = {
    PENDING: _l("Chờ xử lý"),
    APPLIED: _l("Đã cập nhật"),
    REJECTED: _l("Không được chấp nhận"),
    REPLACED: _l("Đã thay bằng yêu cầu mới"),
}

ALREADY_DECIDED = _l("Yêu cầu này vừa được cán bộ khác xử lý. Kết quả không thay đổi.")
NEED_REASON = _l("Vui lòng nhập lý do từ chối.")


class ChangeRequest(BaseModel):
    """A citizen's request to change phone, email or address, applied after staff confirm."""

    account = ForeignKeyField(Account, on_delete="CASCADE")
    # The office that handles it (office_for); None only when the directory has no office in
    # the person's province, and then the province's supervisors see it.
    office = ForeignKeyField(Office, null=True, on_delete="RESTRICT", index=False)
    office_province = IntegerField()
    field = CharField(max_length=8)
    old_value = JSONField(null=True)  # e.g. no email before
    new_value = JSONField()
    status = CharField(max_length=12, default=PENDING)
    created_at = DateTimeField(default=utcnow, index=True)
    decided_at = DateTimeField(null=True)
    decided_by = IntegerField(null=True)
    reason = TextField(default="")  # why staff rejected it (sent to the citizen)
    # "<account id>:<field>" while pending, else NULL: the unique index keeps one pending
    # request per person and field (NULLs don't clash).
    pending_key = CharField(max_length=24, null=True, unique=True)

    class Meta:
        # The staff list, pending first, newest first, within an office or a province.
        indexes = (
            (("office", "status", "created_at"), False),
            (("office_province", "status", "created_at"), False),
        )

    @property
    def pending(self):
        """Waiting for staff to apply or reject it."""
        return self.status == PENDING

    @property
    def about_address(self):
        """The request changes the address (a street and a ward, not one string)."""
        return self.field == ADDRESS

    @property
    def status_label(self):
        """Trạng thái, in the reader's language."""
        return STATUS_LABELS.get(self.status, self.status)


MODELS = [ChangeRequest]


# --- where a request goes, who sees it ----------------------------------------------------


def office_for(person):
    """The office that received the person's approved registration dossier (the latest), else
    their province's office, else None."""
    received = (
        Office.select()
        .join(Dossier, on=(Dossier.office == Office.id))
        .where(
            (Dossier.bhxh_code == person.bhxh_code)
            & (Dossier.status == APPROVED)
            & (Dossier.evaluation == review.VALID)
        )
        .order_by(Dossier.decided_at.desc(), Dossier.id.desc())
        .first()
    )
    return received or (
        Office.select()
        .where((Office.kind == Office.PROVINCE) & (Office.province_code == person.province_code))
        .order_by(Office.id)
        .first()
    )


def change_requests(staff):
    """Requests in the staff member's scope, pending first, newest first."""
    return (
        ChangeRequest.select(ChangeRequest, Account)
        .join(Account)
        .where(review.scoped(staff, ChangeRequest))
        .order_by(ChangeRequest.status, ChangeRequest.created_at.desc())
    )


def change_request_for(staff, request_id):
    """A request in scope, or None (out of scope is indistinguishable from missing)."""
    return change_requests(staff).where(ChangeRequest.id == request_id).first()


# Its SQL made once (vss.core.db.FixedQuery): the account's home page asks it on every view.
_OF_ACCOUNT = FixedQuery(
    lambda account_id, limit: (
        ChangeRequest.select()
        .where(ChangeRequest.account == account_id)
        .order_by(ChangeRequest.created_at.desc(), ChangeRequest.id.desc())
        .limit(limit)
    )
)


def of_account(account, limit=5):
    """The citizen's own latest requests."""
    return _OF_ACCOUNT.rows(account.id, limit)


# --- the citizen's request (proved by vss.requests.change_proof) ------------------------


def current(account, field):
    """What the account holds now for `field`."""
    person = account.person
    return {
        PHONE: account.phone,
        EMAIL: account.email,
        ADDRESS: {"street": person.street, "ward_code": person.ward_code},
    }[field]


def pending(account, field):
    """The account's request for `field` waiting for staff, or None."""
    return ChangeRequest.get_or_none(ChangeRequest.pending_key == f"{account.id}:{field}")


def file_change(account, field, value, *, ip="", match=None):
    """File a request, once (the same request again returns the waiting one); a newer one
    replaces the waiting request of the same field. `match`: the right code that proved a new
    phone or email (vss.requests.change_proof), used up in the same transaction; None for an
    address, the demo seed and tests."""
    with transaction():
        serialize(f"change:{account.id}")
        account = Account.get_by_id(account.id)  # as it is now: its value is the old one
        waiting = pending(account, field)
        used = match is None or otp.consume(match)
        if waiting is not None and waiting.new_value == value:
            return waiting  # the same request again (a double submit whose twin filed it)
        if not used:
            raise otp.used()
        office = office_for(account.person)
        # The waiting request is replaced, unless staff decided it in the meantime.
        replaced = waiting is not None and (
            ChangeRequest.update(status=REPLACED, decided_at=utcnow(), pending_key=None)
            .where((ChangeRequest.id == waiting.id) & (ChangeRequest.status == PENDING))
            .execute()
        )
        change = ChangeRequest.create(
            account=account,
            office=office,
            office_province=office.province_code if office else account.person.province_code,
            field=field,
            old_value=current(account, field),
            new_value=value,
            pending_key=f"{account.id}:{field}",
        )
        audit.record(
            "change_request.file",
            actor_kind="citizen",
            actor_id=account.id,
            actor_label=account.username,
            obj=change,
            ip=ip,
            detail={"field": field, "replaces": waiting.id if replaced else None},
        )
    return change


# --- staff: apply or reject ---------------------------------------------------------------


def _close(staff, change, status, reason=""):
    """Move a pending request to its outcome, or raise UserError if someone else did."""
    done = (
        ChangeRequest.update(
            status=status, decided_at=utcnow(), decided_by=staff.id, reason=reason, pending_key=None
        )
        .where((ChangeRequest.id == change.id) & (ChangeRequest.status == PENDING))
        .execute()
    )
    if not done:
        raise UserError(ALREADY_DECIDED, code="decided")


def apply(staff, change, *, ip=""):
    """'Ghi nhận' → 'Xác nhận': apply the new value and tell the old and the new contact. A
    phone or email that another BHXH code holds by now raises contacts.ContactTaken and
    changes nothing."""
    with contacts.guarded(), transaction():
        _close(staff, change, APPLIED)
        account = Account.get_by_id(change.account_id)
        label, new, old = FIELD_LABELS[change.field], change.new_value, change.old_value
        told = {"person": account.person_id, "field": label, "username": account.username}
        if change.field == PHONE:
            contacts.check(account.username, phone=new)
            Account.update(phone=new).where(Account.id == account.id).execute()
            for phone in dict.fromkeys([old, new]):
                notify.sms(phone, "contact_changed", **told)
        elif change.field == EMAIL:
            contacts.check(account.username, email=new)
            Account.update(email=new).where(Account.id == account.id).execute()
            for email in dict.fromkeys(filter(None, [old, new])):
                notify.email(email, "contact_changed", **told)
            notify.sms(account.phone, "contact_changed", **told)
        else:
            (
                Person.update(
                    street=new["street"],
                    ward_code=new["ward_code"],
                    province_code=ward_province(new["ward_code"]) or Person.province_code,
                )
                .where(Person.id == account.person_id)
                .execute()
            )
            # The card QR carries the address: reissue it here, so the revocation list names
            # the old QR as soon as this commits.
            for card in HealthCard.select().where(HealthCard.person == account.person_id):
                cards.reissue(card)
            notify.sms(account.phone, "contact_changed", **told)
        audit.record(
            "change_request.apply", obj=change, ip=ip, detail={"field": change.field}, **review.actor(staff)
        )


def reject(staff, change, reason, *, ip=""):
    """'Không đồng ý': a reason is required; the citizen gets it by SMS."""
    reason = (reason or "").strip()
    if not reason:
        raise UserError(NEED_REASON, field="reason", code="no_reason")
    with transaction():
        _close(staff, change, REJECTED, reason)
        account = Account.get_by_id(change.account_id)
        notify.sms(
            account.phone,
            "change_rejected",
            person=account.person_id,
            field=FIELD_LABELS[change.field],
            username=account.username,
            reason=reason,
        )
        audit.record(
            "change_request.reject",
            obj=change,
            ip=ip,
            detail={"field": change.field, "reason": reason},
            **review.actor(staff),
        )
