"""Check-ins (vss/kiosk/checkins.py), called directly: one per visit (the same key, or the same
card at the same facility within minutes), bad input refused; and what the citizen sees of them
in "Sổ khám chữa bệnh": an open visit until the facility's record arrives, and where the card
was used."""

import datetime as dt
import re

import pytest

from tests.conftest import get_gzip, html_of, wire_size
from tests.kiosk_helpers import holder, key, world
from tests.signin_helpers import last_code as code_of
from tests.signin_helpers import make_account, post, sign_in
from vss.core import clock
from vss.core.clock import utcnow
from vss.core.errors import UserError
from vss.kiosk import checkins, kiosks
from vss.kiosk.checkins import CheckIn
from vss.registry.directory import Facility
from vss.registry.registry import MedicalVisit

VISITS = "/tai-khoan/kham-chua-benh"


@pytest.fixture
def site(app):
    return world()


def kiosk_at(admin, facility="01065", name="Quầy 1"):
    kiosk, code = kiosks.enrol(admin, facility, name)
    kiosks.redeem(code, client=f"10.1.0.{kiosk.id}")
    return kiosks.Kiosk.select(kiosks.Kiosk, Facility).join(Facility).where(kiosks.Kiosk.id == kiosk.id).get()


@pytest.fixture
def kiosk(site):
    return kiosk_at(site["admin"])


@pytest.fixture
def card(site):
    return holder()


def scan(kiosk, card, when=None, key_=None, **fields):
    values = {
        "card_number": card.number,
        "bhxh_code": card.person.bhxh_code,
        "status": "valid",
        "scanned_at": when or utcnow(),
        "key": key_ or key(),
    }
    values.update(fields)
    return checkins.record(kiosk, **values)


def test_a_check_in_is_recorded_with_its_kiosk_facility_card_and_person(kiosk, card):
    scanned = utcnow() - dt.timedelta(minutes=3)
    checkin, created = scan(kiosk, card, scanned, offline=True)
    assert created
    row = CheckIn.get_by_id(checkin.id)
    assert (row.kiosk_id, row.facility_id, row.card_number, row.bhxh_code, row.person_id) == (
        kiosk.id,
        kiosk.facility_id,
        card.number,
        card.person.bhxh_code,
        card.person_id,
    )
    assert (row.status, row.scanned_at, row.offline) == ("valid", scanned, True)
    assert abs(row.recorded_at - utcnow()) < dt.timedelta(seconds=5)


def test_the_same_key_is_the_same_check_in(kiosk, card):
    first, created = scan(kiosk, card, key_="5b0f8a2e-1c1d-4c2b-9a55-0f3d2c1b0a99")
    again, again_created = scan(
        kiosk, card, utcnow() + dt.timedelta(minutes=1), key_="5b0f8a2e-1c1d-4c2b-9a55-0f3d2c1b0a99"
    )
    assert created and not again_created and again.id == first.id
    assert CheckIn.select().count() == 1


def test_a_second_scan_of_the_card_within_minutes_is_the_same_visit(site, kiosk, card):
    start = utcnow() - dt.timedelta(hours=1)
    first, _ = scan(kiosk, card, start)
    other_counter = kiosk_at(site["admin"], name="Quầy 2")  # the same facility, another counter
    for minutes in (0, 5, checkins.SAME_VISIT_MINUTES, -checkins.SAME_VISIT_MINUTES):
        same, created = scan(other_counter, card, start + dt.timedelta(minutes=minutes))
        assert (same.id, created) == (first.id, False), minutes
    new_number = f"HT301{card.person.bhxh_code}"  # another card of the same person is the same visit
    assert scan(kiosk, card, start + dt.timedelta(minutes=2), card_number=new_number)[0].id == first.id
    later, created = scan(kiosk, card, start + dt.timedelta(minutes=checkins.SAME_VISIT_MINUTES + 1))
    assert created and later.id != first.id
    elsewhere, created = scan(kiosk_at(site["admin"], "01001"), card, start)
    assert created and elsewhere.facility.code == "01001"
    assert CheckIn.select().count() == 3


def test_a_new_card_s_number_is_its_bhxh_code(kiosk, card):
    checkin, _ = scan(kiosk, card, card_number=card.person.bhxh_code, bhxh_code="")
    assert (checkin.card_number, checkin.bhxh_code) == (card.person.bhxh_code, card.person.bhxh_code)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"key": "short"}, "key", "bad_key"),
        ({"key": "x" * 65}, "key", "bad_key"),
        ({"key": "'; DROP TABLE check_in;--x"}, "key", "bad_key"),
        ({"key": None}, "key", "bad_key"),
        ({"status": "Valid!"}, "status", "bad_status"),
        ({"status": ""}, "status", "bad_status"),
        ({"card_number": "DN40112345"}, "card_number", "bad_card"),
        ({"card_number": "DN9019876543210"}, "card_number", "bad_card"),
        ({"card_number": "DN4010111111111"}, "card_number", "bad_card"),  # another code than bhxh_code
        ({"card_number": "", "bhxh_code": ""}, "card_number", "bad_card"),
        ({"card_number": "DN4010000000001", "bhxh_code": ""}, "card_number", "unknown_card"),
        ({"scanned_at": dt.timedelta(minutes=6)}, "scanned_at", "future"),
        ({"scanned_at": -dt.timedelta(days=7, minutes=1)}, "scanned_at", "too_old"),
    ],
)
def test_bad_input_is_refused_and_records_nothing(kiosk, card, fields, field, code):
    if isinstance(fields.get("scanned_at"), dt.timedelta):  # from now, when the test runs
        fields = {**fields, "scanned_at": utcnow() + fields["scanned_at"]}
    with pytest.raises(UserError) as caught:
        scan(kiosk, card, **fields)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert CheckIn.select().count() == 0


def test_a_clock_a_little_ahead_and_a_queue_a_few_days_old_are_accepted(kiosk, card):
    assert scan(kiosk, card, utcnow() + dt.timedelta(minutes=4))[1]
    assert scan(kiosk, card, utcnow() - dt.timedelta(days=6, hours=23))[1]


def test_another_kiosk_s_key_is_refused(site, kiosk, card):
    taken = key()
    scan(kiosk, card, key_=taken)
    other = kiosk_at(site["far_admin"], "79024")
    with pytest.raises(UserError) as caught:
        scan(other, card, key_=taken)
    assert caught.value.code == "key_taken"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03T08:15:00.000Z", dt.datetime(2026, 12, 3, 8, 15)),
        ("2026-12-03T15:15:00+07:00", dt.datetime(2026, 12, 3, 8, 15)),
        ("2026-12-03T08:15:00", None),  # no offset: whose clock?
        ("03/12/2026 08:15", None),
        ("1970-01-01T00:00:00Z", None),
        ("", None),
        (None, None),
        ("2026-13-01T00:00:00Z", None),
    ],
)
def test_times_are_iso_8601_with_their_offset(text, expected):
    assert checkins.parse_time(text) == expected


# --- what the citizen sees ------------------------------------------------------------------


def visit(person, facility, admitted_at):
    return MedicalVisit.create(
        person=person,
        card_number=f"DN401{person.bhxh_code}",
        facility=facility,
        admitted_at=admitted_at,
        discharged_at=admitted_at + dt.timedelta(hours=2),
        icd10="J06.9",
        diagnosis="Nhiễm trùng đường hô hấp trên cấp",
        total_cost=350000,
        fund_paid=280000,
        patient_paid=70000,
    )


def test_a_check_in_is_open_until_the_facility_records_a_visit_that_day_or_later(site, kiosk, card):
    person = card.person
    # 17:30 UTC is 00:30 the next day in Việt Nam: the visit must be admitted that Vietnamese day.
    scanned = (utcnow() - dt.timedelta(days=2)).replace(hour=17, minute=30, second=0, microsecond=0)
    checkin, _ = scan(kiosk, card, scanned)
    assert [c.id for c in checkins.for_person(person)[0]] == [checkin.id]
    visit(person, kiosk.facility, scanned - dt.timedelta(hours=1))  # 23:30 the evening before
    visit(person, Facility.get(Facility.code == "01001"), scanned + dt.timedelta(hours=1))  # elsewhere
    opened, used = checkins.for_person(person)
    assert [c.id for c in opened] == [checkin.id] and [c.id for c in used] == [checkin.id]
    visit(person, kiosk.facility, scanned - dt.timedelta(minutes=20))  # 00:10, the same day
    opened, used = checkins.for_person(person)
    assert opened == [] and [c.id for c in used] == [checkin.id]
    assert used[0].kiosk.name == "Quầy 1" and used[0].facility.code == "01065"


def _signed_in(client):
    account = make_account()
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=code_of())
    return account


def test_the_visit_book_shows_the_open_visit_and_where_the_card_was_used(site, kiosk, client):
    person = _signed_in(client).person
    from tests.factories import make_card

    card = make_card(person)
    scanned = utcnow() - dt.timedelta(minutes=20)
    scan(kiosk, card, scanned)
    html = client.get(VISITS).get_data(as_text=True)
    local = clock.to_vn(scanned)
    shown = f"{local:%d/%m/%Y %H:%M}"
    assert "đang khám" in html and "Đã tiếp nhận tại quầy Quầy 1 lúc " + shown in html
    assert "Thẻ của bạn đã được dùng ở đâu" in html and html.count(shown) == 2
    assert re.findall(r">(20\d\d)</a>", html) == [str(local.year)]  # its year has a tab of its own
    tab = client.get(f"{VISITS}?nam={local.year}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "đang khám" in tab and "<html" not in tab and "dùng ở đâu" not in tab
    visit(person, kiosk.facility, scanned)
    html = client.get(VISITS).get_data(as_text=True)
    assert (
        "đang khám" not in html and "Tổng chi phí" in html and "Trạm Y tế phường Hoàn Kiếm · Quầy 1" in html
    )


def test_the_visit_book_stays_in_budget_and_asks_two_queries_more(site, client, caplog):
    person = _signed_in(client).person
    from tests.factories import make_card

    card = make_card(person)
    before = _queries(client, caplog)
    counters = [
        kiosk_at(site["admin"], "01065" if n % 2 else "01001", f"Quầy tiếp đón số {n}") for n in range(4)
    ]
    for n in range(checkins.RECENT + 5):
        scan(counters[n % 4], card, utcnow() - dt.timedelta(hours=4 * n))
    after = _queries(client, caplog)
    assert after - before <= 1  # the card's check-ins (asked on every view) and their visits
    response = get_gzip(client, VISITS)
    assert html_of(response).count("Quầy tiếp đón số") == checkins.USES_SHOWN + html_of(response).count(
        "đang khám"
    )
    assert wire_size(response) <= 12 * 1024


def _queries(client, caplog):
    caplog.clear()
    with caplog.at_level("DEBUG", logger="peewee"):
        assert client.get(VISITS).status_code == 200
    # The page's own queries: not the stored page's (looked up before Flask, stored after drawing).
    return len([r for r in caplog.records if r.name == "peewee" and "record_" not in r.getMessage()])
