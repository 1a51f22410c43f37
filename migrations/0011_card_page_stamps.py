"""The stored card page keeps what it was drawn from, and is served only while both still hold
(see vss.cards.cards): the build (`card_page.build`) and the card's revision (`card_page.revision`
against `health_card.revision`).

`health_card.revision` is raised by the database itself on every UPDATE of the card, of its
person and of its facility, so no writer of the registry can forget it. It has a DEFAULT in the
schema because the seed loads cards with COPY / executemany naming only the registry's columns.
Pages stored before this migration have an empty build, so they are drawn again at first view.
A facility's UPDATE raises the revision of every card registered there (rare: renames)."""

from peewee import PostgresqlDatabase

SQLITE = [
    # A writer that sets `revision` itself (a stale model saved) can only move it forward.
    """CREATE TRIGGER health_card_revision AFTER UPDATE ON health_card
       FOR EACH ROW WHEN NEW.revision <= OLD.revision
       BEGIN UPDATE health_card SET revision = OLD.revision + 1 WHERE id = NEW.id; END""",
    """CREATE TRIGGER person_card_revision AFTER UPDATE ON person FOR EACH ROW
       BEGIN UPDATE health_card SET revision = revision + 1 WHERE person_id = NEW.id; END""",
    """CREATE TRIGGER facility_card_revision AFTER UPDATE ON facility FOR EACH ROW
       BEGIN UPDATE health_card SET revision = revision + 1 WHERE facility_id = NEW.id; END""",
]
POSTGRES = [
    """CREATE FUNCTION health_card_next_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN NEW.revision := OLD.revision + 1; RETURN NEW; END $$""",
    """CREATE TRIGGER health_card_revision BEFORE UPDATE ON health_card
       FOR EACH ROW EXECUTE FUNCTION health_card_next_revision()""",
    # Through the card's own trigger above: each touched card moves by exactly one.
    """CREATE FUNCTION person_card_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN UPDATE health_card SET revision = revision + 1 WHERE person_id = NEW.id; RETURN NULL; END $$""",
    """CREATE TRIGGER person_card_revision AFTER UPDATE ON person
       FOR EACH ROW EXECUTE FUNCTION person_card_revision()""",
    """CREATE FUNCTION facility_card_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN UPDATE health_card SET revision = revision + 1 WHERE facility_id = NEW.id; RETURN NULL; END $$""",
    """CREATE TRIGGER facility_card_revision AFTER UPDATE ON facility
       FOR EACH ROW EXECUTE FUNCTION facility_card_revision()""",
]
# (trigger, table, its PostgreSQL function)
TRIGGERS = (
    ("health_card_revision", "health_card", "health_card_next_revision"),
    ("person_card_revision", "person", "person_card_revision"),
    ("facility_card_revision", "facility", "facility_card_revision"),
)


def up(migrator, db):
    db.execute_sql("ALTER TABLE health_card ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("ALTER TABLE card_page ADD COLUMN build VARCHAR(16) NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE card_page ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    for statement in POSTGRES if isinstance(db, PostgresqlDatabase) else SQLITE:
        db.execute_sql(statement)


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for trigger, table, function in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER {trigger} ON {table}" if postgres else f"DROP TRIGGER {trigger}")
        if postgres:
            db.execute_sql(f"DROP FUNCTION {function}()")
    migrator.migrate(
        migrator.drop_column("card_page", "revision"),
        migrator.drop_column("card_page", "build"),
        migrator.drop_column("health_card", "revision"),
    )
