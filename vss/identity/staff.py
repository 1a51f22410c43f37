"""Staff sign-in: office code + username + password (under the lock of vss.identity.lockout, the
one citizens' passwords use), then a TOTP code from an authenticator app, enrolled at the first
sign-in and checked under the same lock. Sessions: vss.identity.sessions; administration of staff
accounts: vss.identity.staff_admin."""

import datetime as dt
import re
import secrets

import pyotp
from flask_babel import lazy_gettext as _l

from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import lockout, passwords
from vss.identity.accounts import StaffUser
from vss.registry.directory import Office

MAX_FAILURES = lockout.MAX_FAILURES
LOCK_MINUTES = lockout.LOCK_MINUTES
TOTP_ISSUER = "VSS cán bộ"  # the name the authenticator app lists: the same in every language
GENERIC_ERROR = _l(
    "Thông tin đăng nhập không đúng, hoặc tài khoản đang tạm khoá do nhập sai nhiều lần. "
    "Vui lòng kiểm tra lại hoặc thử lại sau 15 phút."
)
ENROL_WRONG = _l("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực.")


def refused(message=GENERIC_ERROR, field=None):
    """The one staff sign-in error: it never says which part was wrong, or that a lock is on."""
    return UserError(message, field=field, code="signin")


# --- first factor (vss.identity.lockout: at most MAX_FAILURES checks per window, under any concurrency)


def check_password(office_code, username, password, ip="", device=None):
    """First factor. Returns the staff user, or raises the one sign-in error (UserError)."""
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
        passwords.same_work(password)  # same work as for a real account
        raise refused()
    # The count is cleared only when the second factor is done too.
    attempt = passwords.attempt(staff, password, device=device, forgive=False)
    if attempt.right:
        return staff
    if attempt.number is not None:
        audit.record(
            "staff.password_wrong",
            actor_kind="staff",
            actor_id=staff.id,
            actor_label=staff.username,
            obj=staff,
            ip=ip,
            detail={"check": attempt.number},
        )
    raise refused()


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
    counter = lockout.counter_for(staff, device)
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
        raise refused(message, field="code")
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
