"""Accounts: citizens' e-transaction accounts and staff users (sign-in flows come with their issues)."""

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField
from werkzeug.security import check_password_hash, generate_password_hash

from vss.core.clock import utcnow
from vss.core.db import BaseModel
from vss.registry.directory import Office
from vss.registry.registry import Person

PASSWORD_METHOD = "scrypt"  # noqa: S105 - a hash method name, not a password


def hash_password(password):
    """scrypt hash (werkzeug); no silent truncation, unlike bcrypt."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


class Account(UserMixin, BaseModel):
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

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @classmethod
    def user_id(cls, account_id):
        """The id Flask-Login keeps in the session for the account `account_id`."""
        return f"{cls.kind}:{account_id}"

    def get_id(self):
        return self.user_id(self.id)


class StaffUser(UserMixin, BaseModel):
    """A member of staff of a BHXH office."""

    kind = "staff"

    REVIEWER, SUPERVISOR, ADMIN = "reviewer", "supervisor", "admin"
    ROLES = (REVIEWER, SUPERVISOR, ADMIN)

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

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

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
