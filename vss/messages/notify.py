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

import datetime as dt
import unicodedata
from pathlib import Path

import jinja2
from peewee import JOIN

from vss.core import jobs
from vss.core.clock import utcnow
from vss.core.db import FixedQuery, on_commit
from vss.core.settings import settings
from vss.messages import delivery
from vss.messages.outbox import (  # noqa: F401 - the outbox's words are part of this module's API
    ATTACHMENT,
    CLEARED,
    DEAD,
    EMAIL,
    EXPIRED,
    FAILED,
    MASK,
    PENDING,
    SENDING,
    SENT,
    SMS,
    DevMailbox,
    Outbox,
    Secret,
    Unreadable,
    keep_for_development,
    seal,
    whole_text,
)

_messages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates" / "messages"),
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


def render(channel, template, params):
    """(subject, body) of a message template; an email template's first line is 'Subject: …'."""
    text = _messages.get_template(f"{template}.{channel}.txt").render(**params).strip()
    if channel == EMAIL and text.startswith("Subject:"):
        first, _, rest = text.partition("\n")
        return first[len("Subject:") :].strip(), rest.strip()
    return "", text


def _queue(channel, recipient, template, person, params, deadline=None):
    secret = {name for name, value in params.items() if isinstance(value, Secret)}
    subject, body = render(channel, template, params)
    sealed = None
    if secret:
        sealed = seal(subject, body)
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
    on_commit(lambda: delivery.enqueue(row.id))
    return row


def sms(recipient, template, person=None, **params):
    """Queue an SMS (delivered after the surrounding transaction commits); wrap secrets in Secret."""
    return _queue(SMS, recipient, template, person, params)


def email(recipient, template, person=None, attachment=None, **params):
    """Queue an email (delivered after the surrounding transaction commits); wrap secrets in Secret.
    `attachment` names a file made when the message is sent (vss/messages/attachments.py), e.g.
    ("mau01", dossier.id)."""
    if attachment is not None:
        params[ATTACHMENT] = list(attachment)
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


# Its SQL made once (vss.core.db.FixedQuery): the 'Thông báo' page asks it on every view.
_FOR_PERSON = FixedQuery(
    lambda person_id, limit: (
        Outbox.select().where(Outbox.person == person_id).order_by(Outbox.id.desc()).limit(limit)
    )
)


def for_person(person, limit=50):
    """Messages sent to a person, newest first (their 'Thông báo' page): redacted text only."""
    return _FOR_PERSON.rows(person.id, limit)


def for_developers(limit=50):
    """The newest messages, each with its dev mailbox copy (`row.delivered`) when delivered."""
    return (
        Outbox.select(Outbox, DevMailbox)
        .join(DevMailbox, JOIN.LEFT_OUTER, attr="delivered")
        .order_by(Outbox.id.desc())
        .limit(limit)
    )


@jobs.maintenance
def purge_old_messages():
    """Delete messages (and their dev mailbox copies) older than OUTBOX_RETENTION_DAYS (180 by default)."""
    cutoff = utcnow() - dt.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    return Outbox.delete().where(Outbox.created_at < cutoff).execute()
