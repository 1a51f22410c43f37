"""Staff sign-in (office code + username + password, then TOTP), server-side sessions with idle
and absolute limits, lockout, role scopes, and staff-account administration."""

import datetime as dt
import secrets

import pyotp
from peewee import Case, CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash

from vss import audit
from vss.accounts import StaffUser, hash_password
from vss.clock import utcnow
from vss.db import BaseModel, transaction
from vss.directory import Office

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_MINUTES = 30
ABSOLUTE_HOURS = 12
TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen at most once a minute
TOTP_ISSUER = "VSS cán bộ"
GENERIC_ERROR = ("Thông tin đăng nhập không đúng, hoặc tài khoản đang tạm khoá do nhập sai nhiều lần. "
                 "Vui lòng kiểm tra lại hoặc thử lại sau 15 phút.")
# Temporary passwords avoid characters people confuse when reading an SMS (0/O, 1/l/I).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet
_DUMMY_HASH = hash_password("not-a-real-password")


class SignInError(Exception):
    """Sign-in refused; the message never says which part was wrong."""

    def __init__(self, message=GENERIC_ERROR):
        super().__init__(message)
        self.message = message


class StaffSession(BaseModel):
    """One signed-in staff session, checked on every request (works across workers)."""

    key = CharField(max_length=64, unique=True)
    staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
    ip = CharField(max_length=45, default="")


MODELS = [StaffSession]


def temporary_password(length=12):
    """A random password with a digit, a capital and a small letter, no look-alikes."""
    while True:
        value = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value


# --- failures and lockout (single UPDATE statements, safe under concurrency) --------------


def _locked(staff, now):
    return staff.locked_until is not None and staff.locked_until > now


def _record_failure(staff_id):
    """Count a failure; the fifth locks the account for LOCK_MINUTES, in the same statement."""
    now = utcnow()
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    (StaffUser.update(
        failed_logins=StaffUser.failed_logins + 1,
        locked_until=Case(None, ((StaffUser.failed_logins + 1 >= MAX_FAILURES, until),),
                          StaffUser.locked_until))
     .where((StaffUser.id == staff_id)
            & (StaffUser.locked_until.is_null() | (StaffUser.locked_until <= now)))
     .execute())


def _reset_failures(staff_id):
    StaffUser.update(failed_logins=0, locked_until=None).where(StaffUser.id == staff_id).execute()


def check_password(office_code, username, password):
    """First factor. Returns the staff user, or raises SignInError (same message for all)."""
    now = utcnow()
    staff = (StaffUser.select().join(Office)
             .where((Office.code == (office_code or "").strip())
                    & (StaffUser.username == (username or "").strip().lower())).first())
    if staff is None:
        check_password_hash(_DUMMY_HASH, password or "")  # same work as for a real account
        raise SignInError()
    if not staff.active or _locked(staff, now):
        raise SignInError()
    if staff.failed_logins >= MAX_FAILURES:  # a lock that has run out starts a fresh count
        _reset_failures(staff.id)
    if not staff.check_password(password or ""):
        _record_failure(staff.id)
        raise SignInError()
    return staff


# --- TOTP ---------------------------------------------------------------------------------


def start_enrolment(staff):
    """The secret waiting for its first code (kept across reloads and wrong codes, so a phone
    that scanned it once stays good); returns (secret, otpauth URI)."""
    secret = StaffUser.select(StaffUser.totp_pending).where(StaffUser.id == staff.id).scalar()
    if not secret:
        secret = pyotp.random_base32()
        StaffUser.update(totp_pending=secret).where(StaffUser.id == staff.id).execute()
    uri = pyotp.TOTP(secret).provisioning_uri(name=f"{staff.office.code}/{staff.username}",
                                              issuer_name=TOTP_ISSUER)
    return secret, uri


def _accept_totp(staff, secret, code):
    """True for a current code never used before (a replayed code is refused)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    totp = pyotp.TOTP(secret)
    now = utcnow().replace(tzinfo=dt.UTC)
    for offset in (0, -1, 1):
        at = now + dt.timedelta(seconds=30 * offset)
        step = int(at.timestamp()) // 30
        if len(code) == 6 and secrets.compare_digest(totp.at(at), code):
            used = (StaffUser.update(totp_last_step=step)
                    .where((StaffUser.id == staff.id)
                           & (StaffUser.totp_last_step.is_null() | (StaffUser.totp_last_step < step)))
                    .execute())
            return bool(used)
    return False


def finish_enrolment(staff, code):
    """Confirm the pending secret with its first code."""
    staff = StaffUser.get_by_id(staff.id)
    if _locked(staff, utcnow()) or not staff.totp_pending or not _accept_totp(staff, staff.totp_pending, code):
        _record_failure(staff.id)
        raise SignInError("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực.")
    with transaction():
        StaffUser.update(totp_secret=staff.totp_pending, totp_pending=None).where(StaffUser.id == staff.id).execute()
        audit.record("staff.totp_enrol", actor_kind="staff", actor_id=staff.id, actor_label=staff.username, obj=staff)


def check_totp(staff, code):
    """Second factor."""
    staff = StaffUser.get_by_id(staff.id)
    if _locked(staff, utcnow()) or not staff.active or not staff.totp_secret:
        raise SignInError()
    if not _accept_totp(staff, staff.totp_secret, code):
        _record_failure(staff.id)
        raise SignInError()
    _reset_failures(staff.id)


# --- sessions -----------------------------------------------------------------------------


def open_session(staff, ip=""):
    """A new server-side session; returns its key (kept in the signed cookie)."""
    key = secrets.token_urlsafe(32)
    with transaction():
        StaffSession.create(key=key, staff=staff, ip=ip or "")
        audit.record("staff.sign_in", actor_kind="staff", actor_id=staff.id, actor_label=staff.username, ip=ip)
    return key


def session_for(key):
    """The live session of a key (touching it), or None when ended, idle or too old."""
    if not key:
        return None
    row = StaffSession.get_or_none(StaffSession.key == key)
    now = utcnow()
    if (row is None or row.ended_at is not None
            or now - row.last_seen_at > dt.timedelta(minutes=IDLE_MINUTES)
            or now - row.created_at > dt.timedelta(hours=ABSOLUTE_HOURS)
            or not row.staff.active):
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        StaffSession.update(last_seen_at=now).where(StaffSession.id == row.id).execute()
        row.last_seen_at = now
    return row


def expires_at(row):
    """When the session ends if nothing more happens (idle or absolute, whichever first)."""
    return min(row.last_seen_at + dt.timedelta(minutes=IDLE_MINUTES),
               row.created_at + dt.timedelta(hours=ABSOLUTE_HOURS))


def keep_alive(row):
    """'Tiếp tục làm việc': reset the idle clock now."""
    StaffSession.update(last_seen_at=utcnow()).where(StaffSession.id == row.id).execute()


def close_session(key):
    """Sign out."""
    StaffSession.update(ended_at=utcnow()).where((StaffSession.key == key) & StaffSession.ended_at.is_null()).execute()


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
        staff = StaffUser.create(office=office, username=username, full_name=full_name.strip(), role=role,
                                 password_hash=hash_password(password))
        audit.record("staff.create", actor_kind="staff", actor_id=admin.id, actor_label=admin.username,
                     obj=staff, detail={"office": office.code, "username": username, "role": role})
    return staff, password


def set_active(admin, staff, active):
    """Deactivate (sessions end at once) or reactivate an account."""
    with transaction():
        StaffUser.update(active=active).where(StaffUser.id == staff.id).execute()
        if not active:
            StaffSession.update(ended_at=utcnow()).where(
                (StaffSession.staff == staff) & StaffSession.ended_at.is_null()).execute()
        audit.record("staff.activate" if active else "staff.deactivate", actor_kind="staff",
                     actor_id=admin.id, actor_label=admin.username, obj=staff)


def reset_credentials(admin, staff):
    """New temporary password and TOTP enrolment; returns the password (shown once)."""
    password = temporary_password()
    with transaction():
        StaffUser.update(password_hash=hash_password(password), totp_secret=None, totp_pending=None,
                         totp_last_step=None, failed_logins=0, locked_until=None).where(
            StaffUser.id == staff.id).execute()
        StaffSession.update(ended_at=utcnow()).where(
            (StaffSession.staff == staff) & StaffSession.ended_at.is_null()).execute()
        audit.record("staff.reset", actor_kind="staff", actor_id=admin.id, actor_label=admin.username, obj=staff)
    return password


def staff_in_scope(admin):
    return (StaffUser.select(StaffUser, Office).join(Office)
            .where(Office.province_code == admin.office.province_code)
            .order_by(Office.code, StaffUser.username))


def staff_by_id(admin, staff_id):
    """A staff account the admin may manage, or None (out of scope is the same as missing)."""
    return staff_in_scope(admin).where(StaffUser.id == staff_id).first()
