"""QR parsers: BHYT card QR (old 15-character and new 10-digit variants, variable field counts)
and the chip CCCD QR; garbage gets a clear message."""

import datetime as dt

import pytest

from vss.cards import cardqr
from vss.cards.cardqr import QrError


def _hex(text):
    return text.encode().hex()


OLD = (
    "DN4797912345678|"
    + _hex("Nguyễn Văn An")
    + "|17/05/1990|1|"
    + _hex("Phường Bến Nghé, TP HCM")
    + "|79 - 024|01/01/2026|31/12/2026|01/01/2026|79790123456789|-|4| 01/01/2022|abcd-1234|$"
)
NEW = (
    "7912345678|" + _hex("Trần Thị Bích") + "|1985|2|" + _hex("Hà Nội") + "|01 - 065|01/01/2026|-|"
    "15/12/2025|01010123456789|-|4| 01/01/2020|sig|4|" + _hex("BHXH Hà Nội") + "|$"
)


def test_old_card():
    qr = cardqr.parse_bhyt(OLD)
    assert (qr.card_number, qr.bhxh_code, qr.full_name) == ("DN4797912345678", "7912345678", "Nguyễn Văn An")
    assert (qr.birth, qr.sex, qr.facility) == ("17/05/1990", 1, "79 - 024")
    assert qr.valid_to == dt.date(2026, 12, 31) and qr.five_years_on == dt.date(2022, 1, 1)
    assert qr.parent_name is None and qr.check == "abcd-1234"


def test_new_card_with_open_validity_and_extra_fields():
    qr = cardqr.parse_bhyt(NEW)
    assert qr.bhxh_code == "7912345678" and qr.birth == "1985" and qr.valid_to is None
    assert qr.extra[0] == "4"


def test_short_old_card_with_ten_fields():
    short = "|".join(OLD.split("|")[:10]) + "|$"
    qr = cardqr.parse_bhyt(short)
    assert qr.five_years_on is None and qr.management_code == "79790123456789"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "hello",
        "1|2|3$",
        "XX|zz|01/01/1990|1|-|-|-|-|-|-|$",
        OLD.replace("DN479", "DN979"),
        OLD.replace(_hex("Nguyễn Văn An"), "zz"),
    ],
)
def test_garbage_is_refused_clearly(garbage):
    with pytest.raises(QrError):
        cardqr.parse_bhyt(garbage)


def test_cccd_chip_qr():
    qr = cardqr.parse_cccd(
        "001090012345|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Tràng Tiền, Hà Nội|01072021"
    )
    assert (qr.cccd, qr.cmnd, qr.sex) == ("001090012345", "123456789", 1)
    assert qr.birth_date == dt.date(1990, 5, 17) and qr.issued_on == dt.date(2021, 7, 1)


def test_parse_any_picks_the_kind():
    assert isinstance(cardqr.parse_any(OLD), cardqr.BhytQr)
    assert isinstance(cardqr.parse_any("001090012345||Lê B|01012000|Nữ|HN|01012022"), cardqr.CccdQr)
    with pytest.raises(QrError, match="Không đọc được"):
        cardqr.parse_any("https://example.com")
