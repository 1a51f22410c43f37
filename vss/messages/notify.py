"""Notifications: every SMS and email is an Outbox row written in the caller's transaction and
delivered by a background job after commit (vss/messages/delivery.py: claims with a lease, retries, the
sweep every worker runs).

Secrets. A one-time code or a temporary password is marked where the message is queued:
`send_code` marks its code, other callers wrap the value, `password=Secret(password)`. The row's
subject and body are then rendered with every secret masked (●●●●●●): that is what the
citizen's messages page shows and what stays after delivery. The whole text is sealed into
`sealed` (Fernet: AES-CBC + HMAC-SHA256, key derived from SECRET_KEY with HKDF); the worker opens
it to send and clears it as soon as the message is sent, given up or expired. `params` keeps only
values that are not secret, and is emptied once the message is final.

Why seal rather than keep the text in clear until delivery and redact it after: a row waits
seconds when all is well but hours when a gateway is down, and database dumps, backups and
replicas outlive both; with the key only in the processes' environment (the SECRET_KEY the web
and the workers already share), a dump or a read-only SQL account reveals no live code or
password, before delivery or after. A message sealed under a previous SECRET_KEY is opened with
SECRET_KEY_FALLBACKS; without it, it cannot be opened any more and is given up (`dead`): a code
would have expired anyway, a new account's holder can use "forgot password".

Development (DEV_OUTBOX) keeps the whole delivered text in DevMailbox, shown at /dev/outbox;
production keeps none. Rows older than OUTBOX_RETENTION_DAYS are purged by the daily job."""

import base64
import datetime as dt
import json
import unicodedata
from pathlib import Path

import jinja2
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from peewee import (
    JOIN,
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from vss.core.clock import utcnow
from vss.core.db import BaseModel, JSONField, on_commit
from vss.registry.registry import Person

SMS, EMAIL = "sms", "email"
PENDING, SENDING, SENT, FAILED, DEAD, EXPIRED = "pending", "sending", "sent", "failed", "dead", "expired"
# What a row keeps once it is final: nothing that could rebuild a secret.
CLEARED = {"sealed": None, "lease_until": None, "params": {}}
MASK = "●●●●●●"  # the same length whatever it hides: a password's length is not told either

_messages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates" / "messages"),
    autoescape=False,  # noqa: S701 - plain-text SMS/email bodies, never HTML
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)
_sealing = {}


def unaccent(text):
    """'Bảo hiểm xã hội Đà Nẵng' → 'Bao hiem xa hoi Da Nang' (for GSM-7 SMS)."""
    text = str(text).replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


_messages.filters["unaccent"] = unaccent


class Secret(str):
    """A message parameter never stored in clear: `notify.sms(…, password=Secret(password))`."""

    __slots__ = ()

    def __repr__(self):
        return f"Secret({MASK!r})"  # a traceback or a log line shows no secret either


class Unreadable(Exception):
    """A sealed message cannot be opened (SECRET_KEY changed since it was queued)."""


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
    queued_at = DateTimeField(null=True)  # a delivery job was last queued (or started) then
    lease_until = DateTimeField(null=True)  # a sending row is its worker's until then
    deadline = DateTimeField(null=True)  # a one-time code's end of life: never sent after it
    sealed = TextField(null=True)  # the whole text of a message with a secret, encrypted
    # Subject and body show MASK in place of a secret (database default FALSE: migration 0010).
    redacted = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])

    @property
    def idempotency_key(self):
        """Sent with every delivery so a gateway or mail server can drop a repeat."""
        return f"vss-outbox-{self.id}"


class DevMailbox(BaseModel):
    """Development only: the whole text of a delivered message, as the phone or mailbox got it."""

    outbox = ForeignKeyField(Outbox, unique=True, on_delete="CASCADE", backref="mailbox")
    delivered_at = DateTimeField(default=utcnow)
    channel = CharField(max_length=5)
    recipient = CharField(max_length=254)
    template = CharField(max_length=64)
    subject = TextField(default="")
    body = TextField()


def _sealing_key(secret_key):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vss outbox sealing v1").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def configure(config):
    """Sealing keys from SECRET_KEY (web and workers call this at start-up). Messages sealed with a
    key in SECRET_KEY_FALLBACKS (Flask's list of previous keys) can still be opened."""
    keys = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    _sealing["fernet"] = MultiFernet([_sealing_key(key) for key in keys])


def _fernet():
    try:
        return _sealing["fernet"]
    except KeyError:
        raise RuntimeError("notify.configure(app.config) was not called") from None


def render(channel, template, params):
    """(subject, body) of a message template; an email template's first line is 'Subject: …'."""
    text = _messages.get_template(f"{template}.{channel}.txt").render(**params).strip()
    if channel == EMAIL and text.startswith("Subject:"):
        first, _, rest = text.partition("\n")
        return first[len("Subject:") :].strip(), rest.strip()
    return "", text


def whole_text(row):
    """(subject, body) as the recipient gets it: opened from `sealed` when it holds a secret."""
    if not row.sealed:
        return row.subject, row.body
    try:
        text = json.loads(_fernet().decrypt(row.sealed.encode()))
    except InvalidToken:
        raise Unreadable("sealed with another SECRET_KEY") from None
    return text["subject"], text["body"]


def _queue(channel, recipient, template, person, params, deadline=None):
    secret = {name for name, value in params.items() if isinstance(value, Secret)}
    subject, body = render(channel, template, params)
    sealed = None
    if secret:
        sealed = _fernet().encrypt(json.dumps({"subject": subject, "body": body}).encode()).decode()
        subject, body = render(channel, template, {**params, **dict.fromkeys(secret, MASK)})
        params = {name: value for name, value in params.items() if name not in secret}
    row = Outbox.create(
        channel=channel,
        recipient=recipient,
        template=template,
        params=params,
        subject=subject,
        body=body,
        person=person,
        sealed=sealed,
        redacted=bool(secret),
        deadline=deadline,
        queued_at=utcnow(),
    )
    from vss.messages import tasks  # tasks imports this module; the import is for enqueueing only

    on_commit(lambda: tasks.enqueue_delivery(row.id))
    return row


def sms(recipient, template, person=None, **params):
    """Queue an SMS (delivered after the surrounding transaction commits); wrap secrets in Secret."""
    return _queue(SMS, recipient, template, person, params)


def email(recipient, template, person=None, **params):
    """Queue an email (delivered after the surrounding transaction commits); wrap secrets in Secret."""
    return _queue(EMAIL, recipient, template, person, params)


def send_code(recipient, code, minutes, channel=SMS, person=None):
    """A one-time code message: it starts with the code, says how long it lasts, not to share it.
    It is never sent after those `minutes` (a late code is of no use and only confuses)."""
    return _queue(
        channel,
        recipient,
        "otp",
        person,
        {"code": Secret(code), "minutes": minutes},
        deadline=utcnow() + dt.timedelta(minutes=minutes),
    )


def keep_for_development(row, subject, body):
    """The dev mailbox copy of a delivered message (once per row, whatever the retries)."""
    (
        DevMailbox.insert(
            outbox=row.id,
            channel=row.channel,
            recipient=row.recipient,
            template=row.template,
            subject=subject,
            body=body,
            delivered_at=utcnow(),
        )
        .on_conflict_ignore()
        .execute()
    )


def for_person(person, limit=50):
    """Messages sent to a person, newest first (their 'Thông báo' page): redacted text only."""
    return Outbox.select().where(Outbox.person == person).order_by(Outbox.id.desc()).limit(limit)


def for_developers(limit=50):
    """The newest messages, each with its dev mailbox copy (`row.delivered`) when delivered."""
    return (
        Outbox.select(Outbox, DevMailbox)
        .join(DevMailbox, JOIN.LEFT_OUTER, attr="delivered")
        .order_by(Outbox.id.desc())
        .limit(limit)
    )


def purge(retention_days):
    """Delete messages (and their dev mailbox copies) older than `retention_days`."""
    cutoff = utcnow() - dt.timedelta(days=retention_days)
    return Outbox.delete().where(Outbox.created_at < cutoff).execute()


MODELS = [Outbox, DevMailbox]
