"""Time in one place: UTC in the database, Vietnam time on screen. Tests may move the clock."""

import datetime as dt
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_offset = dt.timedelta(0)


def utcnow():
    """Naive UTC now (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) + _offset


def vn_now():
    """Aware Vietnam-time now."""
    return utcnow().replace(tzinfo=dt.UTC).astimezone(VN)


def vn_today():
    """Today's date in Vietnam."""
    return vn_now().date()


def to_vn(value):
    """A stored naive-UTC datetime as aware Vietnam time."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(VN)


def travel(delta):
    """Move the clock by `delta` (tests only: the clock is the edge of the world)."""
    global _offset
    _offset += delta


def reset():
    """Put the clock back."""
    global _offset
    _offset = dt.timedelta(0)
