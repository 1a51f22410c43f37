"""The outbox: one row per SMS or email, written in the caller's transaction, and the sealing
of the secrets some of them carry (see vss/messages/notify.py for why they are sealed)."""

import base64
import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from peewee import SQL, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from vss.core.clock import utcnow
from vss.core.db import BaseModel, JSONField
from vss.core.settings import settings
from vss.registry.registry import Person

SMS, EMAIL = "sms", "email"
PENDING, SENDING, SENT, FAILED, DEAD, EXPIRED = "pending", "sending", "sent", "failed", "dead", "expired"
# What a row keeps once it is final: nothing that could rebuild a secret.
CLEARED = {"sealed": None, "lease_until": None, "params": {}}
# The params key naming a file made at sending (vss/messages/attachments.py): [kind, ref].
ATTACHMENT = "attachment"
MASK = "●●●●●●"  # the same length whatever it hides: a password's length is not told either


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


@functools.lru_cache(maxsize=4)
def _sealer(keys):
    def fernet(secret_key):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vss outbox sealing v1").derive(
            secret_key.encode()
        )
        return Fernet(base64.urlsafe_b64encode(key))

    return MultiFernet([fernet(key) for key in keys])


def _fernet():
    """Sealing keys from SECRET_KEY; a message sealed with a key in SECRET_KEY_FALLBACKS (Flask's list of
    previous keys) can still be opened."""
    return _sealer((settings.SECRET_KEY, *(settings.get("SECRET_KEY_FALLBACKS") or [])))


def seal(subject, body):
    """The whole text of a message with a secret, encrypted for the worker alone."""
    return _fernet().encrypt(json.dumps({"subject": subject, "body": body}).encode()).decode()


def whole_text(row):
    """(subject, body) as the recipient gets it: opened from `sealed` when it holds a secret."""
    if not row.sealed:
        return row.subject, row.body
    try:
        text = json.loads(_fernet().decrypt(row.sealed.encode()))
    except InvalidToken:
        raise Unreadable("sealed with another SECRET_KEY") from None
    return text["subject"], text["body"]


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


MODELS = [Outbox, DevMailbox]
