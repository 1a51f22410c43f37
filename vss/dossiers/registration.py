"""Registration for an e-transaction account (Tờ khai Mẫu số 01): drafts saved at every step,
the uniqueness rules, the one-time code, the dossier and its number, the 10-day rule."""

import datetime as dt
import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from peewee import (
    BlobField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from vss.core import audit, jobs
from vss.core.clock import to_vn, utcnow
from vss.core.db import BaseModel, JSONField, serialize, transaction
from vss.core.errors import UserError
from vss.identity import otp
from vss.identity.accounts import Account
from vss.messages import notify
from vss.registry.directory import Office, format_address

STEPS = ("loai", "thong-tin", "anh", "co-quan", "xem-lai")
PURPOSE = "register"
CANCEL_PURPOSE = "register-cancel"
DRAFT_DAYS = 7
PRESENT_WITHIN_DAYS = 10
# Processing states (Tình trạng) and evaluation (Trạng thái), as on the staff list.
WAITING, RECEIVED, APPROVED, DELETED = "cho_tiep_nhan", "da_tiep_nhan", "da_duyet", "da_xoa"
PENDING_STATES = (WAITING, RECEIVED)
# Staff's evaluation of a received dossier.
VALID, INVALID = "hop_le", "khong_hop_le"
AT_OFFICE, BY_POST = "tai_co_quan", "buu_chinh"
PORTAL, IVAN = "cong_bhxh", "ivan"
# The one name of each code, translated where shown: templates (through the Dossier properties),
# forms (their choices) and code all read these tables.
STATUS_LABELS = {
    WAITING: _l("Chờ tiếp nhận"),
    RECEIVED: _l("Đã tiếp nhận"),
    APPROVED: _l("Đã duyệt"),
    DELETED: _l("Đã xoá"),
}
EVALUATION_LABELS = {VALID: _l("Hồ sơ hợp lệ"), INVALID: _l("Hồ sơ không hợp lệ")}
SUBMISSION_LABELS = {AT_OFFICE: _l("Tại nơi tiếp nhận hồ sơ"), BY_POST: _l("Qua dịch vụ bưu chính công ích")}
CHANNEL_LABELS = {
    PORTAL: _l("Cổng thông tin điện tử của Bảo hiểm xã hội Việt Nam"),
    IVAN: _l("Tổ chức I-VAN"),
}
PHOTO_KINDS = ("chan_dung", "mat_truoc", "mat_sau")


class RegistrationError(UserError):
    """A rule stops the registration; `message` is for the user, `field` where it belongs."""

    def __init__(self, message, field=None, **kwargs):
        super().__init__(message, field=field, **kwargs)


class PendingDossier(RegistrationError):
    """This BHXH code already has a dossier waiting; the user may cancel it and start again."""

    def __init__(self, dossier):
        super().__init__(f"Mã số BHXH này đã có hồ sơ số {dossier.number} đang chờ xử lý.", "bhxh_code")
        self.dossier = dossier


def channel_label(channel, ivan_name=""):
    """Where the person registers for e-transactions: the portal, or 'Tổ chức I-VAN: <name>'."""
    label = CHANNEL_LABELS.get(channel, CHANNEL_LABELS[PORTAL])
    return f"{label}: {ivan_name}" if channel == IVAN else label


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class RegistrationDraft(BaseModel):
    """What the applicant has typed so far, found again by a random token kept in a cookie."""

    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)
    data = JSONField(default=dict)
    dossier_id = IntegerField(null=True)

    def done(self, step):
        return step in self.data.get("done", [])

    def first_incomplete(self):
        """The first step not yet completed ('xac-thuc' once all are)."""
        return next((step for step in STEPS if not self.done(step)), "xac-thuc")

    def may_open(self, step):
        """A step is open when every earlier step is done."""
        index = STEPS.index(step) if step in STEPS else len(STEPS)
        return all(self.done(s) for s in STEPS[:index])

    @property
    def info(self):
        return self.data.get("thong-tin", {})

    @property
    def office_choice(self):
        return self.data.get("co-quan", {})

    @property
    def submission_label(self):
        """Hình thức nộp hồ sơ chosen so far, in the reader's language."""
        return SUBMISSION_LABELS.get(
            self.office_choice.get("submission_method"), SUBMISSION_LABELS[AT_OFFICE]
        )

    @property
    def channel_label(self):
        """Đăng ký giao dịch tại, as chosen so far."""
        choice = self.office_choice
        return channel_label(choice.get("channel"), choice.get("ivan_name", ""))


class Dossier(BaseModel):
    """A submitted Mẫu 01: numbered NNNNN.GD/YYYY/<office code>, processed by staff."""

    number = CharField(max_length=32, unique=True)
    office = ForeignKeyField(Office, on_delete="RESTRICT", index=False)
    office_province = SmallIntegerField(null=True)  # the receiving office's province (staff scope)
    year = SmallIntegerField()
    seq = IntegerField()
    status = CharField(max_length=16, default=WAITING)
    evaluation = CharField(max_length=16, null=True)
    bhxh_code = CharField(max_length=10)
    full_name = TextField()
    contact_person = TextField(default="")
    id_kind = CharField(max_length=8)
    id_number = CharField(max_length=12)
    province_code = SmallIntegerField(null=True)
    ward_code = IntegerField(null=True)
    street = TextField(default="")
    phone = CharField(max_length=16)
    email = CharField(max_length=254, null=True)
    submission_method = CharField(max_length=12)
    channel = CharField(max_length=12)
    ivan_name = TextField(default="")
    # Set only while the dossier is pending: unique indexes then enforce one pending dossier
    # per BHXH code and one BHXH code per phone/email among pending dossiers (NULLs don't clash).
    pending_bhxh = CharField(max_length=10, null=True, unique=True)
    pending_phone = CharField(max_length=16, null=True, unique=True)
    pending_email = CharField(max_length=254, null=True, unique=True)
    owner_token_hash = CharField(max_length=64, index=True)
    submitted_at = DateTimeField(default=utcnow, index=True)
    received_at = DateTimeField(null=True)
    decided_at = DateTimeField(null=True)
    deleted_at = DateTimeField(null=True)
    reviewer_id = IntegerField(null=True)
    reason = TextField(default="")
    pdf = BlobField(null=True)

    class Meta:
        # The staff list: newest first within an office or a province, optionally by state.
        indexes = (
            (("office", "year", "seq"), True),
            (("office", "submitted_at", "id"), False),
            (("office_province", "submitted_at", "id"), False),
            (("office", "status", "submitted_at"), False),
            (("office_province", "status", "submitted_at"), False),
            (("bhxh_code",), False),
        )

    @property
    def address(self):
        return format_address(self.street, self.ward_code) if self.ward_code else self.street

    @property
    def status_label(self):
        """Tình trạng, in the reader's language."""
        return STATUS_LABELS[self.status]

    @property
    def awaiting_receipt(self):
        """Waiting for the signed paper form (staff may receive it)."""
        return self.status == WAITING

    @property
    def received(self):
        """The paper form is in: staff may evaluate it."""
        return self.status == RECEIVED

    @property
    def pending(self):
        """Not yet decided, cancelled or expired."""
        return self.status in PENDING_STATES

    @property
    def evaluation_label(self):
        """Trạng thái ('Hồ sơ hợp lệ' …), or '' before staff evaluated it."""
        return EVALUATION_LABELS[self.evaluation] if self.evaluation else ""

    @property
    def valid(self):
        """Staff found the dossier valid."""
        return self.evaluation == VALID

    @property
    def by_post(self):
        """The signed form comes by public postal service rather than at the office."""
        return self.submission_method == BY_POST

    @property
    def submission_label(self):
        """Hình thức nộp hồ sơ, in the reader's language."""
        return SUBMISSION_LABELS.get(self.submission_method, SUBMISSION_LABELS[AT_OFFICE])

    @property
    def via_ivan(self):
        """E-transactions through an I-VAN organisation rather than the BHXH portal."""
        return self.channel == IVAN

    @property
    def via_portal(self):
        """E-transactions on the BHXH portal."""
        return self.channel == PORTAL

    @property
    def channel_label(self):
        """Đăng ký giao dịch tại: the portal, or 'Tổ chức I-VAN: <name>'."""
        return channel_label(self.channel, self.ivan_name)

    @property
    def present_by(self):
        """Last day (Vietnam time) to bring or post the signed form."""
        return to_vn(self.submitted_at + dt.timedelta(days=PRESENT_WITHIN_DAYS)).date()


class DossierSequence(BaseModel):
    """Last dossier number used per office and year."""

    office = ForeignKeyField(Office, on_delete="CASCADE", index=False)
    year = SmallIntegerField()
    last = IntegerField()

    class Meta:
        indexes = ((("office", "year"), True),)


class Photo(BaseModel):
    """A processed photo (portrait, ID front, ID back) of a draft, then of its dossier."""

    draft = ForeignKeyField(RegistrationDraft, null=True, on_delete="CASCADE")
    dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
    kind = CharField(max_length=10)
    content = BlobField()
    width = IntegerField()
    height = IntegerField()
    created_at = DateTimeField(default=utcnow)


MODELS = [RegistrationDraft, Dossier, DossierSequence, Photo]


# --- drafts -------------------------------------------------------------------------------


def new_draft():
    """A new draft and the token that finds it again (kept only in the applicant's cookie)."""
    token = secrets.token_urlsafe(32)
    draft = RegistrationDraft.create(token_hash=_hash(token), data={"done": []})
    return draft, token


def draft_for(token):
    """The unexpired draft of a cookie token, or None."""
    if not token:
        return None
    draft = RegistrationDraft.get_or_none(RegistrationDraft.token_hash == _hash(token))
    if draft and draft.dossier_id is None and draft.updated_at < utcnow() - dt.timedelta(days=DRAFT_DAYS):
        return None
    return draft


def save_step(draft, step, values):
    """Store one step's values and mark it done (later steps stay as they were)."""
    data = dict(draft.data)
    data[step] = values
    data["done"] = sorted(set(data.get("done", [])) | {step}, key=STEPS.index)
    draft.data = data
    draft.updated_at = utcnow()
    draft.save()


def set_photo(draft, kind, content, size):
    """Replace the draft's photo of one kind."""
    with transaction():
        Photo.delete().where((Photo.draft == draft) & (Photo.kind == kind)).execute()
        Photo.create(draft=draft, kind=kind, content=content, width=size[0], height=size[1])
        draft.updated_at = utcnow()
        draft.save()


def photo_kinds(draft):
    """Which photos the draft has."""
    return {p.kind for p in Photo.select(Photo.kind).where(Photo.draft == draft)}


# --- rules --------------------------------------------------------------------------------


def check_unique(bhxh_code, phone, email):
    """One phone and one email per BHXH code across accounts and pending dossiers, one
    pending dossier per BHXH code, no second account."""
    if Account.select().where(Account.username == bhxh_code).exists():
        raise RegistrationError(
            "Mã số BHXH này đã có tài khoản giao dịch điện tử. Hãy đăng nhập, "
            "hoặc dùng “Quên mật khẩu” nếu bạn không nhớ mật khẩu.",
            "bhxh_code",
        )
    pending = Dossier.get_or_none(Dossier.pending_bhxh == bhxh_code)
    if pending:
        raise PendingDossier(pending)
    from vss.identity import contacts  # the one rule for phones and emails; it reads this module's dossiers

    try:
        contacts.check(bhxh_code, phone=phone, email=email)
    except contacts.ContactTaken as taken:
        raise RegistrationError(taken.message, taken.field) from None


def send_code(draft, *, key, minutes, client):
    """'Ghi nhận': check the rules again, then send a code to the phone (and the email) and
    mark the review step done — one transaction, so a refused send marks nothing. A code asked
    again within the cool-down is not an error (the earlier one is still valid): the cool-down's
    OtpError is returned, None when the code went."""
    info = draft.info
    try:
        with transaction():
            check_unique(info["bhxh_code"], info["phone"], info.get("email"))
            context = f"draft:{draft.id}"
            otp.issue(PURPOSE, context, info["phone"], key=key, lifetime_minutes=minutes, client=client)
            if info.get("email"):
                otp.issue(
                    PURPOSE,
                    context,
                    info["email"],
                    key=key,
                    lifetime_minutes=minutes,
                    channel=notify.EMAIL,
                    client=client,
                )
            save_step(draft, "xem-lai", {"sent": True})
    except otp.OtpError as error:
        if error.code != "cooldown":
            raise
        save_step(draft, "xem-lai", {"sent": True})
        return error
    return None


def next_number(office, year):
    """The next NNNNN.GD/YYYY/<office> of an office: one UPSERT, so never the same twice."""
    cursor = (
        DossierSequence.insert(office=office, year=year, last=1)
        .on_conflict(
            conflict_target=[DossierSequence.office, DossierSequence.year],
            update={DossierSequence.last: DossierSequence.last + 1},
        )
        .returning(DossierSequence.last)
        .execute()
    )
    seq = next(iter(cursor)).last
    return seq, f"{seq:05d}.GD/{year}/{office.code}"


def submit(draft, code, *, key, token):
    """Check the code and create the dossier — once: a repeat returns the same dossier. The
    guess is counted before and apart from the transaction (no rollback can undo it); the code
    is used up in the transaction that creates the dossier."""
    info, choice = draft.info, draft.office_choice
    if draft.dossier_id:
        return Dossier.get_by_id(draft.dossier_id)
    try:
        match = otp.check(PURPOSE, f"draft:{draft.id}", [info["phone"], info.get("email")], code, key=key)
    except otp.OtpError:
        done = _submitted(draft)  # a double submit whose twin used the code first
        if done:
            return done
        raise
    with transaction():
        serialize(f"draft:{draft.id}")
        draft = RegistrationDraft.get_by_id(draft.id)
        if draft.dossier_id:
            return Dossier.get_by_id(draft.dossier_id)
        if not otp.consume(match):
            raise otp.OtpError(otp.USED, code="used")
        serialize(f"bhxh:{info['bhxh_code']}")
        check_unique(info["bhxh_code"], info["phone"], info.get("email"))
        office = Office.get(Office.code == choice["office_code"])
        seq, number = next_number(office, to_vn(utcnow()).year)
        dossier = Dossier.create(
            number=number,
            office=office,
            office_province=office.province_code,
            year=to_vn(utcnow()).year,
            seq=seq,
            bhxh_code=info["bhxh_code"],
            full_name=info["full_name"],
            contact_person=info.get("contact_person") or info["full_name"],
            id_kind=info["id_kind"],
            id_number=info["id_number"],
            province_code=info["province_code"],
            ward_code=info["ward_code"],
            street=info["street"],
            phone=info["phone"],
            email=info.get("email") or None,
            submission_method=choice["submission_method"],
            channel=choice["channel"],
            ivan_name=choice.get("ivan_name", ""),
            pending_bhxh=info["bhxh_code"],
            pending_phone=info["phone"],
            pending_email=info.get("email") or None,
            owner_token_hash=_hash(token),
        )
        Photo.update(dossier=dossier, draft=None).where(Photo.draft == draft).execute()
        draft.dossier_id = dossier.id
        draft.save()
        audit.record(
            "dossier.submit",
            actor_kind="citizen",
            actor_label=info["bhxh_code"],
            obj=dossier,
            detail={"number": number},
        )
        notify.sms(
            dossier.phone,
            "dossier_submitted",
            number=number,
            office=office.name,
            deadline=dossier.present_by.strftime("%d/%m/%Y"),
            by_post=dossier.submission_method == BY_POST,
        )
    return dossier


def _submitted(draft):
    """The draft's dossier once any transaction creating it has committed, else None."""
    with transaction():
        serialize(f"draft:{draft.id}")  # waits for a twin request still creating it
        dossier_id = (
            RegistrationDraft.select(RegistrationDraft.dossier_id)
            .where(RegistrationDraft.id == draft.id)
            .scalar()
        )
    return Dossier.get_by_id(dossier_id) if dossier_id else None


def owned_dossier(token, number):
    """The dossier `number` if this browser submitted it, else None."""
    if not token:
        return None
    return Dossier.get_or_none((Dossier.number == number) & (Dossier.owner_token_hash == _hash(token)))


def lookup(number, phone):
    """Tra cứu hồ sơ: the dossier with this number and phone, or None."""
    return Dossier.get_or_none((Dossier.number == (number or "").strip().upper()) & (Dossier.phone == phone))


# --- cancelling a pending dossier to start again ------------------------------------------


def send_cancel_code(draft, dossier, *, key, minutes, client):
    """Cancelling needs a code sent to the phone of the pending dossier (proof it is theirs)."""
    otp.issue(
        CANCEL_PURPOSE,
        f"draft:{draft.id}:{dossier.id}",
        dossier.phone,
        key=key,
        lifetime_minutes=minutes,
        client=client,
    )


def cancel_pending(draft, dossier, code, *, key):
    """Delete a pending dossier (tombstone kept) after the code from its phone."""
    match = otp.check(CANCEL_PURPOSE, f"draft:{draft.id}:{dossier.id}", dossier.phone, code, key=key)
    with transaction():
        serialize(f"bhxh:{dossier.bhxh_code}")
        if Dossier.select(Dossier.status).where(Dossier.id == dossier.id).scalar() not in PENDING_STATES:
            raise RegistrationError(_l("Hồ sơ này vừa được cơ quan BHXH xử lý nên không huỷ được."))
        if not otp.consume(match):
            raise otp.OtpError(otp.USED, code="used")
        _tombstone(dossier, "Người đăng ký huỷ hồ sơ để đăng ký lại.")
        audit.record("dossier.cancel", actor_kind="citizen", actor_label=dossier.bhxh_code, obj=dossier)


def _tombstone(dossier, reason):
    """Remove personal data and photos; keep the number, dates and reason."""
    Photo.delete().where(Photo.dossier == dossier).execute()
    (
        Dossier.update(
            status=DELETED,
            deleted_at=utcnow(),
            reason=reason,
            full_name="",
            contact_person="",
            id_number="",
            street="",
            ward_code=None,
            province_code=None,
            phone="",
            email=None,
            pending_bhxh=None,
            pending_phone=None,
            pending_email=None,
            pdf=None,
        )
        .where(Dossier.id == dossier.id)
        .execute()
    )


# --- daily clean-ups ----------------------------------------------------------------------


@jobs.maintenance
def purge_drafts():
    """Drafts not submitted within DRAFT_DAYS go, with their photos."""
    stale = utcnow() - dt.timedelta(days=DRAFT_DAYS)
    return (
        RegistrationDraft.delete()
        .where((RegistrationDraft.updated_at < stale) & RegistrationDraft.dossier_id.is_null())
        .execute()
    )


@jobs.maintenance
def expire_unpresented():
    """Dossiers still waiting PRESENT_WITHIN_DAYS after submission are deleted (tombstone
    kept) and the applicant is told by SMS."""
    cutoff = utcnow() - dt.timedelta(days=PRESENT_WITHIN_DAYS)
    expired = list(Dossier.select().where((Dossier.status == WAITING) & (Dossier.submitted_at < cutoff)))
    for dossier in expired:
        with transaction():
            phone = dossier.phone
            _tombstone(dossier, "Quá 10 ngày không nộp tờ khai tại cơ quan BHXH.")
            audit.record("dossier.expire", obj=dossier)
            notify.sms(phone, "dossier_expired", number=dossier.number)
    return len(expired)
