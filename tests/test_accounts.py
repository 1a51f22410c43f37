"""Accounts (vss/identity/accounts.py): what citizens and staff have alike — a password checked
against its hash, one own device kept only as a hash — and Flask-Login's loader."""

from tests.signin_helpers import PASSWORD, make_account
from tests.staff_helpers import make_staff, offices
from vss.identity.accounts import device_hash, load_user, new_device_id


def test_only_a_hash_of_the_device_id_is_kept(app):
    device = new_device_id()
    account = make_account(device_hash=device_hash(device))
    assert device not in account.device_hash and len(account.device_hash) == 64
    assert account.owns_device(device)
    assert not account.owns_device(new_device_id()) and not account.owns_device(None)
    assert device_hash("") == "" and not make_staff(offices()["00101"]).owns_device(device)


def test_a_password_is_checked_against_its_hash(app):
    account = make_account()
    assert account.check_password(PASSWORD) and not account.check_password(PASSWORD.lower())
    assert PASSWORD not in account.password_hash


def test_the_loader_tells_citizens_and_staff_apart(app):
    account = make_account()
    staff = make_staff(offices()["00101"])
    assert load_user(account.get_id()).id == account.id and account.get_id().startswith("citizen:")
    assert load_user(staff.get_id()).username == staff.username
    assert load_user("staff:999999") is None
    assert load_user("admin:1") is None and load_user("citizen:x") is None and load_user(None) is None
