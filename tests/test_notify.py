"""Notifications: outbox rows in the caller's transaction, delivery after commit, exactly once,
retried after failures — against a real SMTP server and a real HTTP SMS gateway on loopback."""

import pytest

from tests.mailbox import last_message
from tests.servers import SmsGateway, SmtpServer, free_port
from vss.core import jobs
from vss.core.db import transaction
from vss.messages import delivery, notify
from vss.messages.notify import Outbox


def _reload(row):
    return Outbox.get_by_id(row.id)


def test_message_is_written_in_the_transaction_and_delivered_after_commit(app):
    with transaction():
        row = notify.sms("0912345678", "otp", code="123456", minutes=5)
        assert _reload(row).status == notify.PENDING  # not before commit
    row = _reload(row)
    assert row.status == notify.SENT and row.backend == "outbox" and row.attempts == 1


def test_rolled_back_transaction_sends_nothing(app):
    with pytest.raises(RuntimeError), transaction():
        notify.sms("0912345678", "otp", code="123456", minutes=5)
        raise RuntimeError("the caller's rule failed")
    assert Outbox.select().count() == 0


def test_otp_sms_starts_with_the_code_and_says_how_long(app):
    notify.send_code("0912345678", "048213", 5)
    received = last_message("0912345678")
    assert received.body.startswith("048213 ")
    assert "5 phut" in received.body and "khong cung cap" in received.body.lower()


def test_otp_email_has_subject_and_diacritics(app):
    notify.send_code("an@example.vn", "048213", 3, channel=notify.EMAIL)
    received = last_message("an@example.vn")
    assert received.subject.startswith("048213")
    assert received.body.startswith("048213 là mã xác thực") and "3 phút" in received.body


def test_http_gateway_gets_json_with_token_and_idempotency_key(app):
    with SmsGateway() as gateway:
        app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_TOKEN="t0k")
        row = notify.send_code("0912345678", "111222", 5)
    assert _reload(row).status == notify.SENT
    (request,) = gateway.requests
    assert request["headers"]["Authorization"] == "Bearer t0k"
    assert request["headers"]["Idempotency-Key"] == f"vss-outbox-{row.id}"
    assert request["json"]["to"] == "0912345678"
    assert request["json"]["text"].startswith("111222")


def test_gateway_failure_is_recorded_then_retried(app):
    with SmsGateway(fail_first=1) as gateway:
        app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url)
        row = notify.send_code("0912345678", "333444", 5)
        failed = _reload(row)
        assert failed.status == notify.FAILED and failed.attempts == 1
        assert "500" in failed.last_error
        # Huey's retry (with backoff) runs the same task body again:
        delivery.deliver_message.call_local(row.id)
        # ...and a repeated job after success sends nothing more.
        delivery.deliver_message.call_local(row.id)
    sent = _reload(row)
    assert sent.status == notify.SENT and sent.attempts == 2 and sent.last_error == ""
    assert len(gateway.requests) == 2


def test_delivery_gives_up_after_max_attempts(app):
    app.config.update(
        SMS_BACKEND="http",
        SMS_GATEWAY_URL=f"http://127.0.0.1:{free_port()}/",
        DELIVERY_MAX_ATTEMPTS=2,
        DELIVERY_TIMEOUT=2,
    )
    row = notify.send_code("0912345678", "555666", 5)
    assert _reload(row).status == notify.FAILED
    assert delivery.deliver(row.id) is False
    dead = _reload(row)
    assert dead.status == notify.DEAD and dead.attempts == 2 and "unreachable" in dead.last_error


def test_email_over_smtp(app):
    with SmtpServer() as smtp:
        app.config.update(EMAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
        row = notify.send_code("an@example.vn", "777888", 5, channel=notify.EMAIL)
        delivery.deliver_message.call_local(row.id)  # a duplicate job
    (mail,) = smtp.messages
    assert mail["To"] == "an@example.vn"
    assert mail["Subject"] == "777888 là mã xác thực VSS của bạn"
    assert mail["Message-ID"] == f"<vss-outbox-{row.id}@vss>"
    assert "777888 là mã xác thực" in mail.get_content()
    assert _reload(row).status == notify.SENT


def test_smtp_down_then_up(app):
    port = free_port()
    app.config.update(EMAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port, DELIVERY_TIMEOUT=2)
    row = notify.email("an@example.vn", "otp", code="909090", minutes=5)
    assert _reload(row).status == notify.FAILED
    with SmtpServer(port) as smtp:
        delivery.deliver_message.call_local(row.id)
    assert len(smtp.messages) == 1 and _reload(row).status == notify.SENT


def test_maintenance_requeues_lost_and_stuck_messages(app):
    import datetime as dt

    from vss.core import clock

    now = clock.utcnow()
    lost = Outbox.create(channel="sms", recipient="0900000001", template="password_old", body="x")
    stuck = Outbox.create(
        channel="sms",
        recipient="0900000002",
        template="password_old",
        body="y",
        status=notify.SENDING,
        attempts=1,
        claimed_at=now,
        lease_until=now + dt.timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"]),
    )
    jobs.run_maintenance()
    assert _reload(lost).status == notify.SENT
    assert _reload(stuck).status == notify.SENDING  # its worker's lease still holds
    clock.travel(dt.timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1))
    jobs.run_maintenance()
    assert _reload(stuck).status == notify.SENT


def test_messages_for_a_person(app):
    from tests.factories import make_person

    person = make_person()
    notify.sms("0912345678", "otp", person=person, code="1", minutes=5)
    notify.sms("0987654321", "otp", code="2", minutes=5)
    assert [m.recipient for m in notify.for_person(person)] == ["0912345678"]


# --- secrets at rest ----------------------------------------------------------------------


def _dump(row_id):
    """Every column of an outbox row as a database dump would show it."""
    from vss.core.db import db

    row = db.execute_sql("SELECT * FROM outbox WHERE id = ?".replace("?", db.param), (int(row_id),))
    return " ".join(str(value) for value in row.fetchone())


def test_a_code_is_never_kept_in_clear_before_or_after_delivery(app):
    with transaction():
        row = notify.send_code("0912345678", "048213", 5)
        assert "048213" not in _dump(row.id)  # queued, not delivered yet
    delivered = _reload(row)
    assert delivered.status == notify.SENT and delivered.params == {}
    assert delivered.body.startswith("●●●●●● la ma xac thuc VSS") and "5 phut" in delivered.body
    assert "048213" not in _dump(row.id)


def test_a_code_by_email_is_redacted_in_the_subject_too(app):
    row = notify.send_code("an@example.vn", "048213", 3, channel=notify.EMAIL)
    stored = _reload(row)
    assert stored.subject == "●●●●●● là mã xác thực VSS của bạn"
    assert "048213" not in _dump(row.id)


def test_a_temporary_password_marked_secret_is_not_kept(app):
    row = notify.sms(
        "0912345678", "account_created", username="0123456789", password=notify.Secret("Xk7pQ2mWz9")
    )
    stored = _reload(row)
    assert "Ten dang nhap: 0123456789" in stored.body and "Mat khau tam: ●●●●●● ." in stored.body
    assert "Xk7pQ2mWz9" not in _dump(row.id) and stored.params == {}
    assert "Xk7pQ2mWz9" not in repr(notify.Secret("Xk7pQ2mWz9"))  # nor in a log line


def test_the_gateway_gets_the_whole_text_and_the_row_keeps_none_of_the_secret(app):
    with SmsGateway() as gateway:
        app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url)
        row = notify.sms(
            "0912345678", "account_created", username="0123456789", password=notify.Secret("Xk7pQ2mWz9")
        )
    (request,) = gateway.requests
    assert "Mat khau tam: Xk7pQ2mWz9 ." in request["json"]["text"]
    assert "Xk7pQ2mWz9" not in _dump(row.id)


def test_development_keeps_the_whole_text_in_the_dev_mailbox(app):
    from tests.mailbox import last_code

    notify.send_code("0912345678", "048213", 5)
    assert last_code("0912345678") == "048213"
    notify.sms("0912345678", "account_created", username="0123456789", password=notify.Secret("Xk7pQ2mWz9"))
    assert "Mat khau tam: Xk7pQ2mWz9 ." in last_message("0912345678", "account_created").body


def test_production_keeps_no_copy(app):
    from vss.messages.notify import DevMailbox

    app.config["DEV_OUTBOX"] = False
    row = notify.send_code("0912345678", "048213", 5)
    assert _reload(row).status == notify.SENT and DevMailbox.select().count() == 0


def test_old_messages_are_purged_by_the_daily_job(app):
    import datetime as dt

    from vss.core import clock

    old = notify.sms("0912345678", "password_old")
    clock.travel(dt.timedelta(days=179))  # kept 180 days (README: the citizen's messages page)
    kept = notify.sms("0912345678", "password_old")
    clock.travel(dt.timedelta(days=2))
    jobs.run_maintenance()
    assert [row.id for row in Outbox.select()] == [kept.id] and old.id != kept.id


def test_an_approval_keeps_no_temporary_password_at_rest(app):
    from tests.factories import make_person
    from tests.staff_helpers import make_dossier, make_staff, offices
    from vss.dossiers import review

    places = offices()
    make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa")
    item = make_dossier(
        places["00101"], bhxh_code="0123456789", full_name="Nguyễn Thị Hoa", email="hoa@example.vn"
    )
    outcome, password = review.decide(make_staff(places["00101"]), item, "hop_le")
    rows = list(Outbox.select().where(Outbox.template == "account_created"))
    assert outcome == "approved" and len(rows) == 2
    assert all(password not in _dump(row.id) for row in rows)


def test_a_message_sealed_under_a_previous_secret_key(app):
    from tests.mailbox import last_code

    with transaction():  # queued under the old key; held back from the after-commit delivery
        kept = notify.send_code("0912345678", "048213", 5)
        lost = notify.send_code("0987654321", "135790", 5)
        Outbox.update(status=notify.SENDING).where(Outbox.id.in_([kept.id, lost.id])).execute()
    Outbox.update(status=notify.PENDING).where(Outbox.id.in_([kept.id, lost.id])).execute()
    app.config.update(SECRET_KEY="new-key", SECRET_KEY_FALLBACKS=["test-secret"])
    assert delivery.deliver(kept.id) and last_code("0912345678") == "048213"
    app.config["SECRET_KEY_FALLBACKS"] = []  # the old key forgotten: the message cannot be read
    assert delivery.deliver(lost.id) is False
    gone = _reload(lost)
    assert gone.status == notify.DEAD and "SECRET_KEY" in gone.last_error and gone.sealed is None
