"""The takeover across two gunicorn worker processes: nothing about sessions or devices lives in
a worker's memory, so whichever worker answers, the first device is signed out."""

import http.cookiejar
import urllib.parse
import urllib.request

import pytest

from tests.csrf import token_in
from tests.servers import Gunicorn, app_env
from tests.signin_helpers import last_code, make_account


class Browser:
    """A scripted browser with its own cookies (so its own device id)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl()[len(self.base) :], response.read().decode()

    def post(self, path, **fields):
        _, html = self.get(path)
        token = token_in(html)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=30) as response:
            return response.geturl()[len(self.base) :], response.read().decode()


@pytest.fixture
def server(app, database_url, tmp_path):
    make_account()
    # The server keeps real time: no 60 s wait between the two devices' codes.
    env = app_env(database_url, tmp_path, VSS_OTP_RESEND_SECONDS="0")
    with Gunicorn("app:app", env, ready_path="/healthz") as gunicorn:
        yield gunicorn.base


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
