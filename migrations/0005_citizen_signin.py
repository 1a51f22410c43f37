"""Citizen sign-in: the bound device on the account, a waiting new password, the password
reminder; server-side citizen sessions; rate-limit counters."""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        username = CharField()

    class CitizenSession(Base):
        key = CharField(max_length=64, unique=True)
        account = ForeignKeyField(Account, on_delete="CASCADE")
        device_hash = CharField(max_length=64, default="")
        shared = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.now)
        last_seen_at = DateTimeField(default=datetime.datetime.now)
        reauth_at = DateTimeField(default=datetime.datetime.now)
        ended_at = DateTimeField(null=True)
        end_reason = CharField(max_length=24, default="")

    class RateLimit(Base):
        key = CharField(max_length=128)
        window = IntegerField()
        count = IntegerField(default=0)

        class Meta:
            indexes = ((("key", "window"), True),)

    return [CitizenSession, RateLimit]


COLUMNS = (
    ("device_hash", CharField(max_length=64, null=True)),
    ("device_bound_at", DateTimeField(null=True)),
    ("reminded_at", DateTimeField(null=True)),
    ("pending_password_hash", TextField(null=True)),
)


def up(migrator, db):
    migrator.migrate(*(migrator.add_column("account", name, field) for name, field in COLUMNS))
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
    migrator.migrate(*(migrator.drop_column("account", name) for name, _ in reversed(COLUMNS)))
