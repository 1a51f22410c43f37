"""Staff sign-in (office code + username + password, then TOTP), server-side sessions with idle
and absolute limits, lockout, role scopes, and staff-account administration."""

import datetime as dt
import re
import secrets

import pyotp
from peewee import CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash

from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import BaseModel, transaction
from vss.core.errors import UserError
from vss.identity import lockout
from vss.identity.accounts import StaffUser, hash_password
from vss.identity.signin import device_hash
from vss.registry.directory import Office

MAX_FAILURES = lockout.MAX_FAILURES
LOCK_MINUTES = lockout.LOCK_MINUTES
PENDING_SECONDS = 300  # between the password and the code
PASSWORD_DONE, SIGNED_IN = "password", "full"
IDLE_MINUTES = 30
ABSOLUTE_HOURS = 12
TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen at most once a minute
TOTP_ISSUER = "VSS cán bộ"
GENERIC_ERROR = (
    "Thông tin đăng nhập không đúng, hoặc tài khoản đang tạm khoá do nhập sai nhiều lần. "
    "Vui lòng kiểm tra lại hoặc thử lại sau 15 phút."
)
# Temporary passwords avoid characters people confuse when reading an SMS (0/O, 1/l/I).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet
ENROL_WRONG = "Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."
_DUMMY_HASH = hash_password("not-a-real-password")


class SignInError(UserError):
    """Sign-in refused; the message never says which part was wrong."""

    def __init__(self, message=GENERIC_ERROR, **kwargs):
        super().__init__(message, **kwargs)


class StaffSession(BaseModel):
    """One staff session, checked on every request (works across workers): first the password
    stage, then — after the second factor, under a new key — the signed-in stage."""

    key = CharField(max_length=64, unique=True)
    staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
    ip = CharField(max_length=45, default="")
    stage = CharField(max_length=8, default="full")


MODELS = [StaffSession]
# The browser a member of staff last signed in from keeps its own count: anyone who types wrong
# passwords for a guessable username locks out other browsers, never that one.
OTHER_DEVICES = lockout.Counter(StaffUser, StaffUser.failed_logins, StaffUser.locked_until)
OWN_DEVICE = lockout.Counter(StaffUser, StaffUser.device_failed_logins, StaffUser.device_locked_until)


def _counter(staff, device):
    own = staff.device_hash and device and staff.device_hash == device_hash(device)
    return OWN_DEVICE if own else OTHER_DEVICES


def temporary_password(length=12):
    """A random password with a digit, a capital and a small letter, no look-alikes."""
    while True:
        value = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(c.isdigit() for c in value)
            and any(c.isupper() for c in value)
            and any(c.islower() for c in value)
        ):
            return value


# --- first factor (vss.identity.lockout: at most MAX_FAILURES checks per window, under any concurrency)


def check_password(office_code, username, password, ip="", device=None):
    """First factor. Returns the staff user, or raises SignInError (same message for all)."""
    staff = (
        StaffUser.select()
        .join(Office)
        .where(
            (Office.code == (office_code or "").strip())
            & (StaffUser.username == (username or "").strip().lower())
        )
        .first()
    )
    if staff is None or not staff.active:
        check_password_hash(_DUMMY_HASH, password or "")  # same work as for a real account
        raise SignInError()
    number = lockout.reserve(_counter(staff, device), staff.id)
    if number is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise SignInError()
    if not staff.check_password(password or ""):
        audit.record(
            "staff.password_wrong",
            actor_kind="staff",
            actor_id=staff.id,
            actor_label=staff.username,
            obj=staff,
            ip=ip,
            detail={"check": number},
        )
        raise SignInError()
    # The count is cleared only when the second factor is done too.
    return staff


def begin_second_factor(staff, ip=""):
    """After the password: a server-side pending session (its key goes in the cookie). TOTP and
    its first enrolment are reachable only through it, so a forged cookie without the password
    leads nowhere."""
    key = secrets.token_urlsafe(32)
    StaffSession.create(key=key, staff=staff, ip=ip or "", stage=PASSWORD_DONE)
    return key


def pending_staff(key):
    """The staff member whose password was checked in this pending session, or None."""
    if not key:
        return None
    row = (
        StaffSession.select(StaffSession, StaffUser)
        .join(StaffUser)
        .where(
            (StaffSession.key == key)
            & (StaffSession.stage == PASSWORD_DONE)
            & StaffSession.ended_at.is_null()
        )
        .first()
    )
    if (
        row is None
        or utcnow() - row.created_at > dt.timedelta(seconds=PENDING_SECONDS)
        or not row.staff.active
    ):
        return None
    return row.staff


# --- TOTP ---------------------------------------------------------------------------------


def start_enrolment(staff):
    """The secret waiting for its first code (kept across reloads and wrong codes, so a phone
    that scanned it once stays good); returns (secret, otpauth URI)."""
    secret = StaffUser.select(StaffUser.totp_pending).where(StaffUser.id == staff.id).scalar()
    if not secret:
        secret = pyotp.random_base32()
        StaffUser.update(totp_pending=secret).where(StaffUser.id == staff.id).execute()
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=f"{staff.office.code}/{staff.username}", issuer_name=TOTP_ISSUER
    )
    return secret, uri


def _accept_totp(staff, secret, code):
    """True for a current code never used before (a replayed code is refused)."""
    code = re.sub(r"[\s\-]", "", code or "")
    if not re.fullmatch(r"[0-9]{6}", code):
        return False
    totp = pyotp.TOTP(secret)
    now = utcnow().replace(tzinfo=dt.UTC)
    for offset in (0, -1, 1):
        at = now + dt.timedelta(seconds=30 * offset)
        step = int(at.timestamp()) // 30
        if secrets.compare_digest(totp.at(at), code):
            used = (
                StaffUser.update(totp_last_step=step)
                .where(
                    (StaffUser.id == staff.id)
                    & (StaffUser.totp_last_step.is_null() | (StaffUser.totp_last_step < step))
                )
                .execute()
            )
            return bool(used)
    return False


def _second_factor(staff, secret_field, code, device, message=GENERIC_ERROR):
    """A TOTP code checked under the same lock as the password (each guess reserves a check)."""
    counter = _counter(staff, device)
    number = lockout.reserve(counter, staff.id)
    staff = StaffUser.get_by_id(staff.id)
    secret = getattr(staff, secret_field)
    if number is None or not staff.active or not secret or not _accept_totp(staff, secret, code):
        if number is not None:
            audit.record(
                "staff.code_wrong",
                actor_kind="staff",
                actor_id=staff.id,
                actor_label=staff.username,
                obj=staff,
                detail={"check": number},
            )
        raise SignInError(message)
    lockout.succeeded(counter, staff.id, number)
    return staff


def finish_enrolment(staff, code, device=None):
    """Confirm the pending secret with its first code."""
    staff = _second_factor(staff, "totp_pending", code, device, ENROL_WRONG)
    with transaction():
        StaffUser.update(totp_secret=staff.totp_pending, totp_pending=None).where(
            StaffUser.id == staff.id
        ).execute()
        audit.record(
            "staff.totp_enrol", actor_kind="staff", actor_id=staff.id, actor_label=staff.username, obj=staff
        )


def check_totp(staff, code, device=None):
    """Second factor."""
    _second_factor(staff, "totp_secret", code, device)


# --- sessions -----------------------------------------------------------------------------


def open_session(staff, ip="", pending_key=None, device=None):
    """Both factors done: the pending session ends and a signed-in one begins under a new key
    (kept in the signed cookie); this browser becomes the staff member's own device."""
    key = secrets.token_urlsafe(32)
    with transaction():
        if device and staff.device_hash != device_hash(device):
            StaffUser.update(
                device_hash=device_hash(device), device_failed_logins=0, device_locked_until=None
            ).where(StaffUser.id == staff.id).execute()
        if pending_key:
            StaffSession.update(ended_at=utcnow()).where(StaffSession.key == pending_key).execute()
        StaffSession.create(key=key, staff=staff, ip=ip or "", stage=SIGNED_IN)
        audit.record(
            "staff.sign_in", actor_kind="staff", actor_id=staff.id, actor_label=staff.username, ip=ip
        )
    return key


def session_for(key):
    """The live session of a key (touching it), or None when ended, idle or too old."""
    if not key:
        return None
    row = StaffSession.get_or_none((StaffSession.key == key) & (StaffSession.stage == SIGNED_IN))
    now = utcnow()
    if (
        row is None
        or row.ended_at is not None
        or now - row.last_seen_at > dt.timedelta(minutes=IDLE_MINUTES)
        or now - row.created_at > dt.timedelta(hours=ABSOLUTE_HOURS)
        or not row.staff.active
    ):
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        StaffSession.update(last_seen_at=now).where(StaffSession.id == row.id).execute()
        row.last_seen_at = now
    return row


def expires_at(row):
    """When the session ends if nothing more happens (idle or absolute, whichever first)."""
    return min(
        row.last_seen_at + dt.timedelta(minutes=IDLE_MINUTES),
        row.created_at + dt.timedelta(hours=ABSOLUTE_HOURS),
    )


def keep_alive(row):
    """'Tiếp tục làm việc': reset the idle clock now."""
    StaffSession.update(last_seen_at=utcnow()).where(StaffSession.id == row.id).execute()


def close_session(key):
    """Sign out."""
    StaffSession.update(ended_at=utcnow()).where(
        (StaffSession.key == key) & StaffSession.ended_at.is_null()
    ).execute()


# --- scopes -------------------------------------------------------------------------------


def office_scope(staff):
    """Offices whose work this member of staff may see: their own (reviewer) or the whole
    province (supervisor, admin)."""
    if staff.role == StaffUser.REVIEWER:
        return Office.id == staff.office_id
    return Office.province_code == staff.office.province_code


def offices_in_scope(staff):
    return list(Office.select().where(office_scope(staff)).order_by(Office.code))


# --- administration (admin role) ----------------------------------------------------------


class AdminError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def create_staff(admin, office, username, full_name, role):
    """A new staff account in the admin's province; returns (staff, temporary password)."""
    if office.province_code != admin.office.province_code:
        raise AdminError("Chỉ tạo tài khoản cho cơ quan BHXH trong tỉnh của bạn.")
    if role not in StaffUser.ROLES:
        raise AdminError("Vai trò không hợp lệ.")
    password = temporary_password()
    username = username.strip().lower()
    with transaction():
        if StaffUser.select().where((StaffUser.office == office) & (StaffUser.username == username)).exists():
            raise AdminError("Tên đăng nhập đã có ở cơ quan này.")
        staff = StaffUser.create(
            office=office,
            username=username,
            full_name=full_name.strip(),
            role=role,
            password_hash=hash_password(password),
        )
        audit.record(
            "staff.create",
            actor_kind="staff",
            actor_id=admin.id,
            actor_label=admin.username,
            obj=staff,
            detail={"office": office.code, "username": username, "role": role},
        )
    return staff, password


def set_active(admin, staff, active):
    """Deactivate (sessions end at once) or reactivate an account."""
    with transaction():
        StaffUser.update(active=active).where(StaffUser.id == staff.id).execute()
        if not active:
            StaffSession.update(ended_at=utcnow()).where(
                (StaffSession.staff == staff) & StaffSession.ended_at.is_null()
            ).execute()
        audit.record(
            "staff.activate" if active else "staff.deactivate",
            actor_kind="staff",
            actor_id=admin.id,
            actor_label=admin.username,
            obj=staff,
        )


def reset_credentials(admin, staff):
    """New temporary password and TOTP enrolment; returns the password (shown once)."""
    password = temporary_password()
    with transaction():
        StaffUser.update(
            password_hash=hash_password(password),
            totp_secret=None,
            totp_pending=None,
            totp_last_step=None,
            failed_logins=0,
            locked_until=None,
        ).where(StaffUser.id == staff.id).execute()
        StaffSession.update(ended_at=utcnow()).where(
            (StaffSession.staff == staff) & StaffSession.ended_at.is_null()
        ).execute()
        audit.record(
            "staff.reset", actor_kind="staff", actor_id=admin.id, actor_label=admin.username, obj=staff
        )
    return password


def staff_in_scope(admin):
    return (
        StaffUser.select(StaffUser, Office)
        .join(Office)
        .where(Office.province_code == admin.office.province_code)
        .order_by(Office.code, StaffUser.username)
    )


def staff_by_id(admin, staff_id):
    """A staff account the admin may manage, or None (out of scope is the same as missing)."""
    return staff_in_scope(admin).where(StaffUser.id == staff_id).first()
