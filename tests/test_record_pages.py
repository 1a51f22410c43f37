"""The stored record pages (vss.views.record_pages, vss.web.record_pages): a repeat plain view of a
citizen's read-only page is answered before Flask, and only while it is exactly what Flask would
draw now — every write to what the page reads draws it again (database triggers, migration 0019),
as do another language, the next minute or midnight when the page shows them, another session's
CSRF token, and nobody is ever answered with another citizen's page."""

import datetime as dt
import re

import pytest
from flask import request_started

from tests.conftest import PG_URL, html_of
from tests.factories import make_card, make_person
from tests.kiosk_helpers import key, world
from tests.signin_helpers import PHONE, last_code, make_account, post, sign_in
from vss.core import clock
from vss.core.clock import utcnow
from vss.core.db import db
from vss.identity import passwords
from vss.identity.accounts import Account, hash_password
from vss.kiosk import checkins, kiosks
from vss.messages import notify
from vss.messages.outbox import Outbox
from vss.registry.directory import Employer, Facility
from vss.registry.registry import Benefit, HealthCard, MedicalVisit, ParticipationPeriod, Person
from vss.requests.changes import ChangeRequest
from vss.web import record_pages

pytestmark = pytest.mark.usefixtures("fresh_window")

HOME, CHANGE, CARD = "/tai-khoan", "/tai-khoan/yeu-cau-thay-doi", "/tai-khoan/the-bhyt"
HISTORY, BENEFITS = "/tai-khoan/qua-trinh", "/tai-khoan/thong-tin-huong"
VISITS, MESSAGES = "/tai-khoan/kham-chua-benh", "/tai-khoan/thong-bao"


def _records(person, site):
    """A card, a period with its employer, a benefit, a visit and a check-in at a kiosk."""
    card = make_card(person)
    employer, _ = Employer.get_or_create(
        code="TA0001A", defaults={"name": "TRUNG TÂM CÔNG NGHỆ THÔNG TIN", "province_code": 1}
    )
    ParticipationPeriod.create(
        person=person,
        scheme="BHXH",
        from_month=dt.date(2020, 1, 1),
        to_month=dt.date(2021, 6, 1),
        employer=employer,
        position="Chuyên viên",
        workplace="Hà Nội",
        salary=5453400,
    )
    Benefit.create(
        person=person,
        kind="mot_lan",
        regime="Một lần",
        from_date=dt.date(2015, 1, 1),
        amount=1000,
        unit_name="X",
    )
    MedicalVisit.create(
        person=person,
        card_number=card.number,
        facility=Facility.get(code="01065"),
        admitted_at=dt.datetime(2026, 3, 2, 8, 0),
        discharged_at=dt.datetime(2026, 3, 2, 10, 0),
        icd10="J06.9",
        diagnosis="Cảm",
        total_cost=350000,
        fund_paid=280000,
        patient_paid=70000,
    )
    kiosk, code = kiosks.enrol(site["admin"], "01001", "Quầy 1")
    kiosks.redeem(code, client="10.1.0.9")
    checkins.record(
        kiosks.Kiosk.get_by_id(kiosk.id),
        card_number=card.number,
        bhxh_code=person.bhxh_code,
        status="valid",
        scanned_at=utcnow() - dt.timedelta(minutes=5),
        key=key(),
    )
    return card


@pytest.fixture
def site(app):
    return world()


@pytest.fixture
def citizen(site, client):
    account = make_account()
    _records(account.person, site)
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    _message(account.person)
    client.get(HOME)  # the first page after signing in puts the CSRF token in the cookie
    record_pages.RecordPage.delete().execute()
    return account


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask (a stored page is answered before it)."""
    seen = []
    with request_started.connected_to(lambda sender, **extra: seen.append(1), app):
        yield seen


def _period():
    return f"{HISTORY}/{ParticipationPeriod.get().id}"


def _pages():
    return [HOME, CHANGE, CARD, HISTORY, _period(), BENEFITS, VISITS, MESSAGES]


def test_every_page_is_stored_and_then_answered_before_flask(citizen, client, flask_requests):
    for path in _pages():
        seen = len(flask_requests)
        drawn = client.get(path, headers={"Accept-Encoding": "gzip"})
        again = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert drawn.status_code == again.status_code == 200 and len(flask_requests) == seen + 1, path
        assert html_of(again) == html_of(drawn) and "Set-Cookie" not in again.headers
        plain = client.get(path)  # no gzip offered: the same page
        assert "Content-Encoding" not in plain.headers and plain.get_data() == html_of(drawn).encode()
    assert record_pages.RecordPage.select().count() == 8


POLICY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Strict-Transport-Security",
    "Cache-Control",
    "Vary",
    "Content-Type",
    "Content-Encoding",
)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_stored_page_has_the_headers_flask_gives_it(citizen, client, flask_requests, scheme):
    base = {"base_url": f"{scheme}://localhost", "headers": {"Accept-Encoding": "gzip"}}
    drawn, stored = client.get(VISITS, **base), client.get(VISITS, **base)
    assert len(flask_requests) == 1
    for name in POLICY_HEADERS:
        assert stored.headers.get(name) == drawn.headers.get(name), name
    assert stored.headers["Cache-Control"] == "no-store"


def _tables(statements):
    """The tables a list of SQL statements read."""
    return {name for sql in statements for name in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?(?![."\w])', sql)}


def _watched():
    """Tables that have a trigger raising record_revision."""
    if PG_URL:
        sql = (
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE '%%record_revision%%'"
        )
    else:
        sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%record_revision%'"
    return {name for (name,) in db.obj.execute_sql(sql).fetchall()}


def test_each_stored_page_reads_only_what_triggers_watch(citizen, client, caplog):
    watched = _watched()
    assert {"person", "account", "check_in", "kiosk", "outbox", "facility", "employer"} <= watched
    for path in _pages():
        caplog.clear()
        with caplog.at_level("DEBUG", logger="peewee"):
            assert client.get(path).status_code == 200  # drawn by Flask (nothing stored yet)
        statements = [r.getMessage() for r in caplog.records if r.name == "peewee"]
        assert any('INSERT INTO "record_page"' in sql for sql in statements), path
        read = _tables(statements) - {"record_page", "record_revision"}
        # The session is judged again on every answer; the page shows nothing of it (bound only).
        assert read - {"citizen_session"} <= watched, (path, read - watched)


def _rename(person):
    Person.update(full_name="Nguyễn Thị Hoà").where(Person.id == person.id).execute()


def _new_phone(person):
    Account.update(phone="0987654321").where(Account.person == person.id).execute()


def _request(person):
    account = Account.get(Account.person == person.id)
    ChangeRequest.create(
        account=account, office_province=1, field="phone", old_value=PHONE, new_value="0987000111"
    )


def _extend(person):
    HealthCard.update(valid_to=dt.date(2031, 12, 31)).where(HealthCard.person == person.id).execute()


def _rename_facility(person):
    Facility.update(name="Bệnh viện Đa khoa Hoàn Kiếm").where(Facility.code == "01065").execute()


def _rename_card_facility(person):
    Facility.update(name="Bệnh viện Đa khoa Hoàn Kiếm").where(
        Facility.id == HealthCard.get(HealthCard.person == person.id).facility_id
    ).execute()


def _position(person):
    ParticipationPeriod.update(position="Trưởng phòng").where(
        ParticipationPeriod.person == person.id
    ).execute()


def _new_period(person):
    ParticipationPeriod.create(
        person=person,
        scheme="BHXH",
        from_month=dt.date(2024, 1, 1),
        to_month=dt.date(2024, 2, 1),
        position="Thợ máy",
        salary=1,
    )


def _rename_employer(person):
    Employer.update(name="CÔNG TY CỔ PHẦN MỚI").execute()


def _benefit(person):
    Benefit.create(
        person=person,
        kind="mot_lan",
        regime="Trợ cấp mới",
        from_date=dt.date(2016, 1, 1),
        amount=2,
        unit_name="Y",
    )


def _visit(person):
    MedicalVisit.create(
        person=person,
        card_number="DN4010123456789",
        facility=Facility.get(code="01065"),
        admitted_at=dt.datetime(2026, 4, 2, 8, 0),
        discharged_at=dt.datetime(2026, 4, 2, 10, 0),
        icd10="K29.7",
        diagnosis="Viêm dạ dày",
        total_cost=1,
        fund_paid=1,
        patient_paid=0,
    )


def _forget_visit(person):
    MedicalVisit.delete().where(MedicalVisit.person == person.id).execute()


def _check_in(person):
    card = HealthCard.get(HealthCard.person == person.id)
    kiosk = kiosks.Kiosk.get()
    checkins.record(
        kiosk,
        card_number=card.number,
        bhxh_code=person.bhxh_code,
        status="valid",
        scanned_at=utcnow() - dt.timedelta(days=2),
        key=key(),
    )


def _rename_kiosk(person):
    kiosks.Kiosk.update(name="Quầy tiếp đón B").execute()


def _message(person):
    notify.sms(PHONE, "new_device", person=person.id, username="0123456789")


def _purge(person):
    Outbox.delete().execute()


def _registry_loaded(person):
    from vss.registry import registry

    registry.loaded(dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    "path, change, shown",
    [
        (HOME, _rename, "Nguyễn Thị Hoà"),
        (CARD, _rename, "Nguyễn Thị Hoà"),
        (HOME, _new_phone, "0987654321"),
        (HOME, _request, None),
        (CARD, _extend, "31/12/2031"),
        (CARD, _rename_card_facility, "Bệnh viện Đa khoa Hoàn Kiếm"),
        (HISTORY, _position, "Trưởng phòng"),
        (HISTORY, _new_period, "Thợ máy"),
        (HISTORY, _rename_employer, "CÔNG TY CỔ PHẦN MỚI"),
        ("period", _rename_employer, "CÔNG TY CỔ PHẦN MỚI"),
        ("period", _position, "Trưởng phòng"),
        (BENEFITS, _benefit, "Trợ cấp mới"),
        (VISITS, _visit, "Viêm dạ dày"),
        (VISITS, _forget_visit, None),
        (VISITS, _rename_facility, "Bệnh viện Đa khoa Hoàn Kiếm"),
        (VISITS, _check_in, None),
        (VISITS, _rename_kiosk, "Quầy tiếp đón B"),
        (MESSAGES, _message, None),
        (MESSAGES, _purge, "Chưa có thông báo nào."),
        (HISTORY, _registry_loaded, "Dữ liệu tính đến 30/11/2026"),
        (BENEFITS, _registry_loaded, "Dữ liệu tính đến 30/11/2026"),
        (VISITS, _registry_loaded, "Dữ liệu tính đến 30/11/2026"),
        (CARD, _registry_loaded, "Dữ liệu tính đến 30/11/2026"),
        ("period", _registry_loaded, "Dữ liệu tính đến 30/11/2026"),
    ],
)
def test_a_write_to_what_a_page_shows_draws_it_again(citizen, client, flask_requests, path, change, shown):
    path = _period() if path == "period" else path
    old = client.get(path).get_data(as_text=True)
    assert client.get(path).get_data(as_text=True) == old and len(flask_requests) == 1
    change(citizen.person)
    new = client.get(path).get_data(as_text=True)
    assert len(flask_requests) == 2 and new != old
    assert shown is None or (shown in new and shown not in old)
    assert client.get(path).get_data(as_text=True) == new and len(flask_requests) == 2  # stored again


def test_writes_that_change_nothing_shown_leave_the_stored_pages(citizen, client, flask_requests, site):
    _message(citizen.person)
    for path in _pages():
        client.get(path)
    seen = len(flask_requests)
    # A message's delivery, a kiosk's heartbeat, another person's records.
    Outbox.update(attempts=Outbox.attempts + 1, status="sent").execute()
    kiosks.Kiosk.update(last_seen_at=utcnow()).execute()
    stranger = make_person(bhxh_code="0198765432", full_name="Trần Văn Bình")
    _records(stranger, site)
    _rename(stranger)
    for path in _pages():
        assert client.get(path).status_code == 200
    assert len(flask_requests) == seen


def _second_citizen(app, site):
    person = make_person(bhxh_code="0198765432", full_name="Trần Văn Bình")
    _records(person, site)
    Account.create(
        person=person,
        username="0198765432",
        password_hash=hash_password("Binh@2026vss"),
        phone="0911111111",
        must_change_password=False,
    )
    other = app.test_client()
    sign_in(other, username="0198765432", password="Binh@2026vss")
    post(other, "/dang-nhap/ma-xac-thuc", code=last_code("0911111111"))
    assert "Trần Văn Bình" in other.get(HOME).get_data(as_text=True)
    return other


def test_no_citizen_is_answered_with_another_ones_page(app, citizen, client, site, flask_requests):
    other = _second_citizen(app, site)
    for path in (HOME, CARD, HISTORY, VISITS, MESSAGES, BENEFITS):
        for _ in range(2):
            mine, theirs = client.get(path).get_data(as_text=True), other.get(path).get_data(as_text=True)
            if path in (HOME, CARD):
                assert "Nguyễn Thị Hoa" in mine and "Trần Văn Bình" in theirs
            assert mine != theirs and "Trần Văn Bình" not in mine and "Nguyễn Thị Hoa" not in theirs
    # The other citizen's period is a 404 for this one, stored or not.
    theirs = ParticipationPeriod.get(ParticipationPeriod.person != citizen.person_id).id
    assert other.get(f"{HISTORY}/{theirs}").status_code == 200
    assert client.get(f"{HISTORY}/{theirs}").status_code == 404


def test_each_language_is_drawn_and_stored_apart(citizen, client, flask_requests):
    vi = client.get(BENEFITS).get_data(as_text=True)
    client.get("/ngon-ngu/en")
    en = client.get(BENEFITS).get_data(as_text=True)
    assert 'lang="en"' in en and 'lang="vi"' in vi and len(flask_requests) == 3  # the switch is one
    assert client.get(BENEFITS).get_data(as_text=True) == en
    client.get("/ngon-ngu/vi")
    assert client.get(BENEFITS).get_data(as_text=True) == vi and len(flask_requests) == 4


def test_a_page_is_drawn_again_after_midnight_in_vietnam(citizen, client, flask_requests):
    now = clock.vn_now()
    to_midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo) - now
    clock.travel(to_midnight - dt.timedelta(seconds=2))
    client.get(HISTORY)
    client.get(HISTORY)
    assert len(flask_requests) == 1
    clock.travel(dt.timedelta(seconds=3))
    client.get(HISTORY)
    assert len(flask_requests) == 2


def test_the_card_data_page_shows_the_minute_it_is_asked(citizen, client, flask_requests):
    clock.travel(dt.timedelta(seconds=60 - clock.vn_now().second + 1))  # early in a minute
    first = client.get(CARD).get_data(as_text=True)
    assert client.get(CARD).get_data(as_text=True) == first and len(flask_requests) == 1
    clock.travel(dt.timedelta(minutes=1))
    later = client.get(CARD).get_data(as_text=True)
    assert len(flask_requests) == 2 and clock.vn_now().strftime("%H:%M %d/%m/%Y") in later


def test_the_home_page_warns_of_an_old_password_when_it_becomes_old(citizen, client, flask_requests):
    almost = utcnow() - dt.timedelta(days=passwords.MAX_AGE_DAYS, seconds=-5)
    Account.update(password_changed_at=almost).where(Account.id == citizen.id).execute()
    assert "Mật khẩu của bạn đã dùng hơn 6 tháng" not in client.get(HOME).get_data(as_text=True)
    client.get(HOME)
    assert len(flask_requests) == 1
    clock.travel(dt.timedelta(seconds=6))
    assert "Mật khẩu của bạn đã dùng hơn 6 tháng" in client.get(HOME).get_data(as_text=True)
    assert len(flask_requests) == 2


def test_a_stored_form_carries_this_sessions_token(app, citizen, client, flask_requests):
    client.get(HOME)
    page = client.get(HOME).get_data(as_text=True)  # stored
    assert len(flask_requests) == 1
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 302  # signed out
    assert client.get(HOME).headers["Location"] == "/dang-nhap"
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    client.get(HOME)
    fresh = client.get(HOME).get_data(as_text=True)
    assert re.search(r'name="csrf_token" value="([^"]+)"', fresh).group(1) != token


@pytest.mark.parametrize(
    "ask",
    [
        lambda client: client.get(HISTORY + "?bh=BHYT"),
        lambda client: client.get(HISTORY, headers={"HX-Request": "true"}),
    ],
)
def test_only_plain_views_are_stored_and_answered(citizen, client, flask_requests, ask):
    ask(client)
    assert record_pages.RecordPage.select().count() == 0
    client.get(HISTORY)
    ask(client)
    assert record_pages.RecordPage.select().count() == 1 and len(flask_requests) == 3


def test_a_shared_computer_and_a_waiting_message_go_to_flask(app, citizen, site, client, flask_requests):
    shared = app.test_client()
    sign_in(shared, shared=True)
    post(shared, "/dang-nhap/ma-xac-thuc", code=last_code())
    shared.get(HOME)
    shared.get(HOME)
    assert record_pages.RecordPage.select().count() == 0
    with shared.session_transaction() as state:
        state["_flashes"] = [("message", "Đã lưu.")]
    assert "Đã lưu." in shared.get(HOME).get_data(as_text=True)


def test_another_client_on_the_same_cookie_is_judged_by_flask_login(app, citizen, client, flask_requests):
    client.get(HOME)
    client.get(HOME)
    assert len(flask_requests) == 1
    moved = {"REMOTE_ADDR": "10.9.9.9"}
    answer = client.get(HOME, environ_base=moved)  # Flask-Login marks the session not fresh
    assert len(flask_requests) == 2 and "Set-Cookie" in answer.headers
    client.get(HOME, environ_base=moved)
    client.get(HOME, environ_base={**moved, "HTTP_USER_AGENT": "Khác"})  # not fresh already: same page
    assert len(flask_requests) == 2
