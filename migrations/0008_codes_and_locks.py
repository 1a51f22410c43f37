"""Trustworthy sign-in: a pending new password lives in the one-time code that confirms it (not on
the account, where every flow shared it); the bound device has its own failure counter, so a
stranger guessing passwords elsewhere cannot lock the owner's phone out; rate-limit windows know
when they end (purged daily); a staff session records whether its second factor is done."""

from peewee import CharField, DateTimeField, IntegerField, TextField

ACCOUNT_ADDED = (
    ("device_failed_logins", IntegerField(default=0)),
    ("device_locked_until", DateTimeField(null=True)),
)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("one_time_code", "payload", TextField(null=True)),
        migrator.add_column("rate_limit", "expires_at", DateTimeField(null=True)),
        migrator.add_index("rate_limit", ("expires_at",), False),
        *(migrator.add_column("account", name, field) for name, field in ACCOUNT_ADDED),
        migrator.drop_column("account", "pending_password_hash"),
        migrator.add_column("staff_session", "stage", CharField(max_length=8, default="full")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("staff_session", "stage"),
        migrator.add_column("account", "pending_password_hash", TextField(null=True)),
        *(migrator.drop_column("account", name) for name, _ in reversed(ACCOUNT_ADDED)),
        migrator.drop_index("rate_limit", "rate_limit_expires_at"),
        migrator.drop_column("rate_limit", "expires_at"),
        migrator.drop_column("one_time_code", "payload"),
    )
