"""The kiosk's pages (vss/views/kiosk.py): its home, and check-ins — JSON from the kiosk's
offline queue (CSRF in X-CSRFToken), a plain form post with JavaScript off, and htmx — none lost,
none doubled, across gunicorn workers too (twenty parallel posts with one key, and with twenty
keys for one card, make one check-in), on SQLite and PostgreSQL."""

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest

from tests.concurrency import Browser, burst
from tests.csrf import csrf
from tests.kiosk_helpers import CHECK_IN, ENROL, enrolled_kiosk, holder, key, world
from vss.core.clock import utcnow
from vss.kiosk import kiosks
from vss.kiosk.checkins import CheckIn


@pytest.fixture
def site(app):
    return world()


@pytest.fixture
def card(site):
    return holder()


@pytest.fixture
def kiosk(client, site):
    return enrolled_kiosk(client, site["admin"])


def body(card, **fields):
    values = {
        "key": key(),
        "card_number": card.number,
        "bhxh_code": card.person.bhxh_code,
        "status": "valid",
        "scanned_at": utcnow().isoformat() + "Z",
    }
    values.update(fields)
    return values


def send(client, payload, token=None):
    token = token if token is not None else csrf(client, ENROL)
    return client.post(CHECK_IN, json=payload, headers={"X-CSRFToken": token})


def test_the_home_page_names_the_facility_and_the_counter(client, kiosk):
    html = client.get("/kiosk").get_data(as_text=True)
    assert "<h1" in html and "Trạm Y tế phường Hoàn Kiếm" in html and "Quầy 1" in html


def test_a_json_check_in_answers_its_id_and_is_idempotent(client, kiosk, card):
    payload = body(card, offline=True, scanned_at=(utcnow() - dt.timedelta(hours=2)).isoformat() + "+00:00")
    first = send(client, payload)
    assert first.status_code == 201 and first.headers["Cache-Control"] == "no-store"
    answer = first.get_json()
    assert set(answer) == {"id", "created", "recorded_at"} and answer["created"] is True
    assert answer["recorded_at"].endswith("Z") and dt.datetime.fromisoformat(answer["recorded_at"])
    row = CheckIn.get_by_id(answer["id"])
    assert row.offline and row.kiosk_id == kiosk.id and row.facility.code == "01065"
    again = send(client, payload)
    assert again.status_code == 200 and again.get_json() == {**answer, "created": False}
    same_visit = send(client, body(card, scanned_at=(utcnow() - dt.timedelta(hours=2)).isoformat() + "Z"))
    assert same_visit.get_json()["id"] == answer["id"] and CheckIn.select().count() == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"key": "x"}, "Mã lượt tiếp nhận không hợp lệ"),
        ({"key": 12345678901234567890}, "Mã lượt tiếp nhận không hợp lệ"),
        ({"card_number": ["DN"]}, "Số thẻ BHYT hoặc mã số BHXH không hợp lệ"),
        ({"card_number": "DN4010000000001", "bhxh_code": ""}, "Không tìm thấy thẻ BHYT này"),
        ({"status": None}, "Kết quả kiểm tra thẻ không hợp lệ"),
        ({"scanned_at": "hôm qua"}, "Thời điểm quét thẻ không hợp lệ"),
        ({"scanned_at": "2026-12-03T08:15:00"}, "Thời điểm quét thẻ không hợp lệ"),
        ({"scanned_at": "2001-01-01T00:00:00Z"}, "quá 7 ngày"),
        ({"scanned_at": "2100-01-01T00:00:00Z"}, "ở tương lai"),
        ({"key": "\x00" * 20}, "ký tự không hợp lệ"),
    ],
)
def test_bad_json_is_a_422_with_the_reason_and_records_nothing(client, kiosk, card, payload, message):
    response = send(client, body(card, **payload))
    assert response.status_code == 422 and message in response.get_json()["error"], response.get_json()
    assert CheckIn.select().count() == 0


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", "{", "1e999"])
def test_json_that_is_not_an_object_is_a_422(client, kiosk, raw):
    response = client.post(
        CHECK_IN, data=raw, content_type="application/json", headers={"X-CSRFToken": csrf(client, ENROL)}
    )
    assert response.status_code == 422 and CheckIn.select().count() == 0


def test_json_without_its_csrf_token_is_refused(client, kiosk, card):
    assert send(client, body(card), token="").status_code == 400
    assert send(client, body(card), token="forged").status_code == 400
    assert CheckIn.select().count() == 0


def test_no_kiosk_no_check_in(app, site, card):
    stranger = app.test_client()
    assert send(stranger, body(card)).status_code == 401
    form = stranger.post(CHECK_IN, data={"csrf_token": csrf(stranger, ENROL), **body(card)})
    assert form.headers["Location"] == "/kiosk/ghi-danh" and CheckIn.select().count() == 0


def test_a_plain_form_post_goes_back_to_the_counter_with_a_message(client, kiosk, card):
    token = csrf(client, ENROL)
    fields = {"csrf_token": token, **body(card)}
    fields.pop("scanned_at")  # a form without JavaScript: the server's clock
    response = client.post(CHECK_IN, data=fields)
    assert response.headers["Location"] == "/kiosk"
    assert "Đã tiếp nhận." in client.get("/kiosk").get_data(as_text=True)
    assert client.post(CHECK_IN, data={**fields, "key": key()}).headers["Location"] == "/kiosk"
    assert "Thẻ này vừa được tiếp nhận." in client.get("/kiosk").get_data(as_text=True)
    bad = client.post(CHECK_IN, data={**fields, "key": key(), "card_number": "nonsense"})
    assert bad.headers["Location"] == "/kiosk"
    assert "Số thẻ BHYT hoặc mã số BHXH không hợp lệ" in client.get("/kiosk").get_data(as_text=True)
    assert CheckIn.select().count() == 1


def test_htmx_gets_the_message_line_alone(client, kiosk, card):
    token = csrf(client, ENROL)
    response = client.post(CHECK_IN, data=body(card), headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith(
        '<p class="flash message" role="status">Đã tiếp nhận.'
    )
    bad = client.post(
        CHECK_IN, data=body(card, key="x"), headers={"HX-Request": "true", "X-CSRFToken": token}
    ).get_data(as_text=True)
    assert 'role="alert"' in bad and "Mã lượt tiếp nhận không hợp lệ" in bad and "<html" not in bad
    assert CheckIn.select().count() == 1


# --- across gunicorn workers ---------------------------------------------------------------


def post_json(browser, payload):
    """The kiosk's script: JSON with the page's CSRF token in X-CSRFToken."""
    request = urllib.request.Request(
        browser.base + CHECK_IN,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": browser.token},
    )
    try:
        with browser.opener.open(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def kiosk_browser(server, admin, name):
    _, code = kiosks.enrol(admin, "01065", name)
    browser = Browser(server).prime(ENROL)
    assert browser.post(ENROL, code=kiosks.shown_code(code))[0] == 302
    return browser


def test_check_ins_hold_under_races_across_workers(app, racing_server, site, card):
    app.config["SECRET_KEY"] = "loopback-test"  # the server's key: the codes' HMACs must match
    first = kiosk_browser(racing_server, site["admin"], "Quầy 1")
    second = kiosk_browser(racing_server, site["admin"], "Quầy 2")
    payload = body(card)
    results = burst([lambda b=b: post_json(b, payload) for b in [first] * 20])
    assert {status for status, _ in results} <= {200, 201}, results
    assert [status for status, _ in results].count(201) == 1
    assert len({answer["id"] for _, answer in results}) == 1 and CheckIn.select().count() == 1
    CheckIn.delete().execute()
    later = (utcnow() - dt.timedelta(hours=1)).isoformat() + "Z"
    results = burst(
        [lambda n=n: post_json((first, second)[n % 2], body(card, scanned_at=later)) for n in range(20)]
    )
    assert [status for status, _ in results].count(201) == 1, results
    assert len({answer["id"] for _, answer in results}) == 1 and CheckIn.select().count() == 1
