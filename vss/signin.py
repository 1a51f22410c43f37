"""Citizen sign-in: one device at a time (a second device needs a code sent to the registered
phone, then the first is signed out), server-side sessions, lockout, and the password
lifecycle (first change, change, forgotten, six-monthly reminder)."""

import datetime as dt
import hashlib
import re
import secrets

from peewee import BooleanField, Case, CharField, DateTimeField, ForeignKeyField, IntegerField

from vss import audit, notify, otp
from vss.accounts import Account, hash_password
from vss.clock import to_vn, utcnow
from vss.db import BaseModel, transaction
from vss.registry import Person

MAX_FAILURES = 5
LOCK_MINUTES = 15
BOUND_SESSION_DAYS = 30
SHARED_IDLE_MINUTES = 30
REAUTH_MINUTES = 15
PASSWORD_MAX_AGE_DAYS = 182
MIN_PASSWORD = 8
SIGNIN, FIRST, RESET, CHANGE = "signin", "first-password", "reset", "change-password"
GENERIC_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng."
# The most common passwords people choose here (and everywhere): refused outright.
COMMON_PASSWORDS = frozenset(["12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "88888888", "66666666", "12341234", "11223344", "password", "password1", "matkhau", "matkhau1", "matkhau123", "abc12345", "abcd1234", "qwerty12", "qwertyui", "1qaz2wsx", "iloveyou", "anhyeuem", "emyeuanh", "yeuemmaimai", "vietnam1", "vietnam123", "hanoi123", "saigon123", "baohiem", "bhxh1234", "admin123", "welcome1", "12345abc", "a1234567", "zxcvbnm1", "asdfghjk", "123123123", "147258369", "11112222", "99999999"])


class SignInError(Exception):
    """Sign-in refused; `message` is for the user."""

    def __init__(self, message=GENERIC_ERROR):
        super().__init__(message)
        self.message = message


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


class RateLimit(BaseModel):
    """A fixed-window counter (per IP, per account…), incremented in one UPSERT."""

    key = CharField(max_length=128)
    window = IntegerField()
    count = IntegerField(default=0)

    class Meta:
        indexes = ((("key", "window"), True),)


MODELS = [CitizenSession, RateLimit]


def device_hash(device_id):
    """Only a hash of the browser's device id is stored."""
    return hashlib.sha256((device_id or "").encode()).hexdigest() if device_id else ""


def new_device_id():
    return secrets.token_urlsafe(32)


def rate_limited(key, limit, per_seconds):
    """Count one more event for `key`; True when over `limit` in the current window."""
    window = int(utcnow().timestamp()) // per_seconds
    cursor = (RateLimit.insert(key=key, window=window, count=1)
              .on_conflict(conflict_target=[RateLimit.key, RateLimit.window],
                           update={RateLimit.count: RateLimit.count + 1})
              .returning(RateLimit.count).execute())
    return next(iter(cursor)).count > limit


# --- first factor -------------------------------------------------------------------------


def find_account(username):
    """The account of a BHXH code or of a 12-digit CCCD number, or None."""
    value = re.sub(r"\s", "", username or "")
    if re.fullmatch(r"\d{10}", value):
        return Account.get_or_none(Account.username == value)
    if re.fullmatch(r"\d{12}", value):
        return Account.select().join(Person).where(Person.cccd == value).first()
    return None


def locked_message(until):
    return (f"Tài khoản tạm khoá do nhập sai mật khẩu {MAX_FAILURES} lần, đến "
            f"{to_vn(until):%H:%M ngày %d/%m/%Y}. Bạn có thể dùng “Quên mật khẩu”.")


def _record_failure(account):
    """Count a wrong password in one statement; the fifth locks the account and tells the owner."""
    now = utcnow()
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    (Account.update(failed_logins=Account.failed_logins + 1,
                    locked_until=Case(None, ((Account.failed_logins + 1 >= MAX_FAILURES, until),),
                                      Account.locked_until))
     .where((Account.id == account.id) & (Account.locked_until.is_null() | (Account.locked_until <= now)))
     .execute())
    fresh = Account.get_by_id(account.id)
    if fresh.locked_until and fresh.locked_until > now and fresh.failed_logins == MAX_FAILURES:
        with transaction():
            # Only the request that reached the limit sends the SMS (the counter moves once).
            moved = (Account.update(failed_logins=MAX_FAILURES + 1)
                     .where((Account.id == account.id) & (Account.failed_logins == MAX_FAILURES)).execute())
            if moved:
                notify.sms(fresh.phone, "account_locked", person=fresh.person_id,
                           until=f"{to_vn(fresh.locked_until):%H:%M %d/%m/%Y}")
                audit.record("account.locked", actor_kind="citizen", actor_id=fresh.id, obj=fresh)
        raise SignInError(locked_message(fresh.locked_until))


def check_password(username, password):
    """The account if the password is right; SignInError otherwise (one message for any wrong
    combination, the lock message when locked)."""
    account = find_account(username)
    now = utcnow()
    if account is None:
        hash_password(password or "x")  # similar work whether or not the account exists
        raise SignInError()
    if account.locked_until and account.locked_until > now:
        raise SignInError(locked_message(account.locked_until))
    if account.failed_logins >= MAX_FAILURES:  # a lock that ran out starts a fresh count
        Account.update(failed_logins=0).where(Account.id == account.id).execute()
    if not account.check_password(password or ""):
        _record_failure(account)
        raise SignInError()
    Account.update(failed_logins=0, locked_until=None).where(Account.id == account.id).execute()
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


def send_code(account, purpose, context, *, key, minutes):
    """A code to the registered phone for this sign-in step."""
    otp.issue(purpose, context, account.phone, key=key, lifetime_minutes=minutes, person=account.person_id)


# --- passwords ----------------------------------------------------------------------------


def password_problem(account, password, repeat=None):
    """Why a new password is not acceptable, or None."""
    if repeat is not None and password != repeat:
        return "Mật khẩu nhập lại không khớp."
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if any(ord(ch) > 126 or ord(ch) < 32 for ch in password):
        return "Mật khẩu chỉ gồm chữ không dấu, chữ số và ký hiệu (hãy tắt bộ gõ tiếng Việt)."
    person = account.person
    birth = person.birth_date
    forbidden = {account.username, account.phone, person.cccd or "", birth.strftime("%d%m%Y"),
                 birth.strftime("%d/%m/%Y"), birth.strftime("%Y%m%d"), birth.strftime("%d-%m-%Y")}
    lowered = password.lower()
    if any(item and item in lowered for item in forbidden):
        return "Mật khẩu không được chứa mã số BHXH, số điện thoại, số CCCD hay ngày sinh."
    if lowered in COMMON_PASSWORDS:
        return "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."
    return None


# --- sessions and the bound device --------------------------------------------------------


def end_sessions(account, reason, keep=None):
    """End the account's live sessions (except `keep`)."""
    query = CitizenSession.update(ended_at=utcnow(), end_reason=reason).where(
        (CitizenSession.account == account) & CitizenSession.ended_at.is_null())
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
            Account.update(device_hash=hashed, device_bound_at=utcnow()).where(Account.id == account.id).execute()
            if previous:
                notify.sms(account.phone, "new_device", person=account.person_id, username=account.username)
                if account.email:
                    notify.email(account.email, "new_device", person=account.person_id, username=account.username)
            audit.record("account.device_bound", actor_kind="citizen", actor_id=account.id, obj=account, ip=ip,
                         detail={"replaced": bool(previous)})
        CitizenSession.create(key=key, account=account, device_hash=hashed, shared=shared)
        audit.record("account.sign_in", actor_kind="citizen", actor_id=account.id, obj=account, ip=ip,
                     detail={"shared": shared})
    return key


def session_for(key):
    """(session, None) when live, or (None, why) with why in {'ended', 'taken_over', None}."""
    if not key:
        return None, None
    # One query for the session, its account and the person (every signed-in page needs them).
    row = (CitizenSession.select(CitizenSession, Account, Person).join(Account).join(Person)
           .where(CitizenSession.key == key).first())
    if row is None:
        return None, None
    if row.ended_at is not None:
        return None, ("taken_over" if row.end_reason in ("new_device", "signed_in_elsewhere") else "ended")
    now = utcnow()
    limit = (dt.timedelta(minutes=SHARED_IDLE_MINUTES) if row.shared else dt.timedelta(days=BOUND_SESSION_DAYS))
    if now - (row.last_seen_at if row.shared else row.created_at) > limit:
        return None, "ended"
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
        (CitizenSession.key == key) & CitizenSession.ended_at.is_null()).execute()


# --- forgotten password -------------------------------------------------------------------


def reset_target(bhxh_code, contact):
    """(account, target) when the code and the registered phone or email match, else (None, None)."""
    account = Account.get_or_none(Account.username == (bhxh_code or "").strip())
    contact = (contact or "").strip().lower()
    if account is None:
        return None, None
    if contact and contact in (account.phone, (account.email or "").lower()):
        return account, contact
    return None, None


# --- the six-monthly reminder -------------------------------------------------------------


def password_is_old(account):
    return utcnow() - account.password_changed_at > dt.timedelta(days=PASSWORD_MAX_AGE_DAYS)


def remind_old_passwords():
    """Daily: one SMS to each account whose password is older than six months."""
    cutoff = utcnow() - dt.timedelta(days=PASSWORD_MAX_AGE_DAYS)
    due = list(Account.select().where((Account.password_changed_at < cutoff) & Account.reminded_at.is_null()))
    for account in due:
        with transaction():
            if Account.update(reminded_at=utcnow()).where(
                    (Account.id == account.id) & Account.reminded_at.is_null()).execute():
                notify.sms(account.phone, "password_old", person=account.person_id)
    return len(due)




def verify_code(account, purpose, context, code, *, key):
    """Accept a sign-in code sent to the registered phone (raises OtpError)."""
    otp.verify(purpose, context, [account.phone, account.email], code, key=key)


def request_new_password(account, old, new, repeat, purpose, context, *, key, minutes):
    """Old, new, repeat: check them, hold the new password and send the code that confirms it.
    Returns the problem to show, or None (a refused resend only delays the code: the message
    says so and an earlier code still works)."""
    if not account.check_password(old or ""):
        return "Mật khẩu cũ không đúng."
    problem = password_problem(account, new, repeat)
    if problem:
        return problem
    hold_new_password(account, new)
    try:
        send_code(account, purpose, context, key=key, minutes=minutes)
    except otp.OtpError as error:
        return error.message if "quá nhiều" in error.message else None
    return None


def hold_new_password(account, password):
    """Keep the chosen password (hashed) until its code arrives."""
    Account.update(pending_password_hash=hash_password(password)).where(Account.id == account.id).execute()


def confirm_new_password(account, purpose, context, code, *, key):
    """The code confirms the held password: it becomes the password; all sessions end."""
    otp.verify(purpose, context, [account.phone, account.email], code, key=key)
    held = Account.select(Account.pending_password_hash).where(Account.id == account.id).scalar()
    if not held:
        raise SignInError("Vui lòng nhập lại mật khẩu mới.")
    with transaction():
        Account.update(password_hash=held, pending_password_hash=None, must_change_password=False,
                       password_changed_at=utcnow(), failed_logins=0, locked_until=None,
                       reminded_at=None).where(Account.id == account.id).execute()
        end_sessions(account, reason="password")
        audit.record(f"account.{purpose}", actor_kind="citizen", actor_id=account.id, obj=account)


def send_reset_code(account, target, *, key, minutes):
    """A reset code to the registered phone or email the person typed."""
    channel = notify.EMAIL if "@" in target else notify.SMS
    otp.issue(RESET, f"reset:{account.id}", target, key=key, lifetime_minutes=minutes, channel=channel,
              person=account.person_id)


def verify_reset(account, code, password, *, key):
    """The reset code makes `password` the account's password; every session ends."""
    hold_new_password(account, password)
    confirm_new_password(account, RESET, f"reset:{account.id}", code, key=key)
