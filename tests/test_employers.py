"""Tra cứu đơn vị tham gia BHXH (vss/registry/units.py, /tra-cuu/don-vi): by name (marks and
case folded), tax code or unit code within a province; workers and contribution status; pages
of a bounded query; and the seed's employers with their arrears."""

import datetime as dt
import logging

import pytest

from tests.conftest import html_of, wire_size
from vss.registry import units
from vss.registry.directory import Employer
from vss.registry.names import fold

URL = "/tra-cuu/don-vi"
GZIP = {"Accept-Encoding": "gzip"}
HX = {"HX-Request": "true", **GZIP}
AS_OF = dt.date(2026, 11, 22)


def make_employer(n, name, province_code=1, **fields):
    values = {
        "code": f"TA{n:04d}B",
        "name": name,
        "tax_code": f"01{n:08d}",
        "province_code": province_code,
        "ward_code": 70 if province_code == 1 else None,
        "street": "Số 5 Tràng Tiền",
        "workers": 12,
        "status_on": AS_OF,
    }
    return Employer.create(**{**values, **fields})


@pytest.fixture
def some(app):
    return [
        make_employer(1, "Công ty TNHH Đại Phát"),
        make_employer(2, "Công ty Cổ phần Xây dựng Hà Nội", owed_months=4, owed_amount=123_456_000),
        make_employer(3, "Hợp tác xã Nông nghiệp Đông Anh", workers=3),
        make_employer(4, "Công ty TNHH Sài Gòn Xanh", province_code=79),
    ]


def test_fold_drops_marks_and_case():
    assert fold("Công ty TNHH  Đại Phát") == "cong ty tnhh dai phat"
    assert fold("ＣÔＮＧ TY") == "cong ty"


def test_a_name_search_folds_marks_and_case_within_the_province(client, some):
    html = html_of(client.get(URL, query_string={"tinh": 1, "q": "cong ty"}, headers=GZIP))
    assert "Công ty TNHH Đại Phát" in html and "Công ty Cổ phần Xây dựng Hà Nội" in html
    assert "Hợp tác xã" not in html and "Sài Gòn Xanh" not in html  # another name, another province
    assert "Số lao động tham gia: 12" in html and "Đã đóng đủ" in html
    assert "Nợ đóng 4 tháng, số tiền 123.456.000 đ" in html
    assert "Số liệu tính đến 22/11/2026" in html
    assert "Đại Phát" in html_of(client.get(URL, query_string={"tinh": 1, "q": "ĐẠI PHÁT"}))


def test_tax_code_or_unit_code(client, some):
    by_tax = html_of(client.get(URL, query_string={"tinh": 1, "q": "0100000003"}))
    assert "Hợp tác xã Nông nghiệp Đông Anh" in by_tax and "Đại Phát" not in by_tax
    by_code = html_of(client.get(URL, query_string={"tinh": 1, "q": "ta 0002b"}))
    assert "Xây dựng Hà Nội" in by_code and "Đại Phát" not in by_code
    elsewhere = html_of(client.get(URL, query_string={"tinh": 79, "q": "0100000003"}))
    assert "Không tìm thấy đơn vị nào" in elsewhere


def test_pages_are_bounded(client, app):
    for n in range(units.PAGE_SIZE + 5):
        make_employer(100 + n, f"Công ty TNHH Thương mại {n:02d}")
    first = html_of(client.get(URL, query_string={"tinh": 1, "q": "thuong mai"}))
    assert first.count("<h2>") == units.PAGE_SIZE and 'rel="next"' in first and 'rel="prev"' not in first
    second = html_of(client.get(URL, query_string={"tinh": 1, "q": "thuong mai", "trang": 2}))
    assert second.count("<h2>") == 5 and 'rel="prev"' in second and 'rel="next"' not in second
    # A page number past the last is the last page (at most MAX_PAGES: never a deep scan).
    beyond = units.employers(1, "thuong mai", 10_000)
    assert beyond.number == 2 and len(beyond.rows) == 5 and not beyond.more
    assert (
        html_of(client.get(URL, query_string={"tinh": 1, "q": "thuong mai", "trang": 50})).count("<h2>") == 5
    )


def test_the_query_reads_one_page_and_one_row_more(app, some, caplog):
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        units.employers(1, "cong ty", 3)
    (sql, params) = next(r.msg for r in caplog.records if "employer" in str(r.msg))
    assert "LIMIT" in sql and units.PAGE_SIZE + 1 in params and 2 * units.PAGE_SIZE in params


def test_htmx_and_sizes(client, some):
    page = client.get(URL, query_string={"tinh": 1, "q": "cong ty"}, headers=GZIP)
    fragment = client.get(URL, query_string={"tinh": 1, "q": "cong ty"}, headers=HX)
    assert "<html" in html_of(page) and "<html" not in html_of(fragment)
    assert "Đại Phát" in html_of(fragment)
    assert wire_size(page) <= 12 * 1024 and wire_size(fragment) <= 4 * 1024
    empty = client.get(URL, headers=GZIP)
    assert 'method="get"' in html_of(empty) and wire_size(empty) <= 12 * 1024


@pytest.mark.parametrize(
    "query,message",
    [
        ({"tinh": "1", "q": "c"}, "ít nhất 2 ký tự"),
        ({"tinh": "1", "q": "\x00"}, "ký tự không hợp lệ"),
        ({"tinh": "1", "q": "cong\x00ty"}, "ký tự không hợp lệ"),
        ({"tinh": "1", "q": "x" * 10_000}, "quá dài"),
        ({"tinh": "1", "q": ""}, "Vui lòng nhập tên đơn vị"),
        ({"tinh": "99", "q": "cong ty"}, "trong danh sách"),
        ({"tinh": "²", "q": "cong ty"}, "Vui lòng chọn tỉnh"),
        ({"q": "cong ty"}, "Vui lòng chọn tỉnh"),
    ],
)
def test_bad_input_is_named(client, some, query, message):
    response = client.get(URL, query_string=query)
    html = html_of(response)
    assert response.status_code == 200 and message in html and "Đại Phát" not in html


def test_a_wildcard_is_a_character(client, some):
    assert "Không tìm thấy đơn vị nào" in html_of(client.get(URL, query_string={"tinh": 1, "q": "%%"}))
    assert "Không tìm thấy đơn vị nào" in html_of(client.get(URL, query_string={"tinh": 1, "q": "__"}))


def test_the_seed_gives_employers_workers_and_some_arrears(app):
    from vss.seed import generator

    generator.seed(people=1200, seed=11, progress=False, as_of=AS_OF)
    employers = list(Employer.select())
    assert all(e.search_name == fold(e.name) and e.status_on == AS_OF for e in employers)
    assert sum(e.workers for e in employers) > 100
    owing = [e for e in employers if e.owed_months]
    assert 0.03 * len(employers) <= len(owing) <= 0.3 * len(employers)
    assert all(e.workers > 0 and e.owed_amount > 0 for e in owing)
    assert all(e.owed_amount == 0 for e in employers if not e.owed_months)
