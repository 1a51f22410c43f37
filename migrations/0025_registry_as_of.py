"""The registry's as-of date ("dữ liệu tính đến", shown on every record page): one row,
written by whatever loads the registry. Record pages show it, so a change raises the shared
revision (row 0 of record_revision, migration 0019) and every stored page is drawn again."""

from peewee import DateField, IntegerField, Model, PostgresqlDatabase

BUMP = (
    "INSERT INTO record_revision (person_id, revision) VALUES (0, 1) "
    "ON CONFLICT (person_id) DO UPDATE SET revision = record_revision.revision + 1"
)
EVENTS = ("insert", "update", "delete")


def _models(db):
    class RegistryState(Model):
        id = IntegerField(primary_key=True)
        as_of = DateField()

        class Meta:
            database = db
            table_name = "registry_state"

    return [RegistryState]


def up(migrator, db):
    db.create_tables(_models(db))
    for event in EVENTS:
        name = f"registry_state_record_revision_{event}"
        if isinstance(db, PostgresqlDatabase):  # shared_record_revision(): migration 0019
            db.execute_sql(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON registry_state "
                "FOR EACH ROW EXECUTE FUNCTION shared_record_revision()"
            )
        else:
            db.execute_sql(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON registry_state FOR EACH ROW BEGIN {BUMP}; END"
            )


def down(migrator, db):
    for event in EVENTS:
        name = f"registry_state_record_revision_{event}"
        db.execute_sql(
            f"DROP TRIGGER {name} ON registry_state"
            if isinstance(db, PostgresqlDatabase)
            else f"DROP TRIGGER {name}"
        )
    db.drop_tables(_models(db))
