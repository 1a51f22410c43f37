"""Notifications: every SMS and email is an Outbox row written in the caller's transaction
and delivered by a background job after commit, exactly once per row."""

import logging
import unicodedata
from pathlib import Path

import jinja2
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from vss import delivery
from vss.clock import utcnow
from vss.db import BaseModel, JSONField, on_commit
from vss.registry import Person

log = logging.getLogger(__name__)

SMS, EMAIL = "sms", "email"
PENDING, SENDING, SENT, FAILED, DEAD = "pending", "sending", "sent", "failed", "dead"
# A row left in SENDING this long belongs to a worker that died mid-send: try it again.
STALE_SENDING_MINUTES = 15

_messages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates" / "messages"),
    autoescape=False,  # noqa: S701 - plain-text SMS/email bodies, never HTML
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


def unaccent(text):
    """'Bảo hiểm xã hội Đà Nẵng' → 'Bao hiem xa hoi Da Nang' (for GSM-7 SMS)."""
    text = str(text).replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


_messages.filters["unaccent"] = unaccent


class Outbox(BaseModel):
    """One message to one recipient, with its delivery state."""

    created_at = DateTimeField(default=utcnow, index=True)
    channel = CharField(max_length=5)
    recipient = CharField(max_length=254)
    template = CharField(max_length=64)
    params = JSONField(default=dict)
    subject = TextField(default="")
    body = TextField()
    person = ForeignKeyField(Person, null=True, backref="messages", on_delete="SET NULL")
    status = CharField(max_length=8, default=PENDING, index=True)
    attempts = IntegerField(default=0)
    backend = CharField(max_length=8, default="")
    last_error = TextField(default="")
    claimed_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)

    @property
    def idempotency_key(self):
        """Sent with every delivery so a gateway or mail server can drop a repeat."""
        return f"vss-outbox-{self.id}"


def render(channel, template, params):
    """(subject, body) of a message template; an email template's first line is 'Subject: …'."""
    text = _messages.get_template(f"{template}.{channel}.txt").render(**params).strip()
    if channel == EMAIL and text.startswith("Subject:"):
        first, _, rest = text.partition("\n")
        return first[len("Subject:"):].strip(), rest.strip()
    return "", text


def _queue(channel, recipient, template, person, params):
    subject, body = render(channel, template, params)
    row = Outbox.create(channel=channel, recipient=recipient, template=template, params=params,
                        subject=subject, body=body, person=person)
    from vss import tasks  # tasks imports this module; the import is for enqueueing only

    on_commit(lambda: tasks.enqueue_delivery(row.id))
    return row


def sms(recipient, template, person=None, **params):
    """Queue an SMS (delivered after the surrounding transaction commits)."""
    return _queue(SMS, recipient, template, person, params)


def email(recipient, template, person=None, **params):
    """Queue an email (delivered after the surrounding transaction commits)."""
    return _queue(EMAIL, recipient, template, person, params)


def send_code(recipient, code, minutes, channel=SMS, person=None):
    """A one-time code message: it starts with the code, says how long it lasts, not to share it."""
    return _queue(channel, recipient, "otp", person, {"code": code, "minutes": minutes})


def deliver(outbox_id, config):
    """Send one message once. Returns True when sent now; raises DeliveryError to be retried."""
    now = utcnow()
    claimed = (Outbox.update(status=SENDING, attempts=Outbox.attempts + 1, claimed_at=now)
               .where((Outbox.id == outbox_id) & Outbox.status.in_([PENDING, FAILED]))
               .execute())
    if not claimed:
        return False  # already sent, being sent, given up, or no such row
    row = Outbox.get_by_id(outbox_id)
    backend = delivery.backend_for(row.channel, config)
    try:
        backend.send(row, config)
    except delivery.DeliveryError as error:
        gave_up = row.attempts >= config["DELIVERY_MAX_ATTEMPTS"]
        (Outbox.update(status=DEAD if gave_up else FAILED, last_error=str(error)[:1000],
                       backend=backend.name)
         .where(Outbox.id == outbox_id).execute())
        log.warning("delivery of outbox %s failed (attempt %s): %s", outbox_id, row.attempts, error)
        if gave_up:
            return False
        raise
    (Outbox.update(status=SENT, sent_at=utcnow(), last_error="", backend=backend.name)
     .where(Outbox.id == outbox_id).execute())
    return True


def undelivered():
    """Ids of rows a worker should (re)try: pending/failed, or stuck in SENDING."""
    import datetime as dt

    stale = utcnow() - dt.timedelta(minutes=STALE_SENDING_MINUTES)
    (Outbox.update(status=FAILED, last_error="worker stopped while sending")
     .where((Outbox.status == SENDING) & (Outbox.claimed_at < stale)).execute())
    query = Outbox.select(Outbox.id).where(Outbox.status.in_([PENDING, FAILED])).order_by(Outbox.id)
    return [row.id for row in query]


def for_person(person, limit=50):
    """Messages sent to a person, newest first (their 'Thông báo' page)."""
    return Outbox.select().where(Outbox.person == person).order_by(Outbox.id.desc()).limit(limit)


MODELS = [Outbox]
