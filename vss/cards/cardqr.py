"""Parsers for the QR codes people carry: the BHYT card QR (the layout hospital systems read)
and the chip CCCD QR. They accept what scanners type and reject garbage with a clear message."""

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError


class QrError(UserError):
    """Not a QR we can read; `message` is what to show (in the reader's language), `code` is
    'unreadable'."""

    def __init__(self, message):
        super().__init__(message, code="unreadable")


@dataclass
class BhytQr:
    """The fields of a BHYT card QR (positions per DOMAIN.md); missing tails are None."""

    card_number: str  # 15 characters on old cards, or the 10-digit BHXH code on new ones
    bhxh_code: str
    full_name: str
    birth: str  # dd/mm/yyyy, or a year alone
    sex: int | None
    address: str | None
    facility: str | None  # 'PP - FFF'
    valid_from: dt.date | None
    valid_to: dt.date | None
    issued_on: dt.date | None
    management_code: str | None = None
    parent_name: str | None = None
    area_code: str | None = None
    five_years_on: dt.date | None = None
    check: str | None = None
    extra: list = field(default_factory=list)
    fields: list = field(default_factory=list)  # the raw fields, for signature checks


@dataclass
class CccdQr:
    """The chip CCCD QR: number|old CMND|name|DOB ddmmyyyy|Nam/Nữ|address|issue date."""

    cccd: str
    cmnd: str | None
    full_name: str
    birth_date: dt.date | None
    sex: int | None
    address: str | None
    issued_on: dt.date | None


def _hex_text(value, what):
    if value in ("", "-"):
        return None
    try:
        return bytes.fromhex(value).decode("utf-8").strip()
    except ValueError:
        raise QrError(_l("Mã QR thẻ BHYT không đọc được (%(what)s).", what=what)) from None


def _date(value, fmt="%d/%m/%Y"):
    value = (value or "").strip()
    if value in ("", "-"):
        return None
    try:
        return dt.datetime.strptime(value, fmt).date()
    except ValueError:
        raise QrError(_l("Mã QR có ngày tháng không đúng định dạng.")) from None


def _at(parts, index):
    return parts[index] if index < len(parts) else None


def parse_bhyt(text):
    """Read a BHYT card QR; raises QrError for anything that is not one."""
    raw = (text or "").strip()
    if not raw.endswith("$") or raw.count("|") < 9:
        raise QrError(_l("Đây không phải mã QR thẻ BHYT (thiếu các trường phân cách bởi dấu |)."))
    parts = raw[:-1].rstrip("|").split("|")
    number = parts[0].strip().upper()
    if re.fullmatch(r"[A-Z]{2}[1-5][0-9]{2}[0-9]{10}", number):
        bhxh_code = number[-10:]
    elif re.fullmatch(r"[0-9]{10}", number):
        bhxh_code = number
    else:
        raise QrError(_l("Mã QR thẻ BHYT có số thẻ không đúng (15 ký tự hoặc mã số BHXH 10 chữ số)."))
    name = _hex_text(parts[1], _l("họ tên"))
    if not name:
        raise QrError(_l("Mã QR thẻ BHYT không có họ tên."))
    birth = parts[2].strip()
    if not re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}", birth):
        raise QrError(_l("Mã QR thẻ BHYT có ngày sinh không đúng."))
    sex = {"1": 1, "2": 2}.get(parts[3].strip())
    return BhytQr(
        card_number=number,
        bhxh_code=bhxh_code,
        full_name=name,
        birth=birth,
        sex=sex,
        address=_hex_text(parts[4], _l("địa chỉ")),
        facility=(parts[5].strip() or None),
        valid_from=_date(_at(parts, 6)),
        valid_to=_date(_at(parts, 7)),
        issued_on=_date(_at(parts, 8)),
        management_code=_at(parts, 9),
        parent_name=_hex_text(_at(parts, 10) or "-", _l("họ tên cha mẹ")),
        area_code=(_at(parts, 11) or None),
        five_years_on=_date(_at(parts, 12)),
        check=_at(parts, 13),
        extra=parts[14:],
        fields=parts,
    )


def parse_cccd(text):
    """Read a chip CCCD QR; raises QrError for anything that is not one."""
    parts = (text or "").strip().split("|")
    if len(parts) < 7 or not re.fullmatch(r"[0-9]{12}", parts[0].strip()):
        raise QrError(_l("Đây không phải mã QR trên CCCD gắn chip."))
    sex = {"nam": 1, "nữ": 2, "nu": 2}.get(parts[4].strip().lower())
    return CccdQr(
        cccd=parts[0].strip(),
        cmnd=parts[1].strip() or None,
        full_name=parts[2].strip(),
        birth_date=_date(parts[3], "%d%m%Y"),
        sex=sex,
        address=parts[5].strip() or None,
        issued_on=_date(parts[6], "%d%m%Y"),
    )


def parse_any(text):
    """A CCCD or BHYT QR, whichever it is (USB scanners type either into the same field)."""
    value = (text or "").strip()
    if value.endswith("$"):
        return parse_bhyt(value)
    if re.match(r"[0-9]{12}\|", value):
        return parse_cccd(value)
    raise QrError(_l("Không đọc được mã QR. Hãy quét mã QR trên thẻ BHYT hoặc trên CCCD gắn chip."))
