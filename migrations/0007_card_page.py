"""The stored card page moves to its own narrow table, one row per issuance and language, as
base64 text: on PostgreSQL the row stays inline (no TOAST look-up) and goes out as it is stored
(a bytea column leaves as hex, twice its size, encoded on every read). The person's latest card
is found through one index on (person_id, valid_from, id) instead of a sort."""

from peewee import (
    BlobField,
    CharField,
    CompositeKey,
    ForeignKeyField,
    Model,
    PostgresqlDatabase,
    TextField,
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class CardIssuance(Base):
        version = CharField()

    class CardPage(Base):
        issuance = ForeignKeyField(CardIssuance, on_delete="CASCADE")
        lang = CharField(max_length=2)
        page = TextField()

        class Meta:
            primary_key = CompositeKey("issuance", "lang")

    return [CardPage]


def up(migrator, db):
    db.create_tables(_models(db))
    if isinstance(db, PostgresqlDatabase):
        # Keep a page (≈ 7 KB) in its row: TOAST would move anything over 2 KB to a side table.
        db.execute_sql("ALTER TABLE card_page SET (toast_tuple_target = 8160)")
        db.execute_sql("ALTER TABLE card_page ALTER COLUMN page SET STORAGE MAIN")
    migrator.migrate(
        migrator.drop_column("card_issuance", "page_vi"),
        migrator.drop_column("card_issuance", "page_en"),
        migrator.drop_index("health_card", "health_card_person_id"),
        migrator.add_index("health_card", ("person_id", "valid_from", "id"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("health_card", "health_card_person_id_valid_from_id"),
        migrator.add_index("health_card", ("person_id",), False),
        migrator.add_column("card_issuance", "page_vi", BlobField(null=True)),
        migrator.add_column("card_issuance", "page_en", BlobField(null=True)),
    )
    db.drop_tables(_models(db))
