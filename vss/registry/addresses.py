"""Reading an address written as text (the one on a chip CCCD) into the 2025 two-level units:
the province, the ward, and the street part before them.

A CCCD issued before 1 July 2025 carries the address of its day: ward, district and one of the
63 old provinces ("Số 5 ngõ 7, Phường Láng Hạ, Quận Đống Đa, Hà Nội"). The province is certain
(old provinces were merged whole, so each lies in exactly one new one), but an old ward cannot
be turned into a 2025 ward from its name: wards were merged, split and renamed, and
vietnam-provinces has no mapping. Such an address gets its province and street, and the person
picks the ward. A 2025 address ("…, Phường Cầu Giấy, Thành phố Hà Nội") gets its ward too."""

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass

from vss.registry import directory

REFORM_DAY = dt.date(2025, 7, 1)  # the two-level local government (districts abolished)
MATCHED, OLD_ADDRESS, WARD_UNKNOWN, PROVINCE_UNKNOWN = "matched", "old", "ward_unknown", "province_unknown"

# The 29 provinces merged into another on 1 July 2025 (Nghị quyết 202/2025/QH15), and Huế's
# old name: each lies whole in the new province named.
OLD_PROVINCES = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Phú Yên": "Đắk Lắk",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Tiền Giang": "Đồng Tháp",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
    "Thừa Thiên Huế": "Huế",
}
# What people write for a province besides its name.
PROVINCE_ALIASES = {"HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh", "Sài Gòn": "Hồ Chí Minh"}
PROVINCE_WORDS = ("tỉnh", "thành phố", "tp", "t")
DISTRICT_WORDS = ("quận", "huyện", "thị xã", "thành phố", "q", "h", "tx", "tp")
WARD_WORDS = ("phường", "xã", "thị trấn", "đặc khu", "p", "x", "tt")
# Tone marks (the vowel marks â ă ơ ư ê ô stay where they are): "Hoà" and "Hòa" are one name.
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@dataclass(frozen=True)
class AddressMatch:
    """What an address text says in 2025 units. `status` is MATCHED (province and ward),
    OLD_ADDRESS (a pre-reform address: province only), WARD_UNKNOWN (a 2025-style address whose
    ward is not in the province) or PROVINCE_UNKNOWN; `ward_text` is the ward (and for an old
    address the district) as written, for the person to find the right ward."""

    status: str
    province_code: int | None = None
    ward_code: int | None = None
    street: str = ""
    ward_text: str = ""


def _key(text):
    """A spelling-proof key: lower case, no punctuation, tone marks at the end of each word
    (old and new placement alike), numbers without leading zeros."""
    words = []
    for word in unicodedata.normalize("NFD", text.lower()).split():
        tones = sorted(c for c in word if c in TONES)
        kept = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in word if c not in TONES)
        for piece in kept.split():
            words.append((piece.lstrip("0") or "0") if piece.isdigit() else piece)
        if tones and words:
            words[-1] += "".join(tones)
    return " ".join(words)


def _strip_words(key, words):
    """(the key without a leading unit word of `words`, whether it had one)."""
    for word in sorted(map(_key, words), key=len, reverse=True):
        if key.startswith(word + " "):
            return key[len(word) + 1 :], True
    return key, False


@functools.cache
def _provinces():
    """{key of a province's name: (2025 code, whether the name is a pre-2025 province's)}."""
    index = {
        _strip_words(_key(name), PROVINCE_WORDS)[0]: (code, False) for code, name, _p in directory.provinces()
    }
    for old, new in OLD_PROVINCES.items():
        index[_key(old)] = (index[_key(new)][0], True)
    for alias, name in PROVINCE_ALIASES.items():
        index[_key(alias)] = index[_key(name)]
    return index


@functools.cache
def _wards(province_code):
    return {_strip_words(_key(name), WARD_WORDS)[0]: code for code, name in directory.wards(province_code)}


def province_of(text):
    """(the 2025 province code a province's name means, whether it is a pre-2025 name), or
    (None, False)."""
    return _provinces().get(_strip_words(_key(text), PROVINCE_WORDS)[0], (None, False))


def ward_of(province_code, text):
    """The code of the 2025 ward of `province_code` named `text` (with or without 'Phường',
    'Xã'…), or None."""
    return _wards(province_code).get(_strip_words(_key(text), WARD_WORDS)[0])


def _is_district(part):
    return _strip_words(_key(part), DISTRICT_WORDS)[1]


def match_address(text, issued_on=None):
    """Read `text` ("street, ward[, district], province", comma-separated as on a CCCD) into an
    AddressMatch. `issued_on`, the card's issue date, tells an old address from a 2025 one
    when the text names no district."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if parts and _key(parts[-1]) in (_key("Việt Nam"), "viet nam", "vietnam"):
        parts.pop()
    province, merged = province_of(parts[-1]) if parts else (None, False)
    if province is None:
        return AddressMatch(PROVINCE_UNKNOWN)
    rest = parts[:-1]
    districts = [i for i, part in enumerate(rest) if _is_district(part)]
    if merged or districts or (issued_on is not None and issued_on < REFORM_DAY):
        district = districts[-1] if districts else len(rest) - 1
        ward_at = max(district - 1, 0)
        return AddressMatch(
            OLD_ADDRESS,
            province,
            street=", ".join(rest[:ward_at]),
            ward_text=", ".join(rest[ward_at : district + 1]),
        )
    ward = ward_of(province, rest[-1]) if rest else None
    if ward is not None:
        return AddressMatch(MATCHED, province, ward, street=", ".join(rest[:-1]))
    return AddressMatch(
        WARD_UNKNOWN, province, street=", ".join(rest[:-1]), ward_text=rest[-1] if rest else ""
    )
