"""Bulk writes for the generator: SQLite `executemany`, PostgreSQL `COPY … FROM STDIN` (CSV)."""

import contextlib
import csv
import io

from peewee import CharField, TextField, fn

from vss.core.db import is_postgres

# SQLite settings for the load. The seed is all-or-nothing (a failure resets it), so fsync
# per chunk buys nothing; foreign keys hold by construction (the tests check them).
BULK_PRAGMAS = {"synchronous": 0, "cache_size": -400_000, "foreign_keys": 0, "temp_store": 2}


class Writer:
    """Inserts row tuples in the column order of `columns[table]`; fixes sequences at the end."""

    def __init__(self, database, columns, models):
        self.database, self.models = database, models
        self.pg = is_postgres(database)
        self.sql = {}
        for table, names in columns.items():
            quoted = ", ".join(f'"{c}"' for c in names)
            if self.pg:
                # CSV reads an empty unquoted field as NULL: not for NOT NULL text columns.
                fields = {f.column_name: f for f in models[table]._meta.sorted_fields}
                texts = [
                    f'"{c}"'
                    for c in names
                    if isinstance(fields[c], CharField | TextField) and not fields[c].null
                ]
                force = f", FORCE_NOT_NULL ({', '.join(texts)})" if texts else ""
                self.sql[table] = f'COPY "{table}" ({quoted}) FROM STDIN WITH (FORMAT csv{force})'
            else:
                # Identifiers from the generator's constants; values always go as parameters.
                self.sql[table] = (
                    f'INSERT INTO "{table}" ({quoted}) '  # noqa: S608
                    f"VALUES ({', '.join('?' * len(names))})"
                )
        if self.pg:
            # Rows without explicit ids take them from the sequences: start those at 1, so
            # ids are the same in every run (the tables are empty: seed() checked).
            for table in columns:
                self._set_sequence(table, 1, False)

    def _set_sequence(self, table, value, called):
        self.database.execute_sql(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", (table, value, called)
        )

    def insert(self, table, rows):
        """Write `rows` (inside the caller's transaction); returns how many."""
        if rows:
            cursor = self.database.connection().cursor()
            if self.pg:
                # COPY is about twice as fast as multi-row INSERT; csv.writer quotes in C.
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(rows)
                buffer.seek(0)
                cursor.copy_expert(self.sql[table], buffer)
            else:
                cursor.executemany(self.sql[table], rows)
        return len(rows)

    def finish(self):
        """Sequences past the explicit ids (PostgreSQL); fresh planner statistics."""
        if self.pg:
            for table, model in self.models.items():
                last = model.select(fn.MAX(model.id)).scalar()
                self._set_sequence(table, last or 1, last is not None)
            self.database.execute_sql("ANALYZE")
        else:
            self.database.execute_sql("PRAGMA analysis_limit=1000")
            self.database.execute_sql("PRAGMA optimize=0x10002")


@contextlib.contextmanager
def bulk_load(database):
    """SQLite pragmas for the load, restored afterwards (per connection; no-op on PostgreSQL)."""
    saved = {}
    try:
        if not is_postgres(database):
            for name, value in BULK_PRAGMAS.items():
                saved[name] = database.execute_sql(f"PRAGMA {name}").fetchone()[0]
                database.execute_sql(f"PRAGMA {name}={value}")
        yield
    finally:
        for name, value in saved.items():
            database.execute_sql(f"PRAGMA {name}={value}")
        if saved:
            # Move the load out of the WAL now rather than during some user's request.
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@contextlib.contextmanager
def without_fk_checks(database):
    """SQLite foreign-key checks off (5× faster mass deletes when dependents go first)."""
    if is_postgres(database):
        yield
        return
    before = database.execute_sql("PRAGMA foreign_keys").fetchone()[0]
    database.execute_sql("PRAGMA foreign_keys=0")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA foreign_keys={before}")
