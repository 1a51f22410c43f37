"""One phone and one email per BHXH code: the rule every write of a citizen's contact obeys
(a registration dossier, an approval that creates the account, an applied change request).

A phone or an email belongs to a BHXH code when an account of that code has it, or a pending
registration dossier of that code declares it. The rule is checked inside the writing
transaction, under a lock on the contact (PostgreSQL; SQLite transactions are serial anyway),
so two writers of the same contact follow one another and the second sees the first. The unique
indexes (account.phone, account.email, dossier.pending_phone, dossier.pending_email) stay the
last line: a violation that gets past the check (a writer that skipped it) becomes the same
message, never a 500."""

import contextlib
import re

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from vss.core.db import serialize
from vss.core.errors import UserError
from vss.identity.accounts import Account

PHONE, EMAIL = "phone", "email"
PHONE_TAKEN = _l("Mỗi số điện thoại chỉ được đăng ký cho 1 mã số BHXH.")
EMAIL_TAKEN = _l("Mỗi email chỉ được đăng ký cho 1 mã số BHXH.")
MESSAGES = {PHONE: PHONE_TAKEN, EMAIL: EMAIL_TAKEN}
# The unique indexes behind the rule, as SQLite ("account.phone") and PostgreSQL
# ("account_phone", the index name) name them in an IntegrityError.
_INDEX = re.compile(r"\b(?:account[._]|dossier[._]pending_)(phone|email)\b")


class ContactTaken(UserError):
    """The phone or email belongs to another BHXH code; `field` says which."""

    def __init__(self, kind):
        super().__init__(MESSAGES[kind], field=kind, code=f"{kind}_taken")


_HOLDERS = []  # the holders beyond accounts, registered by their own areas (pending dossiers)


def holder(query):
    """Register `query(kind, value)` → the BHXH codes holding a phone or email outside accounts
    (vss.dossiers registers its pending dossiers), so this module imports nothing above it."""
    _HOLDERS.append(query)
    return query


def _owners(kind, value):
    """The BHXH codes that hold a phone or an email (an account's, a pending dossier's)."""
    account_column = {PHONE: Account.phone, EMAIL: Account.email}[kind]
    owners = {Account.select(Account.username).where(account_column == value).scalar()} - {None}
    for query in _HOLDERS:
        owners |= query(kind, value)
    return owners


def check(bhxh_code, *, phone=None, email=None):
    """Raise ContactTaken unless `phone` and `email` (either may be None) are free or already
    this BHXH code's. Call it inside the transaction that writes them: it locks each contact
    until that transaction ends, always the phone before the email (one order, no deadlock)."""
    for kind, value in ((PHONE, phone), (EMAIL, email)):
        if not value:
            continue
        serialize(f"contact:{value}")
        if _owners(kind, value) - {bhxh_code}:
            raise ContactTaken(kind)


def taken_by(error):
    """PHONE or EMAIL when an IntegrityError is a violation of one of the rule's unique
    indexes, else None."""
    match = _INDEX.search(str(error))
    return match.group(1) if match else None


@contextlib.contextmanager
def guarded():
    """Wrap a writing transaction (outside it: on PostgreSQL a failed statement spoils the
    transaction, so only its end can be caught) to turn a unique-index violation on a phone or
    an email into ContactTaken. Any other IntegrityError is a bug and goes on."""
    try:
        yield
    except IntegrityError as error:
        kind = taken_by(error)
        if kind is None:
            raise
        raise ContactTaken(kind) from None
