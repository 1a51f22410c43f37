"""Password-guess lockout, the same for citizens and staff: at most MAX_FAILURES password (or
TOTP) checks per lock window, whatever the concurrency, across workers and machines.

A check is reserved before it is made: one conditional UPDATE counts it and, at the limit,
sets the lock in the same statement; only a request that got a reservation may compare the
secret. Twenty parallel guesses therefore compare exactly five, and a right password that
arrives after the fifth reservation is refused like any other. A success forgives earlier
failures only when no other check was reserved after it: a success inside a burst neither
unlocks the account nor gives the rest of the burst more checks.

Each person (a citizen's Account, a StaffUser) has two counts: their own device's and everyone
else's (`counter_for`). A stranger who types wrong passwords for a guessable name locks out
other browsers, never the owner's own."""

import datetime as dt
from typing import NamedTuple

from peewee import Case

from vss.core.clock import utcnow
from vss.core.db import db

MAX_FAILURES = 5
LOCK_MINUTES = 15


class Counter(NamedTuple):
    """Where a model keeps one failure counter and its lock."""

    model: type
    failures: object  # the IntegerField
    until: object  # the nullable DateTimeField


def counter_for(user, device):
    """The count a check of `user`'s password or code from `device` goes to: their own device's
    when it is the one they bound or last signed in from, else the one for every other device."""
    model = type(user)
    if user.owns_device(device):
        return Counter(model, model.device_failed_logins, model.device_locked_until)
    return Counter(model, model.failed_logins, model.locked_until)


def own_device(counter):
    """Whether a counter is the owner's own device's."""
    return counter.failures.name == "device_failed_logins"


def reserve(counter, row_id):
    """Count one check before it is made. Returns its number (1…MAX_FAILURES; the last one sets
    the lock) or None when the lock is on and nothing may be checked."""
    if db.in_transaction():
        raise RuntimeError("lockout.reserve inside a transaction: a rollback would undo the count")
    now = utcnow()
    failures, until = counter.failures, counter.until
    lapsed = until.is_null(False) & (until <= now)  # a lock that ran out starts a fresh count
    cursor = (
        counter.model.update(
            {
                failures: Case(None, ((lapsed, 1),), failures + 1),
                until: Case(
                    None,
                    (
                        (lapsed, None),
                        (failures + 1 >= MAX_FAILURES, now + dt.timedelta(minutes=LOCK_MINUTES)),
                    ),
                    until,
                ),
            }
        )
        .where((counter.model.id == row_id) & (until.is_null() | (until <= now)))
        .returning(failures)
        .execute()
    )
    row = next(iter(cursor), None)
    return None if row is None else getattr(row, failures.name)


def succeeded(counter, row_id, number):
    """A right secret on check `number`: forget earlier failures — unless checks were reserved
    after it (a burst is under way) or a lock is set; then the count stands, so a burst that
    holds the right password still gets no more than MAX_FAILURES checks."""
    (
        counter.model.update({counter.failures: 0, counter.until: None})
        .where((counter.model.id == row_id) & (counter.failures == number) & counter.until.is_null())
        .execute()
    )


def clear(counter, row_id):
    """The owner proved themselves another way (a code to their phone): no lock, no count."""
    counter.model.update({counter.failures: 0, counter.until: None}).where(
        counter.model.id == row_id
    ).execute()


def locked(counter, row):
    """Whether the lock is on for a loaded row."""
    value = getattr(row, counter.until.name)
    return value is not None and value > utcnow()
