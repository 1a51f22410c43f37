"""Hospital kiosks (enrolled by an admin with a one-time code; a hashed credential) and their
check-ins (one per visit: a unique idempotency key, and the same card at the same facility
looked up by its index)."""

import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, Model, TextField


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Facility(Base):
        code = CharField()

    class StaffUser(Base):
        username = CharField()

    class Person(Base):
        bhxh_code = CharField()

    class Kiosk(Base):
        facility = ForeignKeyField(Facility, on_delete="RESTRICT")
        name = TextField()
        token_hash = CharField(max_length=64, null=True, unique=True)
        enrol_hmac = CharField(max_length=64, null=True, unique=True)
        enrol_expires_at = DateTimeField(null=True)
        enrolled_at = DateTimeField(null=True)
        created_by = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
        created_at = DateTimeField(default=datetime.datetime.now)
        last_seen_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)

    class CheckIn(Base):
        kiosk = ForeignKeyField(Kiosk, on_delete="RESTRICT")
        facility = ForeignKeyField(Facility, on_delete="RESTRICT", index=False)
        card_number = CharField(max_length=15)
        bhxh_code = CharField(max_length=10)
        person = ForeignKeyField(Person, null=True, on_delete="SET NULL", index=False)
        status = CharField(max_length=24)
        scanned_at = DateTimeField()
        recorded_at = DateTimeField(default=datetime.datetime.now)
        idempotency_key = CharField(max_length=64, unique=True)
        offline = BooleanField(default=False)
        confirmed = BooleanField(default=False)

        class Meta:
            indexes = (
                (("facility", "bhxh_code", "scanned_at"), False),
                (("person", "scanned_at"), False),
            )

    return [Kiosk, CheckIn]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
