"""The ways a message leaves: the dev outbox, SMTP, an HTTP SMS gateway (chosen per channel by
SMS_BACKEND and EMAIL_BACKEND). Each sends one message with its idempotency key."""

import dataclasses
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate

from vss.core.settings import settings
from vss.messages import outbox
from vss.messages.outbox import Outbox


class DeliveryError(Exception):
    """A message could not be handed over; the job will retry it."""


@dataclasses.dataclass(frozen=True)
class Message:
    """What a backend sends: the row's addressing and its whole text (secrets included)."""

    row: Outbox
    subject: str
    body: str
    attachments: tuple = ()  # vss.messages.attachments.Attachment

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

    def send(self, message):
        if settings.get("DEV_OUTBOX"):
            outbox.keep_for_development(message.row, message.subject, message.body)


class SmtpBackend:
    """Email over SMTP (plain, STARTTLS or SSL), optionally authenticated."""

    name = "smtp"

    def send(self, message):
        mail = EmailMessage()
        mail["From"] = settings.MAIL_FROM
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        # A stable Message-ID lets a mail server drop a repeat of the same outbox row.
        mail["Message-ID"] = f"<{message.idempotency_key}@vss>"
        mail.set_content(message.body)
        for attachment in message.attachments:
            maintype, _, subtype = attachment.mimetype.partition("/")
            mail.add_attachment(attachment.content, maintype, subtype, filename=attachment.filename)
        host, port, tls = settings.SMTP_HOST, settings.SMTP_PORT, settings.SMTP_TLS
        timeout = settings.DELIVERY_TIMEOUT
        try:
            if tls == "ssl":
                client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(host, port, timeout=timeout)
            with client:
                if tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if settings.get("SMTP_USER"):
                    client.login(settings.SMTP_USER, settings.SMTP_PASSWORD or "")
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {host}:{port}: {error}") from error


class HttpSmsBackend:
    """SMS through a gateway: JSON POST with a bearer token and an idempotency key."""

    name = "http"

    def send(self, message):
        url = settings.SMS_GATEWAY_URL
        if not url or not url.startswith(("http://", "https://")):
            raise DeliveryError("VSS_SMS_GATEWAY_URL must be an http(s) URL")
        payload = {
            "id": message.idempotency_key,
            "to": message.recipient,
            "sender": settings.SMS_SENDER,
            "text": message.body,
        }
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN or ''}",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.DELIVERY_TIMEOUT) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            error.close()  # it holds the response's socket
            raise DeliveryError(f"SMS gateway answered {error.code}") from error
        except (OSError, urllib.error.URLError) as error:
            raise DeliveryError(f"SMS gateway unreachable: {error}") from error


BACKENDS = {"outbox": OutboxBackend(), "smtp": SmtpBackend(), "http": HttpSmsBackend()}


def backend_for(channel):
    """The configured backend of a channel ('sms' or 'email')."""
    name = settings.SMS_BACKEND if channel == "sms" else settings.EMAIL_BACKEND
    try:
        return BACKENDS[name]
    except KeyError:
        raise DeliveryError(f"unknown {channel} backend {name!r}") from None
