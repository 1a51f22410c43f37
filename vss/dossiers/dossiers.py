"""The registration dossier (a submitted Mẫu 01): its states, its number NNNNN.GD/YYYY/<office>,
how one is opened from declared values, and how it is found again.

A dossier is opened by the citizen's registration (vss.dossiers.registration) today and by the
assisted registration desk later: both hand `open_dossier` the declared Mẫu 01 values keyed by
the column names in DECLARED, so a new field is one column, one name in DECLARED and its form."""

import datetime as dt
import hashlib

from flask_babel import force_locale
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

from vss.core import limits
from vss.core.clock import to_vn, utcnow
from vss.core.db import BaseModel
from vss.core.errors import UserError
from vss.dossiers.vocabulary import (  # noqa: F401 - the dossier's words are part of its API
    APPROVED,
    AT_OFFICE,
    BY_POST,
    CHANNEL_LABELS,
    DELETED,
    EVALUATION_LABELS,
    INVALID,
    IVAN,
    PENDING_STATES,
    PORTAL,
    RECEIVED,
    STATUS_LABELS,
    SUBMISSION_LABELS,
    VALID,
    WAITING,
    channel_label,
)
from vss.identity import contacts
from vss.identity.accounts import Account
from vss.registry.directory import Office, format_address

PRESENT_WITHIN_DAYS = 10
LOOKUPS = limits.Budget("dossier-lookup", 30, 3600, limits.TOO_MANY_TRIES)
PHOTO_KINDS = ("chan_dung", "mat_truoc", "mat_sau")
# What the applicant declares on Mẫu 01 (the person, then how the dossier is sent), by column.
PERSON_FIELDS = ("bhxh_code", "full_name", "id_kind", "id_number", "province_code", "ward_code", "street")
CONTACT_FIELDS = ("phone", "email")
SENDING_FIELDS = ("submission_method", "channel", "ivan_name")
DECLARED = PERSON_FIELDS + CONTACT_FIELDS + SENDING_FIELDS
# Reasons the system itself gives (the rest are typed by reviewers): stored in Vietnamese, the
# record's language, and shown in the reader's (`Dossier.reason_label`).
NO_CODE_GUIDANCE = _l(
    "Mã số BHXH hoặc họ tên không khớp với cơ sở dữ liệu BHXH. Vui lòng kê khai thủ tục cấp "
    "mã số BHXH (tờ khai TK1-TS) tại cơ quan BHXH hoặc qua Cổng dịch vụ công, rồi đăng ký lại."
)
CANCELLED_BY_APPLICANT = _l("Người đăng ký huỷ hồ sơ để đăng ký lại.")
NOT_PRESENTED = _l("Quá 10 ngày không nộp tờ khai tại cơ quan BHXH.")
SYSTEM_REASONS = (NO_CODE_GUIDANCE, CANCELLED_BY_APPLICANT, NOT_PRESENTED)
HAS_ACCOUNT = _l(
    "Mã số BHXH này đã có tài khoản giao dịch điện tử. Hãy đăng nhập, "
    "hoặc dùng “Quên mật khẩu” nếu bạn không nhớ mật khẩu."
)


def as_stored(message):
    """A message as the record keeps it: in Vietnamese, whatever the language of the page."""
    with force_locale("vi"):
        return str(message)


def token_hash(token):
    """How a browser's secret token is stored (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


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
            (("id_number",), False),  # one document, one BHXH code (the assisted desk's check)
        )

    @property
    def address(self):
        """The declared address as printed on forms."""
        return format_address(self.street, self.ward_code) if self.ward_code else self.street

    @property
    def status_label(self):
        """The processing state in the reader's language."""
        return STATUS_LABELS[self.status]

    @property
    def reason_label(self):
        """The reason in the reader's language when the system gave it, else as typed."""
        return next((m for m in SYSTEM_REASONS if self.reason and as_stored(m) == self.reason), self.reason)

    @property
    def pending(self):
        """Still waiting for the office (received or not): it may be cancelled, and it holds its
        BHXH code, phone and email."""
        return self.status in PENDING_STATES

    @property
    def awaiting_receipt(self):
        """Waiting for the signed paper form (staff may receive it)."""
        return self.status == WAITING

    @property
    def received(self):
        """The paper form is in: staff may evaluate it."""
        return self.status == RECEIVED

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


def open_dossier(office, declared, *, owner_token_hash, **state):
    """Number and store a new pending dossier at `office` from the `declared` Mẫu 01 values
    (keyed by DECLARED; contact_person defaults to the name, a blank email is none). `state`
    sets further columns (e.g. status and received_at for a dossier received on the spot).
    Call it inside the transaction that checked the uniqueness rules."""
    values = {name: declared.get(name) for name in DECLARED}
    values["email"] = values["email"] or None
    values["ivan_name"] = values["ivan_name"] or ""
    year = to_vn(utcnow()).year
    seq, number = next_number(office, year)
    return Dossier.create(
        number=number,
        office=office,
        office_province=office.province_code,
        year=year,
        seq=seq,
        contact_person=declared.get("contact_person") or values["full_name"],
        pending_bhxh=values["bhxh_code"],
        pending_phone=values["phone"],
        pending_email=values["email"],
        owner_token_hash=owner_token_hash,
        **values,
        **state,
    )


class PendingDossier(UserError):
    """This BHXH code already has a dossier waiting (`dossier`): the applicant may cancel it
    and start again, so the caller needs it apart from other refusals."""

    def __init__(self, dossier):
        message = _l("Mã số BHXH này đã có hồ sơ số %(number)s đang chờ xử lý.", number=dossier.number)
        super().__init__(message, field="bhxh_code", code="pending_dossier")
        self.dossier = dossier


def check_unique(bhxh_code, phone, email):
    """One phone and one email per BHXH code across accounts and pending dossiers, one
    pending dossier per BHXH code, no second account: raise UserError (PendingDossier) if not."""
    if Account.select().where(Account.username == bhxh_code).exists():
        raise UserError(HAS_ACCOUNT, field="bhxh_code", code="has_account")
    pending = Dossier.get_or_none(Dossier.pending_bhxh == bhxh_code)
    if pending:
        raise PendingDossier(pending)
    contacts.check(bhxh_code, phone=phone, email=email)


@contacts.holder
def pending_holders(kind, value):
    """The BHXH codes whose pending dossier declares this phone or email: the
    dossiers' share of the one-contact-per-code rule (vss.identity.contacts asks it)."""
    column = {contacts.PHONE: Dossier.pending_phone, contacts.EMAIL: Dossier.pending_email}[kind]
    return {Dossier.select(Dossier.bhxh_code).where(column == value).scalar()} - {None}


def lookup(number, phone, *, client):
    """Tra cứu hồ sơ: the dossier with this number and phone, or None. Each asking client has
    LOOKUPS an hour (UserError on the number field when spent): dossier numbers run in sequence,
    so without it the phone of a dossier could be guessed."""
    try:
        limits.spend(LOOKUPS, client)
    except UserError as error:
        raise UserError(error.message, field="so", code=error.code, retry_after=error.retry_after) from None
    return Dossier.get_or_none((Dossier.number == (number or "").strip().upper()) & (Dossier.phone == phone))


MODELS = [Dossier, DossierSequence]
