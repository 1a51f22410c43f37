"""The one password policy (vss/identity/passwords.py): what a chosen password may be, checks under
the lock (the same for citizens and staff), temporary passwords, the age that brings a reminder."""

import datetime as dt

import pytest

from tests.signin_helpers import PASSWORD, make_account
from tests.staff_helpers import PASSWORD as STAFF_PASSWORD
from tests.staff_helpers import make_staff, offices
from vss.core import clock
from vss.identity import lockout, password_change, passwords
from vss.identity.accounts import Account, StaffUser, device_hash
from vss.messages.outbox import Outbox


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("Hoa@2026moi", "Hoa@2026khac", passwords.NO_MATCH),
        ("Ng@n1", None, passwords.TOO_SHORT),
        ("Mậtkhẩu@2026", None, passwords.NOT_ASCII),
        ("x0123456789x", None, passwords.PERSONAL),  # the BHXH code
        ("abc0912345678", None, passwords.PERSONAL),  # the phone
        ("hoa17051990!", None, passwords.PERSONAL),  # the birth date
        ("Hoa-17/05/1990", None, passwords.PERSONAL),
        ("MatKhau123", None, passwords.COMMON_ONE),
        ("12345678", None, passwords.COMMON_ONE),
    ],
)
def test_a_chosen_password_must_follow_the_policy(app, password, repeat, message):
    assert passwords.problem(make_account(), password, repeat) == message


def test_a_good_password_has_no_problem(app):
    assert passwords.problem(make_account(), "Song-Hong@2026", "Song-Hong@2026") is None


def test_a_right_password_forgives_earlier_failures(app):
    account = make_account()
    assert passwords.attempt(account, "sai", device=None) == (False, 1, lockout.counter_for(account, None))
    assert passwords.attempt(account, PASSWORD, device=None).right
    assert Account.get().failed_logins == 0


def test_after_five_failures_nothing_is_compared_not_even_the_right_password(app):
    account = make_account()
    for number in range(1, lockout.MAX_FAILURES + 1):
        assert passwords.attempt(account, "sai", device=None).number == number
    refused = passwords.attempt(account, PASSWORD, device=None)
    assert refused.right is False and refused.number is None
    clock.travel(dt.timedelta(minutes=lockout.LOCK_MINUTES, seconds=1))
    assert passwords.attempt(account, PASSWORD, device=None).right


def test_the_owners_device_keeps_its_own_count(app):
    account = make_account(device_hash=device_hash("phone"))
    for _ in range(lockout.MAX_FAILURES):
        passwords.attempt(account, "sai", device="stranger")
    assert passwords.attempt(account, PASSWORD, device="stranger").number is None  # locked elsewhere
    assert passwords.attempt(account, PASSWORD, device="phone").right  # never on the owner's phone


def test_staff_passwords_are_checked_the_same_way_and_wait_for_the_second_factor(app):
    staff = make_staff(offices()["00101"])
    passwords.attempt(staff, "sai", device=None)
    attempt = passwords.attempt(staff, STAFF_PASSWORD, device=None, forgive=False)
    assert attempt.right and attempt.number == 2
    assert StaffUser.get().failed_logins == 2  # forgiven only after the code


def test_a_temporary_password_mixes_cases_and_digits_without_look_alikes():
    for _ in range(50):
        value = passwords.temporary_password()
        assert len(value) == 12 and set(value) <= set(passwords.ALPHABET)
        assert any(c.isdigit() for c in value) and any(c.isupper() for c in value)
        assert any(c.islower() for c in value) and not set(value) & set("0O1lI")


def test_a_hash_is_scrypt_and_checks_only_its_own_password():
    stored = passwords.hash_password("Song-Hong@2026")
    assert stored.startswith("scrypt:")
    assert passwords.matches(stored, "Song-Hong@2026") and not passwords.matches(stored, "song-hong@2026")
    assert not passwords.matches(stored, None)


def test_a_six_month_old_password_is_old_and_reminded_once(app):
    account = make_account()
    assert not passwords.is_old(account)
    clock.travel(dt.timedelta(days=passwords.MAX_AGE_DAYS, hours=1))
    assert passwords.is_old(Account.get())
    assert password_change.remind_old_passwords() == 1
    assert password_change.remind_old_passwords() == 0
    assert Outbox.select().where(Outbox.template == "password_old").count() == 1
