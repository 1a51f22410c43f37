"""Notifications: outbox rows in the caller's transaction, delivery after commit, exactly once,
retried after failures — against a real SMTP server and a real HTTP SMS gateway on loopback."""

import pytest

from tests.servers import SmsGateway, SmtpServer, free_port
from vss import notify, tasks
from vss.db import transaction
from vss.notify import Outbox


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
    row = notify.send_code("0912345678", "048213", 5)
    assert row.body.startswith("048213 ")
    assert "5 phut" in row.body and "khong cung cap" in row.body.lower()


def test_otp_email_has_subject_and_diacritics(app):
    row = notify.send_code("an@example.vn", "048213", 3, channel=notify.EMAIL)
    assert row.subject.startswith("048213")
    assert row.body.startswith("048213 là mã xác thực") and "3 phút" in row.body


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
        tasks.deliver_message.call_local(row.id)
        # ...and a repeated job after success sends nothing more.
        tasks.deliver_message.call_local(row.id)
    sent = _reload(row)
    assert sent.status == notify.SENT and sent.attempts == 2 and sent.last_error == ""
    assert len(gateway.requests) == 2


def test_delivery_gives_up_after_max_attempts(app):
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=f"http://127.0.0.1:{free_port()}/",
                      DELIVERY_MAX_ATTEMPTS=2, DELIVERY_TIMEOUT=2)
    row = notify.send_code("0912345678", "555666", 5)
    assert _reload(row).status == notify.FAILED
    assert notify.deliver(row.id, app.config) is False
    dead = _reload(row)
    assert dead.status == notify.DEAD and dead.attempts == 2 and "unreachable" in dead.last_error


def test_email_over_smtp(app):
    with SmtpServer() as smtp:
        app.config.update(EMAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
        row = notify.send_code("an@example.vn", "777888", 5, channel=notify.EMAIL)
        tasks.deliver_message.call_local(row.id)  # a duplicate job
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
        tasks.deliver_message.call_local(row.id)
    assert len(smtp.messages) == 1 and _reload(row).status == notify.SENT


def test_maintenance_requeues_lost_and_stuck_messages(app):
    import datetime as dt

    from vss import clock

    lost = Outbox.create(channel="sms", recipient="0900000001", template="otp", params={},
                         body="x")
    stuck = Outbox.create(channel="sms", recipient="0900000002", template="otp", params={},
                          body="y", status=notify.SENDING, claimed_at=clock.utcnow())
    tasks.run_maintenance()
    assert _reload(lost).status == notify.SENT
    assert _reload(stuck).status == notify.SENDING  # a worker may still be on it
    clock.travel(dt.timedelta(minutes=notify.STALE_SENDING_MINUTES + 1))
    tasks.run_maintenance()
    assert _reload(stuck).status == notify.SENT


def test_messages_for_a_person(app):
    from tests.factories import make_person

    person = make_person()
    notify.sms("0912345678", "otp", person=person, code="1", minutes=5)
    notify.sms("0987654321", "otp", code="2", minutes=5)
    assert [m.recipient for m in notify.for_person(person)] == ["0912345678"]
