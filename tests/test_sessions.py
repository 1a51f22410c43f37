"""Sessions, citizens' and staff's (vss/identity/sessions.py): the one liveness rule, one device at
a time, why a session ended, touching, the staff pending stage, idle and absolute limits."""

import datetime as dt
from typing import NamedTuple

from tests.signin_helpers import make_account
from tests.staff_helpers import make_staff, offices
from vss.core import clock
from vss.core.clock import utcnow
from vss.identity import sessions
from vss.identity.accounts import StaffUser
from vss.identity.sessions import CitizenSession, StaffSession


class Row(NamedTuple):
    """What the card page's short way has of a session (it reads its own row, not the model)."""

    ended_at: dt.datetime | None
    shared: bool
    created_at: dt.datetime
    last_seen_at: dt.datetime | None = None


def test_a_bound_session_lives_thirty_days_from_its_start():
    start = dt.datetime(2026, 12, 1, 8, 0)
    row = Row(ended_at=None, shared=False, created_at=start)
    assert sessions.alive(row, start + sessions.BOUND_SESSION)
    assert not sessions.alive(row, start + sessions.BOUND_SESSION + dt.timedelta(seconds=1))


def test_a_shared_session_ends_after_thirty_idle_minutes_however_young():
    start = dt.datetime(2026, 12, 1, 8, 0)
    used = start + dt.timedelta(hours=2)
    row = Row(ended_at=None, shared=True, created_at=start, last_seen_at=used)
    assert sessions.alive(row, used + sessions.SHARED_IDLE)
    assert not sessions.alive(row, used + sessions.SHARED_IDLE + dt.timedelta(seconds=1))


def test_an_ended_session_is_dead_at_once():
    start = dt.datetime(2026, 12, 1, 8, 0)
    assert not sessions.alive(Row(ended_at=start, shared=False, created_at=start), start)


def test_signing_in_elsewhere_ends_the_first_session_and_says_why(app):
    account = make_account()
    first = sessions.open_citizen_session(account, "phone-1", bind=True)
    second = sessions.open_citizen_session(account, "laptop", shared=True)
    assert sessions.citizen_session(first) == (None, "taken_over")
    row, why = sessions.citizen_session(second)
    assert why is None and row.account.id == account.id and row.account.person.full_name
    sessions.close_citizen_session(second)
    assert sessions.citizen_session(second) == (None, "ended")
    assert sessions.citizen_session("no-such-key") == (None, None)


def test_binding_a_new_device_gives_it_a_clean_count_and_tells_the_owner(app):
    account = make_account(device_failed_logins=3)
    sessions.open_citizen_session(account, "phone-1", bind=True)
    sessions.open_citizen_session(account.__class__.get_by_id(account.id), "phone-2", bind=True)
    account = account.__class__.get_by_id(account.id)
    assert account.owns_device("phone-2") and not account.owns_device("phone-1")
    assert account.device_failed_logins == 0


def test_an_old_bound_session_ends(app):
    key = sessions.open_citizen_session(make_account(), "phone-1", bind=True)
    clock.travel(sessions.BOUND_SESSION + dt.timedelta(minutes=1))
    assert sessions.citizen_session(key) == (None, "ended")


def test_a_session_is_written_at_most_once_a_minute(app):
    key = sessions.open_citizen_session(make_account(), "phone-1", bind=True)
    seen = CitizenSession.get().last_seen_at
    clock.travel(dt.timedelta(seconds=30))
    sessions.citizen_session(key)
    assert CitizenSession.get().last_seen_at == seen
    clock.travel(dt.timedelta(seconds=40))
    sessions.citizen_session(key)
    assert CitizenSession.get().last_seen_at > seen


def test_staff_pass_through_a_short_pending_stage(app):
    staff = make_staff(offices()["00101"])
    pending = sessions.open_pending(staff)
    assert sessions.pending_staff(pending).id == staff.id
    assert sessions.staff_session(pending) is None  # the password alone does not sign in
    key = sessions.open_staff_session(staff, pending_key=pending, device="browser")
    assert sessions.pending_staff(pending) is None  # used up
    assert sessions.staff_session(key).staff_id == staff.id
    late = sessions.open_pending(staff)
    clock.travel(dt.timedelta(seconds=sessions.PENDING_SECONDS + 1))
    assert sessions.pending_staff(late) is None


def test_a_staff_session_ends_idle_or_old_or_deactivated(app):
    staff = make_staff(offices()["00101"])
    idle = sessions.open_staff_session(staff)
    clock.travel(dt.timedelta(minutes=sessions.IDLE_MINUTES, seconds=1))
    assert sessions.staff_session(idle) is None

    busy = sessions.open_staff_session(staff)
    for _ in range(sessions.ABSOLUTE_HOURS * 3 - 1):  # used every 20 minutes for 11 h 40 min
        clock.travel(dt.timedelta(minutes=20))
        assert sessions.staff_session(busy) is not None
    clock.travel(dt.timedelta(minutes=21))
    assert sessions.staff_session(busy) is None

    live = sessions.open_staff_session(staff)
    StaffUser.update(active=False).where(StaffUser.id == staff.id).execute()
    assert sessions.staff_session(live) is None


def test_keep_alive_resets_the_idle_clock(app):
    staff = make_staff(offices()["00101"])
    key = sessions.open_staff_session(staff)
    clock.travel(dt.timedelta(minutes=sessions.IDLE_MINUTES - 1))
    sessions.keep_alive(StaffSession.get(StaffSession.key == key))
    clock.travel(dt.timedelta(minutes=sessions.IDLE_MINUTES - 1))
    row = sessions.staff_session(key)
    assert row is not None and sessions.staff_expires_at(row) > utcnow()
