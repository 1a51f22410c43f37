"""Staff review: server-side staff sessions, TOTP enrolment columns, the dossier's office
province and list indexes, change requests."""

import datetime

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

DOSSIER_INDEXES = (
    (("office_id", "submitted_at", "id"), False),
    (("office_province", "submitted_at", "id"), False),
    (("office_id", "status", "submitted_at"), False),
    (("office_province", "status", "submitted_at"), False),
    (("bhxh_code",), False),
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class StaffUser(Base):
        username = CharField()

    class Account(Base):
        username = CharField()

    class StaffSession(Base):
        key = CharField(max_length=64, unique=True)
        staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
        created_at = DateTimeField(default=datetime.datetime.now)
        last_seen_at = DateTimeField(default=datetime.datetime.now)
        ended_at = DateTimeField(null=True)
        ip = CharField(max_length=45, default="")

    class ChangeRequest(Base):
        account = ForeignKeyField(Account, on_delete="CASCADE")
        office_province = IntegerField(index=True)
        field = CharField(max_length=8)
        old_value = TextField(null=True)
        new_value = TextField()
        status = CharField(max_length=12, default="cho_xu_ly")
        created_at = DateTimeField(default=datetime.datetime.now, index=True)
        decided_at = DateTimeField(null=True)
        decided_by = IntegerField(null=True)
        note = TextField(default="")

    return [StaffSession, ChangeRequest]


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("staff_user", "totp_pending", CharField(max_length=64, null=True)),
        migrator.add_column("staff_user", "totp_last_step", IntegerField(null=True)),
        migrator.add_column("dossier", "office_province", SmallIntegerField(null=True)),
    )
    db.execute_sql(
        "UPDATE dossier SET office_province = (SELECT province_code FROM office "
        "WHERE office.id = dossier.office_id)"
    )
    migrator.migrate(*(migrator.add_index("dossier", columns, unique) for columns, unique in DOSSIER_INDEXES))
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
    migrator.migrate(
        *(migrator.drop_index("dossier", f"dossier_{'_'.join(columns)}") for columns, _ in DOSSIER_INDEXES)
    )
    migrator.migrate(
        migrator.drop_column("dossier", "office_province"),
        migrator.drop_column("staff_user", "totp_last_step"),
        migrator.drop_column("staff_user", "totp_pending"),
    )
