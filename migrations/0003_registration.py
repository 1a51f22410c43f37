"""Registration: drafts, dossiers (Mẫu 01), per-office numbering, photos."""

import datetime

from peewee import (
    BlobField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Office(Base):
        code = CharField(max_length=5, unique=True)

    class RegistrationDraft(Base):
        token_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now, index=True)
        data = TextField()
        dossier_id = IntegerField(null=True)

    class Dossier(Base):
        number = CharField(max_length=32, unique=True)
        office = ForeignKeyField(Office, on_delete="RESTRICT", index=False)
        year = SmallIntegerField()
        seq = IntegerField()
        status = CharField(max_length=16, default="cho_tiep_nhan")
        evaluation = CharField(max_length=16, null=True)
        bhxh_code = CharField(max_length=10)
        full_name = TextField()
        contact_person = TextField(default="")
        id_kind = CharField(max_length=8)
        id_number = CharField(max_length=12)
        province_code = SmallIntegerField(null=True)
        ward_code = IntegerField(null=True)
        street = TextField(default="")
        phone = CharField(max_length=16)
        email = CharField(max_length=254, null=True)
        submission_method = CharField(max_length=12)
        channel = CharField(max_length=12)
        ivan_name = TextField(default="")
        pending_bhxh = CharField(max_length=10, null=True, unique=True)
        pending_phone = CharField(max_length=16, null=True, unique=True)
        pending_email = CharField(max_length=254, null=True, unique=True)
        owner_token_hash = CharField(max_length=64, index=True)
        submitted_at = DateTimeField(default=datetime.datetime.now, index=True)
        received_at = DateTimeField(null=True)
        decided_at = DateTimeField(null=True)
        deleted_at = DateTimeField(null=True)
        reviewer_id = IntegerField(null=True)
        reason = TextField(default="")
        pdf = BlobField(null=True)

        class Meta:
            indexes = ((("office", "year", "seq"), True),)

    class DossierSequence(Base):
        office = ForeignKeyField(Office, on_delete="CASCADE", index=False)
        year = SmallIntegerField()
        last = IntegerField()

        class Meta:
            indexes = ((("office", "year"), True),)

    class Photo(Base):
        draft = ForeignKeyField(RegistrationDraft, null=True, on_delete="CASCADE")
        dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
        kind = CharField(max_length=10)
        content = BlobField()
        width = IntegerField()
        height = IntegerField()
        created_at = DateTimeField(default=datetime.datetime.now)

    return [RegistrationDraft, Dossier, DossierSequence, Photo]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
