"""The Huey instance and every background job. Jobs take ids, push an app context, and are
idempotent: running one twice changes nothing the second time.

Besides Huey's jobs, every `flask worker` runs the outbox sweep in a thread every few seconds
(`run_sweeper`): Huey's periodic tasks fire once a minute at best, and a dead worker's message
must go out again within a minute of its lease ending (vss/messages/delivery.py)."""

import functools
import logging

from huey import MemoryHuey, crontab
from huey.storage import RedisStorage, SqliteStorage

from vss.dossiers import registration
from vss.identity import otp, signin
from vss.messages import delivery, notify

log = logging.getLogger(__name__)

# Created unconfigured (in memory); init_app picks SqliteHuey storage, RedisHuey storage or
# immediate mode from the app's config before any task is enqueued.
huey = MemoryHuey("vss", utc=True, store_intermediate_errors=False, results=False)
_state = {"app": None}

# Vietnam has no daylight saving: 02:00 in Hồ Chí Minh City is 19:00 UTC the day before.
VN_UTC_OFFSET_HOURS = 7
MAINTENANCE_HOUR_VN = 2
_maintenance_jobs = []


def init_app(app):
    """Bind the job queue to the app's storage and remember the app for job contexts."""
    _state["app"] = app
    notify.configure(app.config)
    if app.config["HUEY_IMMEDIATE"]:
        huey.immediate = True
        return
    huey.immediate = False
    if app.config.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["HUEY_SQLITE_PATH"]}
    huey.storage = huey.create_storage()


def _with_app(func):
    """Run a job inside an app context, with its own database connection."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from vss.core.db import db

        app = _state["app"]
        with app.app_context():
            opened = db.connect(reuse_if_open=True)
            try:
                return func(*args, **kwargs)
            finally:
                if opened and not db.in_transaction():
                    db.close()

    return wrapper


@huey.task(retries=5, retry_delay=30, retry_backoff=2)
@_with_app
def deliver_message(outbox_id):
    """Hand one outbox row to its backend; failures are retried with backoff (30 s, 60 s, …)."""
    delivery.deliver(outbox_id, _state["app"].config)


def enqueue_delivery(outbox_id):
    """Queue delivery of an outbox row (called after the row's transaction commits)."""
    deliver_message(outbox_id)


@_with_app
def sweep_outbox():
    """Hand back the messages of dead workers, expire late codes, queue lost jobs again."""
    ids = delivery.sweep(_state["app"].config)
    for outbox_id in ids:
        enqueue_delivery(outbox_id)
    return len(ids)


def run_sweeper(stop, interval):
    """The sweep loop of a worker process: now, then every `interval` seconds until `stop` is set.
    Every worker sweeps; the claims and re-queues are conditional UPDATEs, so they never clash."""
    while True:
        try:
            sweep_outbox()
        except Exception:  # the database may be away for a moment; the next round tries again
            log.exception("outbox sweep failed")
        if stop.wait(interval):
            return


def maintenance_job(func):
    """Register `func` to run in the daily maintenance task (features hook clean-ups here)."""
    _maintenance_jobs.append(func)
    return func


@maintenance_job
def requeue_undelivered():
    """The outbox sweep once more (workers run it every few seconds; this reports the count)."""
    return sweep_outbox()


@maintenance_job
def purge_old_messages():
    """Messages older than the retention (180 days by default) and their dev mailbox copies."""
    return notify.purge(_state["app"].config["OUTBOX_RETENTION_DAYS"])


@maintenance_job
def purge_one_time_codes():
    """Codes expired for more than a day are of no use to anyone."""
    return otp.purge()


@maintenance_job
def purge_registration_drafts():
    """Drafts not submitted within 7 days."""
    return registration.purge_drafts()


@maintenance_job
def expire_unpresented_dossiers():
    """Dossiers not presented within 10 days (tombstone + SMS)."""
    return registration.expire_unpresented()


@maintenance_job
def remind_old_passwords():
    """An SMS to citizens whose password is more than six months old."""
    return signin.remind_old_passwords()


def run_maintenance():
    """Run every registered clean-up; one failing does not stop the others."""
    results = {}
    for job in _maintenance_jobs:
        try:
            results[job.__name__] = job()
        except Exception:  # a broken clean-up must not starve the others
            log.exception("maintenance job %s failed", job.__name__)
            results[job.__name__] = "error"
    return results


@huey.periodic_task(crontab(minute="0", hour=str((MAINTENANCE_HOUR_VN - VN_UTC_OFFSET_HOURS) % 24)))
@_with_app
def daily_maintenance():
    """02:00 Vietnam time, every day."""
    return run_maintenance()
