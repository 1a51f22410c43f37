"""kill -9 of the job worker mid-delivery, with real `flask worker` processes and a real HTTP SMS
gateway on loopback: nothing is lost, every message is delivered under exactly one idempotency
key, and the message a dead worker held is sent again within a minute. SQLite + SqliteHuey, or
PostgreSQL + RedisHuey when VSS_TEST_DATABASE_URL and VSS_TEST_REDIS_URL are set."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REDIS_URL
from tests.servers import SmsGateway, app_env
from vss import create_app
from vss.core import jobs
from vss.core.db import db
from vss.messages import notify
from vss.messages.notify import Outbox

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 200
SECRET = "loopback-test"  # app_env's SECRET_KEY: the queueing process and the workers share it


def _worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _wait(condition, seconds, what):
    until = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < until, f"timed out waiting for {what}"
        time.sleep(0.05)


def _queue(count):
    """A load of messages like a registration burst: codes, temporary passwords, plain SMS."""
    rows = []
    for n in range(count):
        phone = f"09{n:08d}"
        if n % 3 == 0:
            rows.append(notify.send_code(phone, f"{n:06d}", 5))
        elif n % 3 == 1:
            rows.append(
                notify.sms(
                    phone, "account_created", username=f"01{n:08d}", password=notify.Secret(f"Tam{n:07d}xyz")
                )
            )
        else:
            rows.append(
                notify.sms(
                    phone,
                    "dossier_submitted",
                    number=f"{n:05d}.GD/2026/00101",
                    by_post=False,
                    office="BHXH Ha Noi",
                    deadline="01/12/2026",
                )
            )
    db.close()
    return rows


def _unsent():
    try:
        return Outbox.select().where(Outbox.status != notify.SENT).count()
    finally:
        db.close()


@pytest.mark.timeout(240)
def test_kill_9_of_workers_mid_delivery_loses_and_duplicates_nothing(database_url, tmp_path, capsys):
    huey_path = str(tmp_path / "huey.db")
    create_app(
        "test",
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET,
        HUEY_IMMEDIATE=False,
        HUEY_SQLITE_PATH=huey_path,
        REDIS_URL=REDIS_URL,
    )
    log = open(tmp_path / "workers.log", "w")  # noqa: SIM115 - closed in finally
    workers = []
    try:
        jobs.huey.flush()
        # The first two requests are read and never answered: both threads of the first worker
        # are then mid-send when it is killed.
        with SmsGateway(hang_first=2, delay=0.005) as gateway:
            env = app_env(
                database_url,
                tmp_path,
                VSS_HUEY_IMMEDIATE="0",
                VSS_MIGRATE_ON_START="0",
                VSS_SMS_BACKEND="http",
                VSS_SMS_GATEWAY_URL=gateway.url,
                VSS_HUEY_PATH=huey_path,
                REDIS_URL=REDIS_URL or "",
            )
            workers.append(_worker(env, log))
            rows = _queue(MESSAGES)
            _wait(lambda: len(gateway.hanging) == 2, 60, "the first worker to be mid-send")
            workers.append(_worker(env, log))
            _wait(lambda: len(gateway.accepted) >= 40, 60, "the second worker to deliver")
            killed_at = time.monotonic()
            _kill(workers[0])  # mid-send (both threads) while the second worker is busy
            _wait(lambda: len(gateway.accepted) >= 100, 60, "the second worker to go on")
            second_killed_at = time.monotonic()
            _kill(workers[1])  # wherever it is: sending, claimed, or holding a dequeued job
            workers.append(_worker(env, log))
            _wait(lambda: len(gateway.accepted) >= MESSAGES, 120, "every message")
            redelivered = [gateway.accepted[key] - killed_at for key in gateway.hanging]
            all_done = max(gateway.accepted.values()) - second_killed_at
            keys, repeats, requests = gateway.keys, gateway.repeats, len(gateway.requests)
            # The gateway has answered; the worker records it a moment later.
            _wait(lambda: _unsent() == 0, 30, "every row to be marked sent")
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
        log.close()
        jobs.huey.flush()
        jobs.huey.immediate = True
    expected = {f"vss-outbox-{row.id}" for row in rows}
    lost = expected - set(gateway.accepted)
    assert not lost and keys == expected  # every message delivered, each under one key
    assert max(redelivered) < 60, redelivered
    stored = list(Outbox.select().order_by(Outbox.id))
    assert {row.status for row in stored} == {notify.SENT}
    assert all(row.sealed is None and row.params == {} for row in stored)
    with capsys.disabled():
        print(
            f"\nkill -9 ({'PostgreSQL + RedisHuey' if REDIS_URL else 'SQLite + SqliteHuey'}): {MESSAGES} "
            f"messages, lost {len(lost)}, under more than one key 0, sent again under the same key "
            f"{requests - len(keys)} (accepted twice: {repeats}); the first worker's mid-send messages "
            f"went out {min(redelivered):.1f}–{max(redelivered):.1f} s after its kill; all delivered "
            f"{all_done:.1f} s after the second kill"
        )
