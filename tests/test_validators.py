"""Validators: the Vietnamese messages users see, and normalisation."""

import datetime as dt

import pytest

from vss.core import validators as v
from vss.core.validators import Invalid


@pytest.mark.parametrize("raw, expected", [("0123456789", "0123456789"), (" 01234 56789 ", "0123456789")])
def test_bhxh_code(raw, expected):
    assert v.bhxh_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "012345678", "01234567890", "01234x6789"])
def test_bad_bhxh_code(raw):
    with pytest.raises(Invalid, match="10 chữ số"):
        v.bhxh_code(raw)


def test_name_is_nfc_single_spaced_and_capitalised():
    decomposed = "nguye\u0302\u0303n  va\u0306n   an"
    assert v.full_name(decomposed) == "Nguyễn Văn An"
    assert v.lacks_diacritics("Nguyen Van An") and not v.lacks_diacritics("Nguyễn Văn An")


@pytest.mark.parametrize("raw, message", [("An", "đủ họ và tên"), ("Nguyễn V4n", "chữ cái"), ("", "đầy đủ")])
def test_bad_names(raw, message):
    with pytest.raises(Invalid, match=message):
        v.full_name(raw)


def test_cccd_structure():
    assert v.id_number("001 090 012345") == (v.CCCD, "001090012345")
    assert v.id_number("079301000001", dt.date(2001, 1, 1), 2) == (v.CCCD, "079301000001")
    assert v.id_number("123456789") == (v.CMND, "123456789")
    assert v.id_number("c1234567") == (v.PASSPORT, "C1234567")


@pytest.mark.parametrize(
    "raw, birth, sex, message",
    [
        ("003090012345", None, None, "mã tỉnh"),  # 003 is no province
        ("001290012345", None, None, "năm sinh"),  # born 2090
        ("001090012345", dt.date(1991, 1, 1), None, "năm sinh"),
        ("001090012345", None, 2, "giới tính"),  # digit 0 = male
        ("12345", None, None, "12 chữ số"),
    ],
)
def test_bad_cccd(raw, birth, sex, message):
    with pytest.raises(Invalid, match=message):
        v.id_number(raw, birth, sex)


@pytest.mark.parametrize("raw", ["0912345678", "+84 912 345 678", "84912345678", "0912-345-678"])
def test_mobile_is_normalised(raw):
    assert v.mobile_phone(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["0241234567", "091234567", "12345", "", "+1 202 555 0100"])
def test_bad_mobile(raw):
    with pytest.raises(Invalid, match="di động"):
        v.mobile_phone(raw)


@pytest.mark.parametrize(
    "raw, stored",
    [
        (" An@Example.VN ", "an@example.vn"),
        ("nguyen.thi.hoa+bhxh@gmail.com", "nguyen.thi.hoa+bhxh@gmail.com"),
        ("hoa_99@mail.xn--vnt-bla.vn", "hoa_99@mail.xn--vnt-bla.vn"),
    ],
)
def test_email(raw, stored):
    assert v.email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "an@example",
        'a"><script>alert(7)</script>@x.vn',
        "a<b>@x.vn",
        "an@-x.vn",
        "an..b@x.vn",
        ".an@x.vn",
        "an@x..vn",
        "hòa@gmail.com",
        "an@x.vn\nBcc: b@y.vn",
        "a b@x.vn",
    ],
)
def test_email_refused(raw):
    with pytest.raises(Invalid):
        v.email(raw)


@pytest.mark.parametrize("lang, expected", [("vi", "Lựa chọn không hợp lệ"), ("en", "Invalid choice")])
def test_a_choice_that_was_not_offered_is_refused_in_the_reader_s_language(app, lang, expected):
    """WTForms has no Vietnamese catalog: its own messages are said in ours (web/forms/fields.py)."""
    from flask_babel import force_locale

    from vss.web.forms import OfficeForm

    with app.test_request_context("/", method="POST", data={"channel": "cong_dich_vu"}), force_locale(lang):
        form = OfficeForm()
        form.validate()
        assert form.channel.errors and expected in str(form.channel.errors[0])


def test_look_alike_letters_in_names():
    # Full-width and mathematical letters read as the letters they look like…
    assert v.full_name("Ｌｕｕ Ｈｕｕ Ｈａｕ") == "Luu Huu Hau"
    assert v.full_name("ℌ𝔢𝔩𝔩𝔬 Bảo") == "Hello Bảo"
    # …letters of another alphabet that look Latin are refused with a clear message.
    for name in ("Тrần Thiên Bảo", "Viên Đức Ѕơn", "Αn Nguyễn"):
        with pytest.raises(Invalid, match="chữ Latinh"):
            v.full_name(name)
