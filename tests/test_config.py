"""Configuration that protects the installation (issue 10, item 8): the development key is made
for each installation, never a public constant; a first TOTP enrolment needs the password."""

import os
import stat
import subprocess
import sys

from tests.staff_helpers import make_staff, offices
from vss import create_app
from vss.core import config


def test_the_development_key_is_random_per_installation(tmp_path, database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.development_secret(tmp_path / "one")
    assert first == config.development_secret(tmp_path / "one")  # kept across restarts
    assert first != config.development_secret(tmp_path / "two") and len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "one" / "secret_key").st_mode) == 0o600
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "three")
    app = create_app("development", DATABASE_URL=database_url, MIGRATE_ON_START=False, HUEY_IMMEDIATE=True)
    assert app.config["SECRET_KEY"] == (tmp_path / "three" / "secret_key").read_text().strip()
    assert "dev-only" not in app.config["SECRET_KEY"]


def test_processes_starting_together_agree_on_the_key(tmp_path):
    code = "import sys; from vss.core import config; print(config.development_secret(sys.argv[1]))"
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    keys = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_forged_cookie_cannot_enrol_totp_without_the_password(app, client):
    """Even with the signing key known (the old public development key), the enrolment page
    needs a password check made in this session on the server."""
    staff = make_staff(offices()["00101"], enrolled=False)
    with client.session_transaction() as session:
        session["staff_pending"], session["staff_pending_at"] = staff.id, 9e9
    page = client.get("/can-bo/dang-ky-xac-thuc")
    assert page.status_code == 302 and page.headers["Location"] == "/can-bo/dang-nhap"
    with client.session_transaction() as session:
        session["staff_pending"] = "a-guessed-or-stale-key"
    assert client.get("/can-bo/dang-ky-xac-thuc").status_code == 302


def test_production_refuses_inline_jobs(database_url):
    import pytest

    with pytest.raises(RuntimeError, match="HUEY_IMMEDIATE"):
        create_app(
            "production",
            DATABASE_URL=database_url,
            SECRET_KEY="x",
            MIGRATE_ON_START=False,
            HUEY_IMMEDIATE=True,
        )


def test_the_default_database_is_instance_vss_db():
    # An upgrade must find the data where the previous version kept it (README: instance/vss.db);
    # the move of the modules into rooms once renamed it to vss.core.db by accident.
    code = "from vss.core import config; print(config.Config.DATABASE_URL)"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == f"sqlite:///{config.INSTANCE / 'vss.db'}"
