"""Staff accounts, administered by the admin role within their province: create one (with a
temporary password shown once), deactivate or reactivate one (never one's own), reset one's
password and authenticator; and the offices each member of staff may see."""

from flask_babel import lazy_gettext as _l

from vss.core import audit
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import sessions
from vss.identity.accounts import StaffUser, hash_password
from vss.identity.passwords import temporary_password
from vss.registry.directory import Office

OTHER_PROVINCE = _l("Chỉ tạo tài khoản cho cơ quan BHXH trong tỉnh của bạn.")
BAD_ROLE = _l("Vai trò không hợp lệ.")
USERNAME_TAKEN = _l("Tên đăng nhập đã có ở cơ quan này.")
NO_OFFICE = _l("Vui lòng chọn cơ quan.")
NOT_YOURSELF = _l("Không thể tự khoá tài khoản của mình.")


# --- scopes -------------------------------------------------------------------------------


def office_scope(staff):
    """Offices whose work this member of staff may see: their own (reviewer) or the whole
    province (supervisor, admin)."""
    if staff.role == StaffUser.REVIEWER:
        return Office.id == staff.office_id
    return Office.province_code == staff.office.province_code


def offices_in_scope(staff):
    """The offices of `office_scope`, by code (the admin's choice of office for a new account)."""
    return list(Office.select().where(office_scope(staff)).order_by(Office.code))


# --- administration -----------------------------------------------------------------------


def create_staff(admin, office_code, username, full_name, role):
    """A new staff account at the office of `office_code`, in the admin's province; returns
    (staff, temporary password). Raises UserError on the form's field."""
    office = Office.get_or_none(Office.code == (office_code or ""))
    if office is None:
        raise UserError(NO_OFFICE, field="office_code", code="no_office")
    if office.province_code != admin.office.province_code:
        raise UserError(OTHER_PROVINCE, field="office_code", code="other_province")
    if role not in StaffUser.ROLES:
        raise UserError(BAD_ROLE, field="role", code="bad_role")
    password = temporary_password()
    username = username.strip().lower()
    with transaction():
        if StaffUser.select().where((StaffUser.office == office) & (StaffUser.username == username)).exists():
            raise UserError(USERNAME_TAKEN, field="username", code="username_taken")
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
    """Deactivate (sessions end at once) or reactivate an account; an admin cannot lock
    themselves out (UserError)."""
    if staff.id == admin.id:
        raise UserError(NOT_YOURSELF, code="yourself")
    with transaction():
        StaffUser.update(active=active).where(StaffUser.id == staff.id).execute()
        if not active:
            sessions.end_staff_sessions(staff)
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
        sessions.end_staff_sessions(staff)
        audit.record(
            "staff.reset", actor_kind="staff", actor_id=admin.id, actor_label=admin.username, obj=staff
        )
    return password


def staff_in_scope(admin):
    """The staff accounts of the admin's province, by office and username."""
    return (
        StaffUser.select(StaffUser, Office)
        .join(Office)
        .where(Office.province_code == admin.office.province_code)
        .order_by(Office.code, StaffUser.username)
    )


def staff_by_id(admin, staff_id):
    """A staff account the admin may manage, or None (out of scope is the same as missing)."""
    return staff_in_scope(admin).where(StaffUser.id == staff_id).first()
