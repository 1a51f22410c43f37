"""Checks and normalisation of what people type: BHXH codes, names, ID numbers, phones, emails.
Each returns the normalised value or raises Invalid with a (lazily translated) message."""

import datetime as dt
import re
import unicodedata

import phonenumbers
from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError

# Birth-registration province codes printed in CCCD numbers: the 63 pre-2025 provinces (GSO codes).
CCCD_PROVINCES = frozenset(
    {
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    }
)
CCCD, CMND, PASSPORT = "cccd", "cmnd", "ho_chieu"


class Invalid(UserError, ValueError):
    """What the user typed cannot be accepted (code 'invalid'); `message` is what to show."""

    def __init__(self, message):
        super().__init__(message, code="invalid")


def bhxh_code(raw):
    """A 10-digit BHXH code (spaces ignored)."""
    value = re.sub(r"\s", "", raw or "")
    if not re.fullmatch(r"[0-9]{10}", value):
        raise Invalid(_l("Mã số BHXH gồm 10 chữ số (10 số cuối trên thẻ BHYT)."))
    return value


def full_name(raw):
    """A person's name: NFC, single spaces, letters only; capitalised word by word."""
    # NFKC first: full-width and mathematical letters become the letters they look like.
    value = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", " ".join((raw or "").split())))
    if len(value) < 2 or len(value) > 80:
        raise Invalid(_l("Vui lòng nhập họ và tên đầy đủ."))
    if not all(ch.isalpha() or ch in " '-" for ch in value):
        raise Invalid(_l("Họ và tên chỉ gồm chữ cái, không có số hay ký hiệu."))
    if not all(ch in " '-" or unicodedata.name(ch, "").startswith("LATIN") for ch in value):
        # Cyrillic or Greek letters that look Latin would make a name no registry search finds.
        raise Invalid(
            _l("Họ và tên viết bằng chữ cái tiếng Việt (chữ Latinh), không dùng chữ của bảng chữ cái khác.")
        )
    if " " not in value:
        raise Invalid(_l("Vui lòng nhập đủ họ và tên (ví dụ: Nguyễn Văn An)."))
    return " ".join(word[:1].upper() + word[1:].lower() for word in value.split(" "))


def lacks_diacritics(name):
    """True when a name has no Vietnamese marks at all (most real names have some)."""
    return all(ord(ch) < 128 for ch in name)


def id_number(raw, birth_date=None, sex=None):
    """(kind, number) of a CCCD (12 digits, structure checked), CMND (9 digits) or passport."""
    value = re.sub(r"[\s.\-]", "", raw or "").upper()
    if re.fullmatch(r"[0-9]{12}", value):
        _check_cccd(value, birth_date, sex)
        return CCCD, value
    if re.fullmatch(r"[0-9]{9}", value):
        return CMND, value
    if re.fullmatch(r"[A-Z][0-9]{7,8}", value):
        return PASSPORT, value
    raise Invalid(_l("Số CCCD gồm 12 chữ số, CMND gồm 9 chữ số, hộ chiếu gồm 1 chữ cái và 7 chữ số."))


def _check_cccd(value, birth_date, sex):
    province, gender_century, year2 = int(value[:3]), int(value[3]), int(value[4:6])
    if province not in CCCD_PROVINCES:
        raise Invalid(_l("Số CCCD không đúng: 3 chữ số đầu phải là mã tỉnh nơi đăng ký khai sinh."))
    century = 1900 + 100 * (gender_century // 2)
    year = century + year2
    if year > dt.date.today().year:
        raise Invalid(_l("Số CCCD không đúng: chữ số thứ 4 đến 6 không khớp với năm sinh."))
    if birth_date is not None and birth_date.year != year:
        raise Invalid(_l("Số CCCD không khớp với năm sinh."))
    if sex is not None and (gender_century % 2) + 1 != sex:
        raise Invalid(_l("Số CCCD không khớp với giới tính."))


def mobile_phone(raw):
    """A Vietnamese mobile number in national form, e.g. '0912345678'."""
    try:
        number = phonenumbers.parse(raw or "", "VN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 84
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise Invalid(_l("Số điện thoại di động không đúng (10 chữ số, ví dụ 0912 345 678)."))
    return "0" + str(number.national_number)


def staff_username(raw):
    """A staff username: lower-case letters, digits, dot, hyphen, underscore; 3 to 32."""
    value = (raw or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9._\-]{3,32}", value):
        raise Invalid(
            _l("Tên đăng nhập gồm 3–32 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.")
        )
    return value


def day(raw, earliest=dt.date(1900, 1, 1), latest=dt.date(2100, 12, 31)):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd from a date picker) within sensible years."""
    value = None
    for pattern, fmt in (
        (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"),
        (r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", "%d/%m/%Y"),
    ):
        if re.fullmatch(pattern, (raw or "").strip()):
            try:
                value = dt.datetime.strptime(raw.strip(), fmt).date()
            except ValueError:
                value = None
    if value is None or not earliest <= value <= latest:
        raise Invalid(_l("Ngày theo dạng dd/mm/yyyy, ví dụ 17/05/1990."))
    return value


_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL = rf"{_ATOM}(\.{_ATOM})*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{{2,}}"


def email(raw):
    """A lower-cased email address: the characters an address's name may hold unquoted (RFC 5322
    atext and dots; no quotes, brackets or angle brackets), and a domain of letters, digits and
    hyphens (IDN domains in their xn-- form). The code we send proves it."""
    value = (raw or "").strip().lower()
    if len(value) > 254 or not re.fullmatch(EMAIL, value):
        raise Invalid(_l("Địa chỉ thư điện tử không đúng (ví dụ: ten@gmail.com)."))
    return value
