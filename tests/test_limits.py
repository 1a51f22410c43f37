"""Send budgets (issue 10, item 5): per client and for the whole service, shared by every worker
(database, or Redis when REDIS_URL is set); over budget → a clear message and nothing sent."""

import datetime as dt

import pytest

from tests.conftest import run_concurrently
from tests.mailbox import last_message
from vss.core import clock, limits
from vss.identity import otp
from vss.identity.otp import OtpError
from vss.messages.notify import Outbox

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

KEY = "k" * 32


def phone(n):
    return f"09{n:08d}"


def sent():
    return Outbox.select().where(Outbox.template == "otp").count()


def test_one_client_cannot_pump_sms_to_many_numbers(app):
    """30 drafts with 30 different phones from one client: the client's budget stops it."""
    refused = []
    for n in range(30):
        try:
            otp.issue("register", f"draft:{n}", phone(n), key=KEY, client="203.0.113.5")
        except OtpError as error:
            refused.append(error)
    assert sent() == 10 and len(refused) == 20
    assert all(error.code == "budget" and "quá nhiều mã" in str(error) for error in refused)
    otp.issue(
        "register", "draft:99", phone(99), key=KEY, client="198.51.100.1"
    )  # another client is not held up
    clock.travel(dt.timedelta(minutes=10))
    otp.issue("register", "draft:98", phone(98), key=KEY, client="203.0.113.5")  # the next window
    assert sent() == 12


def test_the_whole_service_has_a_budget(app):
    app.config["OTP_BUDGET_ALL"] = "5/60"
    for n in range(5):
        otp.issue("register", f"draft:{n}", phone(n), key=KEY, client=f"198.51.100.{n}")
    with pytest.raises(OtpError, match="Hệ thống đang gửi quá nhiều tin nhắn"):
        otp.issue("register", "draft:9", phone(9), key=KEY, client="198.51.100.9")
    assert sent() == 5


def test_twenty_sends_at_once_from_one_client_send_exactly_the_budget(app):
    outcomes = []

    def send(n):
        try:
            otp.issue("register", f"draft:{n}", phone(n), key=KEY, client="203.0.113.77")
            outcomes.append("sent")
        except OtpError:
            outcomes.append("refused")

    run_concurrently(20, send)
    assert outcomes.count("sent") == 10 == sent()


def test_a_refused_send_changes_nothing(app):
    for n in range(10):
        otp.issue("register", f"draft:{n}", phone(n), key=KEY, client="203.0.113.5")
    codes = otp.OneTimeCode.select().count()
    with pytest.raises(OtpError):
        otp.issue("register", "draft:x", phone(50), key=KEY, client="203.0.113.5")
    assert otp.OneTimeCode.select().count() == codes and last_message(phone(50)) is None


def test_long_keys_fit_and_old_windows_are_purged(app):
    assert not limits.hit("reset-ask:" + "9" * 500, 3, 60)
    clock.travel(dt.timedelta(minutes=5))
    if limits.RateLimit.select().count():  # database counters (Redis expires its own)
        assert limits.purge() >= 1


@pytest.mark.parametrize(
    "address, key",
    [
        ("203.0.113.5", "203.0.113.5"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
    ],
)
def test_one_client_is_an_ipv4_address_or_an_ipv6_64(address, key):
    assert limits.client_key(address) == key
