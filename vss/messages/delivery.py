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
import dataclasses
import datetime as dt
import json
import logging
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate

from vss.core.clock import utcnow
from vss.core.db import db
from vss.messages import notify
from vss.messages.notify import CLEARED, DEAD, EXPIRED, FAILED, PENDING, SENDING, SENT, Outbox

log = logging.getLogger(__name__)

# Longer than Huey's last retry delay (30 s × 2⁴ = 8 min): a failed row this old has lost its retry.
FAILED_STALE = dt.timedelta(minutes=15)
SWEEP_BATCH = 500


class DeliveryError(Exception):
    """A message could not be handed over; the job will retry it."""


@dataclasses.dataclass(frozen=True)
class Message:
    """What a backend sends: the row's addressing and its whole text (secrets included)."""

    row: Outbox
    subject: str
    body: str

    @property
    def recipient(self):
        return self.row.recipient

    @property
    def idempotency_key(self):
        return self.row.idempotency_key


class OutboxBackend:
    """Nothing leaves. With DEV_OUTBOX (development, tests) the whole text goes to the dev mailbox
    shown at /dev/outbox; in production nothing of it is kept."""

    name = "outbox"

    def send(self, message, config):
        if config.get("DEV_OUTBOX"):
            notify.keep_for_development(message.row, message.subject, message.body)


class SmtpBackend:
    """Email over SMTP (plain, STARTTLS or SSL), optionally authenticated."""

    name = "smtp"

    def send(self, message, config):
        mail = EmailMessage()
        mail["From"] = config["MAIL_FROM"]
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        # A stable Message-ID lets a mail server drop a repeat of the same outbox row.
        mail["Message-ID"] = f"<{message.idempotency_key}@vss>"
        mail.set_content(message.body)
        host, port, tls = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TLS"]
        timeout = config["DELIVERY_TIMEOUT"]
        try:
            if tls == "ssl":
                client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(host, port, timeout=timeout)
            with client:
                if tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if config.get("SMTP_USER"):
                    client.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {host}:{port}: {error}") from error


class HttpSmsBackend:
    """SMS through a gateway: JSON POST with a bearer token and an idempotency key."""

    name = "http"

    def send(self, message, config):
        url = config["SMS_GATEWAY_URL"]
        if not url or not url.startswith(("http://", "https://")):
            raise DeliveryError("VSS_SMS_GATEWAY_URL must be an http(s) URL")
        payload = {
            "id": message.idempotency_key,
            "to": message.recipient,
            "sender": config["SMS_SENDER"],
            "text": message.body,
        }
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {config['SMS_GATEWAY_TOKEN'] or ''}",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=config["DELIVERY_TIMEOUT"]) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            error.close()  # it holds the response's socket
            raise DeliveryError(f"SMS gateway answered {error.code}") from error
        except (OSError, urllib.error.URLError) as error:
            raise DeliveryError(f"SMS gateway unreachable: {error}") from error


BACKENDS = {"outbox": OutboxBackend(), "smtp": SmtpBackend(), "http": HttpSmsBackend()}


def backend_for(channel, config):
    """The configured backend of a channel ('sms' or 'email')."""
    name = config["SMS_BACKEND"] if channel == "sms" else config["EMAIL_BACKEND"]
    try:
        return BACKENDS[name]
    except KeyError:
        raise DeliveryError(f"unknown {channel} backend {name!r}") from None


def _lease(config):
    return dt.timedelta(seconds=config["OUTBOX_LEASE_SECONDS"])


def _expire_if_late(outbox_id, now):
    """A code past its deadline is not sent late: it is expired, its secret cleared."""
    return (
        Outbox.update(status=EXPIRED, last_error="not delivered within its lifetime", **CLEARED)
        .where((Outbox.id == outbox_id) & Outbox.status.in_([PENDING, FAILED]) & (Outbox.deadline <= now))
        .execute()
    )


def claim(outbox_id, config):
    """Take a row for sending (one worker wins); the claimed row, or None when there is nothing to
    send: already sent or being sent, given up, past its deadline, or no such row."""
    now = utcnow()
    claimed = (
        Outbox.update(
            status=SENDING,
            attempts=Outbox.attempts + 1,
            claimed_at=now,
            queued_at=now,
            lease_until=now + _lease(config),
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
def _lease_kept(row, config):
    """Renew the claim's lease every quarter of its length while the body of the block runs."""
    stop = threading.Event()

    def renew():
        try:
            while not stop.wait(config["OUTBOX_LEASE_SECONDS"] / 4):
                try:
                    Outbox.update(lease_until=utcnow() + _lease(config)).where(_mine(row)).execute()
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


def deliver(outbox_id, config):
    """Send one message once. Returns True when sent now; raises DeliveryError to be retried."""
    row = claim(outbox_id, config)
    if row is None:
        return False
    backend = None
    try:
        backend = backend_for(row.channel, config)
        subject, body = notify.whole_text(row)
        with _lease_kept(row, config):
            backend.send(Message(row, subject, body), config)
    except notify.Unreadable as error:
        _finish(row, DEAD, str(error))
        log.error("outbox %s given up: %s", outbox_id, error)
        return False
    except DeliveryError as error:
        gave_up = row.attempts >= config["DELIVERY_MAX_ATTEMPTS"]
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


def sweep(config):
    """Act on rows no live job will: expire late codes, give up or hand back the rows of dead
    workers, re-arm lost jobs. Returns the ids to queue (each returned by one sweeper only)."""
    now = utcnow()
    requeue = now - dt.timedelta(seconds=config["OUTBOX_REQUEUE_SECONDS"])
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
            elif row.attempts >= config["DELIVERY_MAX_ATTEMPTS"]:
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
