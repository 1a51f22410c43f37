"""Accounts: citizens' e-transaction accounts and staff users (sign-in flows come with their issues)."""

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from vss.core.clock import utcnow
from vss.core.db import BaseModel
from vss.identity.passwords import hash_password, matches
from vss.registry.directory import Office
from vss.registry.registry import Person

__all__ = ["Account", "StaffUser", "device_hash", "hash_password", "load_user", "new_device_id"]


def device_hash(device_id):
    """Only a hash of a browser's device id is stored."""
    return hashlib.sha256((device_id or "").encode()).hexdigest() if device_id else ""


def new_device_id():
    """A browser's random device id (kept in a long-lived cookie)."""
    return secrets.token_urlsafe(32)


class _Credentials:
    """What citizens and staff have alike: a password and one own device (which keeps its own
    failure count, vss.identity.lockout)."""

    def check_password(self, password):
        """Whether `password` is this person's (no lock: vss.identity.passwords.attempt counts)."""
        return matches(self.password_hash, password)

    def owns_device(self, device):
        """Whether `device` (a browser's id) is the one this person last bound or signed in from."""
        return bool(self.device_hash and device and self.device_hash == device_hash(device))


class Account(_Credentials, UserMixin, BaseModel):
    """A citizen's e-transaction account; username = BHXH code."""

    kind = "citizen"

    person = ForeignKeyField(Person, unique=True, on_delete="RESTRICT")
    username = CharField(max_length=10, unique=True)
    password_hash = TextField()
    phone = CharField(max_length=16, unique=True)
    email = CharField(max_length=254, unique=True, null=True)
    must_change_password = BooleanField(default=True)
    password_changed_at = DateTimeField(default=utcnow)
    failed_logins = IntegerField(default=0)  # wrong passwords typed on other devices
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    device_hash = CharField(max_length=64, null=True)  # the one bound device (hash of its id)
    device_bound_at = DateTimeField(null=True)
    reminded_at = DateTimeField(null=True)  # six-monthly password reminder sent
    # The bound device counts its own wrong passwords: a stranger guessing elsewhere cannot
    # lock the owner's own phone out (vss.identity.lockout).
    device_failed_logins = IntegerField(default=0)
    device_locked_until = DateTimeField(null=True)

    @classmethod
    def user_id(cls, account_id):
        """The id Flask-Login keeps in the session for the account `account_id`."""
        return f"{cls.kind}:{account_id}"

    def get_id(self):
        return self.user_id(self.id)


class StaffUser(_Credentials, UserMixin, BaseModel):
    """A member of staff of a BHXH office."""

    kind = "staff"

    REVIEWER, SUPERVISOR, ADMIN, EDITOR = "reviewer", "supervisor", "admin", "editor"
    ROLES = (REVIEWER, SUPERVISOR, ADMIN, EDITOR)
    # Who works on citizens' dossiers and requests: every role but the editor, who writes the
    # national news and sees no one's personal data.
    CASEWORK = (REVIEWER, SUPERVISOR, ADMIN)
    # The one name of each role (the accounts list, the create form's choices).
    ROLE_LABELS = {
        REVIEWER: _l("Cán bộ tiếp nhận, duyệt hồ sơ"),
        SUPERVISOR: _l("Giám sát cấp tỉnh"),
        ADMIN: _l("Quản trị tài khoản"),
        EDITOR: _l("Biên tập tin tức"),
    }

    office = ForeignKeyField(Office, backref="staff", on_delete="RESTRICT", index=False)
    username = CharField(max_length=32)
    full_name = TextField()
    role = CharField(max_length=12)
    password_hash = TextField()
    totp_secret = CharField(max_length=64, null=True)
    totp_pending = CharField(max_length=64, null=True)  # enrolment waiting for its first code
    totp_last_step = IntegerField(null=True)  # the last 30-second step used: no replays
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    # The browser last fully signed in from, and its own failure count
    # (vss.identity.staff, vss.identity.lockout).
    device_hash = CharField(max_length=64, null=True)
    device_failed_logins = IntegerField(default=0)
    device_locked_until = DateTimeField(null=True)

    class Meta:
        indexes = ((("office", "username"), True),)

    @property
    def is_active(self):
        return self.active

    @property
    def is_admin(self):
        """Manages staff accounts in the province."""
        return self.role == self.ADMIN

    @property
    def is_reviewer(self):
        """Sees only their own office's dossiers."""
        return self.role == self.REVIEWER

    @property
    def is_editor(self):
        """Writes and publishes the news (national: every editor sees every post)."""
        return self.role == self.EDITOR

    @property
    def role_label(self):
        """The role's name, in the reader's language."""
        return self.ROLE_LABELS.get(self.role, self.role)

    def get_id(self):
        return f"{self.kind}:{self.id}"


MODELS = [Account, StaffUser]


def load_user(user_id):
    """Flask-Login loader: 'citizen:ID' or 'staff:ID' → the account, or None."""
    kind, _, raw_id = (user_id or "").partition(":")
    model = {"citizen": Account, "staff": StaffUser}.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    return model.get_or_none(model.id == int(raw_id))
