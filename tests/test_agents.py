"""Tra cứu điểm thu, đại lý thu (/tra-cuu/diem-thu): province → ward, without JavaScript (the
wards come with the province after 'Xem') and with htmx (at once); what each collects; the
seed's agents in every inhabited ward. And the offices' map: a link, nothing embedded."""

import re

import pytest

from tests.conftest import html_of, wire_size
from tests.factories import make_office
from vss.registry import directory, units
from vss.registry.directory import CollectionAgent

URL = "/tra-cuu/diem-thu"
GZIP = {"Accept-Encoding": "gzip"}
HX = {"HX-Request": "true", **GZIP}
LARGEST = max((code for code, _n, _p in directory.provinces()), key=lambda code: len(directory.wards(code)))


def make_agent(n, name, ward_code=70, **fields):
    province = directory.ward_province(ward_code)
    values = {
        "code": f"{province:02d}DL{n:03d}",
        "name": name,
        "province_code": province,
        "ward_code": ward_code,
        "street": "Số 1 Tràng Tiền",
        "phone": "024 3825 1234",
    }
    return CollectionAgent.create(**{**values, **fields})


@pytest.fixture
def agents(app):
    other_ward = directory.wards(1)[1][0]
    return [
        make_agent(1, "Bưu điện văn hóa phường Hoàn Kiếm"),
        make_agent(2, "Đại lý thu Hội Liên hiệp Phụ nữ phường Hoàn Kiếm", collects_voluntary=False),
        make_agent(3, "Đại lý thu Ủy ban nhân dân khác", ward_code=other_ward),
    ]


def test_a_province_lists_its_agents_and_offers_its_wards(client, agents):
    html = html_of(client.get(URL, query_string={"tinh": 1}))
    assert all(agent.name in html for agent in agents)
    assert (
        '<select id="phuong" name="phuong">' in html
        and '<option value="70">Phường Hoàn Kiếm</option>' in html
    )
    assert '<a href="tel:02438251234">024 3825 1234</a>' in html


def test_a_ward_lists_its_own_and_what_they_collect(client, agents):
    html = html_of(client.get(URL, query_string={"tinh": 1, "phuong": 70}))
    assert "Bưu điện văn hóa phường Hoàn Kiếm" in html and "Ủy ban nhân dân khác" not in html
    assert "Thu: BHXH tự nguyện, BHYT hộ gia đình" in html
    assert "Thu: BHYT hộ gia đình</p>" in html  # the women's union agent: household BHYT only
    assert '<option value="70" selected>' in html


def test_a_ward_of_another_province_is_ignored(client, agents):
    ward_79 = directory.wards(79)[0][0]
    html = html_of(client.get(URL, query_string={"tinh": 1, "phuong": ward_79}))
    assert "Ủy ban nhân dân khác" in html  # the whole province, as if no ward was chosen


def test_without_a_province_only_the_picker(client, agents):
    html = html_of(client.get(URL))
    assert 'name="tinh"' in html and 'name="phuong"' not in html and "Bưu điện" not in html


def test_htmx_swaps_the_form_and_the_list_together(client, agents):
    response = client.get(URL, query_string={"tinh": 1}, headers=HX)
    html = html_of(response)
    assert "<html" not in html and 'name="phuong"' in html and "Bưu điện văn hóa" in html
    assert 'data-hx-target="#lookup"' in html


def test_pages_and_sizes_for_the_largest_province(client, app):
    wards = directory.wards(LARGEST)
    for n in range(units.PAGE_SIZE + 1):
        make_agent(n + 1, f"Đại lý thu Ủy ban nhân dân số {n} với một tên khá dài", ward_code=wards[n][0])
    page = client.get(URL, query_string={"tinh": LARGEST}, headers=GZIP)
    fragment = client.get(URL, query_string={"tinh": LARGEST}, headers=HX)
    assert html_of(page).count("<h2>") == units.PAGE_SIZE and 'rel="next"' in html_of(page)
    assert wire_size(page) <= 12 * 1024 and wire_size(fragment) <= 4 * 1024, (
        wire_size(page),
        wire_size(fragment),
    )
    second = html_of(client.get(URL, query_string={"tinh": LARGEST, "trang": 2}))
    assert second.count("<h2>") == 1 and 'rel="prev"' in second
    assert wire_size(client.get(URL, headers=GZIP)) <= 12 * 1024


@pytest.mark.parametrize(
    "query",
    [
        {"tinh": "\x00"},
        {"tinh": "²"},
        {"tinh": "99"},
        {"tinh": "x" * 10_000},
        {"tinh": "1", "phuong": "٣"},
        {"tinh": "1", "phuong": "-70"},
        {"tinh": "1", "phuong": "9" * 30},
        {"tinh": "1", "trang": "²"},
    ],
)
def test_bad_input_is_the_default_page(client, agents, query):
    response = client.get(URL, query_string=query)
    assert response.status_code == 200 and 'name="tinh"' in html_of(response)


def test_the_seed_has_agents_in_every_inhabited_ward(app):
    from vss.seed import land, services

    provinces = land.all_provinces()
    rows = services.agents(provinces)
    inhabited = {w.code for p in provinces.values() for w in p.wards if w.weight}
    assert inhabited <= {row[4] for row in rows}
    assert len({row[1] for row in rows}) == len(rows)  # codes unique
    assert all(re.fullmatch(r"\d{2}(BD|DL)\d{3}", row[1]) for row in rows)
    assert all(directory.ward_province(row[4]) == row[3] for row in rows)
    assert {(row[7], row[8]) for row in rows} == {(True, True), (False, True), (True, False)}
    assert all(row[7] or row[8] for row in rows)  # each collects something


def test_an_office_links_to_openstreetmap_and_embeds_no_map(client, app):
    make_office()
    html = html_of(client.get("/tra-cuu/co-quan-bhxh", query_string={"tinh": 1}))
    assert 'href="geo:21.0285,105.8542"' in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=21.02850&amp;mlon=105.85420#map=17/21.02850/105.85420"'
        in html
    )
    main = html[html.index("<main") :]  # (the page's stylesheet is above it)
    assert "<iframe" not in main and "<img" not in main and "tile." not in main and "tiles/" not in main
