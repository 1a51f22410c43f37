"""The assistant (issue 13): the FAQ's stored copy (entries, their folded text per language, the
vocabulary, the loaded version), its full-text index — an FTS5 table on SQLite (unicode61 with
diacritics removed, over the already folded text), a weighted tsvector with a GIN index on
PostgreSQL (the 'simple' configuration: no extension needed, the text is folded by VSS, đ
included) — and the yes/no votes on answers. The entries themselves are loaded from
vss/support/faq.toml on the first question (vss.support.faq.ensure_current)."""

import datetime

from peewee import BooleanField, CharField, DateTimeField, IntegerField, Model, PostgresqlDatabase, TextField


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class FaqEntry(Base):
        slug = CharField(max_length=64, unique=True)
        position = IntegerField()
        topic = CharField(max_length=16)
        kind = CharField(max_length=8)
        origin = CharField(max_length=8)
        link = CharField(max_length=128, default="")
        q_vi = TextField()
        a_vi = TextField()
        q_en = TextField()
        a_en = TextField()

    class FaqText(Base):
        entry = IntegerField(index=True)
        lang = CharField(max_length=2)
        title = TextField()
        keywords = TextField()
        body = TextField()

    class FaqVocab(Base):
        lang = CharField(max_length=2)
        term = CharField(max_length=64)
        df = IntegerField()

        class Meta:
            indexes = ((("lang", "term"), True),)

    class FaqState(Base):
        version = CharField(max_length=64)
        entries = IntegerField()

    class FaqVote(Base):
        nonce = CharField(max_length=32, unique=True)
        slug = CharField(max_length=64, index=True)
        lang = CharField(max_length=2)
        question = CharField(max_length=200)
        helpful = BooleanField()
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

    return [FaqEntry, FaqText, FaqVocab, FaqState, FaqVote]


def up(migrator, db):
    db.create_tables(_models(db))
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ALTER TABLE faq_text ADD COLUMN vector tsvector")
        db.execute_sql("CREATE INDEX faq_text_vector ON faq_text USING GIN (vector)")
    else:
        db.execute_sql(
            "CREATE VIRTUAL TABLE faq_fts USING fts5(title, keywords, body, content='faq_text',"
            " content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        db.execute_sql("DROP TABLE IF EXISTS faq_fts")
    db.drop_tables(list(reversed(_models(db))))
