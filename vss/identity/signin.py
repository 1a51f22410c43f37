"""Citizen sign-in: one device at a time (a second device needs a code sent to the registered
phone, then the first is signed out), server-side sessions, the password lock, and the password
lifecycle (first change, change, forgotten, six-monthly reminder).

The password lock (vss.identity.lockout) applies to the password path only, and the owner's bound device
keeps its own count: a stranger who types wrong passwords for someone's BHXH code (printed on
every BHYT card) locks out only devices that are not the owner's phone, and the owner can always
get back in with a code sent to the registered phone or email ("Quên mật khẩu"). Every answer
on the way is the same for real and unknown codes.

A new password is never stored until its code has verified: a change carries its hash in the
one-time code of its own flow (`otp.OneTimeCode.payload`), and a reset takes the password in
the same request as the code, checking the code first."""

import datetime as dt
import hashlib
import re
import secrets

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash

from vss.core import audit
from vss.core.clock import to_vn, utcnow
from vss.core.db import BaseModel, FixedQuery, transaction
from vss.core.errors import UserError
from vss.identity import lockout, otp
from vss.identity.accounts import Account, hash_password
from vss.messages import notify
from vss.registry.registry import Person

MAX_FAILURES = lockout.MAX_FAILURES
BOUND_SESSION_DAYS = 30
SHARED_IDLE_MINUTES = 30
BOUND_SESSION = dt.timedelta(days=BOUND_SESSION_DAYS)
SHARED_IDLE = dt.timedelta(minutes=SHARED_IDLE_MINUTES)
TAKEN_OVER = ("new_device", "signed_in_elsewhere")  # end reasons: another device signed in
REAUTH_MINUTES = 15
PASSWORD_MAX_AGE_DAYS = 182
MIN_PASSWORD = 8
SIGNIN, FIRST, RESET, CHANGE = "signin", "first-password", "reset", "change-password"
GENERIC_ERROR = _l(
    "Mã số BHXH (hoặc số CCCD) hoặc mật khẩu không đúng. Sau 5 lần nhập sai, đăng nhập bằng "
    "mật khẩu tạm dừng 15 phút; bạn vẫn có thể dùng “Quên mật khẩu” để nhận mã qua điện thoại."
)
OLD_WRONG = _l("Mật khẩu cũ không đúng.")
OTHER_DEVICES = lockout.Counter(Account, Account.failed_logins, Account.locked_until)
BOUND_DEVICE = lockout.Counter(Account, Account.device_failed_logins, Account.device_locked_until)
_DUMMY_HASH = hash_password("not-a-real-password")
# The most common passwords people choose here (and everywhere): refused outright.
COMMON_PASSWORDS = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "87654321",
        "11111111",
        "00000000",
        "88888888",
        "66666666",
        "12341234",
        "11223344",
        "password",
        "password1",
        "matkhau",
        "matkhau1",
        "matkhau123",
        "abc12345",
        "abcd1234",
        "qwerty12",
        "qwertyui",
        "1qaz2wsx",
        "iloveyou",
        "anhyeuem",
        "emyeuanh",
        "yeuemmaimai",
        "vietnam1",
        "vietnam123",
        "hanoi123",
        "saigon123",
        "baohiem",
        "bhxh1234",
        "admin123",
        "welcome1",
        "12345abc",
        "a1234567",
        "zxcvbnm1",
        "asdfghjk",
        "123123123",
        "147258369",
        "11112222",
        "99999999",
    ]
)


class SignInError(UserError):
    """Sign-in refused; the message never says which part was wrong."""

    def __init__(self, message=GENERIC_ERROR, **kwargs):
        super().__init__(message, **kwargs)


class CitizenSession(BaseModel):
    """A signed-in citizen session, checked on every request (works across workers)."""

    key = CharField(max_length=64, unique=True)
    account = ForeignKeyField(Account, on_delete="CASCADE")
    device_hash = CharField(max_length=64, default="")
    shared = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    reauth_at = DateTimeField(default=utcnow)  # when the password was last typed
    ended_at = DateTimeField(null=True)
    end_reason = CharField(max_length=24, default="")


MODELS = [CitizenSession]


def device_hash(device_id):
    """Only a hash of the browser's device id is stored."""
    return hashlib.sha256((device_id or "").encode()).hexdigest() if device_id else ""


def new_device_id():
    return secrets.token_urlsafe(32)


# --- first factor -------------------------------------------------------------------------


def find_account(username):
    """The account of a BHXH code or of a 12-digit CCCD number, or None."""
    value = re.sub(r"\s", "", username or "")
    if re.fullmatch(r"[0-9]{10}", value):
        return Account.get_or_none(Account.username == value)
    if re.fullmatch(r"[0-9]{12}", value):
        return Account.select().join(Person).where(Person.cccd == value).first()
    return None


def _counter(account, device):
    bound = account.device_hash and device and account.device_hash == device_hash(device)
    return BOUND_DEVICE if bound else OTHER_DEVICES


def password_matches(account, password, *, device=None, ip=""):
    """Check a password typed for `account` under the lock (sign-in, and every re-entry of the
    password: change, first password, change requests). False when wrong or when no check may
    be made now; the owner is told by SMS when their password path locks."""
    counter = _counter(account, device)
    number = lockout.reserve(counter, account.id)
    if number is None:
        check_password_hash(_DUMMY_HASH, password or "")  # the same work as a real check
        return False
    if account.check_password(password or ""):
        lockout.succeeded(counter, account.id, number)
        return True
    with transaction():
        audit.record(
            "account.password_wrong",
            actor_kind="citizen",
            actor_id=account.id,
            obj=account,
            ip=ip,
            detail={"check": number, "bound_device": counter is BOUND_DEVICE},
        )
        # Anyone can cause this SMS (five wrong passwords), so it spends the service's send
        # budget like a code does; over budget the owner is not told, the lock still holds.
        if number == MAX_FAILURES and otp.within_service_budget():
            until = getattr(Account.get_by_id(account.id), counter.until.name)
            notify.sms(
                account.phone,
                "account_locked",
                person=account.person_id,
                until=f"{to_vn(until):%H:%M %d/%m/%Y}",
            )
    return False


def check_password(username, password, *, device=None, ip=""):
    """The account if the password is right; SignInError (one message for every failure,
    real account or not, locked or not) otherwise."""
    account = find_account(username)
    if account is None:
        check_password_hash(_DUMMY_HASH, password or "")  # similar work whether or not it exists
        raise SignInError()
    if not password_matches(account, password, device=device, ip=ip):
        raise SignInError()
    return account


def next_step(account, device, shared):
    """After the password: 'first' (must set a new password), 'shared' (code, no binding),
    'in' (the bound device), 'takeover' (another device: warn, then code) or 'unbound'."""
    if account.must_change_password:
        return "first"
    if shared:
        return "shared"
    if account.device_hash and account.device_hash == device_hash(device):
        return "in"
    return "takeover" if account.device_hash else "unbound"


def send_code(account, purpose, context, *, key, minutes, client, payload=None):
    """A code to the registered phone for this step (raises otp.OtpError when it cannot go)."""
    otp.issue(
        purpose,
        context,
        account.phone,
        key=key,
        lifetime_minutes=minutes,
        person=account.person_id,
        client=client,
        payload=payload,
    )


def resend_code(account, purpose, context, *, key, minutes, client):
    """'Không nhận được mã?': another code for the same flow, confirming the same thing."""
    send_code(
        account,
        purpose,
        context,
        key=key,
        minutes=minutes,
        client=client,
        payload=otp.flow_payload(purpose, context),
    )


def verify_code(account, purpose, context, code, *, key):
    """Accept a sign-in code sent to the registered phone (raises otp.OtpError)."""
    otp.verify(purpose, context, [account.phone, account.email], code, key=key)


# --- passwords ----------------------------------------------------------------------------


def password_problem(account, password, repeat=None):
    """Why a new password is not acceptable, or None."""
    if repeat is not None and password != repeat:
        return _l("Mật khẩu nhập lại không khớp.")
    if len(password) < MIN_PASSWORD:
        return _l("Mật khẩu cần ít nhất %(count)s ký tự.", count=MIN_PASSWORD)
    if any(ord(ch) > 126 or ord(ch) < 32 for ch in password):
        return _l("Mật khẩu chỉ gồm chữ không dấu, chữ số và ký hiệu (hãy tắt bộ gõ tiếng Việt).")
    person = account.person
    birth = person.birth_date
    forbidden = {
        account.username,
        account.phone,
        person.cccd or "",
        birth.strftime("%d%m%Y"),
        birth.strftime("%d/%m/%Y"),
        birth.strftime("%Y%m%d"),
        birth.strftime("%d-%m-%Y"),
    }
    lowered = password.lower()
    if any(item and item in lowered for item in forbidden):
        return _l("Mật khẩu không được chứa mã số BHXH, số điện thoại, số CCCD hay ngày sinh.")
    if lowered in COMMON_PASSWORDS:
        return _l("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")
    return None


def request_new_password(account, old, new, repeat, purpose, *, device, key, minutes, client, ip=""):
    """Old, new, repeat: check them and send the code that confirms the new password; the
    password's hash travels in that code alone. Returns the flow's context (a new flow each
    time, so an earlier code can never confirm a later choice); raises UserError."""
    if not password_matches(account, old, device=device, ip=ip):
        raise SignInError(OLD_WRONG, field="old")
    problem = password_problem(account, new, repeat)
    if problem:
        raise UserError(problem, field="new")
    context = f"{purpose}:{account.id}:{secrets.token_hex(8)}"
    send_code(account, purpose, context, key=key, minutes=minutes, client=client, payload=hash_password(new))
    return context


def confirm_new_password(account, purpose, context, code, *, key):
    """The code confirms the password it carries: it becomes the password; all sessions end."""
    match = otp.check(purpose, context, [account.phone, account.email], code, key=key)
    if not match.payload:
        raise SignInError(_l("Vui lòng nhập lại mật khẩu mới."))
    with transaction():
        if not otp.consume(match):
            raise otp.OtpError(otp.USED, code="used")
        set_password(account, match.payload, f"account.{purpose}")


def set_password(account, password_hash, action):
    """A verified new password: it replaces the old one, every lock and session ends."""
    Account.update(
        password_hash=password_hash,
        must_change_password=False,
        password_changed_at=utcnow(),
        failed_logins=0,
        locked_until=None,
        device_failed_logins=0,
        device_locked_until=None,
        reminded_at=None,
    ).where(Account.id == account.id).execute()
    end_sessions(account, reason="password")
    audit.record(action, actor_kind="citizen", actor_id=account.id, obj=account)


# --- sessions and the bound device --------------------------------------------------------


def end_sessions(account, reason, keep=None):
    """End the account's live sessions (except `keep`)."""
    query = CitizenSession.update(ended_at=utcnow(), end_reason=reason).where(
        (CitizenSession.account == account) & CitizenSession.ended_at.is_null()
    )
    if keep:
        query = query.where(CitizenSession.key != keep)
    return query.execute()


def open_session(account, device, *, shared=False, bind=False, ip=""):
    """Sign in: end any other session (one device at a time), bind the device if asked, and
    return the new session key."""
    key = secrets.token_urlsafe(32)
    hashed = device_hash(device)
    with transaction():
        end_sessions(account, reason="new_device" if bind else "signed_in_elsewhere")
        if bind and account.device_hash != hashed:
            previous = account.device_hash
            # The new device starts with a clean count of its own.
            Account.update(
                device_hash=hashed, device_bound_at=utcnow(), device_failed_logins=0, device_locked_until=None
            ).where(Account.id == account.id).execute()
            if previous:
                notify.sms(account.phone, "new_device", person=account.person_id, username=account.username)
                if account.email:
                    notify.email(
                        account.email, "new_device", person=account.person_id, username=account.username
                    )
            audit.record(
                "account.device_bound",
                actor_kind="citizen",
                actor_id=account.id,
                obj=account,
                ip=ip,
                detail={"replaced": bool(previous)},
            )
        CitizenSession.create(key=key, account=account, device_hash=hashed, shared=shared)
        audit.record(
            "account.sign_in",
            actor_kind="citizen",
            actor_id=account.id,
            obj=account,
            ip=ip,
            detail={"shared": shared},
        )
    return key


# One query for the session, its account and the person (every signed-in page needs them); its
# SQL made once (vss.core.db.FixedQuery): it runs on every signed-in request.
_SESSION = FixedQuery(
    lambda key: (
        CitizenSession.select(CitizenSession, Account, Person)
        .join(Account)
        .join(Person)
        .where(CitizenSession.key == key)
    )
)


def why_ended(ended_at, end_reason, shared, created_at, last_seen_at, now):
    """The one liveness rule of a citizen session: None while it signs its citizen in, else why
    not — 'taken_over' (another device signed in) or 'ended' (signed out, password changed, a
    shared computer idle SHARED_IDLE_MINUTES, a bound device BOUND_SESSION_DAYS after sign-in,
    whatever happened since). Asked by `session_for` and by the stored card page
    (vss.views.card_page), which reads the same columns in its own query."""
    if ended_at is not None:
        return "taken_over" if end_reason in TAKEN_OVER else "ended"
    if shared:
        return "ended" if now - last_seen_at > SHARED_IDLE else None
    return "ended" if now - created_at > BOUND_SESSION else None


def session_for(key):
    """(session, None) when live, or (None, why) with why in {'ended', 'taken_over', None}."""
    if not key:
        return None, None
    rows = _SESSION.rows(key)
    if not rows:
        return None, None
    row = rows[0]
    now = utcnow()
    why = why_ended(row.ended_at, row.end_reason, row.shared, row.created_at, row.last_seen_at, now)
    if why:
        return None, why
    if now - row.last_seen_at > dt.timedelta(minutes=1):
        CitizenSession.update(last_seen_at=now).where(CitizenSession.id == row.id).execute()
    return row, None


def needs_reauth(row):
    """Changing credentials asks for the password again after REAUTH_MINUTES."""
    return utcnow() - row.reauth_at > dt.timedelta(minutes=REAUTH_MINUTES)


def reauthenticated(row):
    CitizenSession.update(reauth_at=utcnow()).where(CitizenSession.id == row.id).execute()


def close_session(key):
    CitizenSession.update(ended_at=utcnow(), end_reason="signed_out").where(
        (CitizenSession.key == key) & CitizenSession.ended_at.is_null()
    ).execute()


# --- the six-monthly reminder -------------------------------------------------------------


def password_is_old(account):
    return utcnow() - account.password_changed_at > dt.timedelta(days=PASSWORD_MAX_AGE_DAYS)


def remind_old_passwords():
    """Daily: one SMS to each account whose password is older than six months."""
    cutoff = utcnow() - dt.timedelta(days=PASSWORD_MAX_AGE_DAYS)
    due = list(Account.select().where((Account.password_changed_at < cutoff) & Account.reminded_at.is_null()))
    for account in due:
        with transaction():
            if (
                Account.update(reminded_at=utcnow())
                .where((Account.id == account.id) & Account.reminded_at.is_null())
                .execute()
            ):
                notify.sms(account.phone, "password_old", person=account.person_id)
    return len(due)
