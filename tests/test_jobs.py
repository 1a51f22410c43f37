"""The job queue on its real storages (SqliteHuey file, RedisHuey) and the daily schedule."""

import datetime as dt

import pytest
from huey.storage import RedisStorage, SqliteStorage

from tests.conftest import REDIS_URL
from vss import create_app
from vss.core import jobs
from vss.messages import delivery, notify
from vss.messages.notify import Outbox


def _queue_and_work(app):
    """Queue a message without immediate mode, then do what the worker does."""
    with app.app_context():
        jobs.huey.flush()
        row = notify.sms("0912345678", "otp", code="246810", minutes=5)
        assert jobs.huey.pending_count() == 1
        assert Outbox.get_by_id(row.id).status == notify.PENDING
        jobs.huey.execute(jobs.huey.dequeue())
        assert Outbox.get_by_id(row.id).status == notify.SENT
        jobs.huey.flush()


def test_sqlite_huey_in_its_own_file(database_url, tmp_path):
    path = tmp_path / "queue.db"
    app = create_app(
        "test", DATABASE_URL=database_url, HUEY_IMMEDIATE=False, HUEY_SQLITE_PATH=str(path), REDIS_URL=None
    )
    try:
        assert isinstance(jobs.huey.storage, SqliteStorage)
        _queue_and_work(app)
        assert path.exists()
    finally:
        jobs.huey.immediate = True


@pytest.mark.skipif(not REDIS_URL, reason="needs VSS_TEST_REDIS_URL")
def test_redis_huey_when_redis_url_is_set(database_url):
    app = create_app("test", DATABASE_URL=database_url, HUEY_IMMEDIATE=False, REDIS_URL=REDIS_URL)
    try:
        assert isinstance(jobs.huey.storage, RedisStorage)
        _queue_and_work(app)
    finally:
        jobs.huey.immediate = True


def test_daily_maintenance_runs_at_two_in_the_morning_vietnam_time():
    check = jobs.daily_maintenance.task_class().validate_datetime
    # Huey checks periodic tasks against UTC: 19:00 UTC is 02:00 the next day in Vietnam.
    assert check(dt.datetime(2026, 11, 22, 19, 0))
    assert not check(dt.datetime(2026, 11, 22, 2, 0))
    assert not check(dt.datetime(2026, 11, 22, 19, 1))


def test_a_failing_clean_up_does_not_stop_the_others(app, monkeypatch):
    calls = []

    def broken():
        raise RuntimeError("boom")

    def works():
        calls.append(1)
        return 3

    monkeypatch.setattr(jobs, "_maintenance", [broken, works])
    assert jobs.run_maintenance() == {"test_jobs.broken": "error", "test_jobs.works": 3}
    assert calls == [1]


def test_maintenance_command(runner, app):
    result = runner.invoke(args=["maintenance"])
    assert "delivery.requeue_undelivered: 0" in result.output


def test_a_worker_sweeps_the_outbox_every_few_seconds(app):
    import threading
    import time

    # A message whose job was lost (never queued, or taken by a worker that died).
    row = Outbox.create(channel="sms", recipient="0912345678", template="password_old", body="x")
    stop = threading.Event()
    sweeper = threading.Thread(target=delivery.run_sweeper, args=(stop, 0.05))
    sweeper.start()
    try:
        until = time.monotonic() + 10
        while Outbox.get_by_id(row.id).status != notify.SENT:
            assert time.monotonic() < until, "the sweep did not send the message"
            time.sleep(0.05)
    finally:
        stop.set()
        sweeper.join()


def test_maintenance_command_purges_old_messages(runner, app):
    assert "notify.purge_old_messages: 0" in runner.invoke(args=["maintenance"]).output
