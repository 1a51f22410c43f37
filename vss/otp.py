"""One-time codes (registration, sign-in takeover, password change): 6 digits from a CSPRNG,
stored only as an HMAC, bound to a purpose and a target, single use, a limited number of wrong
tries, a resend cool-down and an hourly cap per target. Earlier unexpired codes stay valid
because an SMS can arrive late."""

import datetime as dt
import hashlib
import hmac
import re
import secrets

from peewee import CharField, DateTimeField, IntegerField, fn

from vss import notify
from vss.clock import utcnow
from vss.db import BaseModel, serialize, transaction

CODE_LENGTH = 6
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=60)
SENDS_PER_HOUR = 5


class OtpError(Exception):
    """A code could not be sent or was not accepted; `message` is for the user."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


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

    class Meta:
        indexes = ((("purpose", "context", "expires_at"), False),
                   (("target", "created_at"), False))


def configure(resend_seconds):
    """Set the resend cool-down from the app's configuration (the same in every worker)."""
    global RESEND_AFTER
    RESEND_AFTER = dt.timedelta(seconds=resend_seconds)


def _digest(key, target, code):
    return hmac.new(key.encode(), f"{target}|{code}".encode(), hashlib.sha256).hexdigest()


def clean(raw):
    """What the user typed, without spaces or hyphens ('123 456' and '123-456' are fine)."""
    return re.sub(r"[\s\-]", "", raw or "")


def issue(purpose, context, target, *, key, lifetime_minutes=5, channel=notify.SMS, person=None):
    """Create a code and queue its message (after commit). Raises OtpError when this flow sent a
    code less than RESEND_AFTER ago, or the target has had SENDS_PER_HOUR in the last hour."""
    with transaction():
        serialize(f"otp:{target}")
        now = utcnow()
        recent = (OneTimeCode.select(fn.MAX(OneTimeCode.created_at), fn.COUNT(OneTimeCode.id))
                  .where((OneTimeCode.target == target)
                         & (OneTimeCode.created_at > now - dt.timedelta(hours=1)))
                  .scalar(as_tuple=True))
        _, count = recent
        if count >= SENDS_PER_HOUR:
            raise OtpError("Bạn đã yêu cầu quá nhiều mã trong một giờ. Vui lòng thử lại sau.")
        # The cool-down is per flow and target: another flow (a sign-in right after a password
        # change) may send at once; the hourly cap above still limits what one number receives.
        last = (OneTimeCode.select(fn.MAX(OneTimeCode.created_at))
                .where((OneTimeCode.purpose == purpose) & (OneTimeCode.context == context)
                       & (OneTimeCode.target == target)).scalar())
        if last and now - last < RESEND_AFTER:
            wait = int((RESEND_AFTER - (now - last)).total_seconds()) + 1
            raise OtpError(f"Vui lòng đợi {wait} giây trước khi yêu cầu mã mới.", retry_after=wait)
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
        row = OneTimeCode.create(purpose=purpose, context=context, target=target,
                                 code_hmac=_digest(key, target, code), created_at=now,
                                 expires_at=now + dt.timedelta(minutes=lifetime_minutes))
        notify.send_code(target, code, lifetime_minutes, channel=channel, person=person)
    return row


def verify(purpose, context, targets, raw_code, *, key):
    """Accept a code once; `targets` is the phone (or [phone, email]) it may have gone to.
    Raises OtpError with the reason (wrong, expired, used, for another purpose, too many
    tries). Counters change in single UPDATE statements, so concurrent guesses cannot exceed
    MAX_ATTEMPTS."""
    code = clean(raw_code)
    if not re.fullmatch(rf"\d{{{CODE_LENGTH}}}", code):
        raise OtpError(f"Mã xác thực gồm {CODE_LENGTH} chữ số.")
    targets = [targets] if isinstance(targets, str) else [t for t in targets if t]
    digests = [_digest(key, target, code) for target in targets]
    now = utcnow()
    live = ((OneTimeCode.purpose == purpose) & (OneTimeCode.context == context)
            & OneTimeCode.used_at.is_null() & (OneTimeCode.expires_at > now)
            & (OneTimeCode.attempts < MAX_ATTEMPTS))
    accepted = (OneTimeCode.update(used_at=now)
                .where(live & OneTimeCode.code_hmac.in_(digests)).execute())
    if accepted:
        # The flow is done: earlier codes of the same flow must not work afterwards.
        (OneTimeCode.update(used_at=now)
         .where((OneTimeCode.purpose == purpose) & (OneTimeCode.context == context)
                & OneTimeCode.used_at.is_null()).execute())
        return True
    same = (OneTimeCode.select()
            .where(OneTimeCode.target.in_(targets) & OneTimeCode.code_hmac.in_(digests))
            .order_by(OneTimeCode.id.desc()).first())
    if same is not None and (same.purpose != purpose or same.context != context):
        raise OtpError("Mã này không dùng cho thao tác này. Vui lòng dùng mã vừa được gửi.")
    if same is not None and same.used_at is not None:
        raise OtpError("Mã này đã được sử dụng. Vui lòng yêu cầu mã mới.")
    if same is not None and same.expires_at <= now:
        raise OtpError("Mã đã hết hạn. Vui lòng yêu cầu mã mới.")
    (OneTimeCode.update(attempts=OneTimeCode.attempts + 1).where(live).execute())
    left = (OneTimeCode.select(fn.MAX(MAX_ATTEMPTS - OneTimeCode.attempts))
            .where(live).scalar()) or 0
    if left <= 0:
        raise OtpError("Bạn đã nhập sai quá số lần cho phép. Vui lòng yêu cầu mã mới.")
    raise OtpError(f"Mã xác thực không đúng. Bạn còn {left} lần thử.")


def purge(older_than=dt.timedelta(days=1)):
    """Delete codes expired for more than `older_than` (the daily job)."""
    return OneTimeCode.delete().where(OneTimeCode.expires_at < utcnow() - older_than).execute()


MODELS = [OneTimeCode]
