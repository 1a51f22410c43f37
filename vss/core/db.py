"""The peewee database: created unbound, initialised by the app factory; transactions; migrations."""

import contextlib
import fcntl
import json
import threading
import weakref
from pathlib import Path

from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase, TextField
from playhouse.db_url import parse as parse_url
from playhouse.migrations import Runner

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -16000,
}
# Any constant works; it only has to be the same in every process that migrates.
PG_MIGRATION_LOCK_KEY = 0x5653_5301

db = DatabaseProxy()


class BaseModel(Model):
    """Base of every VSS model: bound to the proxy, snake_case table names."""

    class Meta:
        database = db
        legacy_table_names = False


def make_database(url):
    """A peewee Database for a `sqlite:///path` or `postgresql://…` URL."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # BEGIN IMMEDIATE: a transaction that reads then writes takes the write lock up front,
        # so it waits (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT under load.
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresqlDatabase(**parse_url(url))
    raise ValueError(f"Unsupported DATABASE_URL: {url!r}")


def connect():
    """Open the calling thread's connection once and keep it, on SQLite and PostgreSQL alike.
    A gunicorn worker's threads are fixed, so a process holds at most one connection per thread
    (`-w 4 --threads 8` → 32). Measured against peewee's pool (bench/README.md): the pool takes
    two process-wide locks per request, probed each connection with `SELECT 1` on check-out and
    rotated requests over every backend; SQLite would rerun its pragmas on each connect.
    A PostgreSQL connection that the server dropped fails the request that finds out (psycopg2
    then marks it closed) and is replaced on the thread's next request."""
    if not db.is_closed():
        connection = db.connection()
        if not (is_postgres() and connection.closed):
            return
        db.close()
    db.connect(reuse_if_open=True)


def init_app(app):
    """Bind the proxy to the configured database; each request thread keeps its connection."""
    db.initialize(make_database(app.config["DATABASE_URL"]))
    app.before_request(connect)


def is_postgres(database=None):
    """True when the bound database is PostgreSQL."""
    database = database or db.obj
    return isinstance(database, PostgresqlDatabase)


# --- transactions with after-commit callbacks ---------------------------------------------

_local = threading.local()


def _stack():
    if not hasattr(_local, "callbacks"):
        _local.callbacks = []
        _local.depth = 0
    return _local


@contextlib.contextmanager
def transaction():
    """`db.atomic()` that runs `on_commit` callbacks once the outermost block has committed."""
    state = _stack()
    mark = len(state.callbacks)
    state.depth += 1
    try:
        with db.atomic():
            yield
    except BaseException:
        del state.callbacks[mark:]
        raise
    finally:
        state.depth -= 1
    if state.depth == 0:
        callbacks, state.callbacks = state.callbacks, []
        for callback in callbacks:
            callback()


def serialize(key):
    """Inside a transaction: wait for any other transaction serialising on the same key
    (pg_advisory_xact_lock; on SQLite every write transaction is already serial)."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))


def on_commit(callback):
    """Run `callback` after the current `transaction()` commits (now, if there is none)."""
    state = _stack()
    if state.depth:
        state.callbacks.append(callback)
        return
    if db.in_transaction():
        raise RuntimeError("on_commit inside a bare db.atomic(); use vss.core.db.transaction()")
    callback()


# --- migrations ---------------------------------------------------------------------------


@contextlib.contextmanager
def migration_lock(database):
    """Serialise migrations across processes: pg_advisory_lock, or a file lock beside SQLite."""
    if is_postgres(database):
        database.execute_sql("SELECT pg_advisory_lock(%s)", (PG_MIGRATION_LOCK_KEY,))
        try:
            yield
        finally:
            database.execute_sql("SELECT pg_advisory_unlock(%s)", (PG_MIGRATION_LOCK_KEY,))
        return
    path = database.database
    if path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def runner(database=None):
    """A playhouse.migrations Runner over migrations/."""
    return Runner(database or db.obj, directory=str(MIGRATIONS_DIR))


def upgrade(target=None, database=None):
    """Apply pending migrations under the cross-process lock; returns the applied names."""
    database = database or db.obj
    database.connect(reuse_if_open=True)
    with migration_lock(database):
        return runner(database).up(target)


def downgrade(target=None, database=None):
    """Revert the newest migration (or back through `target`) under the lock."""
    database = database or db.obj
    database.connect(reuse_if_open=True)
    with migration_lock(database):
        return runner(database).down(target)


def status(database=None):
    """[(name, applied_at or None)] in order."""
    database = database or db.obj
    database.connect(reuse_if_open=True)
    return [(m.name, m.applied) for m in runner(database).status()]


class JSONField(TextField):
    """JSON stored as text: the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


# A cursor wrapper's state that belongs to one run, not to the statement.
_PER_RUN = frozenset({"cursor", "count", "index", "initialized", "populated", "row_cache"})


class FixedQuery:
    """A query of one fixed shape, run again and again with new values without making its SQL
    again. peewee writes a statement's SQL anew on every run; for the signed-in session's
    three-table look-up writing it took 0.3 ms and running it 0.015 ms (SQLite,
    bench/README.md). `build(*values)` makes the query; the SQL made from it must take `values`
    as its first parameters, in order, and after them only constants that `build` always puts
    there (such as a LIMIT); checked once per database, when the SQL is made."""

    def __init__(self, build):
        self.build = build
        self.made = weakref.WeakKeyDictionary()  # database → (query, sql, constant parameters)
        self.shapes = weakref.WeakKeyDictionary()  # database → the row-building state of the SQL

    def rows(self, *values):
        """The model rows (joined models attached, as peewee gives them) for `values`."""
        database = db.obj
        made = self.made.get(database)
        if made is None:
            query = self.build(*values)
            sql, params = query.sql()
            if list(params[: len(values)]) != list(values):
                raise ValueError(f"parameters {params!r} do not start with the values {values!r}")
            made = self.made[database] = (query, sql, tuple(params[len(values) :]))
        query, sql, constants = made
        # The query object only shapes the rows (models, joins): it is read, never changed.
        cursor = database.execute_sql(sql, (*values, *constants))
        wrapper = query._get_cursor_wrapper(cursor)
        shape = self.shapes.get(database)
        if shape is None:
            rows = list(wrapper)
            if wrapper.initialized:
                # How the columns map onto models depends only on the SQL (peewee works it out
                # again for every run: 0.1 ms for the session look-up); kept from the first rows.
                self.shapes[database] = {
                    key: value for key, value in vars(wrapper).items() if key not in _PER_RUN
                }
            return rows
        vars(wrapper).update(shape)
        try:
            return [wrapper.process_row(row) for row in cursor.fetchall()]
        finally:
            cursor.close()
