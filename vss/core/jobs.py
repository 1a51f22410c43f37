"""The Huey instance, the job decorator and the daily maintenance list.

This module imports no domain code (coleifer's layout): domain modules import it to declare their
jobs (`@jobs.task(...)`) and clean-ups (`@jobs.maintenance`), so nothing here needs them and the
imports run one way. Jobs take ids, run in an app context with their own database connection, and
are idempotent: running one twice changes nothing the second time."""

import functools
import logging

from huey import MemoryHuey, crontab
from huey.storage import RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

# Created unconfigured (in memory); init_app picks SqliteHuey storage, RedisHuey storage or
# immediate mode from the app's config before any task is enqueued.
huey = MemoryHuey("vss", utc=True, store_intermediate_errors=False, results=False)
_state = {"app": None}
_maintenance = []

# Vietnam has no daylight saving: 02:00 in Hồ Chí Minh City is 19:00 UTC the day before.
VN_UTC_OFFSET_HOURS = 7
MAINTENANCE_HOUR_VN = 2


def init_app(app):
    """Bind the job queue to the app's storage and remember the app for job contexts."""
    _state["app"] = app
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


def with_app(func):
    """Run `func` inside the app's context, with its own database connection."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from vss.core.db import db

        with _state["app"].app_context():
            opened = db.connect(reuse_if_open=True)
            try:
                return func(*args, **kwargs)
            finally:
                if opened and not db.in_transaction():
                    db.close()

    return wrapper


def task(**options):
    """A background job: `@jobs.task(retries=5)` on a function that takes ids."""

    def decorate(func):
        return huey.task(**options)(with_app(func))

    return decorate


def maintenance(func):
    """Add `func` (no arguments) to the daily clean-up; features hook their purges here."""
    _maintenance.append(func)
    return func


def run_maintenance():
    """Run every registered clean-up; one failing does not stop the others."""
    results = {}
    for job in _maintenance:
        name = f"{job.__module__.rpartition('.')[2]}.{job.__name__}"  # e.g. otp.purge, limits.purge
        try:
            results[name] = job()
        except Exception:  # a broken clean-up must not starve the others
            log.exception("maintenance job %s failed", name)
            results[name] = "error"
    return results


@huey.periodic_task(crontab(minute="0", hour=str((MAINTENANCE_HOUR_VN - VN_UTC_OFFSET_HOURS) % 24)))
@with_app
def daily_maintenance():
    """02:00 Vietnam time, every day."""
    return run_maintenance()
