"""Public look-ups (no account): BHXH offices and health facilities by province, with and
without htmx."""

from tests.conftest import get_gzip, html_of, wire_size
from tests.factories import make_office
from vss.registry.directory import Facility, Office

HX = {"HX-Request": "true", "Accept-Encoding": "gzip"}


def _offices():
    province = make_office()
    make_office(
        code="00101", name="BHXH cơ sở Hoàn Kiếm", kind=Office.BASE, parent=province, phone="024 3825 0000"
    )
    return province


def test_offices_of_a_province_as_a_page(client):
    _offices()
    html = client.get("/tra-cuu/co-quan-bhxh?tinh=1").get_data(as_text=True)
    assert "<html" in html
    assert html.index("[001] Bảo hiểm xã hội Thành phố Hà Nội") < html.index("[00101] BHXH cơ sở Hoàn Kiếm")
    assert "Phường Hoàn Kiếm, Thành phố Hà Nội" in html
    assert 'href="geo:21.0285,105.8542"' in html


def test_offices_as_an_htmx_fragment(client):
    _offices()
    response = client.get("/tra-cuu/co-quan-bhxh?tinh=1", headers=HX)
    html = html_of(response)
    assert "<html" not in html and '<ul class="cards">' in html
    assert wire_size(response) <= 4 * 1024
    assert "HX-Request" in response.vary


def test_unknown_province_shows_the_picker_only(client):
    html = client.get("/tra-cuu/co-quan-bhxh?tinh=99").get_data(as_text=True)
    assert '<ul class="cards">' not in html and 'name="tinh"' in html


def test_facilities_paginate_and_filter_sick_leave(client):
    for n in range(25):
        Facility.create(
            code=f"01{n:03d}",
            name=f"Trạm Y tế {n}",
            province_code=1,
            ward_code=70,
            level="cơ sở",
            issues_sick_leave=n < 3,
        )
    first = client.get("/tra-cuu/co-so-kcb?tinh=1").get_data(as_text=True)
    assert first.count("<tr><td>01 - ") == 20 and 'rel="next"' in first
    second = client.get("/tra-cuu/co-so-kcb?tinh=1&trang=2").get_data(as_text=True)
    assert second.count("<tr><td>01 - ") == 5 and 'rel="prev"' in second
    sick = client.get("/tra-cuu/co-so-kcb?tinh=1&nghi-viec=1").get_data(as_text=True)
    assert sick.count("<tr><td>01 - ") == 3


def test_facility_page_budget(client):
    for n in range(20):
        Facility.create(
            code=f"01{n:03d}",
            name=f"Bệnh viện Đa khoa khu vực số {n}",
            province_code=1,
            ward_code=70,
            street=f"Số {n} phố Tràng Tiền",
            level="tỉnh",
        )
    response = get_gzip(client, "/tra-cuu/co-so-kcb?tinh=1")
    assert wire_size(response) <= 12 * 1024
