"""Readers for the QR codes people bring to a counter: the BHYT card QR (the layout hospital
systems read, ../shared/design/DOMAIN.md) and the chip CCCD QR, as a scanner delivers them.

BHYT card QR: fields split by `|`, then `$`; 9 to 17 fields (old cards stop after the issue date,
VSS's signed cards have 14, new cards 16 or 17); field 0 the 15-character card number or the
10-digit BHXH code; names and addresses hex of UTF-8 (either case); the date of birth
`dd/mm/yyyy` or the year alone; field 12 ` dd/mm/yyyy` with or without its leading space; field 13
the official check string (`hex-4digits`: no signature anyone outside BHXH can check) or VSS's
signature `kid.version.base64url(r||s)` (vss.cards.cardverify). A text without its `$` was cut
short and is refused: its last field cannot be trusted.

`read` first takes off what scanners add (vss.cards.qrclean), then reads; if that fails, it tries
each other keyboard layout the scanner may have typed through and keeps the one reading that
succeeds, if exactly one does. Anything else raises QrError with a reason (vss.cards.qrerror).
vss/static/js/kiosk-verify.js reads the same way: change both together."""

import datetime as dt
import re
from dataclasses import dataclass, field

from vss.cards import qrclean
from vss.cards.cccdqr import CccdQr, read_cccd
from vss.cards.qrclean import calendar_day, tidy, trim
from vss.cards.qrerror import QrError

NUMBER = re.compile(r"([A-Z]{2})([1-5])[0-9]{2}([0-9]{10})|([0-9]{10})")
CARD_PREFIX = re.compile(r"(?:[A-Za-z]{2}[1-5][0-9]{12}|[0-9]{10})\|")
HEX = re.compile(r"[0-9A-Fa-f]+")
DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
BIRTH = re.compile(r"(?:([0-9]{2})/([0-9]{2})/)?([0-9]{4})")
FACILITY = re.compile(r"([0-9]{2}) {0,3}-? {0,3}([0-9A-Za-z]{3})")
VSS_KID = re.compile(r"([A-Za-z2-7]{6})\.[0-9]+\.")
VSS_SIGNED = re.compile(r"[A-Za-z2-7]{6}\.[0-9]+\.([A-Za-z0-9_-]{80,90})")
PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}  # by benefit level (DOMAIN.md)
MAX_FIELDS = 24


@dataclass
class BhytQr:
    """The fields of a BHYT card QR (positions per DOMAIN.md); missing tails are None."""

    card_number: str  # 15 characters on old cards, or the 10-digit BHXH code on new ones
    bhxh_code: str
    full_name: str
    birth: str  # as printed: dd/mm/yyyy, or the year alone
    sex: int | None
    address: str | None
    facility: str | None  # as printed, 'PP - FFF'
    valid_from: dt.date | None
    valid_to: dt.date | None
    issued_on: dt.date | None
    management_code: str | None = None
    parent_name: str | None = None
    area_code: str | None = None
    five_years_on: dt.date | None = None
    check: str | None = None
    extra: list = field(default_factory=list)  # fields 14 and after, as scanned
    fields: list = field(default_factory=list)  # every field as scanned, for signature checks
    issue_place: str | None = None  # field 15 of new cards

    @property
    def facility_code(self):
        """The facility's 5-character code ('01065'), or None."""
        return self.facility and self.facility.replace(" - ", "")

    @property
    def group(self):
        """The beneficiary group ('DN') of a 15-character number; None for a 10-digit one."""
        return self.card_number[:2] if len(self.card_number) == 15 else None

    @property
    def benefit_level(self):
        return int(self.card_number[2]) if len(self.card_number) == 15 else None

    @property
    def percent(self):
        """What the fund pays at this benefit level, in per cent (before caps)."""
        return PERCENT.get(self.benefit_level)


def _text(value, part, required=False):
    """A hex-of-UTF-8 field (either case), '-' or empty for none."""
    value = trim(value)
    text = None
    if value not in ("", "-"):
        if not HEX.fullmatch(value) or len(value) % 2:
            raise QrError("bad_field", part)
        try:
            text = bytes.fromhex(value).decode("utf-8")
        except UnicodeDecodeError:
            raise QrError("bad_field", part) from None
        text = tidy(text, part)
    if required and not text:
        raise QrError("bad_field", part)
    return text


def _date(value, part):
    value = trim(value)
    if value in ("", "-"):
        return None
    match = DATE.fullmatch(value)
    day = match and calendar_day(int(match[1]), int(match[2]), int(match[3]))
    if not day:
        raise QrError("bad_field", part)
    return day


def _birth(value):
    """The date of birth as printed, checked: a real date, the year alone, or 00 for an unknown
    day (and month)."""
    value = trim(value)
    match = BIRTH.fullmatch(value)
    if not match or not 1900 <= int(match[3]) <= 2100:
        raise QrError("bad_field", "birth")
    if match[1]:
        day, month = int(match[1]), int(match[2])
        if (day and not calendar_day(day, month, int(match[3]))) or (not day and month > 12):
            raise QrError("bad_field", "birth")
    return value


def _sex(value):
    value = trim(value)
    if value not in ("1", "2", "", "-"):
        raise QrError("bad_field", "sex")
    return int(value) if value in ("1", "2") else None


def _facility(value):
    """The primary-care facility as printed ('01 - 065'), from '01 - 065', '01-065' or '01065'."""
    value = trim(value)
    if value in ("", "-"):
        return None
    place = FACILITY.fullmatch(value)
    if not place:
        raise QrError("bad_field", "facility")
    return f"{place[1]} - {place[2].upper()}"


def _raw(parts, index):
    value = trim(parts[index]) if index < len(parts) else ""
    return None if value in ("", "-") else value


def _at(parts, index):
    return parts[index] if index < len(parts) else ""


def _bhyt(text):
    """A cleaned text read as a BHYT card QR."""
    body, dollar, rest = text.partition("$")
    if not dollar:
        if re.fullmatch(r"[A-Za-z0-9]+", text) and NUMBER.fullmatch(text.upper()):
            raise QrError("number_only")
        raise QrError("truncated" if CARD_PREFIX.match(text) else "not_a_card")
    if rest:
        raise QrError("two_codes" if "|" in rest else "trailing")
    parts = body.split("|")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if len(parts) < 9:
        raise QrError("too_few_fields" if len(parts) > 1 and CARD_PREFIX.match(text) else "not_a_card")
    if len(parts) > MAX_FIELDS:
        raise QrError("not_a_card")
    number = trim(parts[0]).upper() if re.fullmatch(r"[A-Za-z0-9]+", trim(parts[0])) else ""
    if not NUMBER.fullmatch(number):
        raise QrError("bad_field", "number")
    return BhytQr(  # field by field, in order: the first bad one is the one reported
        card_number=number,
        bhxh_code=number[-10:],
        full_name=_text(parts[1], "full_name", required=True),
        birth=_birth(parts[2]),
        sex=_sex(parts[3]),
        address=_text(parts[4], "address"),
        facility=_facility(parts[5]),
        valid_from=_date(parts[6], "valid_from"),
        valid_to=_date(parts[7], "valid_to"),
        issued_on=_date(parts[8], "issued_on"),
        management_code=_raw(parts, 9),
        parent_name=_text(_at(parts, 10), "parent_name"),
        area_code=_raw(parts, 11),
        five_years_on=_date(_at(parts, 12), "five_years_on"),
        check=_raw(parts, 13),
        extra=parts[14:],
        fields=parts,
        issue_place=_text(_at(parts, 15), "issue_place"),
    )


def _either(text):
    if re.match(r"[0-9]{12}\|", text):
        return read_cccd(text)
    if re.fullmatch(r"[0-9]{9}|[0-9]{12}", text):
        raise QrError("number_only")
    return _bhyt(text)


def _other_layout(text, error):
    """(text, qr, layout, prefixed) for the one other keyboard layout whose undoing reads as a
    card; raises QrError when none or several do."""
    found = []
    for layout in qrclean.LAYOUTS:
        candidate = qrclean.undo_layout(text, layout)
        if candidate is None:
            continue
        candidate, prefixed = qrclean.strip_aim(candidate)
        try:
            found.append((candidate, _either(candidate), layout, prefixed))
        except QrError:
            continue
    if len(found) == 1:
        return found[0]
    if found or qrclean.looks_like_layout(text):
        raise QrError("keyboard_layout")
    if qrclean.looks_like_ime(text):
        raise QrError("input_method")
    raise error


def _capslock(fields):
    """Whether a BHYT QR was typed with CapsLock on: VSS's key ids are upper case, and so are
    the group letters of a card number."""
    kid = VSS_KID.match(trim(_at(fields, 13)))
    if kid:
        return bool(re.fullmatch(r"[a-z2-7]*[a-z][a-z2-7]*", kid[1]))
    return bool(re.match(r"[a-z]{2}[1-5]", trim(fields[0])))


def _case_lost(fields):
    """Whether a scanner forced the case of a VSS signature: 86 random base64 characters without
    a single lower (or upper) case letter do not happen (odds below 1 in 10^19), and no signature
    can be checked once its case is lost."""
    signed = VSS_SIGNED.fullmatch(trim(_at(fields, 13)))
    return bool(signed) and (signed[1].upper() == signed[1] or signed[1].lower() == signed[1])


def read(text):
    """Read whatever a scanner or a paste delivered: returns (text, qr, repairs) — the card's
    text as it was meant, the BhytQr or CccdQr, and the names of what had to be repaired
    ('aim_prefix', 'layout_fr', 'capslock'…); raises QrError."""
    text, repairs = qrclean.strip_noise(text)
    try:
        qr = _either(text)
    except QrError as error:
        text, qr, layout, prefixed = _other_layout(text, error)
        repairs += ["layout_" + layout] + (["aim_prefix"] if prefixed else [])
    if isinstance(qr, BhytQr) and _capslock(qr.fields):
        text = qrclean.swap_case(text)
        qr = _bhyt(text)
        repairs.append("capslock")
    if isinstance(qr, BhytQr) and _case_lost(qr.fields):
        raise QrError("case_changed")
    return text, qr, repairs


def clean(text):
    """The text a scan meant, repaired (see `read`): (text, repairs); raises QrError."""
    text, _qr, repairs = read(text)
    return text, repairs


def parse_any(text):
    """A CCCD or BHYT QR, whichever it is (USB scanners type either into the same field)."""
    return read(text)[1]


def parse_bhyt(text):
    """Read a BHYT card QR; raises QrError for anything that is not one."""
    qr = parse_any(text)
    if not isinstance(qr, BhytQr):
        raise QrError("not_a_card")
    return qr


def parse_cccd(text):
    """Read a chip CCCD QR; raises QrError for anything that is not one."""
    qr = parse_any(text)
    if not isinstance(qr, CccdQr):
        raise QrError("not_a_card")
    return qr
