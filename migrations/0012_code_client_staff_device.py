"""Who asked for each one-time code (a client address): a number's hourly share of codes is
counted per asker, so a stranger cannot use up the owner's. A staff member's own browser keeps
its own failure count, so strangers typing wrong passwords cannot lock them out of it."""

from peewee import CharField, DateTimeField, IntegerField

STAFF_ADDED = (
    ("device_hash", CharField(max_length=64, null=True)),
    ("device_failed_logins", IntegerField(default=0)),
    ("device_locked_until", DateTimeField(null=True)),
)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("one_time_code", "client", CharField(max_length=64, default="")),
        *(migrator.add_column("staff_user", name, field) for name, field in STAFF_ADDED),
    )


def down(migrator, db):
    migrator.migrate(
        *(migrator.drop_column("staff_user", name) for name, _ in reversed(STAFF_ADDED)),
        migrator.drop_column("one_time_code", "client"),
    )
