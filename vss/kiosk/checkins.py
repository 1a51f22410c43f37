"""Check-ins at the counter: a kiosk records that a card was presented at its facility, with the
verdict it showed. One transaction, idempotent twice over: the same idempotency key is the same
check-in (a kiosk's offline queue may send a check-in again and again), and a second scan of the
same card at the same facility within SAME_VISIT_MINUTES (of the kiosk's clock) is the same
check-in too. Both hold across workers: the check-in's card and facility are serialised (an
advisory lock on PostgreSQL; SQLite's write transactions are serial) and the key is unique.

The citizen sees their check-ins (`for_person`): a check-in is an open visit until the facility's
record of a visit (the registry's MedicalVisit at that facility, admitted that day or later)
arrives, and the list of where the card was used lets them notice a use where they were not."""

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegrityError

from vss.core.clock import VN, utcnow
from vss.core.db import BaseModel, FixedQuery, serialize, transaction
from vss.core.errors import UserError
from vss.kiosk.kiosks import Kiosk
from vss.kiosk.verdict import STATUSES
from vss.registry.directory import Facility
from vss.registry.registry import MedicalVisit, Person

SAME_VISIT_MINUTES = 10
SAME_VISIT = dt.timedelta(minutes=SAME_VISIT_MINUTES)
CLOCK_SKEW = dt.timedelta(minutes=5)  # a kiosk's clock may run this far ahead
OLDEST_DAYS = 7  # a queued check-in older than this is refused (the visit is long over)
RECENT = 30  # the citizen's check-ins looked at (open visits, and where the card was used)
USES_SHOWN = 10

KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # a UUID (with or without hyphens) or a random token
# What a check-in records: the verdict of a scan that read a card (a chip CCCD: the card found by
# it), or UNVERIFIED for a card number sent without its QR (nothing VSS could check).
UNVERIFIED = "unverified"
RECORDED = (frozenset(STATUSES) - {"unreadable"}) | {UNVERIFIED}
BHXH_CODE = re.compile(r"[0-9]{10}")
CARD_NUMBER = re.compile(r"[A-Z]{2}[1-5][0-9]{2}([0-9]{10})")  # group, level, province, BHXH code

BAD_KEY = _l("Mã lượt tiếp nhận không hợp lệ.")
BAD_CARD = _l("Số thẻ BHYT hoặc mã số BHXH không hợp lệ.")
UNKNOWN_CARD = _l("Không tìm thấy thẻ BHYT này trong dữ liệu BHXH.")
BAD_STATUS = _l("Kết quả kiểm tra thẻ không hợp lệ.")
FUTURE = _l("Thời điểm quét thẻ ở tương lai: vui lòng kiểm tra đồng hồ của kiosk.")
TOO_OLD = _l("Lượt quét thẻ đã quá %(days)s ngày, không ghi nhận được.", days=OLDEST_DAYS)
KEY_TAKEN = _l("Mã lượt tiếp nhận đã được dùng cho một lượt khác.")


class CheckIn(BaseModel):
    """A card presented at a facility's counter (one per visit)."""

    kiosk = ForeignKeyField(Kiosk, on_delete="RESTRICT")
    facility = ForeignKeyField(Facility, on_delete="RESTRICT", index=False)
    card_number = CharField(max_length=15)  # as scanned: 15 characters, or the BHXH code (new cards)
    bhxh_code = CharField(max_length=10)
    person = ForeignKeyField(Person, null=True, on_delete="SET NULL", index=False)
    status = CharField(max_length=24)  # the verdict shown at the counter (vss.kiosk.verdict)
    scanned_at = DateTimeField()  # by the kiosk's clock (a queued check-in arrives later)
    recorded_at = DateTimeField(default=utcnow)
    idempotency_key = CharField(max_length=64, unique=True)
    offline = BooleanField(default=False)  # verified in the kiosk while VSS could not be reached
    # VSS confirmed the holder: its own signature on the QR, or the registry's name and date of
    # birth on an unsigned QR or a chip CCCD. Only then may the counter see the dossier's portrait.
    confirmed = BooleanField(default=False)

    class Meta:
        indexes = (
            (("facility", "bhxh_code", "scanned_at"), False),  # the same visit
            (("person", "scanned_at"), False),  # the citizen's list
        )


MODELS = [CheckIn]


def _card(card_number, bhxh_code):
    """(card number, BHXH code) when they are well formed and agree; the code may be left out."""
    number = (card_number or "").strip().upper()
    code = (bhxh_code or "").strip()
    match = CARD_NUMBER.fullmatch(number)
    owner = match.group(1) if match else number if BHXH_CODE.fullmatch(number) else None
    if owner is None or (code and code != owner):
        raise UserError(BAD_CARD, field="card_number", code="bad_card")
    return number, owner


def _scanned(scanned_at):
    """A naive-UTC time within the window a check-in may come from."""
    now = utcnow()
    if scanned_at > now + CLOCK_SKEW:
        raise UserError(FUTURE, field="scanned_at", code="future")
    if scanned_at < now - dt.timedelta(days=OLDEST_DAYS):
        raise UserError(TOO_OLD, field="scanned_at", code="too_old")
    return scanned_at


def _mine(checkin, kiosk, code):
    """The check-in of `key`, when it is this kiosk's for the same card (a key reused for another
    card, or by another kiosk, is refused: the visit it names is not this one)."""
    if checkin.kiosk_id != kiosk.id or checkin.bhxh_code != code:
        raise UserError(KEY_TAKEN, field="key", code="key_taken")
    return checkin


# Asked on every check-in: their SQL made once (vss.core.db.FixedQuery; writing it cost more than
# running it).
_PERSON = FixedQuery(lambda code: Person.select(Person.id).where(Person.bhxh_code == code))
_BY_KEY = FixedQuery(lambda key: CheckIn.select().where(CheckIn.idempotency_key == key))
_SAME_VISIT = FixedQuery(
    lambda facility_id, code, start, end: (
        CheckIn.select()
        .where(
            (CheckIn.facility == facility_id)
            & (CheckIn.bhxh_code == code)
            & (CheckIn.scanned_at >= start)
            & (CheckIn.scanned_at <= end)
        )
        .order_by(CheckIn.scanned_at, CheckIn.id)
        .limit(1)
    )
)


def _first(query, *values):
    rows = query.rows(*values)
    return rows[0] if rows else None


def _confirm(checkin, confirmed):
    """A visit first scanned unconfirmed becomes confirmed when VSS confirms the holder later."""
    if confirmed and not checkin.confirmed:
        CheckIn.update(confirmed=True).where(CheckIn.id == checkin.id).execute()
        checkin.confirmed = True
    return checkin


def _recorded(kiosk, key, window):  # window: (facility, code, from, to)
    """The check-in already recorded under `key` (this kiosk's, else UserError), or the one of
    the same visit (`window`: facility, BHXH code, earliest and latest scan time), or None."""
    same = _first(_BY_KEY, key)
    if same is not None:
        return _mine(same, kiosk, window[1])
    return _first(_SAME_VISIT, *window)


def record(kiosk, *, card_number, bhxh_code, status, scanned_at, key, offline=False, confirmed=False):
    """Record a check-in at the kiosk's facility; returns (checkin, created). The same `key`, or
    the same card at the same facility within SAME_VISIT of `scanned_at` (naive UTC, the
    kiosk's clock), is the check-in already recorded (created False). UserError on bad input:
    key, card, status, a time in the future or older than OLDEST_DAYS, a card no one holds."""
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise UserError(BAD_KEY, field="key", code="bad_key")
    if status not in RECORDED:
        raise UserError(BAD_STATUS, field="status", code="bad_status")
    number, code = _card(card_number, bhxh_code)
    scanned_at = _scanned(scanned_at)
    person = _first(_PERSON, code)
    if person is None:
        raise UserError(UNKNOWN_CARD, field="card_number", code="unknown_card")
    window = (kiosk.facility_id, code, scanned_at - SAME_VISIT, scanned_at + SAME_VISIT)
    # Most scans repeat a key or a visit: answered by reads, without taking the write lock.
    known = _recorded(kiosk, key, window)
    if known is not None:
        return _confirm(known, confirmed), False
    try:
        with transaction():
            serialize(f"checkin:{kiosk.facility_id}:{code}")
            known = _recorded(kiosk, key, window)
            if known is not None:
                return known, False
            checkin = CheckIn.create(
                kiosk=kiosk.id,
                facility=kiosk.facility_id,
                card_number=number,
                bhxh_code=code,
                person=person.id,
                status=status,
                scanned_at=scanned_at,
                idempotency_key=key,
                offline=bool(offline),
                confirmed=bool(confirmed),
            )
    except IntegrityError:
        # The same key sent for another card at the same moment: the other request won.
        same = CheckIn.get_or_none(CheckIn.idempotency_key == key)
        if same is None:
            raise
        return _mine(same, kiosk, code), False
    return checkin, True


def parse_time(text):
    """An ISO 8601 time with its offset ('2026-12-03T08:15:00.000Z', as a browser writes it) as
    naive UTC; None when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if value.tzinfo is None or not 2000 <= value.year <= 2100:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None)


# --- what the citizen sees -----------------------------------------------------------------

_RECENT = FixedQuery(
    # With the facility and the counter: the page names both on every row (no query per row).
    lambda person_id, limit: (
        CheckIn.select(CheckIn, Facility, Kiosk)
        .join(Facility)
        .switch(CheckIn)
        .join(Kiosk)
        .where(CheckIn.person == person_id)
        .order_by(CheckIn.scanned_at.desc(), CheckIn.id.desc())
        .limit(limit)
    )
)


def day_start(moment):
    """The start (naive UTC) of the Vietnam-time day of a naive-UTC moment."""
    local = moment.replace(tzinfo=dt.UTC).astimezone(VN)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def for_person(person):
    """(open, used): the person's check-ins whose facility has not yet sent a record of the visit
    (newest first), and the latest USES_SHOWN check-ins, each with its facility and kiosk. Two
    queries at most (one when the card was never scanned)."""
    rows = _RECENT.rows(person.id, RECENT)
    if not rows:
        return [], []
    starts = {row.id: day_start(row.scanned_at) for row in rows}
    recorded = (
        MedicalVisit.select(MedicalVisit.facility, MedicalVisit.admitted_at)
        .where(
            (MedicalVisit.person == person.id)
            & (MedicalVisit.admitted_at >= min(starts.values()))
            & MedicalVisit.facility.in_(sorted({row.facility_id for row in rows}))
        )
        .tuples()
    )
    latest = {}
    for facility_id, admitted_at in recorded:
        latest[facility_id] = max(admitted_at, latest.get(facility_id, admitted_at))
    still_open = [
        row for row in rows if row.facility_id not in latest or latest[row.facility_id] < starts[row.id]
    ]
    return still_open, rows[:USES_SHOWN]


PORTRAIT_MINUTES = 30  # how long after a check-in its kiosk may still show the patient's portrait


def recent(kiosk, checkin_id):
    """The kiosk's own check-in `checkin_id` if recorded within PORTRAIT_MINUTES, else None."""
    since = utcnow() - dt.timedelta(minutes=PORTRAIT_MINUTES)
    return CheckIn.get_or_none(
        (CheckIn.id == checkin_id) & (CheckIn.kiosk == kiosk.id) & (CheckIn.recorded_at >= since)
    )
