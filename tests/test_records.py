"""The citizen's own records: card page with the signed QR, history tabs and totals, benefits,
medical visits, messages, change requests — and nobody else's."""

import datetime as dt
import re

import pytest
from flask import request_started

from tests.conftest import get_gzip, html_of, wire_size
from tests.factories import make_card, make_person
from tests.signin_helpers import PASSWORD, make_account, post, sign_in
from tests.signin_helpers import last_code as code_of
from vss.cards import cards, records, stored_page
from vss.core import clock
from vss.identity import sessions
from vss.registry.directory import Employer, Facility
from vss.registry.registry import Benefit, MedicalVisit, ParticipationPeriod
from vss.requests.changes import ChangeRequest
from vss.views.auth import TAKEN_OVER

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

M = dt.date
CARD_IMAGE = "/tai-khoan/the-bhyt/xem"


@pytest.fixture
def citizen(app, client):
    account = make_account()
    person = account.person
    make_card(person)
    employer = Employer.create(code="TA0001A", name="TRUNG TÂM CÔNG NGHỆ THÔNG TIN", province_code=1)
    for n in range(25):
        ParticipationPeriod.create(
            person=person,
            scheme="BHXH",
            from_month=M(2000 + n % 20, 1 + n % 12, 1),
            to_month=M(2000 + n % 20, 1 + n % 12, 1),
            employer=employer,
            position="Chuyên viên",
            workplace="150 Phố Vọng - Thanh Xuân - Hà Nội",
            salary=5453400,
            coefficient="3.66",
        )
    Benefit.create(
        person=person,
        kind="ods",
        regime="Sinh con",
        from_date=M(2014, 9, 15),
        to_date=M(2015, 3, 14),
        amount=18423000,
        unit_name="Trung tâm Thông tin - BHXH VN",
    )
    MedicalVisit.create(
        person=person,
        card_number=f"DN401{person.bhxh_code}",
        facility=Facility.get(),
        admitted_at=dt.datetime(2026, 3, 2, 8, 0),
        discharged_at=dt.datetime(2026, 3, 2, 10, 0),
        icd10="J06.9",
        diagnosis="Nhiễm trùng đường hô hấp trên cấp",
        total_cost=350000,
        fund_paid=280000,
        patient_paid=70000,
    )
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=code_of())
    return account


def test_totals_merge_overlaps_and_gaps():
    assert records.total_months([(M(2020, 2, 1), M(2020, 9, 1))]) == 8
    assert records.total_months([(M(2020, 1, 1), M(2020, 6, 1)), (M(2020, 4, 1), M(2020, 12, 1))]) == 12
    assert records.total_months([(M(2019, 12, 1), M(2019, 12, 1)), (M(2020, 1, 1), M(2020, 1, 1))]) == 2
    assert records.total_months([(M(2010, 1, 1), M(2010, 3, 1)), (M(2012, 1, 1), M(2012, 1, 1))]) == 4
    assert records.total_months([(M(2010, 1, 1), M(2021, 2, 1)), (M(2015, 5, 1), M(2016, 1, 1))]) == 134
    assert records.years_months(146) == "12 năm 2 tháng"


def test_vietnamese_number_and_date_formats(app):
    from vss.web.i18n import decimal2, money, vn_date

    assert decimal2(5453400) == "5.453.400,00" and decimal2("3.66") == "3,66"
    assert money(18423000) == "18.423.000 đ" and vn_date(M(2015, 3, 14)) == "14/03/2015"


def test_card_page_and_card_image_with_signed_qr(citizen, client):
    html = client.get("/tai-khoan/the-bhyt").get_data(as_text=True)
    for text in (
        "DN401",
        "Nguyễn Thị Hoa",
        "17/05/1990",
        "Nam",
        "Nơi ĐKKCB ban đầu",
        "Trạm Y tế phường Hoàn Kiếm (01 - 065)",
        "01/03/2021",
        "Dữ liệu tại thời điểm",
    ):
        assert text in html, text
    response = get_gzip(client, "/tai-khoan/the-bhyt/xem")
    image = html_of(response)
    assert "<svg" in image and "data-offline-card" in image
    assert wire_size(response) <= 12 * 1024
    issued = cards.CardIssuance.get()
    cards.verify(issued.qr_text, cards.published_keys(), cards.revocation_list())
    assert client.get("/tai-khoan/the-bhyt/xem").get_data(as_text=True).count("<svg") == 1
    assert cards.CardIssuance.select().count() == 1  # the QR is not redrawn per request
    rotated = client.get("/tai-khoan/the-bhyt/xem?xoay=1").get_data(as_text=True)
    assert 'class="bhyt landscape"' in rotated


def test_history_tabs_totals_pages_and_detail(citizen, client):
    html = client.get("/tai-khoan/qua-trinh").get_data(as_text=True)
    assert "Tổng thời gian tham gia: <strong>2 năm 1 tháng</strong>" in html  # 25 distinct months
    assert html.count("<tr><td><a") == 20 and 'rel="next"' in html
    fragment = client.get(
        "/tai-khoan/qua-trinh?bh=BHXH&trang=2", headers={"HX-Request": "true", "Accept-Encoding": "gzip"}
    )
    assert "<html" not in html_of(fragment) and html_of(fragment).count("<tr><td><a") == 5
    assert (
        wire_size(
            client.get("/tai-khoan/qua-trinh", headers={"HX-Request": "true", "Accept-Encoding": "gzip"})
        )
        <= 4096
    )
    assert "Chưa có quá trình tham gia" in client.get("/tai-khoan/qua-trinh?bh=BHTN").get_data(as_text=True)
    period_id = re.search(r'href="/tai-khoan/qua-trinh/(\d+)"', html).group(1)
    detail = client.get(f"/tai-khoan/qua-trinh/{period_id}").get_data(as_text=True)
    for text in (
        "Chuyên viên",
        "TRUNG TÂM CÔNG NGHỆ THÔNG TIN",
        "150 Phố Vọng",
        "VND",
        "5.453.400,00",
        "3,66",
    ):
        assert text in detail


def test_benefits_and_visits(citizen, client):
    ods = client.get("/tai-khoan/thong-tin-huong?loai=ods").get_data(as_text=True)
    assert "Sinh con" in ods and "15/09/2014" in ods and "18.423.000 đ" in ods
    assert "Không có thông tin hưởng" in client.get("/tai-khoan/thong-tin-huong?loai=mot_lan").get_data(
        as_text=True
    )
    visits = client.get("/tai-khoan/kham-chua-benh?nam=2026").get_data(as_text=True)
    assert (
        "J06.9 Nhiễm trùng đường hô hấp trên cấp" in visits and "280.000 đ" in visits and "70.000 đ" in visits
    )


def test_messages_page(citizen, client):
    assert "la ma xac thuc VSS" in client.get("/tai-khoan/thong-bao").get_data(as_text=True)


def test_other_peoples_records_are_404(citizen, client):
    stranger = make_person(full_name="Trần Văn Bình")
    theirs = ParticipationPeriod.create(
        person=stranger, scheme="BHXH", from_month=M(2020, 1, 1), to_month=M(2020, 2, 1), salary=1
    )
    assert client.get(f"/tai-khoan/qua-trinh/{theirs.id}").status_code == 404
    assert client.get("/tai-khoan/qua-trinh?bh=KHAC").status_code == 404


def test_records_need_sign_in(app):
    anonymous = app.test_client()
    for url in (
        "/tai-khoan/the-bhyt",
        "/tai-khoan/the-bhyt/xem",
        "/tai-khoan/qua-trinh",
        "/tai-khoan/thong-bao",
    ):
        assert anonymous.get(url).headers["Location"] == "/dang-nhap"


def test_change_request_asks_for_the_password(citizen, client):
    bad = post(client, "/tai-khoan/yeu-cau-thay-doi", field="phone", phone="0987654321", password="sai")
    assert "Mật khẩu không đúng" in bad.get_data(as_text=True) and ChangeRequest.select().count() == 0
    moved = post(
        client, "/tai-khoan/yeu-cau-thay-doi", field="phone", phone="0987 654 321", password=PASSWORD
    )
    assert moved.headers["Location"] == "/tai-khoan/yeu-cau-thay-doi/xac-thuc"  # the new phone proves itself
    done = post(client, "/tai-khoan/yeu-cau-thay-doi/xac-thuc", code=code_of("0987654321"))
    assert done.headers["Location"] == "/tai-khoan"
    change = ChangeRequest.get()
    assert (change.field, change.old_value, change.new_value) == ("phone", "0912345678", "0987654321")
    assert "Chờ xử lý" in client.get("/tai-khoan").get_data(as_text=True)
    address = post(
        client,
        "/tai-khoan/yeu-cau-thay-doi",
        field="address",
        province_code="1",
        ward_code="70",
        street="Số 9 Hàng Bài",
        password=PASSWORD,
    )
    assert address.status_code == 302 and ChangeRequest.select().count() == 2


def test_public_keys_and_revocation_list(citizen, client):
    client.get("/tai-khoan/the-bhyt/xem")
    keys = client.get("/the-bhyt/khoa-cong-khai.json").get_json()
    assert keys["keys"][0]["alg"] == "ES256" and "PUBLIC KEY" in keys["keys"][0]["pem"]
    assert client.get("/the-bhyt/thu-hoi.json").get_json() == {"version": 0, "revoked": {}}


def test_service_worker_is_served_at_the_root(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/javascript" and "/tai-khoan/the-bhyt/xem" in body
    assert re.search(r"/static/css/app\.[0-9a-f]{12}\.css", body)


def test_stored_times_show_their_vietnam_date(app):
    from vss.web.i18n import vn_date

    assert vn_date(dt.datetime(2026, 11, 21, 18, 30)) == "22/11/2026"  # 01:30 in Hà Nội


def test_an_applied_address_change_reissues_the_card_qr(app, citizen, client):
    from tests.staff_helpers import make_staff, offices
    from vss.requests import changes

    client.get("/tai-khoan/the-bhyt/xem")
    old = cards.CardIssuance.get().qr_text
    change = changes.file_change(citizen, changes.ADDRESS, {"street": "Số 9 Hàng Bài", "ward_code": 70})
    places = offices()
    changes.apply(make_staff(places["00101"]), change)
    page = client.get("/tai-khoan/the-bhyt/xem").get_data(as_text=True)
    issued = cards.CardIssuance.select().order_by(cards.CardIssuance.id.desc()).first()
    assert "Số 9 Hàng Bài".encode().hex() in issued.qr_text and issued.qr_svg in page  # not the stored page
    with pytest.raises(cards.VerifyError, match="cấp lại"):
        cards.verify(old, cards.published_keys(), cards.revocation_list())


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask (the stored card page is answered before it)."""
    seen = []
    with request_started.connected_to(lambda sender, **extra: seen.append(1), app):
        yield seen


def test_card_page_is_stored_once_and_then_served_before_flask(app, citizen, client, flask_requests):
    first = client.get(CARD_IMAGE, headers={"Accept-Encoding": "gzip"})
    assert len(flask_requests) == 1 and stored_page.CardPage.select().count() == 1
    stored = stored_page.CardPage.get()
    assert stored.lang == "vi" and stored.issuance_id == cards.CardIssuance.get().id
    second = client.get(CARD_IMAGE, headers={"Accept-Encoding": "gzip"})
    assert len(flask_requests) == 1  # answered from the stored page
    assert second.status_code == 200 and second.headers["Content-Encoding"] == "gzip"
    assert second.get_data() == bytes(stored.page) and html_of(first) == html_of(second)
    same = (
        "Content-Type",
        "Content-Encoding",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
    )
    assert {k: first.headers.get(k) for k in same} == {k: second.headers.get(k) for k in same}
    assert set(second.headers["Vary"].split(", ")) == {"Accept-Encoding", "Cookie", "HX-Request"}
    assert second.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in second.headers
    assert int(second.headers["Content-Length"]) == len(second.get_data())
    plain = client.get(CARD_IMAGE)  # no gzip offered: the same page, decompressed
    assert "Content-Encoding" not in plain.headers and plain.get_data(as_text=True) == html_of(first)
    client.get("/ngon-ngu/en")  # English is drawn once too, then stored beside Vietnamese
    assert "HEALTH INSURANCE CARD" in client.get(CARD_IMAGE).get_data(as_text=True)
    assert "HEALTH INSURANCE CARD" in client.get(CARD_IMAGE).get_data(as_text=True)
    assert stored_page.CardPage.select().count() == 2 and len(flask_requests) == 3


def test_the_stored_page_needs_a_live_session_of_its_owner(app, citizen, client, flask_requests):
    client.get(CARD_IMAGE)
    assert client.get(CARD_IMAGE).status_code == 200 and len(flask_requests) == 1
    # A forged or foreign cookie, a rotate, an htmx swap: Flask answers.
    stranger = app.test_client()
    stranger.set_cookie("session", client.get_cookie("session").value[:-2] + "xx")
    assert stranger.get(CARD_IMAGE).headers["Location"] == "/dang-nhap"
    assert 'class="bhyt landscape"' in client.get(CARD_IMAGE + "?xoay=1").get_data(as_text=True)
    client.get(CARD_IMAGE, headers={"HX-Request": "true"})
    assert len(flask_requests) == 4 and stored_page.CardPage.select().count() == 1
    # After 30 days the bound session ends, stored page or not.
    clock.travel(dt.timedelta(days=sessions.BOUND_SESSION_DAYS, minutes=1))
    assert client.get(CARD_IMAGE).headers["Location"] == "/dang-nhap"


def test_the_stored_page_ends_with_a_takeover(app, citizen, client):
    client.get(CARD_IMAGE)
    other = app.test_client()
    sign_in(other)
    post(other, "/dang-nhap/thiet-bi-khac", action="continue")
    post(other, "/dang-nhap/ma-xac-thuc", code=code_of())
    assert client.get(CARD_IMAGE).headers["Location"] == "/dang-nhap"
    assert TAKEN_OVER[:60] in client.get("/dang-nhap").get_data(as_text=True)  # and told why


def test_the_stored_page_ends_with_sign_out_and_with_a_reissue(app, citizen, client):
    old = client.get(CARD_IMAGE).get_data(as_text=True)
    card = cards.CardIssuance.get().card
    cards.reissue(card, app.config["SECRET_KEY"])
    new = client.get(CARD_IMAGE).get_data(as_text=True)
    assert new != old and re.search(r"<svg.*</svg>", new).group() != re.search(r"<svg.*</svg>", old).group()
    assert client.get(CARD_IMAGE).get_data(as_text=True) == new
    post(client, "/dang-xuat")
    assert client.get(CARD_IMAGE).headers["Location"] == "/dang-nhap"


def test_a_shared_computer_never_stores_the_card_page(app, citizen):
    kiosk = app.test_client()
    sign_in(kiosk, shared=True)
    post(kiosk, "/dang-nhap/ma-xac-thuc", code=code_of())
    first, second = kiosk.get(CARD_IMAGE), kiosk.get(CARD_IMAGE)
    assert first.status_code == second.status_code == 200
    assert (
        "data-offline-card" not in second.get_data(as_text=True)
        and stored_page.CardPage.select().count() == 0
    )


def test_visit_years_once_each_newest_first_and_no_query_per_visit(citizen, client, caplog):
    facility = Facility.get()
    for year, month in ((2024, 12), (2024, 1), (2025, 6)):
        MedicalVisit.create(
            person=citizen.person,
            card_number=f"DN401{citizen.person.bhxh_code}",
            facility=facility,
            admitted_at=dt.datetime(year, month, 31 if month == 12 else 1, 23, 0),
            discharged_at=dt.datetime(year, month, 31 if month == 12 else 1, 23, 30),
            icd10="J06.9",
            diagnosis="Cảm",
            total_cost=1000,
            fund_paid=800,
            patient_paid=200,
        )
    assert records.visit_years(citizen.person) == [2026, 2025, 2024]
    queries = {}
    for year in (2024, 2026):
        caplog.clear()
        with caplog.at_level("DEBUG", logger="peewee"):
            html = client.get(f"/tai-khoan/kham-chua-benh?nam={year}").get_data(as_text=True)
        queries[year] = len([r for r in caplog.records if r.name == "peewee"])
        assert re.findall(r">(20\d\d)</a>", html) == ["2026", "2025", "2024"]
    assert html.count(facility.name) == 1
    # Two visits in 2024, one in 2026: the facility comes with each visit, not by a query of its own.
    assert queries[2024] == queries[2026] > 0


def test_the_personal_page_shows_the_registered_email(citizen, client):
    from vss.identity.accounts import Account

    assert "<dt>Email</dt><dd>hoa@example.vn</dd>" in client.get("/tai-khoan").get_data(as_text=True)
    Account.update(email=None).execute()  # the stored page is drawn again
    assert "<dt>Email</dt><dd>—</dd>" in client.get("/tai-khoan").get_data(as_text=True)
