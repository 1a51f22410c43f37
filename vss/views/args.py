"""Query-string values, parsed one way for every view: ASCII digits only ('²' and '٣' are not
numbers here), bounded, and anything else is treated as absent — a bad link shows the default
page, never an error."""

import datetime as dt
import re

from flask import request

from vss.registry import directory

MAX_PAGE = 10_000


def integer(name, *, default=None, low=0, high=2**31 - 1):
    """An integer query parameter within [low, high], else `default`."""
    raw = request.args.get(name, "")
    if not re.fullmatch(r"-?[0-9]{1,10}", raw):
        return default
    value = int(raw)
    return value if low <= value <= high else default


def page_number(name="trang"):
    """A 1-based page number (1 when absent or out of range)."""
    return integer(name, default=1, low=1, high=MAX_PAGE)


def cursor(name="truoc"):
    """A keyset position '<ISO time>_<id>' (the last row of the previous page) as
    (datetime, id), or None."""
    at, _, last_id = request.args.get(name, "").rpartition("_")
    if not re.fullmatch(r"[0-9]{1,10}", last_id):
        return None
    try:
        return dt.datetime.fromisoformat(at), int(last_id)
    except ValueError:
        return None


def cursor_text(position):
    """The query value of a keyset position (`cursor` reads it back)."""
    at, last_id = position
    return f"{at.isoformat()}_{last_id}"


def province(name="tinh"):
    """A known province code, or None."""
    code = integer(name, low=1, high=99)
    return code if code and directory.province_name(code) else None


def year(name="nam", low=1900, high=2100):
    """A year within sensible bounds, or None."""
    return integer(name, low=low, high=high)
