"""What a phone or a mailbox received, read from the development mailbox.

The outbox keeps no secret once a message is delivered (codes and passwords are redacted), so
tests read codes where a developer does: the dev mailbox behind /dev/outbox, written by the
`outbox` backend only when DEV_OUTBOX is on (development and tests)."""

from vss.messages.notify import DevMailbox


def last_message(recipient=None, template=None, channel=None):
    """The newest delivered message matching every given field, or None."""
    query = DevMailbox.select().order_by(DevMailbox.id.desc())
    if recipient is not None:
        query = query.where(DevMailbox.recipient == recipient)
    if template is not None:
        query = query.where(DevMailbox.template == template)
    if channel is not None:
        query = query.where(DevMailbox.channel == channel)
    return query.first()


def last_code(recipient=None):
    """The newest one-time code sent to `recipient` (to anyone when None), or None."""
    message = last_message(recipient, template="otp")
    return message.body[:6] if message else None
