"""The chip CCCD's QR: 7 parts or more, an empty old CMND, plain UTF-8; damage named by part."""

import datetime as dt

import pytest

from vss.cards.cardqr import read
from vss.cards.cccdqr import CccdQr, read_cccd
from vss.cards.qrerror import QrError

CCCD = "001190012345|123456789|Nguyễn Thị Lan|17051990|Nữ|Số 12 phố Hàng Bài, Hà Nội|10082021"


def test_a_chip_cccd():
    assert read_cccd(CCCD) == CccdQr(
        cccd="001190012345",
        cmnd="123456789",
        full_name="Nguyễn Thị Lan",
        birth_date=dt.date(1990, 5, 17),
        sex=2,
        address="Số 12 phố Hàng Bài, Hà Nội",
        issued_on=dt.date(2021, 8, 10),
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("079203001234||Trần Minh Quân|02092003|Nam|Ấp 3|25042022", ("079203001234", None, 1)),
        ("036095012345||Phạm Văn Đức|01011995|NAM|Xóm 2|15082024||", ("036095012345", None, 1)),
        ("001190012345|012345678901|Lê Thị Hoa|01/02/1990|Nu||", ("001190012345", "012345678901", 2)),
    ],
)
def test_variants(text, expected):
    qr = read_cccd(text)
    assert (qr.cccd, qr.cmnd, qr.sex) == expected


def test_through_the_reader_with_what_pasting_adds():
    _text, qr, repairs = read("\ufeff" + CCCD.replace("Nguyễn", "Nguye\u0302\u0303n") + "\r\n")
    assert qr.full_name == "Nguyễn Thị Lan" and repairs == ["invisible"]


@pytest.mark.parametrize(
    "text,reason,part",
    [
        (CCCD[:40], "truncated", None),
        (CCCD.replace("123456789", "1234"), "bad_cccd_field", "cmnd"),
        (CCCD.replace("Nguyễn Thị Lan", " "), "bad_cccd_field", "full_name"),
        (CCCD.replace("Nguyễn", "Nguy3n"), "bad_cccd_field", "full_name"),
        (CCCD.replace("17051990", "17131990"), "bad_cccd_field", "birth"),
        (CCCD.replace("17051990", ""), "bad_cccd_field", "birth"),
        (CCCD.replace("Nữ", "F"), "bad_cccd_field", "sex"),
        (CCCD.replace("10082021", "1008"), "bad_cccd_field", "issued_on"),
        (CCCD.replace("ễ", "?"), "no_unicode", None),
    ],
)
def test_damage_is_named(text, reason, part):
    with pytest.raises(QrError) as caught:
        read_cccd(text)
    assert (caught.value.reason, caught.value.part) == (reason, part)
