"""The database layer: migrations (up/down/status, several processes at once), SQLite settings,
models matching the migrated schema, transactions with after-commit callbacks."""

import subprocess
import sys
import uuid

import peewee
import pytest

from tests.conftest import PG_URL
from vss.cards import cards, stored_page
from vss.core import audit, limits
from vss.core import db as vdb
from vss.core.db import on_commit, transaction
from vss.dossiers import desk_identity, dossiers, drafts
from vss.identity import accounts, otp, sessions
from vss.kiosk import checkins, kiosks
from vss.messages import outbox
from vss.registry import directory, registry
from vss.requests import changes
from vss.support import news
from vss.web import record_pages

ALL_MODELS = (
    directory.MODELS
    + registry.MODELS
    + accounts.MODELS
    + outbox.MODELS
    + audit.MODELS
    + otp.MODELS
    + dossiers.MODELS
    + drafts.MODELS
    + desk_identity.MODELS
    + changes.MODELS
    + sessions.MODELS
    + cards.MODELS
    + stored_page.MODELS
    + limits.MODELS
    + kiosks.MODELS
    + checkins.MODELS
    + record_pages.MODELS
    + news.MODELS
)


def test_models_match_the_migrated_schema(app):
    database = vdb.db.obj
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {c.name for c in database.get_columns(table)}
        fields = {f.column_name for f in model._meta.sorted_fields}
        assert columns == fields, table
        indexed = {tuple(i.columns) for i in database.get_indexes(table)}
        for field in model._meta.sorted_fields:
            if field.unique:
                assert (field.column_name,) in indexed, (table, field.name)
        for names, _unique in model._meta.indexes:
            assert tuple(model._meta.fields[name].column_name for name in names) in indexed, (table, names)


def test_cli_status_downgrade_upgrade(runner, app):
    result = runner.invoke(args=["db", "status"])
    assert "[x] 0001_initial" in result.output
    for name in reversed([p.stem for p in sorted(vdb.MIGRATIONS_DIR.glob("[0-9]*.py"))]):
        assert f"reverted {name}" in runner.invoke(args=["db", "downgrade"]).output
    assert "person" not in vdb.db.obj.get_tables()
    assert "[ ] 0001_initial" in runner.invoke(args=["db", "status"]).output
    assert runner.invoke(args=["db", "upgrade"]).output.count("applied ") == MIGRATIONS
    assert "up to date" in runner.invoke(args=["db", "upgrade"]).output
    assert "person" in vdb.db.obj.get_tables()


MIGRATIONS = len(list(vdb.MIGRATIONS_DIR.glob("[0-9]*.py")))
MIGRATE = "from vss.core import db; d = db.make_database({url!r}); print(db.upgrade(database=d))"


def _migrate_concurrently(url, processes=4):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE.format(url=url)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    results = [proc.communicate(timeout=120) + (proc.returncode,) for proc in procs]
    assert all(code == 0 for _, _, code in results), [err for _, err, _ in results]
    applied = [out for out, _, _ in results if "0001_initial" in out]
    assert len(applied) == 1, results  # exactly one process did the work


def test_several_processes_migrating_at_once_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    _migrate_concurrently(url)
    database = vdb.make_database(url)
    assert database.execute_sql("SELECT count(*) FROM schema_migration").fetchone()[0] == MIGRATIONS
    database.close()


@pytest.mark.skipif(not PG_URL, reason="needs VSS_TEST_DATABASE_URL (PostgreSQL)")
def test_several_processes_migrating_at_once_on_postgresql():
    name = f"vss_race_{uuid.uuid4().hex[:8]}"
    admin = vdb.make_database(PG_URL)
    admin.connect()
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    try:
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
        _migrate_concurrently(url)
        database = vdb.make_database(url)
        assert database.execute_sql("SELECT count(*) FROM schema_migration").fetchone()[0] == MIGRATIONS
        database.close()
    finally:
        admin.execute_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite settings")
def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(app):
    pragma = vdb.db.obj.pragma
    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") >= 5000
    assert pragma("foreign_keys") == 1


def test_foreign_keys_are_enforced(app):
    from peewee import IntegrityError

    from tests.factories import make_office
    from vss.identity.accounts import StaffUser

    office = make_office()
    StaffUser.create(office=office, username="a", full_name="A", role="reviewer", password_hash="x")
    with pytest.raises(IntegrityError), transaction():
        office.delete_instance()


def test_on_commit_runs_after_the_outermost_commit_only(app):
    calls = []
    with transaction():
        on_commit(lambda: calls.append("outer"))
        with transaction():
            on_commit(lambda: calls.append("inner"))
        assert calls == []
    assert calls == ["outer", "inner"]


def test_on_commit_dropped_when_a_nested_block_rolls_back(app):
    calls = []
    with transaction():
        on_commit(lambda: calls.append("kept"))
        with pytest.raises(ValueError), transaction():
            on_commit(lambda: calls.append("dropped"))
            raise ValueError
    assert calls == ["kept"]


def test_on_commit_outside_a_transaction_runs_now(app):
    calls = []
    on_commit(lambda: calls.append(1))
    assert calls == [1]


def test_on_commit_refuses_a_bare_atomic_block(app):
    with pytest.raises(RuntimeError), vdb.db.atomic():
        on_commit(lambda: None)


def test_audit_rows_and_history(app):
    from tests.factories import make_office

    office = make_office()
    audit.record(
        "office.update",
        actor_kind="staff",
        actor_id=7,
        actor_label="canbo",
        obj=office,
        detail={"phone": ["024 1", "024 2"]},
        ip="127.0.0.1",
    )
    (row,) = audit.history("Office", office.id)
    assert (row.action, row.actor_id, row.detail) == ("office.update", 7, {"phone": ["024 1", "024 2"]})


def test_each_request_thread_keeps_its_connection(app, client):
    assert client.get("/the-bhyt/thu-hoi.json").status_code == 200
    connection = vdb.db.connection()
    assert client.get("/the-bhyt/thu-hoi.json").status_code == 200
    assert vdb.db.connection() is connection


def _terminate_backend(pid):
    """What a PostgreSQL restart or an idle-connection killer does to one connection."""
    import psycopg2

    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    admin.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


@pytest.mark.skipif(not PG_URL, reason="needs VSS_TEST_DATABASE_URL (PostgreSQL)")
def test_a_connection_the_server_dropped_is_replaced_on_the_next_request(app, client):
    assert client.get("/the-bhyt/thu-hoi.json").status_code == 200
    pid = vdb.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    _terminate_backend(pid)
    with pytest.raises(peewee.OperationalError):  # the request that finds out fails…
        client.get("/the-bhyt/thu-hoi.json")
    assert client.get("/the-bhyt/thu-hoi.json").status_code == 200  # …the next one reconnects
    assert vdb.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0] != pid


@pytest.mark.skipif(not PG_URL, reason="needs VSS_TEST_DATABASE_URL (PostgreSQL)")
def test_the_stored_card_page_survives_a_dropped_connection(app, client):
    from tests.factories import make_card
    from tests.signin_helpers import last_code, make_account, post, sign_in

    make_card(make_account().person)
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    first = client.get("/tai-khoan/the-bhyt/xem").get_data()
    pid = vdb.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    _terminate_backend(pid)
    # The short way finds the dropped connection and steps aside; Flask reconnects and answers.
    assert client.get("/tai-khoan/the-bhyt/xem").get_data() == first
