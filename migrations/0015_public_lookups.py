"""Public look-ups without an account (issue 13): Tra cứu mã số BHXH, đơn vị tham gia BHXH, điểm
thu / đại lý thu.

person: birth_year_only (the registry knows the year alone), and an index on (province_code,
birth_date), the look-up's one probe. employer: search_name (the name without marks or case),
workers, owed_months, owed_amount, status_on (what workers may watch of their employer), and
an index on tax_code. collection_agent: what it collects, and an index on ward_code.

Rows already there: employers get their search_name and their count of workers contributing
now (from the participation periods); nothing is said to be owed until the registry says so."""

import unicodedata

# (table, column, type and default): added with plain ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT,
# which both databases do in place. (playhouse's add_column makes a NOT NULL column in three
# steps, and on SQLite the last one rebuilds the table, which drops its triggers: person has
# person_card_revision, migration 0011.)
COLUMNS = (
    ("person", "birth_year_only", "{bool} NOT NULL DEFAULT {false}"),
    ("employer", "search_name", "TEXT NOT NULL DEFAULT ''"),
    ("employer", "workers", "INTEGER NOT NULL DEFAULT 0"),
    ("employer", "owed_months", "SMALLINT NOT NULL DEFAULT 0"),
    ("employer", "owed_amount", "BIGINT NOT NULL DEFAULT 0"),
    ("employer", "status_on", "DATE"),
    ("collection_agent", "collects_voluntary", "{bool} NOT NULL DEFAULT {true}"),
    ("collection_agent", "collects_household", "{bool} NOT NULL DEFAULT {true}"),
)


def _fold(text):
    # vss.registry.names.fold as it was written with this migration.
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or ""))
    bare = unicodedata.normalize("NFD", text.replace("\u0111", "d").replace("\u0110", "D"))  # đ, Đ
    return " ".join("".join(ch for ch in bare if not unicodedata.combining(ch)).casefold().split())


def up(migrator, db):
    sqlite = db.param == "?"
    types = (
        {"bool": "INTEGER", "false": "0", "true": "1"}
        if sqlite
        else {
            "bool": "BOOLEAN",
            "false": "FALSE",
            "true": "TRUE",
        }
    )
    for table, column, kind in COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind.format(**types)}')
    migrator.migrate(
        migrator.add_index("person", ("province_code", "birth_date"), False),
        migrator.add_index("employer", ("tax_code",), False),
        migrator.add_index("collection_agent", ("ward_code",), False),
    )
    rows = db.execute_sql("SELECT id, name FROM employer").fetchall()
    marker = db.param
    for employer_id, name in rows:
        db.execute_sql(
            f"UPDATE employer SET search_name = {marker} WHERE id = {marker}",  # noqa: S608 - a marker only
            (_fold(name), employer_id),
        )
    db.execute_sql(
        "UPDATE employer SET workers = (SELECT COUNT(DISTINCT p.person_id) FROM participation_period p"
        " WHERE p.employer_id = employer.id AND p.scheme = 'BHXH'"
        " AND p.to_month >= (SELECT MAX(q.to_month) FROM participation_period q))"
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("collection_agent", "collection_agent_ward_code"),
        migrator.drop_index("employer", "employer_tax_code"),
        migrator.drop_index("person", "person_province_code_birth_date"),
        # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35, as playhouse does it there).
        *(migrator.drop_column(table, column) for table, column, _kind in reversed(COLUMNS)),
    )
