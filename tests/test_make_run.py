"""`make run` as a new developer starts it: migrated, seeded, the job worker beside the app, and
the app served with keep-alive (Flask's development server answers `Connection: close`, so on a
real link every request would pay its own TCP handshake)."""

import http.client
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def _wait_for(port, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    raise AssertionError("make run did not answer")


def _children(pid):
    """Command lines of every process under `pid`."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(command)
                queue.append(int(entry.name))
    return found


@pytest.mark.slow
def test_make_run_serves_with_keep_alive_and_runs_the_worker(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vss.db'}",
        "VSS_HUEY_PATH": str(tmp_path / "huey.db"),
        "VSS_ENV": "development",
    }
    env.pop("MAKEFLAGS", None)
    process = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        answers = []
        for path in ("/", "/dang-nhap", "/dang-ky"):
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            answers.append((response.status, response.getheader("Connection", "")))
            local = connection.sock.getsockname()  # the same socket every time: kept alive
            answers[-1] += (local,)
        connection.close()
        assert [status for status, _, _ in answers] == [200, 200, 200], answers
        assert all(header.lower() != "close" for _, header, _ in answers), answers
        assert len({local for _, _, local in answers}) == 1, answers
        commands = _children(process.pid)
        assert any("gunicorn" in command for command in commands), commands
        assert any(command.rstrip().endswith("worker") for command in commands), commands
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()
