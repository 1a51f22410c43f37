"""Counters raced across gunicorn workers (issue 10): twenty requests at once against every
counter — the citizen and staff password locks, a code's attempts, the send budgets — and
exactly the limit gets through, on SQLite and on PostgreSQL + Redis."""

import datetime as dt

from tests.concurrency import Browser, burst
from tests.factories import make_person
from tests.mailbox import last_code
from tests.signin_helpers import PASSWORD, PHONE, make_account
from tests.staff_helpers import PASSWORD as STAFF_PASSWORD
from tests.staff_helpers import make_staff, offices
from vss.core.audit import AuditLog
from vss.identity import lockout
from vss.identity.accounts import Account, hash_password
from vss.identity.otp import OneTimeCode
from vss.messages.notify import Outbox

N = 20


def audit_count(action):
    return AuditLog.select().where(AuditLog.action == action).count()


def test_password_locks_across_workers(racing_server):
    """Citizen and staff: twenty wrong passwords at once are checked five times; then twenty
    more holding the right password get nothing; after the window one right password gets in."""
    server = racing_server
    make_account()
    browsers = [Browser(server).prime("/dang-nhap") for _ in range(N)]
    results = burst(
        [lambda b=b: b.post("/dang-nhap", username="0123456789", password="doan-sai") for b in browsers]
    )
    assert all(status == 200 for status, _ in results)
    assert audit_count("account.password_wrong") == lockout.MAX_FAILURES
    late = [Browser(server).prime("/dang-nhap") for _ in range(N)]
    results = burst(
        [
            lambda b=b, n=n: b.post(
                "/dang-nhap", username="0123456789", password=PASSWORD if n % 5 == 0 else "doan-sai"
            )
            for n, b in enumerate(late)
        ]
    )
    assert all(status == 200 for status, _ in results)  # the right password gets nothing now
    assert audit_count("account.password_wrong") == lockout.MAX_FAILURES
    assert Outbox.select().where(Outbox.template == "account_locked").count() == 1
    _staff_burst(server)
    Account.update(locked_until=dt.datetime(2000, 1, 1)).execute()  # the window is over
    browser = Browser(server).prime("/dang-nhap")
    assert browser.post("/dang-nhap", username="0123456789", password=PASSWORD)[0] == 302


def _staff_burst(server):
    make_staff(offices()["00101"])
    browsers = [Browser(server).prime("/can-bo/dang-nhap") for _ in range(N)]
    results = burst(
        [
            lambda b=b, n=n: b.post(
                "/can-bo/dang-nhap",
                office_code="00101",
                username="canbo",
                password=STAFF_PASSWORD if n == N - 1 else "doan-sai",
            )
            for n, b in enumerate(browsers)
        ]
    )
    through = [result for status, result in results if status == 302]
    assert audit_count("staff.password_wrong") + len(through) <= lockout.MAX_FAILURES
    assert audit_count("staff.password_wrong") >= lockout.MAX_FAILURES - 1


def test_codes_and_budgets_across_workers(racing_server):
    """One browser at the code step sends twenty guesses at once: five are judged. Twenty people
    without a bound device sign in at once from one IP: exactly ten codes go (the client's
    budget). Twenty "Quên mật khẩu" at once: exactly ten are taken."""
    server = racing_server
    make_account()
    browser = Browser(server).prime("/dang-nhap")
    status, where = browser.post("/dang-nhap", username="0123456789", password=PASSWORD)
    assert where.endswith("/dang-nhap/ma-xac-thuc")
    browser.prime("/dang-nhap/ma-xac-thuc")
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    results = burst([lambda: browser.post("/dang-nhap/ma-xac-thuc", code=wrong) for _ in range(N)])
    assert all(status == 200 for status, _ in results)
    assert OneTimeCode.get().attempts == 5
    status, body = browser.post("/dang-nhap/ma-xac-thuc", code=code)
    assert status == 200 and "quá số lần" in body  # the right code after five wrong ones
    _sign_in_budget(server)
    _forgot_budget(server)


def _sign_in_budget(server):
    Outbox.delete().execute()
    AuditLog.delete().execute()
    from vss.core import limits

    # The code step above spent one of the client's sends: start the budget afresh.
    limits.RateLimit.delete().execute()
    if limits._state["redis"] is not None:
        limits._state["redis"].flushdb()
    people = []
    for n in range(N):
        person = make_person(bhxh_code=f"02{n:08d}", cccd=f"0010910{n:05d}")
        Account.create(
            person=person,
            username=person.bhxh_code,
            password_hash=hash_password(PASSWORD),
            phone=f"0913{n:06d}",
            must_change_password=False,
        )
        people.append(person.bhxh_code)
    browsers = [Browser(server).prime("/dang-nhap") for _ in range(N)]
    burst(
        [
            lambda b=b, u=u: b.post("/dang-nhap", username=u, password=PASSWORD)
            for b, u in zip(browsers, people, strict=True)
        ]
    )
    assert Outbox.select().where(Outbox.template == "otp").count() == 10


def _forgot_budget(server):
    browsers = [Browser(server).prime("/quen-mat-khau") for _ in range(N)]
    results = burst(
        [lambda b=b: b.post("/quen-mat-khau", bhxh_code="0123456789", contact="0987654321") for b in browsers]
    )
    statuses = sorted(status for status, _ in results)
    assert statuses.count(302) == 10 and statuses.count(429) == 10
