"""The stored card page moves to its own narrow table, one row per issuance and language; on
PostgreSQL the page (≈ 5 KB, gzip) stays in its row instead of going to TOAST, which moves any
row over 2 KB to a side table read through one more index. The person's latest card is found
through one index on (person_id, valid_from, id) instead of a sort."""

from peewee import (
    BlobField,
    CharField,
    CompositeKey,
    ForeignKeyField,
    Model,
    PostgresqlDatabase,
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
        page = BlobField()

        class Meta:
            primary_key = CompositeKey("issuance", "lang")

    return [CardPage]


def up(migrator, db):
    db.create_tables(_models(db))
    if isinstance(db, PostgresqlDatabase):
        # Keep the page in its row (a row up to a whole 8 KB page; gzip does not compress again).
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
