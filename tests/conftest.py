"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL when VSS_TEST_DATABASE_URL is
set), the app with Huey in immediate mode, a client, and helpers for bytes on the wire."""

import datetime as dt
import gzip
import os
import shutil

import pytest


def _per_worker():
    """Under pytest-xdist each worker (gw0, gw1, …) gets its own PostgreSQL database (the given
    one's name + _gw0, created when missing) and its own Redis database (the given number minus
    the worker's): every test empties its database, so two workers must never share one. Done
    before vss is imported, since its test configuration reads these variables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    url = os.environ.get("VSS_TEST_DATABASE_URL")
    if url:
        import psycopg2

        base, name = url.rsplit("/", 1)
        mine = f"{name}_{worker}"
        admin = psycopg2.connect(url)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (mine,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{mine}"')
        admin.close()
        os.environ["VSS_TEST_DATABASE_URL"] = f"{base}/{mine}"
    redis_url = os.environ.get("VSS_TEST_REDIS_URL")
    if redis_url:
        base, index = redis_url.rsplit("/", 1)
        os.environ["VSS_TEST_REDIS_URL"] = f"{base}/{(int(index or 0) - number) % 16}"


_per_worker()

from vss import create_app  # noqa: E402 - after the worker's databases are chosen
from vss.core import clock  # noqa: E402
from vss.core import db as vdb  # noqa: E402

PG_URL = os.environ.get("VSS_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("VSS_TEST_REDIS_URL")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A migrated SQLite file to copy per test (or a migrated PostgreSQL database)."""
    if PG_URL:
        database = vdb.make_database(PG_URL)
        database.connect()
        _drop_everything(database)
        vdb.upgrade(database=database)
        database.close()
        return None
    path = tmp_path_factory.mktemp("template") / "vss.db"
    database = vdb.make_database(f"sqlite:///{path}")
    vdb.upgrade(database=database)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def _drop_everything(database):
    database.execute_sql("DROP SCHEMA public CASCADE")
    database.execute_sql("CREATE SCHEMA public")


def _truncate_all(database):
    """Empty the tables the last test wrote to (rows, or a sequence it moved): truncating all
    of them costs 0.1 s a test, most of which had touched a handful."""
    tables = [t for t in database.get_tables() if t != "schema_migration"]
    if not tables:
        return
    with_rows = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)  # noqa: S608 - names from the catalog
    used = {row[0] for row in database.execute_sql(with_rows).fetchall()}
    moved = database.execute_sql(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
    ).fetchall()
    used |= {t for t in tables for (sequence,) in moved if sequence == f"{t}_id_seq"}
    if used:
        database.execute_sql(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in sorted(used)) + " RESTART IDENTITY CASCADE"
        )


@pytest.fixture
def database_url(migrated_template, tmp_path):
    """URL of a database holding only the schema."""
    if PG_URL:
        database = vdb.make_database(PG_URL)
        database.connect()
        _truncate_all(database)
        database.close()
        return PG_URL
    path = tmp_path / "vss.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path):
    """The app on a fresh database. No app context is held open, so each test-client request
    gets its own, as in production; tests use models directly (peewee connects on demand)."""
    app = create_app(
        "test",
        DATABASE_URL=database_url,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
        MEDIA_PATH=str(tmp_path / "media"),
    )
    if REDIS_URL:  # budgets counted in Redis start empty for each test, like the database
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    yield app
    if not vdb.db.is_closed():
        vdb.db.close()
    clock.reset()


@pytest.fixture
def fresh_window():
    """The clock moved to just after a whole hour, where every budget window (60, 600, 3600 s)
    starts: budgets are fixed windows, so a test that counts one must not straddle two."""
    now = clock.utcnow().timestamp()
    clock.travel(dt.timedelta(seconds=3600 - now % 3600 + 1))
    yield
    clock.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def wire_size(response):
    """Bytes of the body as sent to a browser offering gzip (what a 2G user pays for)."""
    assert response.headers.get("Content-Encoding") in (None, "gzip"), response.headers
    return len(response.get_data())


def get_gzip(client, url, **kwargs):
    """GET as Chrome does over plain HTTP (it offers gzip and deflate, not brotli)."""
    return client.get(url, headers={"Accept-Encoding": "gzip, deflate"}, **kwargs)


def html_of(response):
    """Decoded HTML of a possibly gzip-encoded response."""
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (one for the whole run)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def run_concurrently(count, func):
    """Start `func(n)` in `count` threads at the same instant; each closes its own connection."""
    import threading

    barrier = threading.Barrier(count)

    def worker(n):
        barrier.wait()
        try:
            func(n)
        finally:
            vdb.db.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture
def racing_server(app, database_url, tmp_path):
    """The base URL of a gunicorn with several workers on the test database (tests/concurrency.py)."""
    from tests.concurrency import racing_server as server

    with server(app, database_url, tmp_path) as gunicorn:
        yield gunicorn.base
