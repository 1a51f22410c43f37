"""Stored renderings of the signed-in citizen's read-only pages (vss.web.record_pages), and what
they are stamped with: a revision per person, kept by the database itself on every write to the
tables those pages read, so no writer can forget it.

- `record_revision`: one row per person (`person_id`), raised by one on every INSERT, UPDATE and
  DELETE of a row that names the person (both the old and the new person when a row moves), and
  row 0 for the reference data the pages show by name (a facility's, an employer's or a kiosk's
  rename raises row 0: every stored page is drawn again).
- `record_page`: the page of one path for one account in one language, gzip, with the build, both
  revisions, the digest of the session's CSRF token its forms carry and when it stops being valid
  (the next midnight in Vietnam at the latest).

Only the columns a page shows are watched on the tables written often for other reasons: the
outbox (delivery updates its status many times) and the kiosk (its heartbeat). On PostgreSQL the
inserts and deletes are counted once per statement (the seed loads millions of rows with COPY):
statement triggers read the statement's rows from their transition table, and take the persons'
rows in order, so two statements cannot deadlock on them."""

from peewee import (
    BigIntegerField,
    BlobField,
    CharField,
    CompositeKey,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
)

# table: how one of its rows (`{row}`) names its person
PERSONAL = {
    "person": "{row}.id",
    "account": "{row}.person_id",
    "health_card": "{row}.person_id",
    "participation_period": "{row}.person_id",
    "benefit": "{row}.person_id",
    "medical_visit": "{row}.person_id",
    "check_in": "{row}.person_id",
    "outbox": "{row}.person_id",
    "change_request": "(SELECT a.person_id FROM account a WHERE a.id = {row}.account_id)",
}
# The columns whose UPDATE is watched (None: every column).
UPDATED = {
    "outbox": ("person_id", "channel", "recipient", "subject", "body", "redacted", "created_at"),
}
# Reference data shown by name: an UPDATE of these columns, or a DELETE, raises row 0.
SHARED = {
    "facility": ("name", "code"),
    "employer": ("name",),
    "kiosk": ("name", "facility_id"),
}
BUMP = (
    "INSERT INTO record_revision (person_id, revision) {source} "
    "ON CONFLICT (person_id) DO UPDATE SET revision = record_revision.revision + 1"
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        username = CharField()

    class RecordRevision(Base):
        person_id = IntegerField(primary_key=True)
        revision = BigIntegerField(default=0)

    class RecordPage(Base):
        account = ForeignKeyField(Account, on_delete="CASCADE", index=False)
        path = CharField(max_length=200)
        lang = CharField(max_length=2)
        build = CharField(max_length=16)
        revision = BigIntegerField()
        shared_revision = BigIntegerField()
        csrf = CharField(max_length=64)
        expires_at = DateTimeField()
        page = BlobField()

        class Meta:
            primary_key = CompositeKey("account", "path", "lang")

    return [RecordRevision, RecordPage]


def _of(columns):
    return f" OF {', '.join(columns)}" if columns else ""


def _sqlite():
    for table, person in PERSONAL.items():
        new, old = person.format(row="NEW"), person.format(row="OLD")
        one = "SELECT {p}, 1 WHERE {p} IS NOT NULL"
        yield (
            "insert",
            table,
            (
                f"CREATE TRIGGER {table}_record_revision_insert AFTER INSERT ON {table} FOR EACH ROW "
                f"BEGIN {BUMP.format(source=one.format(p=new))}; END"
            ),
        )
        yield (
            "update",
            table,
            (
                f"CREATE TRIGGER {table}_record_revision_update AFTER UPDATE{_of(UPDATED.get(table))} ON {table} "
                f"FOR EACH ROW BEGIN {BUMP.format(source=one.format(p=old))}; "
                f"{BUMP.format(source=one.format(p=new))}; END"
            ),
        )
        yield (
            "delete",
            table,
            (
                f"CREATE TRIGGER {table}_record_revision_delete AFTER DELETE ON {table} FOR EACH ROW "
                f"BEGIN {BUMP.format(source=one.format(p=old))}; END"
            ),
        )
    for table, columns in SHARED.items():
        for event, when in (("update", f"UPDATE{_of(columns)}"), ("delete", "DELETE")):
            yield (
                event,
                table,
                (
                    f"CREATE TRIGGER {table}_record_revision_{event} AFTER {when} ON {table} FOR EACH ROW "
                    f"BEGIN {BUMP.format(source='VALUES (0, 1)')}; END"
                ),
            )


def _postgres():
    for table, person in PERSONAL.items():
        for event, rows in (("insert", "NEW"), ("delete", "OLD")):
            function = f"{table}_record_revision_{event}"
            named = person.format(row="r")  # names from this file only
            source = f"SELECT DISTINCT {named}, 1 FROM changed r WHERE {named} IS NOT NULL ORDER BY 1"  # noqa: S608
            yield (
                None,
                None,
                (
                    f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN {BUMP.format(source=source)}; RETURN NULL; END $$"
                ),
            )
            yield (
                event,
                table,
                (
                    f"CREATE TRIGGER {function} AFTER {event.upper()} ON {table} "
                    f"REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                ),
            )
        function = f"{table}_record_revision_update"
        one = "SELECT {p}, 1 WHERE {p} IS NOT NULL"
        old, new = person.format(row="OLD"), person.format(row="NEW")
        # A row moved between two people raises both, the lower first: two updates moving rows
        # between the same two people take their rows in the same order.
        yield (
            None,
            None,
            (
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{BUMP.format(source=one.format(p=f'LEAST({old}, {new})'))}; "
                f"IF {old} IS DISTINCT FROM {new} AND {old} IS NOT NULL AND {new} IS NOT NULL THEN "
                f"{BUMP.format(source=one.format(p=f'GREATEST({old}, {new})'))}; END IF; "
                "RETURN NULL; END $$"
            ),
        )
        yield (
            "update",
            table,
            (
                f"CREATE TRIGGER {function} AFTER UPDATE{_of(UPDATED.get(table))} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            ),
        )
    yield (
        None,
        None,
        (
            "CREATE FUNCTION shared_record_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {BUMP.format(source='VALUES (0, 1)')}; RETURN NULL; END $$"
        ),
    )
    for table, columns in SHARED.items():
        for event, when in (("update", f"UPDATE{_of(columns)}"), ("delete", "DELETE")):
            yield (
                event,
                table,
                (
                    f"CREATE TRIGGER {table}_record_revision_{event} AFTER {when} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION shared_record_revision()"
                ),
            )


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.create_tables(_models(db))
    if postgres:
        # Keep the page in its row, as the card's (migration 0007).
        db.execute_sql("ALTER TABLE record_page SET (toast_tuple_target = 8160)")
        db.execute_sql("ALTER TABLE record_page ALTER COLUMN page SET STORAGE MAIN")
    for _event, _table, statement in _postgres() if postgres else _sqlite():
        db.execute_sql(statement)


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    statements = list(_postgres() if postgres else _sqlite())
    for event, table, statement in statements:
        if event is not None:
            name = statement.split()[2]
            db.execute_sql(f"DROP TRIGGER {name} ON {table}" if postgres else f"DROP TRIGGER {name}")
    for event, _table, statement in statements:
        if event is None:  # a PostgreSQL trigger function
            db.execute_sql(f"DROP FUNCTION {statement.split()[2].partition('(')[0]}()")
    db.drop_tables(list(reversed(_models(db))))
