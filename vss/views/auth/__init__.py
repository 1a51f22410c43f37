"""Đăng nhập: the blueprint `auth` (base), the sign-in with its takeover and code (signin), and the
first sign-in with a temporary password (first_password)."""

from vss.views.auth import first_password, signin  # noqa: F401 - their routes join the blueprint
from vss.views.auth.base import (
    DEVICE_COOKIE,
    TAKEN_OVER,
    bp,
    citizen_required,
    device,
    enter,
    masked,
    masked_email,
    pending,
)

__all__ = [
    "DEVICE_COOKIE",
    "TAKEN_OVER",
    "bp",
    "citizen_required",
    "device",
    "enter",
    "masked",
    "masked_email",
    "pending",
]
