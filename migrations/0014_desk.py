"""The assisted registration desk: a draft may belong to a staff member's desk sitting
(`desk_staff_id`), a dossier received at the desk keeps the staff member's identity declaration
(`identity_check`), and dossiers are found by their ID number (one document, one BHXH code)."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Dossier(Base):
        number = CharField()

    class StaffUser(Base):
        username = CharField()

    class IdentityCheck(Base):
        dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
        staff = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
        document = CharField(max_length=8)
        number_matches = BooleanField()
        face_matches = BooleanField()
        checked_at = DateTimeField()

        class Meta:
            indexes = ((("staff", "checked_at"), False),)

    return [IdentityCheck]


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("registration_draft", "desk_staff_id", IntegerField(null=True)),
        migrator.add_index("registration_draft", ("desk_staff_id",), False),
        migrator.add_index("dossier", ("id_number",), False),
    )
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(_models(db))
    migrator.migrate(
        migrator.drop_index("dossier", "dossier_id_number"),
        migrator.drop_index("registration_draft", "registration_draft_desk_staff_id"),
        migrator.drop_column("registration_draft", "desk_staff_id"),
    )
