"""Files sent with an email, made when the message is sent rather than stored with it. The outbox
row only names the file (`attachment=("mau01", 42)` in notify.email), and the room that owns it
registers a maker (vss/dossiers/mau01.py makes the Mẫu 01 PDF). The worker calls the maker just
before sending: no document sits in the outbox or its backups, a retry attaches the same file, and
the messages room needs nothing from the rooms above it."""

from typing import NamedTuple


class Attachment(NamedTuple):
    filename: str
    mimetype: str  # e.g. "application/pdf"
    content: bytes


class Missing(Exception):
    """The named file cannot be made (its record is gone): the message is given up."""


_makers = {}  # kind → maker(ref) -> Attachment or None; filled at import, never per request


def maker(kind):
    """Register `func(ref)` as the maker of attachments of `kind`."""

    def register(func):
        _makers[kind] = func
        return func

    return register


def make(spec):
    """The Attachment a row names ([kind, ref]); Missing when it cannot be made."""
    kind, ref = spec
    func = _makers.get(kind)
    found = func(ref) if func else None
    if found is None:
        raise Missing(f"attachment {kind}:{ref} cannot be made")
    return found
