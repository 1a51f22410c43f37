"""Card QR: signing keys and card issuances (with the cached QR SVG and card page)."""

import datetime

from peewee import (
    BlobField,
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

    class HealthCard(Base):
        number = CharField()

    class SigningKey(Base):
        kid = CharField(max_length=8, unique=True)
        private_pem = TextField()
        public_pem = TextField()
        created_at = DateTimeField(default=datetime.datetime.now)
        retired_at = DateTimeField(null=True)

    class CardIssuance(Base):
        card = ForeignKeyField(HealthCard, on_delete="CASCADE")
        version = IntegerField()
        kid = CharField(max_length=8)
        qr_text = TextField()
        qr_svg = TextField()
        created_at = DateTimeField(default=datetime.datetime.now)
        page_vi = BlobField(null=True)
        page_en = BlobField(null=True)

        class Meta:
            indexes = ((("card", "version"), True),)

    return [SigningKey, CardIssuance]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
