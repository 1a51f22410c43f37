"""Delivery of outbox rows: a claim with a lease, the backends, and the sweep every worker runs.

Claim and lease. `deliver` claims a row with one conditional UPDATE (pending or failed → sending,
attempts + 1, lease_until = now + OUTBOX_LEASE_SECONDS): of several workers racing for a row,
on SQLite or PostgreSQL, one wins. While the backend sends, a heartbeat thread renews the lease
every quarter of its length, for as long as this claim is the row's current one (still sending,
same attempt): a send may legitimately outlast a fixed lease (SMTP is several 10 s socket
timeouts in a row). A worker killed with -9 stops renewing; once its lease has passed, any live
worker's sweep hands the row back ("worker stopped while sending") and queues it again. With a
20 s lease and a sweep every 5 s, a dead worker's message is sent again within ≈ 25 s (+ the
queue's poll, ≤ 2 s: see cli.worker_command).

Lost jobs. A job taken from the queue by a worker that died before claiming leaves its row
pending: the sweep queues a pending row again once its job is OUTBOX_REQUEUE_SECONDS old, and a
failed row once its last attempt is FAILED_STALE old (Huey keeps its retries in storage; this
covers a retry lost with its worker). Each re-queue is a conditional UPDATE of queued_at, so
several workers sweeping at once queue a row once, and the claim still sends it once.

The same key on every attempt: vss-outbox-<id> (HTTP Idempotency-Key and message id, SMTP
Message-ID), so a gateway drops the repeat of a send that reached it before its worker died.
A one-time code past its deadline is never sent (expired); a message whose every claim died
DELIVERY_MAX_ATTEMPTS times is given up (dead) rather than kill worker after worker."""

import contextlib
import datetime as dt
import logging
import threading

from vss.core import jobs
from vss.core.clock import utcnow
from vss.core.db import db
from vss.core.settings import settings
from vss.messages import attachments, outbox
from vss.messages.backends import DeliveryError, Message, backend_for
from vss.messages.outbox import CLEARED, DEAD, EXPIRED, FAILED, PENDING, SENDING, SENT, Outbox

log = logging.getLogger(__name__)

# Longer than Huey's last retry delay (30 s × 2⁴ = 8 min): a failed row this old has lost its retry.
FAILED_STALE = dt.timedelta(minutes=15)
SWEEP_BATCH = 500


def _lease():
    return dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _expire_if_late(outbox_id, now):
    """A code past its deadline is not sent late: it is expired, its secret cleared."""
    return (
        Outbox.update(status=EXPIRED, last_error="not delivered within its lifetime", **CLEARED)
        .where((Outbox.id == outbox_id) & Outbox.status.in_([PENDING, FAILED]) & (Outbox.deadline <= now))
        .execute()
    )


def claim(outbox_id):
    """Take a row for sending (one worker wins); the claimed row, or None when there is nothing to
    send: already sent or being sent, given up, past its deadline, or no such row."""
    now = utcnow()
    claimed = (
        Outbox.update(
            status=SENDING,
            attempts=Outbox.attempts + 1,
            claimed_at=now,
            queued_at=now,
            lease_until=now + _lease(),
        )
        .where(
            (Outbox.id == outbox_id)
            & Outbox.status.in_([PENDING, FAILED])
            & (Outbox.deadline.is_null() | (Outbox.deadline > now))
        )
        .execute()
    )
    if not claimed:
        _expire_if_late(outbox_id, now)
        return None
    return Outbox.get_by_id(outbox_id)


def _mine(row):
    """The row is still held by this claim (sending, and no later attempt has taken it)."""
    return (Outbox.id == row.id) & (Outbox.status == SENDING) & (Outbox.attempts == row.attempts)


@contextlib.contextmanager
def _lease_kept(row):
    """Renew the claim's lease every quarter of its length while the body of the block runs."""
    stop = threading.Event()

    def renew():
        try:
            while not stop.wait(settings.OUTBOX_LEASE_SECONDS / 4):
                try:
                    Outbox.update(lease_until=utcnow() + _lease()).where(_mine(row)).execute()
                except Exception:  # a missed renewal risks only a repeat under the same key
                    log.exception("renewing the lease of outbox %s failed", row.id)
        finally:
            if not db.is_closed():
                db.close()  # this thread's own connection

    heartbeat = threading.Thread(target=renew, name=f"outbox-lease-{row.id}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()


def _finish(row, status, error, backend=""):
    """Record a failed attempt (if this claim still holds the row); a final one clears secrets."""
    fields = {"status": status, "last_error": error[:1000], "backend": backend, "lease_until": None}
    if status != FAILED:
        fields.update(CLEARED)
    return Outbox.update(**fields).where(_mine(row)).execute()


def _attachments(row):
    spec = (row.params or {}).get(outbox.ATTACHMENT)
    return (attachments.make(spec),) if spec else ()


def deliver(outbox_id):
    """Send one message once. Returns True when sent now; raises DeliveryError to be retried."""
    row = claim(outbox_id)
    if row is None:
        return False
    backend = None
    try:
        backend = backend_for(row.channel)
        subject, body = outbox.whole_text(row)
        with _lease_kept(row):
            files = _attachments(row)
            backend.send(Message(row, subject, body, files))
    except (outbox.Unreadable, attachments.Missing) as error:
        _finish(row, DEAD, str(error))
        log.error("outbox %s given up: %s", outbox_id, error)
        return False
    except DeliveryError as error:
        gave_up = row.attempts >= settings.DELIVERY_MAX_ATTEMPTS
        held = _finish(row, DEAD if gave_up else FAILED, str(error), getattr(backend, "name", ""))
        log.warning("delivery of outbox %s failed (attempt %s): %s", outbox_id, row.attempts, error)
        if gave_up or not held:
            return False  # given up, or another worker has taken the row over meanwhile
        raise
    # Whoever holds the claim now, the message went out: record it, and forget its secret.
    (
        Outbox.update(status=SENT, sent_at=utcnow(), last_error="", backend=backend.name, **CLEARED)
        .where(Outbox.id == outbox_id)
        .execute()
    )
    return True


def sweep():
    """Act on rows no live job will: expire late codes, give up or hand back the rows of dead
    workers, re-arm lost jobs. Returns the ids to queue (each returned by one sweeper only)."""
    now = utcnow()
    requeue = now - dt.timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)
    never = Outbox.queued_at.is_null()
    due = (
        Outbox.select(Outbox.id, Outbox.status, Outbox.attempts, Outbox.deadline, Outbox.queued_at)
        .where(
            ((Outbox.status == SENDING) & (Outbox.lease_until < now))
            | (Outbox.status.in_([PENDING, FAILED]) & (Outbox.deadline <= now))
            | ((Outbox.status == PENDING) & (never | (Outbox.queued_at < requeue)))
            | ((Outbox.status == FAILED) & (never | (Outbox.queued_at < now - FAILED_STALE)))
        )
        .order_by(Outbox.id)
        .limit(SWEEP_BATCH)
    )
    ids = []
    for row in due:
        if row.status == SENDING:
            lapsed = _mine(row) & (Outbox.lease_until < now)
            if row.deadline and row.deadline <= now:
                Outbox.update(
                    status=EXPIRED, last_error="worker stopped; not delivered within its lifetime", **CLEARED
                ).where(lapsed).execute()
            elif row.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
                Outbox.update(
                    status=DEAD, last_error=f"worker stopped while sending ({row.attempts} times)", **CLEARED
                ).where(lapsed).execute()
            elif (
                Outbox.update(
                    status=FAILED, last_error="worker stopped while sending", lease_until=None, queued_at=now
                )
                .where(lapsed)
                .execute()
            ):
                ids.append(row.id)
        elif row.deadline and row.deadline <= now:
            _expire_if_late(row.id, now)
        else:
            cutoff = requeue if row.status == PENDING else now - FAILED_STALE
            if (
                Outbox.update(queued_at=now)
                .where(
                    (Outbox.id == row.id)
                    & (Outbox.status == row.status)
                    & (never | (Outbox.queued_at < cutoff))
                )
                .execute()
            ):
                ids.append(row.id)
    return ids


# --- the jobs -------------------------------------------------------------------------------


@jobs.task(retries=5, retry_delay=30, retry_backoff=2)
def deliver_message(outbox_id):
    """Hand one outbox row to its backend; failures are retried with backoff (30 s, 60 s, …)."""
    deliver(outbox_id)


def enqueue(outbox_id):
    """Queue delivery of an outbox row (called after the row's transaction commits)."""
    deliver_message(outbox_id)


@jobs.with_app
def sweep_outbox():
    """Hand back the messages of dead workers, expire late codes, queue lost jobs again."""
    ids = sweep()
    for outbox_id in ids:
        enqueue(outbox_id)
    return len(ids)


def run_sweeper(stop, interval):
    """The sweep loop of a worker process: now, then every `interval` seconds until `stop` is set.
    Every worker sweeps (Huey's periodic tasks fire once a minute at best, and a dead worker's
    message must go out again within a minute); the claims and re-queues are conditional UPDATEs,
    so sweepers never clash."""
    while True:
        try:
            sweep_outbox()
        except Exception:  # the database may be away for a moment; the next round tries again
            log.exception("outbox sweep failed")
        if stop.wait(interval):
            return


@jobs.maintenance
def requeue_undelivered():
    """The outbox sweep once more (workers run it every few seconds; this reports the count)."""
    return sweep_outbox()
