"""`flask seed` with demo accounts (development only)."""

import datetime as dt
import re
from pathlib import Path

import pytest

from vss.core import clock
from vss.identity.accounts import Account, StaffUser
from vss.registry.directory import Office
from vss.seed import demo


def test_seed_command_creates_registry_and_demo_accounts(runner, app):
    result = runner.invoke(args=["seed", "--people", "400", "--seed", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert demo.DEMO_PASSWORD in result.output
    assert {s.username for s in StaffUser.select()} == {"quantri", "giamsat", "canbo", "bientap"}
    accounts = list(Account.select())
    assert len(accounts) == demo.CITIZENS
    for account in accounts:
        assert account.username in result.output and account.check_password(demo.DEMO_PASSWORD)
    reviewer = StaffUser.get(StaffUser.username == "canbo")
    assert reviewer.office.kind == "base" and reviewer.office.province_code == 1
    from vss.dossiers.dossiers import Dossier
    from vss.requests.changes import ChangeRequest

    assert Dossier.select().where(Dossier.office == reviewer.office).count() == demo.DOSSIERS
    assert ChangeRequest.select().count() == 2
    from vss.support import news

    assert news.published_page(1)[0][0].title == "Cài đặt và sử dụng ứng dụng VssID"  # the newest
    assert news.NewsPost.select().where(news.NewsPost.image.is_null(False)).count() == 1
    again = runner.invoke(args=["seed", "--if-empty", "--quiet"])
    assert "not seeding" in again.output


def test_seed_leaves_one_kiosk_waiting_for_the_code_it_prints(runner, app):
    from vss.kiosk import kiosks

    result = runner.invoke(args=["seed", "--people", "200", "--seed", "5", "--quiet"])
    kiosk = kiosks.Kiosk.get()  # one, not enrolled: its code is printed once
    assert kiosk.status == kiosks.PENDING and kiosk.facility.province_code == demo.DEMO_PROVINCE
    code = re.search(r"enter ([A-Z0-9]{5}-[A-Z0-9]{5})", result.output).group(1)
    assert kiosks.redeem(code, client="127.0.0.1")[0].id == kiosk.id


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


def _readme_demo_table():
    """The README's demo accounts: (who, office code or None, username) per table row."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    password = re.search(r"Password for all: \*\*`([^`]+)`\*\*", section).group(1)
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`"):
            office = re.match(r"[0-9]+", cells[1])
            rows.append((cells[0], office.group(0) if office else None, cells[2].strip("`")))
    return password, rows


@pytest.mark.parametrize("days_later", [0, 400])
def test_the_readme_lists_what_seed_creates_on_any_day(runner, app, days_later):
    """A new developer on any day, with any seed, signs in as the README says."""
    password, rows = _readme_demo_table()
    assert password == demo.DEMO_PASSWORD
    assert sum(who.startswith("citizen") for who, _, _ in rows) == demo.CITIZENS
    clock.travel(dt.timedelta(days=days_later))
    result = runner.invoke(args=["seed", "--people", "400", "--seed", str(7 + days_later), "--quiet"])
    assert result.exit_code == 0, result.output
    for who, office, username in rows:
        if who.startswith("citizen"):
            account = Account.get_or_none(Account.username == username)
            assert account is not None and account.check_password(password), username
            assert account.person.bhxh_code == username and account.person.province_code == demo.DEMO_PROVINCE
            for card in account.person.cards:
                assert card.number.endswith(username)
        else:
            staff = (
                StaffUser.select()
                .join(Office)
                .where((StaffUser.username == username) & (Office.code == office))
                .first()
            )
            assert staff is not None and staff.check_password(password), (office, username)
