"""The password lock under concurrency (issue 10, item 3): at most five password checks per lock
window, whatever the concurrency; a right password inside a burst that reached the limit gets
nothing. Counted with the audit rows each checked wrong password leaves."""

import datetime as dt
import threading

import pytest

from tests.conftest import run_concurrently
from tests.csrf import csrf
from tests.signin_helpers import PASSWORD, make_account
from tests.staff_helpers import PASSWORD as STAFF_PASSWORD
from tests.staff_helpers import make_staff, offices
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import lockout, signin
from vss.identity import staff as staff_domain
from vss.identity.accounts import Account, StaffUser


def checks(action):
    return AuditLog.select().where(AuditLog.action == action).count()


def burst(count, attempt):
    """`count` attempts at once; attempt(n) returns True when it got in."""
    wins = []
    lock = threading.Lock()

    def one(n):
        if attempt(n):
            with lock:
                wins.append(n)

    run_concurrently(count, one)
    return wins


def citizen_attempt(right_ones):
    def attempt(n):
        try:
            signin.check_password("0123456789", PASSWORD if n in right_ones else "sai-mat-khau")
        except UserError:
            return False
        return True

    return attempt


def test_twenty_wrong_passwords_at_once_are_checked_exactly_five_times(app):
    make_account()
    assert burst(20, citizen_attempt(set())) == []
    assert checks("account.password_wrong") == lockout.MAX_FAILURES
    assert Account.get().locked_until is not None


def test_a_right_password_in_a_burst_is_one_of_at_most_five_checks(app):
    make_account()
    wins = burst(20, citizen_attempt({7}))
    assert checks("account.password_wrong") + len(wins) <= lockout.MAX_FAILURES


def test_a_right_password_after_the_limit_does_not_unlock(app):
    make_account()
    burst(5, citizen_attempt(set()))
    assert burst(20, citizen_attempt({3, 11})) == []
    assert checks("account.password_wrong") == lockout.MAX_FAILURES
    clock.travel(dt.timedelta(minutes=15, seconds=1))
    assert burst(1, citizen_attempt({0})) == [0]


def test_the_count_is_never_inside_the_callers_transaction(app):
    account = make_account()
    with pytest.raises(RuntimeError), transaction():
        signin.password_matches(account, "sai")


def test_staff_twenty_at_once_reach_the_code_step_at_most_five_times(app):
    staff = make_staff(offices()["00101"])

    def attempt(n):
        try:
            staff_domain.check_password("00101", "canbo", STAFF_PASSWORD if n in (4, 15) else "sai")
        except UserError:
            return False
        return True

    burst(5, lambda n: attempt(99))
    assert burst(20, attempt) == []  # the right password came after the limit
    assert checks("staff.password_wrong") == lockout.MAX_FAILURES
    assert StaffUser.get_by_id(staff.id).locked_until is not None


def test_strangers_cannot_lock_a_staff_member_out_of_their_own_browser(app, client):
    """Office codes are public and usernames guessable: five wrong passwords from strangers lock
    other browsers, not the one the member of staff last signed in from."""
    from tests.staff_helpers import sign_in as staff_sign_in

    staff = make_staff(offices()["00101"])
    staff_sign_in(client, staff)  # this browser is now the staff member's own
    client.post("/can-bo/dang-xuat", data={"csrf_token": csrf(client, "/can-bo/ho-so")})
    stranger = app.test_client()
    for n in range(6):
        stranger.post(
            "/can-bo/dang-nhap",
            data={
                "csrf_token": csrf(stranger, "/can-bo/dang-nhap"),
                "office_code": "00101",
                "username": "canbo",
                "password": f"x{n}",
            },
        )
    assert StaffUser.get_by_id(staff.id).locked_until is not None
    refused = stranger.post(
        "/can-bo/dang-nhap",
        data={
            "csrf_token": csrf(stranger, "/can-bo/dang-nhap"),
            "office_code": "00101",
            "username": "canbo",
            "password": STAFF_PASSWORD,
        },
    )
    assert refused.status_code == 200  # locked for every other browser, even with the password
    staff_sign_in(client, staff)  # the own browser still gets in (password, then TOTP)
