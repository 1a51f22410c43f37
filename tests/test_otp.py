"""The one-time-code module: single use, purpose-bound, HMAC-only storage, limited tries
(atomic under concurrency), resend cool-down, hourly cap, late SMS still valid."""

import datetime as dt

import pytest

from tests import mailbox
from tests.conftest import run_concurrently
from vss.core import clock
from vss.identity import otp
from vss.identity.otp import OneTimeCode, OtpError
from vss.messages.notify import Outbox

KEY = "k" * 32
PHONE = "0912345678"


def _send(purpose="register", context="draft-1", target=PHONE):
    otp.issue(purpose, context, target, key=KEY, client="198.51.100.7")
    return mailbox.last_code()


def test_code_is_sent_and_accepted_once(app):
    code = _send()
    row = OneTimeCode.get()
    assert code not in row.code_hmac and len(row.code_hmac) == 64  # only an HMAC is stored
    assert otp.verify("register", "draft-1", PHONE, code, key=KEY)
    with pytest.raises(OtpError, match="đã được sử dụng"):
        otp.verify("register", "draft-1", PHONE, code, key=KEY)


@pytest.mark.parametrize("typed", ["{a} {b}", "{a}-{b}", " {a}{b} "])
def test_spaces_and_hyphens_are_accepted(app, typed):
    code = _send()
    assert otp.verify("register", "draft-1", PHONE, typed.format(a=code[:3], b=code[3:]), key=KEY)


@pytest.mark.parametrize("typed", ["12345", "abcdef", "", "1234567"])
def test_malformed_codes_are_refused_without_counting(app, typed):
    _send()
    with pytest.raises(OtpError, match="6 chữ số"):
        otp.verify("register", "draft-1", PHONE, typed, key=KEY)
    assert OneTimeCode.get().attempts == 0


def test_expired_code_is_refused(app):
    code = _send()
    clock.travel(dt.timedelta(minutes=5, seconds=1))
    with pytest.raises(OtpError, match="hết hạn"):
        otp.verify("register", "draft-1", PHONE, code, key=KEY)


def test_code_for_another_purpose_is_refused(app):
    code = _send(purpose="signin", context="acc-1")
    _send(purpose="register", context="draft-1")
    with pytest.raises(OtpError, match="không đúng"):
        otp.verify("register", "draft-1", PHONE, code, key=KEY)


def test_a_spent_flow_is_no_oracle_for_other_flows_codes(app):
    """Once a flow's tries are spent (or it never sent a code), a guess is compared with
    nothing: it cannot learn whether it is a code another flow sent to the same phone."""
    victims = _send(purpose="register-cancel", context="draft-9:1")
    answers = set()
    for guess in (victims, "000000", "123456"):
        with pytest.raises(OtpError) as caught:
            otp.verify("register-cancel", "draft-7:1", PHONE, guess, key=KEY)  # a flow with no code
        answers.add((caught.value.code, str(caught.value)))
    assert len(answers) == 1
    assert otp.verify("register-cancel", "draft-9:1", PHONE, victims, key=KEY)  # untouched


def test_a_stranger_cannot_spend_the_owners_share_of_codes(app):
    for n in range(otp.SENDS_PER_HOUR):
        otp.issue("reset", f"reset:1:stranger{n}", PHONE, key=KEY, client="203.0.113.66")
    with pytest.raises(OtpError, match="quá nhiều mã"):
        otp.issue("reset", "reset:1:stranger9", PHONE, key=KEY, client="203.0.113.66")
    otp.issue("reset", "reset:1:owner", PHONE, key=KEY, client="198.51.100.20")  # the owner still gets one
    for n in range(otp.SENDS_PER_HOUR_ALL - otp.SENDS_PER_HOUR - 1):  # many networks: the total holds
        otp.issue("reset", f"reset:1:many{n}", PHONE, key=KEY, client=f"192.0.2.{n}")
    with pytest.raises(OtpError, match="quá nhiều mã"):
        otp.issue("reset", "reset:1:late", PHONE, key=KEY, client="192.0.2.200")


def test_earlier_unexpired_code_stays_valid_until_one_is_used(app):
    first = _send()
    clock.travel(dt.timedelta(seconds=61))
    second = _send()
    assert otp.verify("register", "draft-1", PHONE, first, key=KEY)  # the slow SMS arrived
    with pytest.raises(OtpError):
        otp.verify("register", "draft-1", PHONE, second, key=KEY)


def test_five_wrong_tries_lock_the_code(app):
    code = _send()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(OtpError, match=f"còn {left} lần"):
            otp.verify("register", "draft-1", PHONE, wrong, key=KEY)
    with pytest.raises(OtpError, match="quá số lần"):
        otp.verify("register", "draft-1", PHONE, wrong, key=KEY)
    with pytest.raises(OtpError):
        otp.verify("register", "draft-1", PHONE, code, key=KEY)  # even the right one, now


def test_concurrent_wrong_guesses_stop_exactly_at_the_limit(app):
    code = _send()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    errors = []

    def guess(_n):
        try:
            otp.verify("register", "draft-1", PHONE, wrong, key=KEY)
        except OtpError as error:
            errors.append(error.message)

    run_concurrently(20, guess)
    assert len(errors) == 20
    assert OneTimeCode.get().attempts == otp.MAX_ATTEMPTS


def test_resend_waits_sixty_seconds(app):
    _send()
    with pytest.raises(OtpError, match="đợi") as caught:
        _send()
    assert 0 < caught.value.retry_after <= 60
    clock.travel(dt.timedelta(seconds=60))
    _send()


def test_at_most_five_codes_an_hour_per_target(app):
    for _ in range(otp.SENDS_PER_HOUR):
        _send()
        clock.travel(dt.timedelta(seconds=61))
    with pytest.raises(OtpError, match="quá nhiều mã"):
        _send()
    assert Outbox.select().count() == otp.SENDS_PER_HOUR
    clock.travel(dt.timedelta(hours=1))
    _send()


def test_daily_purge_removes_old_codes(app):
    _send()
    clock.travel(dt.timedelta(days=2))
    assert otp.purge() == 1


def test_a_guess_is_never_judged_inside_a_transaction(app):
    """A caller's rollback would undo the count: `check` refuses to run inside one."""
    from vss.core.db import transaction

    code = _send()
    with pytest.raises(RuntimeError), transaction():
        otp.check("register", "draft-1", PHONE, "000000", key=KEY)
    assert otp.verify("register", "draft-1", PHONE, code, key=KEY)


def test_a_right_code_is_consumed_once_by_racing_requests(app):
    code = _send()
    match = otp.check("register", "draft-1", PHONE, code, key=KEY)
    twin = otp.check("register", "draft-1", PHONE, code, key=KEY)
    assert otp.consume(match) and not otp.consume(twin)


def test_codes_with_other_digits_are_refused_without_counting(app):
    _send()
    for typed in ("١٢٣٤٥٦", "１２３４５６", "12345²"):
        with pytest.raises(OtpError, match="6 chữ số"):
            otp.verify("register", "draft-1", PHONE, typed, key=KEY)
    assert OneTimeCode.get().attempts == 0
