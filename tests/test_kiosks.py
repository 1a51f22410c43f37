"""Kiosk enrolment and credentials (vss/kiosk/kiosks.py), called directly: where an admin may
enrol one, the one-time code (HMAC only, once, for a day), the credential (hashed), renaming,
revoking and a new code, each with its audit row."""

import datetime as dt
import hashlib
import re

import pytest

from tests.kiosk_helpers import world
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.kiosk import kiosks
from vss.kiosk.kiosks import Kiosk

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")


@pytest.fixture
def site(app):
    return world()


@pytest.fixture
def admin(site):
    return site["admin"]


def actions():
    return [row.action for row in AuditLog.select().order_by(AuditLog.id)]


def test_an_admin_enrols_a_kiosk_and_only_the_code_s_hmac_is_kept(admin):
    kiosk, code = kiosks.enrol(admin, "01065", "  Quầy   tiếp đón 1 ", ip="10.0.0.9")
    assert re.fullmatch(f"[{kiosks.CODE_ALPHABET}]{{10}}", code)
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", kiosks.shown_code(code))
    row = Kiosk.get_by_id(kiosk.id)
    assert (row.facility.code, row.name, row.status, row.created_by_id) == (
        "01065",
        "Quầy tiếp đón 1",
        kiosks.PENDING,
        admin.id,
    )
    assert row.token_hash is None and code not in str(row.__data__.values())
    assert row.enrol_expires_at - clock.utcnow() == pytest.approx(
        dt.timedelta(hours=24), abs=dt.timedelta(seconds=5)
    )
    entry = AuditLog.get(AuditLog.action == "kiosk.create")
    assert (entry.actor_id, entry.object_id, entry.ip) == (admin.id, str(kiosk.id), "10.0.0.9")
    assert entry.detail == {"facility": "01065", "name": "Quầy tiếp đón 1"}


@pytest.mark.parametrize(
    ("facility", "name", "field", "code"),
    [
        ("99999", "Quầy 1", "facility_code", "no_facility"),
        ("", "Quầy 1", "facility_code", "no_facility"),
        ("01<b>", "Quầy 1", "facility_code", "no_facility"),
        ("79024", "Quầy 1", "facility_code", "other_province"),
        ("01C54", "Quầy 1", "facility_code", "not_contracted"),
        ("01065", "   ", "name", "name"),
        ("01065", "x" * 61, "name", "name"),
    ],
)
def test_a_kiosk_that_may_not_be_enrolled_is_refused_on_its_field(admin, facility, name, field, code):
    with pytest.raises(UserError) as caught:
        kiosks.enrol(admin, facility, name)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert Kiosk.select().count() == 0 and not actions()


def test_the_facility_may_be_typed_as_printed_on_the_card(admin):
    kiosk, _ = kiosks.enrol(admin, "01 - 065", "Quầy 1")
    assert kiosk.facility.code == "01065"
    message = str(pytest.raises(UserError, kiosks.enrol, admin, "79024", "Quầy 1").value.message)
    assert "79024" in message and "tỉnh của bạn" in message


def test_the_code_enrols_once_and_gives_a_credential_stored_hashed(admin):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    typed = " " + kiosks.shown_code(code).lower() + " "
    found, token = kiosks.redeem(typed, client="10.0.0.1")
    assert found.id == kiosk.id and len(token) >= 43
    row = Kiosk.get_by_id(kiosk.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and row.status == kiosks.ENROLLED
    assert row.last_seen_at is not None
    entry = AuditLog.get(AuditLog.action == "kiosk.enrol")
    assert (entry.actor_kind, entry.actor_id, entry.ip) == ("kiosk", kiosk.id, "10.0.0.1")
    with pytest.raises(UserError) as replayed:
        kiosks.redeem(code, client="10.0.0.1")
    assert replayed.value.code == "used"
    assert Kiosk.get_by_id(kiosk.id).token_hash == row.token_hash


def test_a_wrong_or_expired_code_enrols_nothing(admin):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    wrong = ("A" if code[0] != "A" else "C") + code[1:]
    for typed, why in ((wrong, "wrong"), ("ACD", "wrong"), ("0O1IL2Z5S8", "wrong"), ("", "wrong")):
        with pytest.raises(UserError) as caught:
            kiosks.redeem(typed, client="10.0.0.2")
        assert (caught.value.code, caught.value.field) == (why, "code")
    clock.travel(dt.timedelta(hours=24, seconds=1))
    with pytest.raises(UserError) as caught:
        kiosks.redeem(code, client="10.0.0.2")
    assert caught.value.code == "expired"
    assert Kiosk.get_by_id(kiosk.id).status == kiosks.EXPIRED and "kiosk.enrol" not in actions()


def test_each_client_may_try_only_so_many_codes(admin):
    _, code = kiosks.enrol(admin, "01065", "Quầy 1")
    for _ in range(kiosks.ENROL_BUDGET.limit):
        with pytest.raises(UserError) as caught:
            kiosks.redeem("ACDEFHJKMN", client="10.0.0.3")
        assert caught.value.code == "wrong"
    with pytest.raises(UserError) as caught:
        kiosks.redeem(code, client="10.0.0.3")  # even the right code, from this network
    assert caught.value.code == "budget" and caught.value.retry_after
    assert kiosks.redeem(code, client="10.0.0.4")[0].status == kiosks.ENROLLED  # another network


def test_a_new_code_ends_the_old_credential_and_the_old_code(admin):
    kiosk, first = kiosks.enrol(admin, "01065", "Quầy 1")
    _, token = kiosks.redeem(first, client="10.0.0.5")
    assert kiosks.authenticate(token).kiosk.id == kiosk.id
    second = kiosks.reissue(admin, Kiosk.get_by_id(kiosk.id), ip="10.0.0.9")
    assert second != first
    assert kiosks.authenticate(token) == kiosks.Seen(None, kiosks.UNKNOWN)
    assert Kiosk.get_by_id(kiosk.id).status == kiosks.PENDING
    assert pytest.raises(UserError, kiosks.redeem, first, client="10.0.0.5").value.code == "wrong"
    _, new_token = kiosks.redeem(second, client="10.0.0.5")
    assert kiosks.authenticate(new_token).kiosk.id == kiosk.id
    entry = AuditLog.get(AuditLog.action == "kiosk.reissue")
    assert entry.detail["had_credential"] is True and entry.actor_id == admin.id


def test_a_revoked_kiosk_stops_at_once_and_for_good(admin):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    _, token = kiosks.redeem(code, client="10.0.0.6")
    pending, pending_code = kiosks.enrol(admin, "01065", "Quầy 2")
    kiosks.revoke(admin, Kiosk.get_by_id(kiosk.id))
    kiosks.revoke(admin, Kiosk.get_by_id(pending.id))
    assert kiosks.authenticate(token) == kiosks.Seen(None, kiosks.REVOKED)
    assert pytest.raises(UserError, kiosks.redeem, pending_code, client="10.0.0.6").value.code == "wrong"
    revoked = Kiosk.get_by_id(kiosk.id)
    assert revoked.status == kiosks.REVOKED
    for act in (lambda: kiosks.rename(admin, revoked, "Mới"), lambda: kiosks.reissue(admin, revoked)):
        assert pytest.raises(UserError, act).value.code == "revoked"
    assert actions().count("kiosk.revoke") == 2


def test_renaming_is_audited_with_the_old_name(admin):
    kiosk, _ = kiosks.enrol(admin, "01065", "Quầy 1")
    kiosks.rename(admin, kiosk, "Quầy cấp cứu")
    assert Kiosk.get_by_id(kiosk.id).name == "Quầy cấp cứu"
    entry = AuditLog.get(AuditLog.action == "kiosk.rename")
    assert entry.detail == {"facility": "01065", "name": "Quầy cấp cứu", "old": "Quầy 1"}
    assert pytest.raises(UserError, kiosks.rename, admin, kiosk, "").value.field == "name"


def test_an_admin_sees_only_the_kiosks_of_their_province(site, admin):
    ours, _ = kiosks.enrol(admin, "01065", "Quầy 1")
    theirs, _ = kiosks.enrol(site["far_admin"], "79024", "Quầy A")
    assert [k.id for k in kiosks.in_scope(admin)] == [ours.id]
    assert kiosks.kiosk_for(admin, theirs.id) is None and kiosks.kiosk_for(admin, ours.id).id == ours.id
    assert [k.id for k in kiosks.in_scope(site["far_admin"])] == [theirs.id]


def test_last_seen_is_written_at_most_once_a_minute(admin, caplog):
    kiosk, code = kiosks.enrol(admin, "01065", "Quầy 1")
    _, token = kiosks.redeem(code, client="10.0.0.7")
    assert not kiosks.authenticate(token).touched  # seen when it enrolled
    clock.travel(dt.timedelta(seconds=61))
    seen = kiosks.authenticate(token)
    assert seen.touched and Kiosk.get_by_id(kiosk.id).last_seen_at == seen.kiosk.last_seen_at
    with caplog.at_level("DEBUG", logger="peewee"):
        assert not kiosks.authenticate(token).touched
    assert [r for r in caplog.records if r.name == "peewee" and "UPDATE" in r.getMessage()] == []


@pytest.mark.parametrize("token", [None, "", "x" * 500, "not-a-token", "\x00"])
def test_no_credential_or_a_forged_one_is_no_kiosk(admin, token):
    assert kiosks.authenticate(token).kiosk is None
