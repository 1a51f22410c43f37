"""The takeover across two gunicorn worker processes: nothing about sessions or devices lives in
a worker's memory, so whichever worker answers, the first device is signed out."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.signin_helpers import last_code, make_account

ROOT = Path(__file__).resolve().parent.parent


class Browser:
    """A scripted browser with its own cookies (so its own device id)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl()[len(self.base):], response.read().decode()

    def post(self, path, **fields):
        _, html = self.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=30) as response:
            return response.geturl()[len(self.base):], response.read().decode()


@pytest.fixture
def server(app, database_url, tmp_path):
    make_account()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "VSS_ENV": "development", "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test",
           "VSS_HUEY_IMMEDIATE": "1", "VSS_SECURE_COOKIES": "0", "VSS_INSTANCE_PATH": str(tmp_path),
           "VSS_OTP_RESEND_SECONDS": "0"}  # the server keeps real time: no 60 s wait between the two codes
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "app:app"], cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def test_takeover_across_two_workers(server):
    first, second = Browser(server), Browser(server)
    where, _ = first.post("/dang-nhap", username="0123456789", password="Hoa@2026vss")
    assert where == "/dang-nhap/ma-xac-thuc"
    assert first.post("/dang-nhap/ma-xac-thuc", code=last_code())[0] == "/tai-khoan"
    for _ in range(4):  # whichever worker answers, the session is the same
        assert first.get("/tai-khoan")[0] == "/tai-khoan"
    where, _ = second.post("/dang-nhap", username="0123456789", password="Hoa@2026vss")
    assert where == "/dang-nhap/thiet-bi-khac"
    where, _ = second.post("/dang-nhap/thiet-bi-khac", action="continue")
    assert where == "/dang-nhap/ma-xac-thuc"
    assert second.post("/dang-nhap/ma-xac-thuc", code=last_code())[0] == "/tai-khoan"
    where, html = first.get("/tai-khoan")
    assert where == "/dang-nhap" and "vừa được đăng nhập trên một thiết bị khác" in html
    for _ in range(4):
        assert first.get("/tai-khoan")[0] == "/dang-nhap"
        assert second.get("/tai-khoan")[0] == "/tai-khoan"
