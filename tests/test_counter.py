"""The counter's answer online (vss/kiosk/counter.py and the kiosk's scanning page): every kind
of QR gets its verdict, what the registry says, the check-in, and the portrait when there is one."""

import datetime as dt
import re

import pytest

from tests.conftest import get_gzip, wire_size
from tests.csrf import csrf
from tests.kiosk_helpers import enrolled_kiosk, holder, world
from vss.cards import cards
from vss.kiosk.checkins import CheckIn

SCAN = "/kiosk/quet"


@pytest.fixture
def setting(client):
    places = world()
    kiosk = enrolled_kiosk(client, places["admin"])
    return places, kiosk


def scan(client, text, key=None, htmx=False):
    data = {"csrf_token": csrf(client, "/kiosk"), "qr": text}
    if key:
        data["key"] = key
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(SCAN, data=data, headers=headers)


def test_a_signed_card_is_valid_and_checked_in(client, setting):
    card = holder()
    text = cards.issuance(card).qr_text
    response = scan(client, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "chữ ký số của BHXH hợp lệ" in html
    assert card.number in html and "4 (80%)" in html
    assert "Đúng nơi đăng ký KCB ban đầu" in html
    assert CheckIn.select().count() == 1
    again = scan(client, text, htmx=True)
    assert "cùng một lượt" in again.get_data(as_text=True)
    assert CheckIn.select().count() == 1
    assert "<html" not in again.get_data(as_text=True)


def test_an_unreadable_scan_records_nothing(client, setting):
    response = scan(client, "")
    assert response.status_code == 422
    assert CheckIn.select().count() == 0


def test_a_cccd_finds_the_card(client, setting):
    card = holder()
    person = card.person
    text = f"{person.cccd}||{person.full_name}|17051990|Nam|Hà Nội|01012021"
    response = scan(client, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert card.number in html and "Khớp với dữ liệu BHXH" in html
    assert CheckIn.select().count() == 1


def test_an_unsigned_paper_card_is_checked_against_the_registry(client, setting):
    card = holder()
    fields = cards.card_fields(card)
    text = "|".join(fields + ["4e2d-1234"]) + "|$"
    response = scan(client, text)
    html = response.get_data(as_text=True)
    assert "Không có chữ ký số" in html and "Khớp với dữ liệu BHXH" in html
    fields[1] = "Trần Văn B".encode().hex()
    html = scan(client, "|".join(fields + ["4e2d-1234"]) + "|$").get_data(as_text=True)
    assert "Mã QR khác dữ liệu BHXH (họ tên)" in html and "tone-bad" in html
    assert "Nguyễn Văn An" in html and "Trần Văn B" not in html  # the registry's rows, not the QR's


def test_a_reissued_card_is_revoked_online_at_once(client, setting):
    card = holder()
    old = cards.issuance(card).qr_text
    cards.reissue(card)
    html = scan(client, old).get_data(as_text=True)
    assert "không còn giá trị" in html
    assert re.search(r'class="answer tone-bad"', html)


def test_the_page_and_the_answer_stay_within_their_budgets(client, setting):
    page = get_gzip(client, "/kiosk")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert wire_size(page) <= 12 * 1024, wire_size(page)  # the kiosk page, without its scripts
    card = holder()
    answer = client.post(
        SCAN,
        data={"csrf_token": csrf(client, "/kiosk"), "qr": cards.issuance(card).qr_text},
        headers={"HX-Request": "true", "Accept-Encoding": "gzip"},
    )
    assert answer.status_code == 200 and wire_size(answer) <= 4 * 1024, wire_size(answer)
    print(f"kiosk page {wire_size(page)} B, answer fragment {wire_size(answer)} B compressed")


def test_the_portrait_is_this_kiosks_for_a_moment_only(client, setting, app):
    from tests.staff_helpers import make_dossier
    from vss.core import clock
    from vss.dossiers import drafts
    from vss.dossiers.vocabulary import APPROVED

    places, _kiosk = setting
    card = holder()
    dossier = make_dossier(places["places"]["001"], status=APPROVED, bhxh_code=card.person.bhxh_code)
    drafts.Photo.create(dossier=dossier, kind="chan_dung", content=b"\xff\xd8portrait", width=300, height=400)
    html = scan(client, cards.issuance(card).qr_text).get_data(as_text=True)
    url = re.search(r'class="portrait" src="([^"]+)"', html).group(1)
    assert client.get(url).data == b"\xff\xd8portrait"
    other = app.test_client()
    enrolled_kiosk(other, places["admin"], facility="01001", name="Quầy 2")
    assert other.get(url).status_code == 404  # another kiosk
    clock.travel(dt.timedelta(minutes=31))
    try:
        assert client.get(url).status_code == 404  # later
    finally:
        clock.reset()


def test_a_queued_check_in_is_judged_by_vss_not_by_the_kiosk(client, setting):
    card = holder()
    signed = cards.issuance(card).qr_text
    parts = signed[:-2].split("|")
    forged = "|".join([parts[0], "Trần Văn Giả".encode().hex(), *parts[2:]]) + "|$"
    token = csrf(client, "/kiosk")
    body = {
        "key": "queued-0000000000000001",
        "qr": forged,
        "card_number": card.number,
        "bhxh_code": card.person.bhxh_code,
        "status": "valid",  # what a lying (or out-of-date) kiosk claims
        "scanned_at": "2026-12-03T01:00:00Z",
        "offline": True,
    }
    from vss.core import clock

    clock.travel(dt.datetime(2026, 12, 3, 1, 5) - clock.utcnow())
    try:
        response = client.post("/kiosk/tiep-nhan", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 201, response.get_json()
        row = CheckIn.get_by_id(response.get_json()["id"])
        assert (row.status, row.offline) == ("tampered", True)
        junk = dict(body, key="queued-0000000000000002", qr="rác")
        refused = client.post("/kiosk/tiep-nhan", json=junk, headers={"X-CSRFToken": token})
        assert refused.status_code == 422 and CheckIn.select().count() == 1
        # Without its QR a check-in is the kiosk's word only: recorded as unverified, whatever it claims.
        other = holder("0198765433")
        lie = dict(body, key="queued-0000000000000003", qr="", card_number=other.number, bhxh_code="")
        answer = client.post("/kiosk/tiep-nhan", json=lie, headers={"X-CSRFToken": token}).get_json()
        assert CheckIn.get_by_id(answer["id"]).status == "unverified"
    finally:
        clock.reset()


def test_a_cccd_number_alone_shows_nothing(client, setting):
    card = holder()
    person = card.person
    impostor = f"{person.cccd}||Kẻ Mạo Danh|01011990|Nam|Số 1 phố Giả|01012020"
    html = scan(client, impostor).get_data(as_text=True)
    assert "không khớp dữ liệu BHXH" in html and "tone-bad" in html
    assert card.number not in html and person.full_name not in html
    assert CheckIn.select().count() == 0


def test_a_forged_paper_card_shows_the_registrys_card(client, setting):
    card = holder()
    fields = cards.card_fields(card)
    fields[0] = "DN1" + fields[0][3:]  # level 1 (100 %) claimed
    fields[7] = "31/12/2030"
    html = scan(client, "|".join(fields + ["abcd-1234"]) + "|$").get_data(as_text=True)
    assert "tone-bad" in html and "4 (80%)" in html and "31/12/2026" in html
    assert "số thẻ, mức hưởng, hạn thẻ" in html
    row = CheckIn.get()
    assert not row.confirmed and client.get(f"/kiosk/anh/{row.id}.jpg").status_code == 404


def test_a_key_of_another_visit_is_not_this_one(client, setting):
    first, second = holder("0198765432"), holder("0198765433")
    key = "reused-key-000000000001"
    scan(client, cards.issuance(first).qr_text, key=key)
    html = scan(client, cards.issuance(second).qr_text, key=key).get_data(as_text=True)
    assert "đã được dùng cho một lượt khác" in html
    assert CheckIn.select().count() == 1


def test_json_nested_too_deep_is_refused(client, setting):
    token = csrf(client, "/kiosk")
    response = client.post(
        "/kiosk/tiep-nhan",
        data="[" * 5000 + "]" * 5000,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
