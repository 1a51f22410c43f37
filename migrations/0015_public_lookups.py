"""Public look-ups without an account (issue 13): Tra cứu mã số BHXH, đơn vị tham gia BHXH, điểm
thu / đại lý thu.

person: birth_year_only (the registry knows the year alone), and an index on (province_code,
birth_date), the look-up's one probe. employer: search_name (the name without marks or case),
workers, owed_months, owed_amount, status_on (what workers may watch of their employer), and
an index on tax_code. collection_agent: what it collects, and an index on ward_code.

Rows already there: employers get their search_name and their count of workers contributing
now (from the participation periods); nothing is said to be owed until the registry says so."""

import unicodedata

from peewee import SQL, BigIntegerField, BooleanField, DateField, IntegerField, SmallIntegerField, TextField

FALSE = [SQL("DEFAULT FALSE")]
TRUE = [SQL("DEFAULT TRUE")]
ZERO = [SQL("DEFAULT 0")]

EMPLOYER = (
    ("search_name", TextField(default="", constraints=[SQL("DEFAULT ''")])),
    ("workers", IntegerField(default=0, constraints=ZERO)),
    ("owed_months", SmallIntegerField(default=0, constraints=ZERO)),
    ("owed_amount", BigIntegerField(default=0, constraints=ZERO)),
    ("status_on", DateField(null=True)),
)
AGENT = (
    ("collects_voluntary", BooleanField(default=True, constraints=TRUE)),
    ("collects_household", BooleanField(default=True, constraints=TRUE)),
)


def _fold(text):
    # vss.registry.names.fold as it was written with this migration.
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or ""))
    bare = unicodedata.normalize("NFD", text.replace("\u0111", "d").replace("\u0110", "D"))  # đ, Đ
    return " ".join("".join(ch for ch in bare if not unicodedata.combining(ch)).casefold().split())


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("person", "birth_year_only", BooleanField(default=False, constraints=FALSE)),
        migrator.add_index("person", ("province_code", "birth_date"), False),
        *(migrator.add_column("employer", name, field) for name, field in EMPLOYER),
        migrator.add_index("employer", ("tax_code",), False),
        *(migrator.add_column("collection_agent", name, field) for name, field in AGENT),
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
        *(migrator.drop_column("collection_agent", name) for name, _field in AGENT),
        migrator.drop_index("employer", "employer_tax_code"),
        *(migrator.drop_column("employer", name) for name, _field in EMPLOYER),
        migrator.drop_index("person", "person_province_code_birth_date"),
        migrator.drop_column("person", "birth_year_only"),
    )
