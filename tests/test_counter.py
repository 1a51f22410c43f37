"""The counter's answer online (vss/kiosk/counter.py and the kiosk's scanning page): every kind
of QR gets its verdict, what the registry says, the check-in, and the portrait when there is one."""

import re

import pytest

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
    assert "Khác dữ liệu BHXH" in html


def test_a_reissued_card_is_revoked_online_at_once(client, setting):
    card = holder()
    old = cards.issuance(card).qr_text
    cards.reissue(card)
    html = scan(client, old).get_data(as_text=True)
    assert "không còn giá trị" in html
    assert re.search(r'class="answer tone-bad"', html)
