"""The one password policy, for citizens and staff: how a password is stored and checked (under
the lock of vss.identity.lockout), what a chosen password may be, how temporary ones are made,
and how old one may grow before its owner is reminded (vss.identity.password_change sends it)."""

import datetime as dt
import secrets
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from vss.core.clock import utcnow
from vss.identity import lockout

METHOD = "scrypt"
MIN_LENGTH = 8
MAX_AGE_DAYS = 182
# Temporary passwords avoid characters people confuse when reading an SMS (0/O, 1/l/I).
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The most common passwords people choose here (and everywhere): refused outright.
COMMON = frozenset(
    (  # noqa: SIM905 - forty words read better on four lines than on forty
        "12345678 123456789 1234567890 87654321 11111111 00000000 88888888 66666666 12341234 11223344 "
        "password password1 matkhau matkhau1 matkhau123 abc12345 abcd1234 qwerty12 qwertyui 1qaz2wsx "
        "iloveyou anhyeuem emyeuanh yeuemmaimai vietnam1 vietnam123 hanoi123 saigon123 baohiem bhxh1234 "
        "admin123 welcome1 12345abc a1234567 zxcvbnm1 asdfghjk 123123123 147258369 11112222 99999999"
    ).split()
)

NO_MATCH = _l("Mật khẩu nhập lại không khớp.")
TOO_SHORT = _l("Mật khẩu cần ít nhất %(count)s ký tự.", count=MIN_LENGTH)
NOT_ASCII = _l("Mật khẩu chỉ gồm chữ không dấu, chữ số và ký hiệu (hãy tắt bộ gõ tiếng Việt).")
PERSONAL = _l("Mật khẩu không được chứa mã số BHXH, số điện thoại, số CCCD hay ngày sinh.")
COMMON_ONE = _l("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")


def hash_password(password):
    """scrypt hash (werkzeug); no silent truncation, unlike bcrypt."""
    return generate_password_hash(password, method=METHOD)


_DUMMY_HASH = hash_password("not-a-real-password")


def matches(password_hash, password):
    """Whether `password` is the one `password_hash` was made from."""
    return check_password_hash(password_hash, password or "")


def same_work(password):
    """The work of one real check, for an account that does not exist or may not be checked now:
    the answer's timing tells nobody which it was."""
    check_password_hash(_DUMMY_HASH, password or "")


class Attempt(NamedTuple):
    """One password typed for an account: `right`, and which check of the lock window it was
    (`number`, None when the lock was on and nothing was compared)."""

    right: bool
    number: int | None
    counter: lockout.Counter


def attempt(user, password, *, device, forgive=True):
    """Check a password typed for `user` (an Account or a StaffUser) under its lock: the check is
    reserved first (vss.identity.lockout), then made. A right password forgives earlier failures
    when `forgive` (staff wait for their second factor)."""
    counter = lockout.counter_for(user, device)
    number = lockout.reserve(counter, user.id)
    if number is None:
        same_work(password)
        return Attempt(False, None, counter)
    if not matches(user.password_hash, password):
        return Attempt(False, number, counter)
    if forgive:
        lockout.succeeded(counter, user.id, number)
    return Attempt(True, number, counter)


def problem(account, password, repeat=None):
    """Why a new password a citizen chose is not acceptable (a lazy message), or None."""
    if repeat is not None and password != repeat:
        return NO_MATCH
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if any(ord(ch) > 126 or ord(ch) < 32 for ch in password):
        return NOT_ASCII
    person = account.person
    birth = person.birth_date
    forbidden = {
        account.username,
        account.phone,
        person.cccd or "",
        *(birth.strftime(form) for form in ("%d%m%Y", "%d/%m/%Y", "%Y%m%d", "%d-%m-%Y")),
    }
    lowered = password.lower()
    if any(item and item in lowered for item in forbidden):
        return PERSONAL
    if lowered in COMMON:
        return COMMON_ONE
    return None


def temporary_password(length=12):
    """A random password with a digit, a capital and a small letter, no look-alikes (a new
    citizen account's first password, a staff account's after creation or reset)."""
    while True:
        value = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if (
            any(c.isdigit() for c in value)
            and any(c.isupper() for c in value)
            and any(c.islower() for c in value)
        ):
            return value


def old_at(account):
    """When a citizen's password becomes old (MAX_AGE_DAYS after it was set)."""
    return account.password_changed_at + dt.timedelta(days=MAX_AGE_DAYS)


def is_old(account):
    """A citizen's password older than MAX_AGE_DAYS (the account page suggests changing it)."""
    return utcnow() > old_at(account)
