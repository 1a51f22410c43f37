"""The chip CCCD's QR, as scanners read it: `cccd|old CMND|full name|DOB ddmmyyyy|Nam or Nữ|
address|issue date ddmmyyyy`, plain UTF-8; 7 parts (some issuances add more, which are ignored);
the old CMND part is empty on people who never had one. vss.cards.cardqr.read cleans the text
and sends it here when it starts with 12 digits and a `|`."""

import datetime as dt
import re
from dataclasses import dataclass

from vss.cards.qrclean import calendar_day, tidy, trim
from vss.cards.qrerror import QrError

DATE = re.compile(r"([0-9]{2})/?([0-9]{2})/?([0-9]{4})")
SEXES = {"nam": 1, "nữ": 2, "nu": 2}  # "Nu": scanners that cannot type ữ


@dataclass
class CccdQr:
    """The chip CCCD QR's parts."""

    cccd: str
    cmnd: str | None
    full_name: str
    birth_date: dt.date | None
    sex: int | None
    address: str | None
    issued_on: dt.date | None


def _date(value, part, required=False):
    value = trim(value)
    match = DATE.fullmatch(value)
    day = match and calendar_day(int(match[1]), int(match[2]), int(match[3]))
    if (value or required) and not day:
        raise QrError("bad_cccd_field", part)
    return day or None


def read_cccd(text):
    """A cleaned text (12 digits and a | first) read as a chip CCCD QR; raises QrError."""
    parts = text.split("|")
    if len(parts) < 7:
        raise QrError("truncated")
    cmnd = trim(parts[1]) or None
    if cmnd and not re.fullmatch(r"[0-9]{9}|[0-9]{12}", cmnd):
        raise QrError("bad_cccd_field", "cmnd")
    name = tidy(parts[2], "full_name", "bad_cccd_field")
    if not name or re.search(r"[0-9]", name):
        raise QrError("bad_cccd_field", "full_name")
    birth_date = _date(parts[3], "birth", required=True)
    sex = tidy(parts[4], "sex", "bad_cccd_field")
    if sex and sex.lower() not in SEXES:
        raise QrError("bad_cccd_field", "sex")
    address = tidy(parts[5], "address", "bad_cccd_field")
    if any(mark in (name + (address or "")) for mark in "?\ufffd"):  # letters the scanner could not type
        raise QrError("no_unicode")
    return CccdQr(
        cccd=parts[0],
        cmnd=cmnd,
        full_name=name,
        birth_date=birth_date,
        sex=SEXES[sex.lower()] if sex else None,
        address=address,
        issued_on=_date(parts[6], "issued_on"),
    )
