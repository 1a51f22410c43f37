"""One-time codes (registration, sign-in takeover, password change and reset): 6 digits from a CSPRNG,
stored only as an HMAC (key: the OTP_HMAC_KEY setting), bound to a purpose and a flow (context), single
use, at most MAX_ATTEMPTS guesses per code, a resend cool-down, an hourly cap per target and send
budgets per client and for the whole service. Earlier unexpired codes stay valid (an SMS can be late).

Guessing is counted before it is judged: each guess first reserves one attempt of every live code of
its flow in one UPDATE (autocommit), then compares. So however many guesses race, at most MAX_ATTEMPTS
are ever compared against a code, and no caller's rollback can undo the count: `check` refuses to run
inside a transaction. A right code is consumed separately (`consume`), inside the transaction that
acts on it, so a failed action leaves the code usable and a double submit acts once."""

import datetime as dt
import hashlib
import hmac
import itertools
import re
import secrets
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from peewee import Case, CharField, DateTimeField, IntegerField, TextField, fn

from vss.core import jobs, limits
from vss.core.clock import utcnow
from vss.core.db import BaseModel, db, serialize, transaction
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.messages import notify

CODE_LENGTH = 6
MAX_ATTEMPTS = 5
# Codes one number receives in an hour at one client's request, and in all. A stranger who knows
# someone's BHXH code and phone can spend only their own share: the owner, asking from another
# network, still gets codes (the total only stops a number being flooded from many networks).
SENDS_PER_HOUR = 5
SENDS_PER_HOUR_ALL = 20
_BUDGETS = {
    "client": limits.Budget("otp-client", 10, 600, limits.CLIENT_BUSY),
    "all": limits.Budget("otp-all", 300, 60, limits.SERVICE_BUSY),
}

WRONG_FORMAT = _l("Mã xác thực gồm 6 chữ số.")
WRONG_OR_EXPIRED = _l("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng kiểm tra lại hoặc yêu cầu mã mới.")
USED = _l("Mã này đã được sử dụng. Vui lòng yêu cầu mã mới.")
EXPIRED = _l("Mã đã hết hạn. Vui lòng yêu cầu mã mới.")
EXHAUSTED = _l("Bạn đã nhập sai quá số lần cho phép. Vui lòng yêu cầu mã mới.")
TARGET_CAP = _l("Bạn đã yêu cầu quá nhiều mã trong một giờ. Vui lòng thử lại sau.")


class OtpError(UserError):
    """A code could not be sent or was not accepted; `code` says why ('format', 'wrong',
    'used', 'expired', 'exhausted', 'cooldown', 'target_cap', 'budget')."""


class OneTimeCode(BaseModel):
    """One code sent to one target for one purpose and one flow (context)."""

    purpose = CharField(max_length=24)
    context = CharField(max_length=64)  # the flow it belongs to: a draft id, an account id…
    target = CharField(max_length=254)  # normalised phone or email
    code_hmac = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    attempts = IntegerField(default=0)
    used_at = DateTimeField(null=True)
    client = CharField(max_length=64, default="")  # who asked (an IP, an IPv6 /64): the hourly share
    # What the code will confirm (e.g. a new password's hash), cleared when the code is used.
    payload = TextField(null=True)

    class Meta:
        indexes = ((("purpose", "context", "expires_at"), False), (("target", "created_at"), False))


class Match(NamedTuple):
    """A code that was right, not yet consumed."""

    id: int
    purpose: str
    context: str
    payload: str | None
    target: str | None = None  # which of the targets the code was sent to (a phone, an email)


def _budget(name):
    """The client or service send budget, as configured (OTP_BUDGET_CLIENT, OTP_BUDGET_ALL)."""
    budget = _BUDGETS[name]
    limit, seconds = limits.parse(
        settings.get(f"OTP_BUDGET_{name.upper()}"), f"{budget.limit}/{budget.seconds}"
    )
    return budget._replace(limit=limit, seconds=seconds)


def within_budgets(client):
    """Spend one send of the asking client's budget and one of the service's for a message anyone
    can cause (e.g. the lock SMS after five wrong passwords); False when either is spent. The
    client's share comes first: one client locking account after account tells a few owners,
    not every owner in the registry, and leaves the service's sends to everyone else."""
    try:
        if client:
            limits.spend(_budget("client"), client)
        limits.spend(_budget("all"), "all")
    except UserError:
        return False
    return True


def _digest(key, target, code):
    key = key or settings.OTP_HMAC_KEY
    return hmac.new(key.encode(), f"{target}|{code}".encode(), hashlib.sha256).hexdigest()


def _live(purpose, context, now):
    """The codes of a flow that may still be used."""
    flow = (OneTimeCode.purpose == purpose) & (OneTimeCode.context == context)
    return flow & OneTimeCode.used_at.is_null() & (OneTimeCode.expires_at > now)


def clean(raw):
    """What the user typed, without spaces or hyphens ('123 456' and '123-456' are fine)."""
    return re.sub(r"[\s\-]", "", raw or "")


def issue(
    purpose,
    context,
    target,
    *,
    client,
    key=None,
    lifetime_minutes=None,
    channel=notify.SMS,
    person=None,
    payload=None,
):
    """Create a code and queue its message (after commit). Raises OtpError when this flow sent a
    code less than the cool-down ago, the target has had SENDS_PER_HOUR in the last hour, or
    the client's or the service's send budget is spent. `client` is the requester (an IP); the
    key and lifetime default to the settings (OTP_HMAC_KEY, OTP_LIFETIME_MINUTES)."""
    lifetime_minutes = lifetime_minutes or settings.OTP_LIFETIME_MINUTES
    with transaction():
        serialize(f"otp:{target}")
        now = utcnow()
        client = limits.client_key(client)
        hour = (OneTimeCode.target == target) & (OneTimeCode.created_at > now - dt.timedelta(hours=1))
        mine, count = (
            OneTimeCode.select(
                fn.SUM(Case(None, ((OneTimeCode.client == (client or ""), 1),), 0)), fn.COUNT(OneTimeCode.id)
            )
            .where(hour)
            .scalar(as_tuple=True)
        )
        if (mine or 0) >= SENDS_PER_HOUR or count >= SENDS_PER_HOUR_ALL:
            raise OtpError(TARGET_CAP, code="target_cap")
        # The cool-down is per flow and target: another flow (a sign-in right after a password
        # change) may send at once; the hourly cap above still limits what one number receives.
        last = (
            OneTimeCode.select(fn.MAX(OneTimeCode.created_at))
            .where(
                (OneTimeCode.purpose == purpose)
                & (OneTimeCode.context == context)
                & (OneTimeCode.target == target)
            )
            .scalar()
        )
        if last and now - last < dt.timedelta(seconds=settings.OTP_RESEND_SECONDS):
            wait = int((dt.timedelta(seconds=settings.OTP_RESEND_SECONDS) - (now - last)).total_seconds()) + 1
            raise OtpError(
                _l("Vui lòng đợi %(seconds)s giây trước khi yêu cầu mã mới.", seconds=wait),
                code="cooldown",
                retry_after=wait,
            )
        try:
            limits.spend(_budget("client"), client)
            limits.spend(_budget("all"), "all")
        except UserError as spent:
            raise OtpError(spent.message, code="budget", retry_after=spent.retry_after) from None
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
        row = OneTimeCode.create(
            purpose=purpose,
            context=context,
            target=target,
            client=client or "",
            code_hmac=_digest(key, target, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=lifetime_minutes),
            payload=payload,
        )
        notify.send_code(target, code, lifetime_minutes, channel=channel, person=person)
    return row


def check(purpose, context, targets, raw_code, *, key=None, explain=True):
    """Judge a guess: the Match when it is right (not yet consumed), else OtpError (on the form's
    `code` field). Each guess costs one attempt of every live code of the flow, reserved before
    comparing and committed at once. `explain=False` gives one message for every wrong case (for
    flows where the reason would tell a stranger something). `key`: OTP_HMAC_KEY unless given."""
    if db.in_transaction():
        raise RuntimeError("otp.check inside a transaction: a rollback would undo the attempt count")
    code = clean(raw_code)
    if not re.fullmatch(rf"[0-9]{{{CODE_LENGTH}}}", code):
        raise _refused(WRONG_FORMAT, "format")
    targets = [targets] if isinstance(targets, str) else [t for t in targets if t]
    digests = [_digest(key, target, code) for target in targets]
    now = utcnow()
    live = _live(purpose, context, now)
    reserved = list(
        OneTimeCode.update(attempts=OneTimeCode.attempts + 1)
        .where(live & (OneTimeCode.attempts < MAX_ATTEMPTS))
        .returning(OneTimeCode.id, OneTimeCode.code_hmac, OneTimeCode.attempts, OneTimeCode.payload)
        .execute()
    )
    for row, (target, digest) in itertools.product(reserved, zip(targets, digests, strict=True)):
        if hmac.compare_digest(row.code_hmac, digest):  # the holder is not guessing: give it back
            OneTimeCode.update(attempts=OneTimeCode.attempts - 1).where(OneTimeCode.id == row.id).execute()
            return Match(row.id, purpose, context, row.payload, target)
    if not explain:
        raise _refused(WRONG_OR_EXPIRED, "wrong")
    _explain(purpose, context, digests, reserved, now)


def _explain(purpose, context, digests, reserved, now):
    """Raise the OtpError that says why a guess was not accepted. Only this flow's own codes are
    looked at: comparing a guess with codes of other flows would answer, without limit, whether
    it is a code some other flow sent to the same phone."""
    flow = (OneTimeCode.purpose == purpose) & (OneTimeCode.context == context)
    same = (
        OneTimeCode.select()
        .where(flow & OneTimeCode.code_hmac.in_(digests))
        .order_by(OneTimeCode.id.desc())
        .first()
    )
    if same is not None and same.used_at is not None:
        raise _refused(USED, "used")
    if same is not None and same.expires_at <= now:
        raise _refused(EXPIRED, "expired")
    left = max((MAX_ATTEMPTS - row.attempts for row in reserved), default=0)
    if left > 0:
        raise _refused(_l("Mã xác thực không đúng. Bạn còn %(left)s lần thử.", left=left), "wrong")
    exhausted = OneTimeCode.select().where(_live(purpose, context, now)).exists()
    raise _refused(EXHAUSTED, "exhausted") if exhausted else _refused(EXPIRED, "expired")


def consume(match):
    """Use a right code, inside the transaction that acts on it: True once; False when another
    request used it first (a double submit). The rest of the flow's codes end with it."""
    now = utcnow()
    taken = (
        OneTimeCode.update(used_at=now, payload=None)
        .where((OneTimeCode.id == match.id) & OneTimeCode.used_at.is_null())
        .execute()
    )
    if not taken:
        return False
    (
        OneTimeCode.update(used_at=now, payload=None)
        .where(
            (OneTimeCode.purpose == match.purpose)
            & (OneTimeCode.context == match.context)
            & OneTimeCode.used_at.is_null()
        )
        .execute()
    )
    return True


def verify(purpose, context, targets, raw_code, *, key=None):
    """Check and consume at once (when nothing else must happen in the same transaction)."""
    match = check(purpose, context, targets, raw_code, key=key)
    if not consume(match):
        raise used()
    return match


def used():
    """The error for a right code that another request used first (a double submit)."""
    return _refused(USED, "used")


def _refused(message, code):
    return OtpError(message, field="code", code=code)  # a guess refused: on the form's code field


def flow_payload(purpose, context):
    """What the flow's newest live code carries (a resent code confirms the same thing)."""
    live = _live(purpose, context, utcnow())
    return OneTimeCode.select(OneTimeCode.payload).where(live).order_by(OneTimeCode.id.desc()).scalar()


@jobs.maintenance
def purge(older_than=dt.timedelta(days=1)):
    """Delete codes expired for more than `older_than`; forget what expired codes carried
    (the daily job)."""
    now = utcnow()
    OneTimeCode.update(payload=None).where(
        OneTimeCode.payload.is_null(False) & (OneTimeCode.expires_at < now)
    ).execute()
    return OneTimeCode.delete().where(OneTimeCode.expires_at < now - older_than).execute()


MODELS = [OneTimeCode]
