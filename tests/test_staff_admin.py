"""Staff accounts administered by an admin of the province (vss/identity/staff_admin.py), called
directly: where one may be created, never deactivating oneself, sessions ending with the account."""

import pytest

from tests.staff_helpers import make_staff, offices
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.identity import sessions, staff_admin
from vss.identity.accounts import StaffUser


@pytest.fixture
def places(app):
    return offices()


@pytest.fixture
def admin(places):
    return make_staff(places["001"], username="quantri", role=StaffUser.ADMIN)


def test_an_admin_creates_an_account_in_their_province_with_a_temporary_password(admin):
    staff, password = staff_admin.create_staff(admin, "00102", " CanBo2 ", "Lê Văn B", StaffUser.REVIEWER)
    assert (staff.office.code, staff.username) == ("00102", "canbo2")
    assert StaffUser.get_by_id(staff.id).check_password(password)
    assert AuditLog.get(AuditLog.action == "staff.create").detail["username"] == "canbo2"


@pytest.mark.parametrize(
    ("office", "username", "role", "field", "code"),
    [
        ("07901", "canbo2", StaffUser.REVIEWER, "office_code", "other_province"),
        ("99999", "canbo2", StaffUser.REVIEWER, "office_code", "no_office"),
        ("", "canbo2", StaffUser.REVIEWER, "office_code", "no_office"),
        ("00101", "canbo2", "superuser", "role", "bad_role"),
        ("001", "quantri", StaffUser.REVIEWER, "username", "username_taken"),
    ],
)
def test_an_account_that_may_not_be_created_is_refused_on_its_field(
    admin, office, username, role, field, code
):
    with pytest.raises(UserError) as caught:
        staff_admin.create_staff(admin, office, username, "Ai đó", role)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_an_admin_cannot_deactivate_themselves(admin):
    with pytest.raises(UserError) as caught:
        staff_admin.set_active(admin, admin, False)
    assert caught.value.message == staff_admin.NOT_YOURSELF
    assert StaffUser.get_by_id(admin.id).active


def test_deactivating_ends_the_sessions_at_once(admin, places):
    member = make_staff(places["00101"])
    key = sessions.open_staff_session(member)
    staff_admin.set_active(admin, member, False)
    assert sessions.staff_session(key) is None
    staff_admin.set_active(admin, StaffUser.get_by_id(member.id), True)
    assert StaffUser.get_by_id(member.id).active


def test_a_reset_gives_a_new_password_and_a_new_authenticator(admin, places):
    member = make_staff(places["00101"])
    key = sessions.open_staff_session(member)
    password = staff_admin.reset_credentials(admin, member)
    member = StaffUser.get_by_id(member.id)
    assert member.check_password(password) and member.totp_secret is None
    assert sessions.staff_session(key) is None


def test_staff_of_another_province_are_out_of_reach(admin, places):
    other = make_staff(places["07901"], username="hcm")
    assert staff_admin.staff_by_id(admin, other.id) is None
    assert {o.code for o in staff_admin.offices_in_scope(admin)} == {"001", "00101", "00102"}
