"""Every bad input the adversarial review reproduced as a 500 (issue 10, "Bad input → 500"),
each answered with the normal page or a clear message, and nothing stored. The fuzz test
(test_fuzz.py) looks for the rest of the class."""

import datetime as dt

import pytest

from tests.registration_flow import Flow, offices
from tests.signin_helpers import last_code, make_account, post, sign_in
from tests.staff_helpers import make_staff
from tests.staff_helpers import offices as staff_offices
from tests.staff_helpers import sign_in as staff_sign_in
from vss.core import clock
from vss.dossiers.dossiers import Dossier
from vss.dossiers.drafts import RegistrationDraft

ODD_NUMBERS = ("²", "٣", "３", "99", "-1", "0", "99999999999999999999", "1e3", " 1", "")


@pytest.fixture
def citizen(app, client):
    make_account()
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    clock.travel(dt.timedelta(seconds=61))
    return client


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize(
    "url",
    [
        "/tra-cuu/co-quan-bhxh?tinh={}",
        "/tra-cuu/co-so-kcb?tinh={}",
        "/tra-cuu/co-so-kcb?tinh=1&trang={}",
        "/dang-ky/phuong-xa?province_code={}",
        "/dang-ky/co-quan/danh-sach?province_code={}",
    ],
)
def test_public_query_parameters(client, url, value):
    assert client.get(url.format(value)).status_code == 200


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_citizen_query_parameters(citizen, value):
    for url in (
        f"/tai-khoan/qua-trinh?trang={value}",
        f"/tai-khoan/kham-chua-benh?nam={value}",
        f"/tai-khoan/qua-trinh/{value}",
    ):
        assert citizen.get(url).status_code in (200, 404), url
    for year in ("10000", "0", "1899"):
        assert citizen.get(f"/tai-khoan/kham-chua-benh?nam={year}").status_code == 200


def test_unknown_province_on_the_forms(app, client, citizen):
    offices()
    flow = Flow(app.test_client())
    flow.start()
    page = flow.info(province_code="99", ward_code="70")
    assert page.status_code == 200 and "trong danh sách" in page.get_data(as_text=True)
    assert not RegistrationDraft.get().done("thong-tin")
    change = post(
        citizen,
        "/tai-khoan/yeu-cau-thay-doi",
        field="address",
        province_code="99",
        ward_code="70",
        street="Số 1",
        password="x",
    )
    assert change.status_code == 200


@pytest.mark.parametrize(
    "field, value",
    [
        ("street", "Số 5\x00 phố Hàng Bài"),
        ("email", "a\x00b@example.vn"),
        ("full_name", "Nguyễn\x00 Văn An"),
        ("street", "x" * 5000),
    ],
)
def test_nul_and_over_long_text_are_refused_at_the_step(app, field, value):
    offices()
    flow = Flow(app.test_client())
    flow.start()
    page = flow.info(**{field: value})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ký tự không hợp lệ" in text or "quá dài" in text
    assert not RegistrationDraft.get().done("thong-tin")


def test_nul_in_lookups_and_sign_in_forms(app, client):
    assert (
        post(client, "/tra-cuu/ho-so", so="00001.GD/2026/00101\x00", dien_thoai="0912345678").status_code
        == 200
    )
    for data in (
        {"bhxh_code": "0123\x0056789", "contact": "0912345678"},
        {"bhxh_code": "9" * 200, "contact": "x"},
    ):
        assert post(client, "/quen-mat-khau", **data).status_code in (200, 302)
    staff_client = app.test_client()
    for office, username in (("001\x00", "canbo"), ("00101", "u" * 40), ("00101", "can\x00bo")):
        assert (
            post(
                staff_client, "/can-bo/dang-nhap", office_code=office, username=username, password="x"
            ).status_code
            == 200
        )


def test_staff_search_with_odd_dates_and_text(app, client):
    staff = make_staff(staff_offices()["00101"])
    staff_sign_in(client, staff)
    for query in (
        "tu=0001-01-01",
        "den=9999-12-31",
        "tu=31/02/2024",
        "so=%00",
        "ma=" + "9" * 5000,
        "truoc=2026-01-01T00:00:00_99999999999999999999",
        "truoc=x_²",
    ):
        response = client.get(f"/can-bo/ho-so?{query}")
        assert response.status_code == 200, query
    assert "dd/mm/yyyy" in client.get("/can-bo/ho-so?tu=0001-01-01").get_data(as_text=True)
    assert client.get("/can-bo/ho-so/99999999999999999999").status_code == 404


def test_long_input_never_reaches_the_session_cookie(client):
    response = post(client, "/quen-mat-khau", bhxh_code="0" * 5000, contact="1" * 5000)
    assert all(len(cookie) < 4096 for cookie in response.headers.getlist("Set-Cookie"))
    assert Dossier.select().count() == 0


def test_text_that_reads_in_another_order_is_refused():
    from wtforms.validators import StopValidation

    from vss.web.forms.fields import Clean

    class Field:
        data = "\u202eevil"

    with pytest.raises(StopValidation):
        Clean(200, False)(None, Field())


def test_refused_text_comes_back_without_what_made_it_refused(app, client):
    """A 100,000-character paste is not sent back whole, nor a NUL put back into the page."""
    from tests.csrf import csrf

    token = csrf(client, "/phan-anh-kien-nghi")
    long = client.post("/phan-anh-kien-nghi", data={"csrf_token": token, "noi_dung": "a" * 100_000})
    assert "Nội dung quá dài" in long.get_data(as_text=True) and len(long.get_data()) < 30_000
    nul = client.post(
        "/tra-cuu/ma-so-bhxh", data={"csrf_token": csrf(client, "/tra-cuu/ma-so-bhxh"), "ho_ten": "An\x00<b>"}
    )
    assert "\x00" not in nul.get_data(as_text=True) and "ký tự không hợp lệ" in nul.get_data(as_text=True)
