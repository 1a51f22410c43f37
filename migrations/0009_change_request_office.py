"""Change requests go to one office, scoped like dossiers: the office that received the
person's approved registration dossier, else their province's office (and the office's
province). Staff may reject a request with a reason (the unused `note` becomes `reason`). One
pending request per person and field (`pending_key`, unique while pending). The list's
indexes follow the dossier list's."""

from peewee import CharField, ForeignKeyField, Model
from playhouse.migrate import SqliteMigrator

OLD_INDEX = (("office_province",), False)
INDEXES = (
    (("office_id", "status", "created_at"), False),
    (("office_province", "status", "created_at"), False),
)


def _office(db):
    class Office(Model):
        class Meta:
            database = db
            table_name = "office"

    return Office


# Existing rows: the office the application would choose today.
ASSIGN = """
UPDATE change_request SET office_id = COALESCE(
  (SELECT d.office_id FROM dossier d JOIN account a ON d.bhxh_code = a.username
   WHERE a.id = change_request.account_id AND d.status = 'da_duyet' AND d.evaluation = 'hop_le'
   ORDER BY d.decided_at DESC, d.id DESC LIMIT 1),
  (SELECT o.id FROM office o JOIN person p ON o.province_code = p.province_code
   JOIN account a ON a.person_id = p.id
   WHERE a.id = change_request.account_id AND o.kind = 'province' ORDER BY o.id LIMIT 1))
"""
PROVINCE = """
UPDATE change_request SET office_province = (SELECT province_code FROM office WHERE office.id = change_request.office_id)
WHERE office_id IS NOT NULL
"""
# Older pending requests of the same person and field than the newest are replaced by it.
REPLACED = """
UPDATE change_request SET status = 'da_thay_the'
WHERE status = 'cho_xu_ly' AND id < (SELECT MAX(c.id) FROM change_request c WHERE c.status = 'cho_xu_ly'
                                     AND c.account_id = change_request.account_id AND c.field = change_request.field)
"""
PENDING_KEY = "UPDATE change_request SET pending_key = {key} WHERE status = 'cho_xu_ly'"


def up(migrator, db):
    office = _office(db)
    migrator.migrate(
        migrator.add_column(
            "change_request",
            "office_id",
            ForeignKeyField(office, field=office.id, null=True, on_delete="RESTRICT", index=False),
        ),
        migrator.add_column("change_request", "pending_key", CharField(max_length=24, null=True)),
        migrator.rename_column("change_request", "note", "reason"),
        migrator.drop_index("change_request", "change_request_office_province"),
    )
    db.execute_sql(ASSIGN)
    db.execute_sql(PROVINCE)
    db.execute_sql(REPLACED)
    key = "CAST(account_id AS TEXT) || ':' || field"
    db.execute_sql(PENDING_KEY.format(key=key))
    migrator.migrate(
        migrator.add_index("change_request", ("pending_key",), True),
        *(migrator.add_index("change_request", columns, unique) for columns, unique in INDEXES),
    )


def down(migrator, db):
    # SQLite cannot drop an indexed column: the indexes go first.
    migrator.migrate(
        *(
            migrator.drop_index("change_request", f"change_request_{'_'.join(columns)}")
            for columns, _ in INDEXES
        ),
        migrator.drop_index("change_request", "change_request_pending_key"),
        migrator.add_index("change_request", *OLD_INDEX),
        migrator.rename_column("change_request", "reason", "note"),
        migrator.drop_column("change_request", "pending_key"),
    )
    # SQLite's DROP COLUMN refuses a column with a foreign key: peewee rebuilds the table instead.
    if isinstance(migrator, SqliteMigrator):
        migrator.migrate(migrator.drop_column("change_request", "office_id", legacy=True))
    else:
        migrator.migrate(migrator.drop_column("change_request", "office_id"))
