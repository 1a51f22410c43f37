"""Delivery backends: outbox (nothing leaves), smtp (email), http (JSON to an SMS gateway)."""

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate


class DeliveryError(Exception):
    """A message could not be handed over; the job will retry it."""


class OutboxBackend:
    """Development: the message stays in the outbox table (shown at /dev/outbox)."""

    name = "outbox"

    def send(self, message, config):
        return None


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
                client = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                          context=ssl.create_default_context())
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
        payload = {"id": message.idempotency_key, "to": message.recipient,
                   "sender": config["SMS_SENDER"], "text": message.body}
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Authorization": f"Bearer {config['SMS_GATEWAY_TOKEN'] or ''}",
                     "Idempotency-Key": message.idempotency_key})
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
