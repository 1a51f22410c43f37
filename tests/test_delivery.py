"""Delivery leases: a message claimed by a worker that died is sent again within a minute by any
live worker, under the same idempotency key; a slow send keeps its claim; concurrent workers
send a message once; a one-time code is never sent after its lifetime. Real HTTP gateway on
loopback, real database, Huey task bodies run as the worker runs them."""

import datetime as dt
import threading
import time

from tests.conftest import run_concurrently
from tests.servers import SmsGateway, free_port
from vss.core import clock, jobs
from vss.core.db import db
from vss.messages import delivery, notify
from vss.messages.notify import Outbox

PHONE = "0912345678"


def _plain_row():
    """A queued message whose job is elsewhere (not delivered by this test's queueing)."""
    return Outbox.create(
        channel="sms",
        recipient=PHONE,
        template="password_old",
        body="BHXH VN: doi mat khau",
        queued_at=clock.utcnow(),
    )


def _reload(row):
    return Outbox.get_by_id(row.id)


def _gateway(app, **options):
    gateway = SmsGateway(**options)
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url)
    return gateway


def test_a_message_claimed_by_a_worker_that_died_is_sent_again_within_a_minute(app):
    with _gateway(app) as gateway:
        row = _plain_row()
        assert delivery.claim(row.id)  # …and the worker is killed before it sends
        delivery.sweep_outbox()  # a live worker's sweep: the dead worker's lease still holds
        assert gateway.requests == [] and _reload(row).status == notify.SENDING
        clock.travel(dt.timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1))
        delivery.sweep_outbox()
    sent = _reload(row)
    assert sent.status == notify.SENT and sent.attempts == 2
    assert gateway.keys == {f"vss-outbox-{row.id}"}  # the same key as the first attempt
    assert app.config["OUTBOX_LEASE_SECONDS"] + app.config["OUTBOX_SWEEP_SECONDS"] < 60


def test_a_live_worker_keeps_its_claim_while_a_send_is_slow(app):
    app.config.update(OUTBOX_LEASE_SECONDS=1.0)  # renewed every quarter of it
    with _gateway(app, delay=2.5) as gateway:
        row = _plain_row()

        def send():
            try:
                delivery.deliver(row.id)
            finally:
                db.close()

        sender = threading.Thread(target=send)
        sender.start()
        until = time.monotonic() + 2.3
        while time.monotonic() < until:  # other workers sweep all along
            delivery.sweep_outbox()
            time.sleep(0.2)
        sender.join()
    assert len(gateway.requests) == 1 and _reload(row).status == notify.SENT and _reload(row).attempts == 1


def test_concurrent_workers_send_a_message_once(app):
    with _gateway(app, delay=0.2) as gateway:
        row = _plain_row()
        run_concurrently(8, lambda n: delivery.deliver(row.id))
    assert len(gateway.requests) == 1 and _reload(row).status == notify.SENT


def test_a_lost_job_is_queued_again_by_the_sweep(app):
    row = _plain_row()  # its job was taken by a worker that was killed before claiming it
    delivery.sweep_outbox()
    assert _reload(row).status == notify.PENDING  # the job may simply be waiting in the queue
    clock.travel(dt.timedelta(seconds=app.config["OUTBOX_REQUEUE_SECONDS"] + 1))
    delivery.sweep_outbox()
    assert _reload(row).status == notify.SENT


def test_a_message_that_kills_every_worker_is_given_up(app):
    row = _plain_row()
    attempts = app.config["DELIVERY_MAX_ATTEMPTS"]
    Outbox.update(attempts=attempts - 1).where(Outbox.id == row.id).execute()  # workers died on it before
    assert delivery.claim(row.id)  # …and on this last attempt too
    clock.travel(dt.timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1))
    delivery.sweep_outbox()
    dead = _reload(row)
    assert dead.status == notify.DEAD and dead.attempts == attempts and "worker stopped" in dead.last_error


def test_a_code_not_delivered_within_its_lifetime_is_not_sent_late(app):
    port = free_port()
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=f"http://127.0.0.1:{port}/sms", DELIVERY_TIMEOUT=1)
    row = notify.send_code(PHONE, "123456", 5)
    assert _reload(row).status == notify.FAILED  # the gateway is down
    clock.travel(dt.timedelta(minutes=5, seconds=1))
    with SmsGateway(port=port) as gateway:
        delivery.deliver_message.call_local(row.id)  # Huey's retry comes too late
        delivery.sweep_outbox()
    expired = _reload(row)
    assert gateway.requests == [] and expired.status == notify.EXPIRED
    assert "lifetime" in expired.last_error and expired.sealed is None


def test_a_code_whose_retry_was_lost_expires_instead_of_going_out_late(app):
    port = free_port()
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=f"http://127.0.0.1:{port}/sms", DELIVERY_TIMEOUT=1)
    row = notify.send_code(PHONE, "123456", 1)
    assert _reload(row).status == notify.FAILED  # …and the worker that held its retry died
    clock.travel(dt.timedelta(minutes=1, seconds=1))
    with SmsGateway(port=port) as gateway:
        delivery.sweep_outbox()
    assert gateway.requests == [] and _reload(row).status == notify.EXPIRED


def test_the_daily_job_also_sweeps(app):
    row = _plain_row()
    clock.travel(dt.timedelta(hours=1))
    assert jobs.run_maintenance()["delivery.requeue_undelivered"] == 1
    assert _reload(row).status == notify.SENT
