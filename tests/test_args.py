"""Query-string values (vss.views.args) and the address pickers' lists (vss.views.places):
parsed and built one way for every view."""

import datetime as dt

import pytest
from flask_babel import force_locale

from vss.views import args, places


@pytest.mark.parametrize(
    ("query", "page"),
    [("trang=3", 3), ("", 1), ("trang=0", 1), ("trang=-2", 1), ("trang=²", 1), ("trang=10001", 1)],
)
def test_a_page_number_is_a_small_positive_ascii_integer(app, query, page):
    with app.test_request_context(f"/?{query}"):
        assert args.page_number() == page


def test_a_cursor_reads_back_what_the_next_link_wrote(app):
    position = (dt.datetime(2026, 12, 3, 9, 30, 15, 123456), 4711)
    with app.test_request_context("/", query_string={"truoc": args.cursor_text(position)}):
        assert args.cursor() == position


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "x",
        "2026-01-01T00:00:00",
        "2026-01-01T00:00:00_",
        "x_1",
        "2026-01-01_²",
        "2026-01-01_1" + "0" * 10,
    ],
)
def test_a_bad_cursor_is_the_first_page(app, raw):
    with app.test_request_context("/", query_string={"truoc": raw}):
        assert args.cursor() is None


def test_the_address_pickers_list_provinces_and_the_wards_of_one(app):
    with app.test_request_context("/"):
        provinces = places.province_choices()
        assert provinces[0].value == 0 and len(provinces) == 35  # a placeholder and the 34
        hanoi = next(c.value for c in provinces if c.label == "Thành phố Hà Nội")
        wards = places.ward_choices(hanoi)
        assert wards[0].value == 0 and len(wards) > 100
        assert [c.value for c in places.ward_choices(None)] == [0]
        with force_locale("en"):
            assert str(places.province_choices()[0].label) == "— Choose a province or city —"
