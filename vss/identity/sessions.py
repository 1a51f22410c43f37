"""Server-side sessions, citizens' and staff's: opened after sign-in under a random key (kept in
the signed cookie), found and judged on every request (so they work across workers and a
sign-out or a takeover ends them everywhere at once), touched at most once a minute, closed.

- A citizen has one live session at a time: signing in on one device ends the others. On their
  own (bound) device a session lasts BOUND_SESSION_DAYS from its start; on a shared computer it
  ends after SHARED_IDLE_MINUTES unused. `alive` is the one rule, also used by the card page's
  short way (vss.views.card_page).
- A member of staff first gets a pending session (password checked, PENDING_SECONDS to give the
  second factor), then a signed-in one under a new key, which ends after IDLE_MINUTES unused or
  ABSOLUTE_HOURS after it began, or at once when the account is deactivated (`staff_alive`)."""

import datetime as dt
import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import BaseModel, FixedQuery, transaction
from vss.identity.accounts import Account, StaffUser, device_hash
from vss.messages import notify
from vss.registry.registry import Person

BOUND_SESSION_DAYS = 30
SHARED_IDLE_MINUTES = 30
REAUTH_MINUTES = 15
IDLE_MINUTES = 30
ABSOLUTE_HOURS = 12
PENDING_SECONDS = 300  # between a member of staff's password and their code
BOUND_SESSION = dt.timedelta(days=BOUND_SESSION_DAYS)
SHARED_IDLE = dt.timedelta(minutes=SHARED_IDLE_MINUTES)
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute
PASSWORD_DONE, SIGNED_IN = "password", "full"
TAKEN_OVER = ("new_device", "signed_in_elsewhere")  # end reasons that mean "another device signed in"


class CitizenSession(BaseModel):
    """A signed-in citizen session, checked on every request (works across workers)."""

    key = CharField(max_length=64, unique=True)
    account = ForeignKeyField(Account, on_delete="CASCADE")
    device_hash = CharField(max_length=64, default="")
    shared = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    reauth_at = DateTimeField(default=utcnow)  # when the password was last typed
    ended_at = DateTimeField(null=True)
    end_reason = CharField(max_length=24, default="")


class StaffSession(BaseModel):
    """One staff session, checked on every request (works across workers): first the password
    stage, then — after the second factor, under a new key — the signed-in stage."""

    key = CharField(max_length=64, unique=True)
    staff = ForeignKeyField(StaffUser, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
    ip = CharField(max_length=45, default="")
    stage = CharField(max_length=8, default="full")


MODELS = [CitizenSession, StaffSession]


def _new_key():
    return secrets.token_urlsafe(32)


def _touch(model, row, now):
    """Note that the session was used (at most once a minute: a write per request is waste)."""
    if now - row.last_seen_at > TOUCH_EVERY:
        model.update(last_seen_at=now).where(model.id == row.id).execute()
        row.last_seen_at = now


# --- citizens -----------------------------------------------------------------------------


def alive(row, now):
    """Whether a citizen session is live at `now`: not ended, and on one's own device opened less
    than BOUND_SESSION_DAYS ago, on a shared computer used less than SHARED_IDLE_MINUTES ago.
    `row` is a CitizenSession or any object with its ended_at, shared and created_at (and
    last_seen_at, read only for a shared session)."""
    if row.ended_at is not None:
        return False
    if row.shared:
        return now - row.last_seen_at <= SHARED_IDLE
    return now - row.created_at <= BOUND_SESSION


def why_ended(row, now):
    """None while a citizen session signs its citizen in (`alive`), else why not: 'taken_over'
    (another device signed in) or 'ended' (signed out, password changed, expired…). Asked on every
    signed-in request and by the stored card page (vss.views.card_page) with its own row."""
    if alive(row, now):
        return None
    return "taken_over" if row.ended_at is not None and row.end_reason in TAKEN_OVER else "ended"


def end_citizen_sessions(account, reason, keep=None):
    """End the account's live sessions (except the one of key `keep`)."""
    query = CitizenSession.update(ended_at=utcnow(), end_reason=reason).where(
        (CitizenSession.account == account) & CitizenSession.ended_at.is_null()
    )
    if keep:
        query = query.where(CitizenSession.key != keep)
    return query.execute()


def _bind_device(account, hashed, ip):
    """This device becomes the account's own, with a clean count of its own; the owner is told
    when it replaces another."""
    previous = account.device_hash
    Account.update(
        device_hash=hashed, device_bound_at=utcnow(), device_failed_logins=0, device_locked_until=None
    ).where(Account.id == account.id).execute()
    if previous:
        notify.sms(account.phone, "new_device", person=account.person_id, username=account.username)
        if account.email:
            notify.email(account.email, "new_device", person=account.person_id, username=account.username)
    audit.record(
        "account.device_bound",
        actor_kind="citizen",
        actor_id=account.id,
        obj=account,
        ip=ip,
        detail={"replaced": bool(previous)},
    )


def open_citizen_session(account, device, *, shared=False, bind=False, ip=""):
    """Sign in: end any other session (one device at a time), bind the device if asked, and
    return the new session key."""
    key = _new_key()
    hashed = device_hash(device)
    with transaction():
        end_citizen_sessions(account, reason="new_device" if bind else "signed_in_elsewhere")
        if bind and account.device_hash != hashed:
            _bind_device(account, hashed, ip)
        CitizenSession.create(key=key, account=account, device_hash=hashed, shared=shared)
        audit.record(
            "account.sign_in",
            actor_kind="citizen",
            actor_id=account.id,
            obj=account,
            ip=ip,
            detail={"shared": shared},
        )
    return key


# The session with its account and person, on every signed-in request: its SQL is made once
# (vss.core.db.FixedQuery; writing it cost 20 times running it).
_SESSION = FixedQuery(
    lambda key: (
        CitizenSession.select(CitizenSession, Account, Person)
        .join(Account)
        .join(Person)
        .where(CitizenSession.key == key)
    )
)


def citizen_session(key):
    """(session, None) when live (touched), or (None, why) with why in {'ended', 'taken_over',
    None}. The session comes with its account and person: every signed-in page needs them."""
    if not key:
        return None, None
    rows = _SESSION.rows(key)
    if not rows:
        return None, None
    row, now = rows[0], utcnow()
    why = why_ended(row, now)
    if why:
        return None, why
    _touch(CitizenSession, row, now)
    return row, None


def needs_reauth(row):
    """Changing credentials asks for the password again after REAUTH_MINUTES."""
    return utcnow() - row.reauth_at > dt.timedelta(minutes=REAUTH_MINUTES)


def reauthenticated(row):
    """The citizen just typed their password again in this session."""
    CitizenSession.update(reauth_at=utcnow()).where(CitizenSession.id == row.id).execute()


def close_citizen_session(key):
    """Sign out."""
    CitizenSession.update(ended_at=utcnow(), end_reason="signed_out").where(
        (CitizenSession.key == key) & CitizenSession.ended_at.is_null()
    ).execute()


# --- staff --------------------------------------------------------------------------------


def open_pending(staff, ip=""):
    """After the password: a pending session (its key goes in the cookie). TOTP and its first
    enrolment are reachable only through it, so a forged cookie without the password leads
    nowhere."""
    key = _new_key()
    StaffSession.create(key=key, staff=staff, ip=ip or "", stage=PASSWORD_DONE)
    return key


def pending_staff(key):
    """The staff member whose password was checked in this pending session, or None."""
    if not key:
        return None
    row = (
        StaffSession.select(StaffSession, StaffUser)
        .join(StaffUser)
        .where(
            (StaffSession.key == key)
            & (StaffSession.stage == PASSWORD_DONE)
            & StaffSession.ended_at.is_null()
        )
        .first()
    )
    fresh = row is not None and utcnow() - row.created_at <= dt.timedelta(seconds=PENDING_SECONDS)
    return row.staff if fresh and row.staff.active else None


def open_staff_session(staff, ip="", pending_key=None, device=None):
    """Both factors done: the pending session ends and a signed-in one begins under a new key;
    this browser becomes the staff member's own device (with a clean count of its own)."""
    key = _new_key()
    with transaction():
        if device and staff.device_hash != device_hash(device):
            StaffUser.update(
                device_hash=device_hash(device), device_failed_logins=0, device_locked_until=None
            ).where(StaffUser.id == staff.id).execute()
        if pending_key:
            StaffSession.update(ended_at=utcnow()).where(StaffSession.key == pending_key).execute()
        StaffSession.create(key=key, staff=staff, ip=ip or "", stage=SIGNED_IN)
        audit.record(
            "staff.sign_in", actor_kind="staff", actor_id=staff.id, actor_label=staff.username, ip=ip
        )
    return key


def staff_expires_at(row):
    """When a staff session ends if nothing more happens (idle or absolute, whichever first)."""
    return min(
        row.last_seen_at + dt.timedelta(minutes=IDLE_MINUTES),
        row.created_at + dt.timedelta(hours=ABSOLUTE_HOURS),
    )


def staff_alive(row, now):
    """Whether a signed-in staff session is live at `now`: not ended, neither idle nor too old,
    its account active."""
    return row.ended_at is None and now <= staff_expires_at(row) and row.staff.active


def staff_session(key):
    """The live signed-in session of a key (touched), or None."""
    if not key:
        return None
    row = (
        StaffSession.select(StaffSession, StaffUser)
        .join(StaffUser)
        .where((StaffSession.key == key) & (StaffSession.stage == SIGNED_IN))
        .first()
    )
    now = utcnow()
    if row is None or not staff_alive(row, now):
        return None
    _touch(StaffSession, row, now)
    return row


def keep_alive(row):
    """'Tiếp tục làm việc': reset the idle clock now."""
    StaffSession.update(last_seen_at=utcnow()).where(StaffSession.id == row.id).execute()


def end_staff_sessions(staff):
    """End every session of a member of staff (deactivated, or given new credentials)."""
    StaffSession.update(ended_at=utcnow()).where(
        (StaffSession.staff == staff) & StaffSession.ended_at.is_null()
    ).execute()


def close_staff_session(key):
    """Sign out."""
    StaffSession.update(ended_at=utcnow()).where(
        (StaffSession.key == key) & StaffSession.ended_at.is_null()
    ).execute()
