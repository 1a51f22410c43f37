"""The kiosk's credential (vss/views/kiosk_auth.py): the enrolment page, the cookie (HttpOnly,
SameSite=Strict, Path=/kiosk), `kiosk_required` — and a kiosk credential opens kiosk pages only,
enrolment creates no citizen or staff session, and their sessions open no kiosk page. Twenty
parallel redeems of one code across gunicorn workers make exactly one credential."""

import datetime as dt

import pytest

from tests.concurrency import Browser, burst
from tests.csrf import csrf
from tests.kiosk_helpers import ENROL, enrol_in, enrolled_kiosk, world
from tests.signin_helpers import last_code as code_of
from tests.signin_helpers import make_account, post, sign_in
from tests.staff_helpers import sign_in as staff_sign_in
from vss.core import clock
from vss.core.audit import AuditLog
from vss.identity.sessions import CitizenSession, StaffSession
from vss.kiosk import kiosks
from vss.kiosk.kiosks import Kiosk
from vss.views.kiosk_auth import COOKIE

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")


@pytest.fixture
def site(app):
    return world()


@pytest.fixture
def admin(site):
    return site["admin"]


def credential(client):
    cookie = client.get_cookie(COOKIE, path="/kiosk")
    return cookie.value if cookie else None


def session_of(app, client):
    """What the Flask session cookie holds (signed, readable by its key)."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_the_enrolment_page_gives_the_browser_its_credential(app, client, admin):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    page = client.get(ENROL)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Mã ghi danh" in page.get_data(as_text=True)
    response = enrol_in(client, kiosks.shown_code(code).lower())
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk"
    set_cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}="))
    attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
    assert {"httponly", "path", "samesite", "max-age", "expires"} <= attributes and "secure" not in attributes
    assert "SameSite=Strict" in set_cookie and "Path=/kiosk;" in set_cookie + ";"
    token = credential(client)
    assert Kiosk.get_by_id(kiosk.id).token_hash == kiosks.token_hash(token)
    home = client.get("/kiosk")
    html = home.get_data(as_text=True)
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"
    assert "Trạm Y tế phường Hoàn Kiếm" in html and "Quầy 1" in html and "Đã ghi danh kiosk Quầy 1" in html


def test_the_cookie_is_secure_when_the_app_is_served_over_https(app, client, admin):
    app.config["SESSION_COOKIE_SECURE"] = True
    _, code = kiosks.enrol(admin, "01065", "Quầy 1")
    response = enrol_in(client, code)
    set_cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}="))
    assert "Secure" in set_cookie


def test_enrolment_opens_no_citizen_or_staff_session(app, client, admin):
    enrolled_kiosk(client, admin)
    assert CitizenSession.select().count() == 0 and StaffSession.select().count() == 0
    assert not {"_user_id", "citizen_sid", "staff_sid", "staff_pending"} & set(session_of(app, client))
    assert {c.key for c in client._cookies.values()} <= {COOKIE, "session"}
    assert client.get("/tai-khoan").headers["Location"] == "/dang-nhap"
    assert client.get("/can-bo/ho-so").headers["Location"] == "/can-bo/dang-nhap"


def test_the_kiosk_credential_opens_no_citizen_or_staff_page(app, client, admin):
    make_account()
    enrolled_kiosk(client, admin)
    token = credential(client)
    # Even sent to every path (a forged cookie), the credential is no one's session.
    stranger = app.test_client()
    stranger.set_cookie(COOKIE, token, path="/")
    for url, gate in (
        ("/tai-khoan", "/dang-nhap"),
        ("/tai-khoan/kham-chua-benh", "/dang-nhap"),
        ("/can-bo/ho-so", "/can-bo/dang-nhap"),
        ("/can-bo/quan-tri", "/can-bo/dang-nhap"),
        ("/can-bo/quan-tri/kiosk", "/can-bo/dang-nhap"),
    ):
        assert stranger.get(url).headers.get("Location") == gate, url
    assert stranger.get("/kiosk").status_code == 200


def test_a_citizen_or_staff_session_opens_no_kiosk_page(app, site, admin):
    citizen = app.test_client()
    make_account()
    sign_in(citizen)
    post(citizen, "/dang-nhap/ma-xac-thuc", code=code_of())
    assert citizen.get("/tai-khoan").status_code == 200
    staff = app.test_client()
    staff_sign_in(staff, admin)
    for browser in (citizen, staff):
        assert browser.get("/kiosk").headers["Location"] == "/kiosk/ghi-danh"
        token = csrf(browser, ENROL)  # their own session's token: the kiosk is what is missing
        assert browser.post("/kiosk/tiep-nhan", json={}, headers={"X-CSRFToken": token}).status_code == 401


def test_a_browser_that_becomes_a_kiosk_is_signed_out_of_any_account(app, admin):
    browser = app.test_client()
    make_account()
    sign_in(browser)
    post(browser, "/dang-nhap/ma-xac-thuc", code=code_of())
    assert browser.get("/tai-khoan").status_code == 200
    _, code = kiosks.enrol(admin, "01065", "Quầy 1")
    response = enrol_in(browser, code)
    assert response.headers["Clear-Site-Data"] == '"storage"'  # the card kept offline goes too
    assert not {"_user_id", "citizen_sid"} & set(session_of(app, browser))
    assert CitizenSession.get().ended_at is not None
    assert browser.get("/tai-khoan").headers["Location"] == "/dang-nhap"
    assert browser.get("/kiosk").status_code == 200
    staff = app.test_client()
    staff_sign_in(staff, admin)
    _, code = kiosks.enrol(admin, "01065", "Quầy 2")
    assert "Clear-Site-Data" not in enrol_in(staff, code).headers
    assert StaffSession.select().where(StaffSession.ended_at.is_null()).count() == 0
    assert staff.get("/can-bo/ho-so").headers["Location"] == "/can-bo/dang-nhap"


def test_a_wrong_expired_or_used_code_says_so(app, client, admin):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    wrong = enrol_in(client, "ACDEF-HJKMN" if code != "ACDEFHJKMN" else "CCDEF-HJKMN")
    assert wrong.status_code == 200 and "Mã ghi danh không đúng" in wrong.get_data(as_text=True)
    assert credential(client) is None
    blank = enrol_in(client, "")
    assert "Vui lòng nhập mã ghi danh" in blank.get_data(as_text=True)
    clock.travel(dt.timedelta(hours=25))
    assert "đã hết hạn" in enrol_in(client, code).get_data(as_text=True)
    code = kiosks.reissue(admin, Kiosk.get_by_id(kiosk.id))
    assert enrol_in(client, code).status_code == 302
    other = app.test_client()
    replayed = enrol_in(other, code)
    assert "đã được sử dụng" in replayed.get_data(as_text=True) and credential(other) is None


def test_too_many_tries_from_one_network_is_a_429(app, client, admin):
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    for _ in range(kiosks.ENROL_BUDGET.limit):
        assert enrol_in(client, "ACDEF-HJKMN").status_code == 200
    response = enrol_in(client, "ACDEF-HJKMN")
    assert response.status_code == 429 and "quá nhiều lần" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == str(kiosks.ENROL_BUDGET.seconds)


def test_a_revoked_kiosk_is_signed_out_with_a_message(app, client, admin):
    kiosk = enrolled_kiosk(client, admin)
    kiosks.revoke(admin, kiosk)
    response = client.get("/kiosk")
    assert response.headers["Location"] == "/kiosk/ghi-danh"
    assert credential(client) is None  # the cookie is deleted
    assert "đã bị thu hồi" in client.get(ENROL).get_data(as_text=True)
    again = app.test_client()
    again.set_cookie(COOKIE, "whatever-was-there", path="/kiosk")
    assert again.get("/kiosk").headers["Location"] == "/kiosk/ghi-danh"


def test_a_new_code_sends_the_old_browser_back_to_enrolment(app, client, admin):
    kiosk = enrolled_kiosk(client, admin)
    kiosks.reissue(admin, kiosk)
    assert client.get("/kiosk").headers["Location"] == "/kiosk/ghi-danh" and credential(client) is None
    assert "thu hồi" not in client.get(ENROL).get_data(as_text=True)


def test_json_callers_get_a_401_not_a_redirect(app, client, admin):
    kiosk = enrolled_kiosk(client, admin)
    kiosks.revoke(admin, kiosk)
    response = client.get("/kiosk", headers={"Accept": "application/json"})
    assert response.status_code == 401 and "thu hồi" in response.get_json()["error"]
    assert app.test_client().get("/kiosk", headers={"Accept": "application/json"}).status_code == 401


def test_the_kiosk_is_seen_at_most_once_a_minute_and_its_cookie_renewed(app, client, admin):
    kiosk = enrolled_kiosk(client, admin)
    assert COOKIE not in str(client.get("/kiosk").headers.getlist("Set-Cookie"))
    clock.travel(dt.timedelta(minutes=2))
    response = client.get("/kiosk")
    assert f"{COOKIE}=" in str(response.headers.getlist("Set-Cookie"))
    assert abs(Kiosk.get_by_id(kiosk.id).last_seen_at - clock.utcnow()) < dt.timedelta(seconds=5)


# --- across gunicorn workers ---------------------------------------------------------------


def test_twenty_parallel_redeems_of_one_code_make_one_credential(app, racing_server, admin):
    app.config["SECRET_KEY"] = "loopback-test"  # the server's key: the code's HMAC must match
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    browsers = [Browser(racing_server).prime(ENROL) for _ in range(20)]
    results = burst([lambda b=b: b.post(ENROL, code=kiosks.shown_code(code)) for b in browsers])
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1 and statuses.count(200) == 19, statuses
    assert all("đã được sử dụng" in body for status, body in results if status == 200)
    assert AuditLog.select().where(AuditLog.action == "kiosk.enrol").count() == 1
    winner = next(b for b, (status, _) in zip(browsers, results, strict=True) if status == 302)
    assert Kiosk.get_by_id(kiosk.id).token_hash == kiosks.token_hash(jar_credential(winner))
    assert winner.request("/kiosk")[0] == 200
    assert all(
        b.request("/kiosk")[0] == 302 and jar_credential(b) is None for b in browsers if b is not winner
    )


def jar_credential(browser):
    """The kiosk credential in a scripted browser's cookie jar, or None."""
    jar = next(h.cookiejar for h in browser.opener.handlers if hasattr(h, "cookiejar"))
    return next((c.value for c in jar if c.name == COOKIE), None)
