"""The BHYT card QR reader: old 15-character and new 10-digit cards, 9 to 17 fields, hex either
case, year-only births, field 12 with or without its space; what scanners add is taken off and
wrong keyboard layouts undone (vss.cards.qrclean, tests/test_qrclean.py); garbage gets a
QrError with a reason, the part at fault and a clear message. The whole corpus of samples runs
in tests/test_verdict.py."""

import datetime as dt

import pytest

from tests.samples import scans
from vss.cards import cardqr
from vss.cards.cardqr import QrError
from vss.core.errors import UserError


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
    "15/12/2025|01010123456789|-|4| 01/01/2020|5f0e4a2b9c1d3e7f-1202|4|" + _hex("BHXH Hà Nội") + "|$"
)


def _with(text, index, value):
    parts = text[:-2].split("|")
    parts[index] = value
    return "|".join(parts) + "|$"


def _reason(text):
    with pytest.raises(QrError) as caught:
        cardqr.read(text)
    return caught.value.reason, caught.value.part


def test_old_card():
    qr = cardqr.parse_bhyt(OLD)
    assert (qr.card_number, qr.bhxh_code, qr.full_name) == ("DN4797912345678", "7912345678", "Nguyễn Văn An")
    assert (qr.birth, qr.sex, qr.facility, qr.facility_code) == ("17/05/1990", 1, "79 - 024", "79024")
    assert qr.valid_to == dt.date(2026, 12, 31) and qr.five_years_on == dt.date(2022, 1, 1)
    assert qr.parent_name is None and qr.check == "abcd-1234"
    assert (qr.group, qr.benefit_level, qr.percent) == ("DN", 4, 80)


def test_new_card_with_open_validity_and_extra_fields():
    qr = cardqr.parse_bhyt(NEW)
    assert qr.bhxh_code == "7912345678" and qr.birth == "1985" and qr.valid_to is None
    assert qr.extra[0] == "4" and qr.issue_place == "BHXH Hà Nội" and qr.check == "5f0e4a2b9c1d3e7f-1202"
    assert (qr.group, qr.benefit_level, qr.percent) == (None, None, None)


def test_short_old_card_with_nine_fields():
    short = "|".join(OLD.split("|")[:9]) + "|$"
    qr = cardqr.parse_bhyt(short)
    assert qr.five_years_on is None and qr.management_code is None and qr.issued_on == dt.date(2026, 1, 1)
    assert _reason("|".join(OLD.split("|")[:8]) + "|$") == ("too_few_fields", None)


@pytest.mark.parametrize(
    "value,day",
    [(" 01/01/2020", dt.date(2020, 1, 1)), ("01/01/2020", dt.date(2020, 1, 1)), (" -", None), ("", None)],
)
def test_field_12_with_or_without_its_space(value, day):
    assert cardqr.parse_bhyt(_with(OLD, 12, value)).five_years_on == day


@pytest.mark.parametrize("printed", ["79 - 024", "79-024", "79024", "79 -024"])
def test_facility_as_printed_in_any_spacing(printed):
    qr = cardqr.parse_bhyt(_with(OLD, 5, printed))
    assert (qr.facility, qr.facility_code) == ("79 - 024", "79024")


def test_hex_in_either_case_and_names_normalised():
    upper = _with(OLD, 1, _hex("Nguyễn Văn An").upper())
    assert cardqr.parse_bhyt(upper).full_name == "Nguyễn Văn An"
    decomposed = _with(OLD, 1, _hex("Nguye\u0302\u0303n Va\u0306n An  "))  # NFD, trailing spaces
    assert cardqr.parse_bhyt(decomposed).full_name == "Nguyễn Văn An"


@pytest.mark.parametrize("birth", ["1985", "00/00/1985", "00/05/1985", "29/02/2000"])
def test_births_as_printed(birth):
    assert cardqr.parse_bhyt(_with(OLD, 2, birth)).birth == birth


@pytest.mark.parametrize("birth", ["05/00/1985", "29/02/2001", "1850", "85", "17-05-1990", "-"])
def test_impossible_births_are_refused(birth):
    assert _reason(_with(OLD, 2, birth)) == ("bad_field", "birth")


@pytest.mark.parametrize(
    "text,reason,part",
    [
        ("", "empty", None),
        ("hello", "not_a_card", None),
        ("1|2|3$", "not_a_card", None),
        ("XX|zz|01/01/1990|1|-|-|-|-|-|-|$", "bad_field", "number"),
        (OLD.replace("DN479", "DN979"), "bad_field", "number"),
        (OLD.replace(_hex("Nguyễn Văn An"), "zz"), "bad_field", "full_name"),
        (_with(OLD, 4, "c3"), "bad_field", "address"),
        (_with(OLD, 3, "0"), "bad_field", "sex"),
        (_with(OLD, 5, "79 / 024"), "bad_field", "facility"),
        (_with(OLD, 6, "01/01/26"), "bad_field", "valid_from"),
        (_with(OLD, 8, "30/02/2026"), "bad_field", "issued_on"),
        (_with(OLD, 10, "4e6"), "bad_field", "parent_name"),
        (OLD[:-1], "truncated", None),
        (OLD + "x", "trailing", None),
        (OLD + OLD, "two_codes", None),
        ("DN4797912345678", "number_only", None),
    ],
)
def test_garbage_is_refused_clearly(text, reason, part):
    assert _reason(text) == (reason, part)


def test_errors_are_user_errors_with_words():
    with pytest.raises(QrError) as caught:
        cardqr.parse_bhyt(_with(OLD, 2, "31/02/1990"))
    error = caught.value
    assert isinstance(error, UserError) and error.code == "unreadable"
    assert "ngày sinh" in str(error) and "Mã QR thẻ BHYT" in str(error)
    with pytest.raises(QrError, match="Không đọc được mã QR"):
        cardqr.parse_any("https://example.com")
    with pytest.raises(QrError, match="bàn phím"):
        cardqr.parse_any(scans.typed("001090012345|123456789|Lê Hà|17051990|Nữ|Hà Nội|01072021", "fr"))


def test_read_repairs_what_the_scanner_did():
    assert cardqr.read("]Q1" + OLD + "\r\n") == (OLD, cardqr.parse_bhyt(OLD), ["aim_prefix"])
    text, qr, repairs = cardqr.read(scans.typed(OLD, "fr"))
    assert text == OLD and qr.full_name == "Nguyễn Văn An" and repairs == ["layout_fr"]
    text, _qr, repairs = cardqr.read(scans.typed(NEW, "us", capslock=True))
    assert repairs == [] and text != NEW  # unsigned, new card: CapsLock harms nothing, nothing to undo
    text, qr, repairs = cardqr.read(scans.typed(OLD, "us", capslock=True))
    assert (text, qr.card_number, repairs) == (OLD, "DN4797912345678", ["capslock"])
    assert cardqr.clean(scans.typed(NEW, "de")) == (NEW, ["layout_de"])


def test_capslock_on_a_signed_card_is_undone_by_its_key_id():
    signed = _with(OLD, 13, "ABC234.3." + "AbCd" * 21 + "xw")
    text, _qr, repairs = cardqr.read(scans.typed(signed, "us", capslock=True))
    assert text == signed and repairs == ["capslock"]
    mixed = _with(OLD, 13, "AbC234.3." + "AbCd" * 21 + "xw")
    assert cardqr.read(mixed)[2] == []  # no telling: left as it is
    for forced in (signed.upper(), signed.lower()):  # a scanner set to change case: nothing certain left
        with pytest.raises(QrError, match="chữ hoa"):
            cardqr.read(forced)


def test_parse_any_picks_the_kind():
    assert isinstance(cardqr.parse_any(OLD), cardqr.BhytQr)
    assert isinstance(cardqr.parse_any("001090012345||Lê B|01012000|Nữ|HN|01012022"), cardqr.CccdQr)
    with pytest.raises(QrError):
        cardqr.parse_bhyt("001090012345||Lê B|01012000|Nữ|HN|01012022")
    with pytest.raises(QrError):
        cardqr.parse_cccd(OLD)
