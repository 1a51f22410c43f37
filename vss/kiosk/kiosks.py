"""Hospital kiosks (the reception counter of a CSKCB): enrolled by an admin of the facility's
province, who is shown a one-time enrolment code once; the kiosk's browser trades the code for a
long-lived credential, a random token kept in a cookie of which only the SHA-256 is stored.
Admins list, rename, revoke and re-issue a code (which ends the old credential); every action
writes its audit row.

The code is stored as an HMAC under SECRET_KEY and looked up by it; redeeming it is one
conditional UPDATE, so of any number of parallel redeems exactly one wins. Every redeem spends
one attempt of the asking client's budget first (counted before it is judged, outside any
transaction, so a refusal cannot uncount it)."""

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from vss.core import audit, limits
from vss.core.clock import utcnow
from vss.core.db import BaseModel, FixedQuery, transaction
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.identity.accounts import StaffUser
from vss.registry.directory import Facility

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G: read aloud over a phone and typed on a kiosk without doubt.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 10
CODE_HOURS = 24
NAME_MAX = 60
SEEN_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute
PENDING, ENROLLED, EXPIRED, REVOKED = "pending", "enrolled", "expired", "revoked"
UNKNOWN = "unknown"  # a credential no kiosk has (never issued, or replaced by a new code)
STATUS_LABELS = {
    PENDING: _l("Chờ ghi danh"),
    ENROLLED: _l("Đã ghi danh"),
    EXPIRED: _l("Mã ghi danh đã hết hạn"),
    REVOKED: _l("Đã thu hồi"),
}

NO_NAME = _l("Vui lòng nhập tên kiosk (tối đa %(max)s ký tự).", max=NAME_MAX)
IS_REVOKED = _l("Kiosk này đã bị thu hồi.")
REFUSED = {  # a code that does not enrol, by why
    "wrong": _l("Mã ghi danh không đúng. Vui lòng kiểm tra lại mã quản trị viên đã cấp."),
    "used": _l("Mã ghi danh này đã được sử dụng. Vui lòng đề nghị quản trị viên cấp mã mới."),
    "expired": _l("Mã ghi danh đã hết hạn. Vui lòng đề nghị quản trị viên cấp mã mới."),
}
TOO_MANY = _l("Mạng này đã thử mã ghi danh quá nhiều lần. Vui lòng thử lại sau ít phút.")
# Attempts one client (an IP, an IPv6 /64) may make: enough for a technician enrolling every
# counter of a hospital behind one address; far too few to guess a code (23^10 ≈ 4·10^13).
ENROL_BUDGET = limits.Budget("kiosk-enrol", 20, 600, TOO_MANY)


class Kiosk(BaseModel):
    """A kiosk at one facility, with its credential (hashed) and its enrolment code (HMAC)."""

    facility = ForeignKeyField(Facility, on_delete="RESTRICT")
    name = TextField()
    token_hash = CharField(max_length=64, null=True, unique=True)  # SHA-256 of the cookie's token
    enrol_hmac = CharField(max_length=64, null=True, unique=True)  # of the latest code
    enrol_expires_at = DateTimeField(null=True)
    enrolled_at = DateTimeField(null=True)  # the latest code was used (then token_hash is set)
    created_by = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    @property
    def status(self):
        """PENDING (a live code), ENROLLED, EXPIRED (the code was never used) or REVOKED."""
        if self.revoked_at is not None:
            return REVOKED
        if self.enrolled_at is not None:
            return ENROLLED
        if self.enrol_expires_at is not None and self.enrol_expires_at > utcnow():
            return PENDING
        return EXPIRED

    @property
    def status_label(self):
        """The status in the reader's language."""
        return STATUS_LABELS[self.status]


MODELS = [Kiosk]


# --- codes and tokens ---------------------------------------------------------------------


def new_code():
    """A fresh enrolment code: CODE_LENGTH characters of CODE_ALPHABET from a CSPRNG."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code):
    """'ACDEF-HJKMN': in two groups, to be read aloud and typed."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalised_code(text):
    """What was typed, as a code: upper case, without spaces and hyphens."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def _code_hmac(code):
    key = hmac.new(settings.SECRET_KEY.encode(), b"vss-kiosk-enrol", hashlib.sha256).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def token_hash(token):
    """A credential's stored form (the token is 256 random bits: one SHA-256 is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_code():
    code = new_code()
    return code, {
        Kiosk.enrol_hmac: _code_hmac(code),
        Kiosk.enrol_expires_at: utcnow() + dt.timedelta(hours=CODE_HOURS),
        Kiosk.enrolled_at: None,
        Kiosk.token_hash: None,
    }


# --- administration (admins of the facility's province) -----------------------------------


def in_scope(admin):
    """The kiosks of facilities in the admin's province, with their facility, by facility and name."""
    return (
        Kiosk.select(Kiosk, Facility)
        .join(Facility)
        .where(Facility.province_code == admin.office.province_code)
        .order_by(Facility.code, Kiosk.name, Kiosk.id)
    )


def kiosk_for(admin, kiosk_id):
    """A kiosk the admin may manage, or None (another province's is the same as missing)."""
    return in_scope(admin).where(Kiosk.id == kiosk_id).first()


def facility_for(admin, code):
    """The facility of a typed code ('01065' or as printed, '01 - 065') in the admin's province
    and contracted for BHYT; else UserError on the field `facility_code`."""
    code = re.sub(r"[\s\-]", "", code or "").upper()
    facility = Facility.get_or_none(Facility.code == code) if len(code) == 5 else None
    if facility is None:
        message = _l("Không có cơ sở khám chữa bệnh mã %(code)s. Mã gồm 5 ký tự, ví dụ 01065.", code=code[:8])
        raise UserError(message, field="facility_code", code="no_facility")
    if facility.province_code != admin.office.province_code:
        message = _l("Cơ sở khám chữa bệnh %(code)s không thuộc tỉnh của bạn.", code=code)
        raise UserError(message, field="facility_code", code="other_province")
    if not facility.contracted_bhyt:
        message = _l("Cơ sở khám chữa bệnh %(code)s không ký hợp đồng khám chữa bệnh BHYT.", code=code)
        raise UserError(message, field="facility_code", code="not_contracted")
    return facility


def _name(name):
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise UserError(NO_NAME, field="name", code="name")
    return name


def _audit(action, admin, kiosk, ip, **detail):
    audit.record(
        action,
        actor_kind="staff",
        actor_id=admin.id,
        actor_label=admin.username,
        obj=kiosk,
        ip=ip,
        detail={"facility": kiosk.facility.code, "name": kiosk.name, **detail},
    )


def enrol(admin, facility_code, name, ip=""):
    """A new kiosk at a facility of the admin's province; returns (kiosk, code). The code is
    shown once and never stored: only its HMAC."""
    facility = facility_for(admin, facility_code)
    name = _name(name)
    code, fields = _issue_code()
    with transaction():
        kiosk = Kiosk.create(
            facility=facility, name=name, created_by=admin, **{f.name: v for f, v in fields.items()}
        )
        _audit("kiosk.create", admin, kiosk, ip)
    return kiosk, code


def _live(kiosk):
    if kiosk.revoked_at is not None:
        raise UserError(IS_REVOKED, code="revoked")


def rename(admin, kiosk, name, ip=""):
    """A new name (what the counter and the citizen's list show)."""
    _live(kiosk)
    name, old = _name(name), kiosk.name
    with transaction():
        Kiosk.update(name=name).where(Kiosk.id == kiosk.id).execute()
        kiosk.name = name
        _audit("kiosk.rename", admin, kiosk, ip, old=old)


def revoke(admin, kiosk, ip=""):
    """The kiosk's credential and any unused code stop working at once, for good."""
    _live(kiosk)
    with transaction():
        Kiosk.update(revoked_at=utcnow()).where(Kiosk.id == kiosk.id).execute()
        _audit("kiosk.revoke", admin, kiosk, ip)


def reissue(admin, kiosk, ip=""):
    """A new enrolment code for the kiosk (a new browser, a lost cookie); the old credential and
    any older code stop working at once. Returns the code (shown once)."""
    _live(kiosk)
    code, fields = _issue_code()
    with transaction():
        Kiosk.update(fields).where(Kiosk.id == kiosk.id).execute()
        _audit("kiosk.reissue", admin, kiosk, ip, had_credential=kiosk.token_hash is not None)
    return code


# --- the kiosk's side -----------------------------------------------------------------------


def redeem(code, client=""):
    """The kiosk's browser gives its code: returns (kiosk, token) once per code; UserError
    (field 'code') when wrong, used, expired or the client's attempts are spent (429)."""
    limits.spend(ENROL_BUDGET, client or "unknown")
    code = normalised_code(code)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise UserError(REFUSED["wrong"], field="code", code="wrong")
    hashed, token, now = _code_hmac(code), secrets.token_urlsafe(32), utcnow()
    with transaction():
        won = (
            Kiosk.update(token_hash=token_hash(token), enrolled_at=now, last_seen_at=now)
            .where(
                (Kiosk.enrol_hmac == hashed)
                & Kiosk.enrolled_at.is_null()
                & Kiosk.revoked_at.is_null()
                & (Kiosk.enrol_expires_at > now)
            )
            .execute()
        )
        kiosk = Kiosk.select(Kiosk, Facility).join(Facility).where(Kiosk.enrol_hmac == hashed).first()
        if not won:
            _refuse(kiosk)
        audit.record(
            "kiosk.enrol", actor_kind="kiosk", actor_id=kiosk.id, actor_label=kiosk.name, obj=kiosk, ip=client
        )
    return kiosk, token


def _refuse(kiosk):
    why = "wrong" if kiosk is None or kiosk.revoked_at else "used" if kiosk.enrolled_at else "expired"
    raise UserError(REFUSED[why], field="code", code=why)


class Seen(NamedTuple):
    """What a kiosk credential says: the kiosk (None unless it may work), why not (UNKNOWN or
    REVOKED), and whether last_seen_at was written now (the cookie is then renewed too)."""

    kiosk: Kiosk | None
    why: str | None
    touched: bool = False


# Asked on every kiosk request: its SQL made once (vss.core.db.FixedQuery).
_BY_TOKEN = FixedQuery(
    lambda hashed: Kiosk.select(Kiosk, Facility).join(Facility).where(Kiosk.token_hash == hashed)
)


def authenticate(token):
    """The kiosk of a credential (its facility joined), noting it was seen (at most once a minute)."""
    if not token or len(token) > 128:
        return Seen(None, UNKNOWN if token else None)
    rows = _BY_TOKEN.rows(token_hash(token))
    if not rows:
        return Seen(None, UNKNOWN)
    kiosk, now = rows[0], utcnow()
    if kiosk.revoked_at is not None:
        return Seen(None, REVOKED)
    if kiosk.last_seen_at is not None and now - kiosk.last_seen_at <= SEEN_EVERY:
        return Seen(kiosk, None)
    Kiosk.update(last_seen_at=now).where(Kiosk.id == kiosk.id).execute()
    kiosk.last_seen_at = now
    return Seen(kiosk, None, touched=True)
