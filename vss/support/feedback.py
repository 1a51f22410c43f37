"""Phản ánh, kiến nghị: anyone sends a question or a complaint to a BHXH office, which owns the
answer (seed 000 §5 a: the receiving office settles it, working with any other office concerned;
it never sends the person elsewhere). The topic routes it to the office's department (§5 b–đ).

Sending without an account proves the phone with a one-time code first: until the code is
confirmed the row is UNCONFIRMED — no tracking number, no SMS but the code, and no member of
staff sees it (vss.support.feedback_inbox shows confirmed rows only). A signed-in citizen's
feedback is confirmed at once with the account's phone. The browser's form key (a random value
in the form, then its cookie) names the row, so a double submit is one feedback. The staff side
(inbox, assignment, the answer) is vss.support.feedback_inbox."""

import datetime as dt
import hashlib

from flask_babel import lazy_gettext as _l
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from vss.core import audit, jobs, limits
from vss.core.clock import to_vn, utcnow, vn_today
from vss.core.db import BaseModel, serialize, transaction
from vss.core.errors import UserError
from vss.identity import otp
from vss.identity.accounts import Account, StaffUser
from vss.messages import notify
from vss.registry.directory import Office, ward_province
from vss.support.feedback_topics import (  # noqa: F401 - the words are part of this module's API
    ANSWERED,
    ASSIGNED,
    DEPARTMENT_LABELS,
    NEW,
    OPEN_STATES,
    STATE_LABELS,
    TOPICS,
    UNCONFIRMED,
    department_of,
)
from vss.support.workdays import add_working_days

PURPOSE = "feedback"
# No seed gives a deadline for answering: ten working days (vss.support.workdays), counted from
# the day after the feedback is confirmed, Vietnam time.
DUE_WORKING_DAYS = 10
UNCONFIRMED_HOURS = 24  # an unconfirmed feedback is deleted after this (the daily job)
LOOKUPS = limits.Budget("feedback-lookup", 30, 3600, limits.TOO_MANY_TRIES)
# Numbers run in sequence: guesses at one phone's feedback count whatever the address; the service's too.
LOOKUPS_PER_PHONE = limits.Budget("feedback-lookup-phone", 10, 3600, limits.TOO_MANY_TRIES)
LOOKUPS_ALL = limits.Budget(
    "feedback-lookup-all",
    300,
    60,
    _l("Hệ thống đang nhận quá nhiều yêu cầu tra cứu. Vui lòng thử lại sau ít phút."),
)
# A signed-in citizen sends without a code: their own budget instead of the code's.
BY_ACCOUNT = limits.Budget(
    "feedback-account", 10, 86400, _l("Bạn đã gửi nhiều phản ánh hôm nay. Vui lòng gửi tiếp vào ngày mai.")
)

CHOOSE_OFFICE = _l("Vui lòng chọn cơ quan BHXH trong tỉnh, thành phố đã chọn.")
CHOOSE_WARD = _l("Vui lòng chọn phường, xã nơi bạn cư trú để gửi đến cơ quan BHXH nơi cư trú.")


class Feedback(BaseModel):
    """One question or complaint, from the form to the answer."""

    key_hash = CharField(max_length=64, unique=True)  # the sending browser's form key, hashed
    number = CharField(max_length=32, null=True, unique=True)  # given when confirmed
    state = CharField(max_length=12, default=UNCONFIRMED)
    topic = CharField(max_length=24)
    department = CharField(max_length=12)
    body = TextField()
    photo = BlobField(null=True)
    full_name = TextField(default="")
    phone = CharField(max_length=16)
    email = CharField(max_length=254, null=True)
    account = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    office = ForeignKeyField(Office, on_delete="RESTRICT", index=False)
    office_province = SmallIntegerField()
    by_address = BooleanField(default=False)  # sent to the office of the sender's address
    created_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(null=True)
    due_on = DateField(null=True)
    assignee = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")
    answer = TextField(null=True)
    answered_at = DateTimeField(null=True)
    answered_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+", index=False)

    class Meta:
        indexes = (
            (("office", "state", "due_on"), False),
            (("office_province", "state", "due_on"), False),
            (("state", "created_at"), False),
        )

    @property
    def topic_label(self):
        return TOPICS[self.topic][0]

    @property
    def department_label(self):
        return DEPARTMENT_LABELS[self.department]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def overdue(self):
        """Past its due day (Vietnam time) without an answer."""
        return self.state in OPEN_STATES and self.due_on is not None and self.due_on < vn_today()


class FeedbackSequence(BaseModel):
    """Last feedback number used per office and year."""

    office = ForeignKeyField(Office, on_delete="CASCADE", index=False)
    year = SmallIntegerField()
    last = IntegerField()

    class Meta:
        indexes = ((("office", "year"), True),)


def key_hash(key):
    """How a form key is stored (the key itself stays in the sender's browser)."""
    return hashlib.sha256((key or "").encode()).hexdigest()


def by_key(key):
    """The feedback this browser's form key names, or None."""
    return Feedback.get_or_none(Feedback.key_hash == key_hash(key)) if key else None


def office_for(office_code, province_code, ward_code):
    """(office, by_address): the office chosen in the province; with none chosen, the office of
    the sender's address — the base office in their ward, else the province's own office."""
    if office_code:
        office = Office.get_or_none(Office.code == office_code)
        if office is None or office.province_code != province_code:
            raise UserError(CHOOSE_OFFICE, field="office_code", code="office")
        return office, False
    if not ward_code or ward_province(ward_code) != province_code:
        raise UserError(CHOOSE_WARD, field="ward_code", code="ward")
    in_province = Office.select().where(Office.province_code == province_code)
    office = (
        in_province.where((Office.kind == Office.BASE) & (Office.ward_code == ward_code))
        .order_by(Office.code)
        .first()
    )
    office = office or in_province.where(Office.kind == Office.PROVINCE).first()
    if office is None:
        raise UserError(CHOOSE_OFFICE, field="office_code", code="office")
    return office, True


def send(given, *, key, photo=None, account=None, client=""):
    """Take the form: `given` holds topic, body, province_code, ward_code, office_code and (no
    account) full_name, phone, email. Without an account a code goes to the phone and the row
    waits (UNCONFIRMED); with one it is confirmed at once. The same key again changes the
    waiting row (a resubmitted form) or, once confirmed, returns it unchanged (a double
    submit). Returns the row; raises UserError (otp.OtpError when the code cannot be sent)."""
    department = department_of(given.get("topic"))
    office, by_address = office_for(
        given.get("office_code"), given.get("province_code"), given.get("ward_code")
    )
    values = dict(
        topic=given["topic"],
        department=department,
        body=given["body"],
        photo=photo,
        office=office,
        office_province=office.province_code,
        by_address=by_address,
    )
    if account is not None:
        values.update(full_name=account.person.full_name, phone=account.phone, email=account.email)
        values["account"] = account
    else:
        values.update(full_name=given["full_name"], phone=given["phone"], email=given.get("email") or None)
    hashed = key_hash(key)
    with transaction():
        serialize(f"feedback:{hashed}")
        row = Feedback.get_or_none(Feedback.key_hash == hashed)
        if row is not None and row.state != UNCONFIRMED:
            return row
        if row is None:
            row = Feedback.create(key_hash=hashed, **values)
        else:
            Feedback.update(values).where(Feedback.id == row.id).execute()
            row = Feedback.get_by_id(row.id)
        if account is not None:
            limits.spend(BY_ACCOUNT, f"account:{account.id}")
            return _confirm(row, actor_kind="citizen", actor_id=account.id, actor_label=account.username)
        try:
            otp.issue(PURPOSE, f"feedback:{row.id}", row.phone, client=client)
        except otp.OtpError as error:
            if error.code != "cooldown":
                raise  # nothing is kept: the person is told why and sends again
    return row


def resend_code(row, *, client):
    """'Không nhận được mã?': another code to the phone (after the cool-down)."""
    if row.state != UNCONFIRMED:
        return
    otp.issue(PURPOSE, f"feedback:{row.id}", row.phone, client=client)


def confirm(row, code):
    """Check the code sent for `row` and confirm it — once: a repeat returns the same feedback.
    The guess is counted apart from the transaction; the code is used up inside it."""
    if row.state != UNCONFIRMED:
        return row
    try:
        match = otp.check(PURPOSE, f"feedback:{row.id}", row.phone, code)
    except otp.OtpError:
        done = Feedback.get_by_id(row.id)
        if done.state != UNCONFIRMED:  # a double submit whose twin used the code first
            return done
        raise
    with transaction():
        serialize(f"feedback:{row.key_hash}")
        row = Feedback.get_by_id(row.id)
        if row.state != UNCONFIRMED:
            return row
        if not otp.consume(match):
            raise otp.used()
        return _confirm(row, actor_kind="citizen", actor_label=row.phone)


def due_date(confirmed_at):
    """The answer's due day: DUE_WORKING_DAYS working days after the day it was confirmed."""
    return add_working_days(to_vn(confirmed_at).date(), DUE_WORKING_DAYS)


def _confirm(row, **actor):
    now = utcnow()
    year = to_vn(now).year
    cursor = (
        FeedbackSequence.insert(office=row.office_id, year=year, last=1)
        .on_conflict(
            conflict_target=[FeedbackSequence.office, FeedbackSequence.year],
            update={FeedbackSequence.last: FeedbackSequence.last + 1},
        )
        .returning(FeedbackSequence.last)
        .execute()
    )
    seq = next(iter(cursor)).last
    row.number = f"{seq:05d}.PA/{year}/{row.office.code}"
    row.state, row.submitted_at, row.due_on = NEW, now, due_date(now)
    row.save()
    audit.record(
        "feedback.submit",
        obj=row,
        detail={"number": row.number, "department": row.department, "office": row.office.code},
        **actor,
    )
    notify.sms(
        row.phone,
        "feedback_received",
        number=row.number,
        office=row.office.name,
        due=row.due_on.strftime("%d/%m/%Y"),
    )
    return row


def lookup(number, phone, *, client):
    """Tra cứu phản ánh: the confirmed feedback with this number and phone, or None. LOOKUPS an
    hour per client (UserError on the number field when spent): numbers run in sequence."""
    try:
        limits.spend(LOOKUPS, client)
        limits.spend(LOOKUPS_PER_PHONE, phone or "")
        limits.spend(LOOKUPS_ALL, "all")
    except UserError as error:
        raise UserError(error.message, field="so", code=error.code, retry_after=error.retry_after) from None
    return Feedback.get_or_none(
        (Feedback.number == (number or "").strip().upper())
        & (Feedback.phone == phone)
        & (Feedback.state != UNCONFIRMED)
    )


@jobs.maintenance
def purge_unconfirmed():
    """Delete feedback whose code was never confirmed within UNCONFIRMED_HOURS (the daily job)."""
    cutoff = utcnow() - dt.timedelta(hours=UNCONFIRMED_HOURS)
    return Feedback.delete().where((Feedback.state == UNCONFIRMED) & (Feedback.created_at < cutoff)).execute()


MODELS = [Feedback, FeedbackSequence]
