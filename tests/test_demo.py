"""`flask seed` with demo accounts (development only)."""

from vss.identity.accounts import Account, StaffUser
from vss.seed import demo


def test_seed_command_creates_registry_and_demo_accounts(runner, app):
    result = runner.invoke(args=["seed", "--people", "400", "--seed", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert demo.DEMO_PASSWORD in result.output
    assert {s.username for s in StaffUser.select()} == {"quantri", "giamsat", "canbo"}
    accounts = list(Account.select())
    assert len(accounts) == demo.CITIZENS
    for account in accounts:
        assert account.username in result.output and account.check_password(demo.DEMO_PASSWORD)
    reviewer = StaffUser.get(StaffUser.username == "canbo")
    assert reviewer.office.kind == "base" and reviewer.office.province_code == 1
    from vss.dossiers.registration import Dossier
    from vss.identity.changes import ChangeRequest

    assert Dossier.select().where(Dossier.office == reviewer.office).count() == demo.DOSSIERS
    assert ChangeRequest.select().count() == 2
    again = runner.invoke(args=["seed", "--if-empty", "--quiet"])
    assert "not seeding" in again.output


def test_seed_refused_in_production(database_url, tmp_path):
    from vss import create_app

    app = create_app(
        "production",
        DATABASE_URL=database_url,
        SECRET_KEY="x",
        MIGRATE_ON_START=False,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
    )
    result = app.test_cli_runner().invoke(args=["seed", "--people", "10"])
    assert result.exit_code != 0 and "never in production" in result.output
