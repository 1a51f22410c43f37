"""Staff review of dossiers, called directly (the workspace pages are in test_staff.py): scope,
the keyset list and its cursor, the registry check, receiving and the one decision."""

import pytest

from tests.factories import make_person
from tests.staff_helpers import make_dossier, make_staff, offices
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.dossiers import review
from vss.dossiers.dossiers import APPROVED, RECEIVED, WAITING, Dossier
from vss.identity.accounts import Account, StaffUser
from vss.messages.notify import Outbox


@pytest.fixture
def places(app):
    return offices()


@pytest.fixture
def reviewer(places):
    return make_staff(places["00101"])


def test_a_reviewer_sees_their_office_a_supervisor_their_province(places, reviewer):
    mine = make_dossier(places["00101"])
    neighbour = make_dossier(places["00102"])
    elsewhere = make_dossier(places["07901"])
    supervisor = make_staff(places["001"], username="giamsat", role=StaffUser.SUPERVISOR)
    assert review.dossier_for(reviewer, mine.id).id == mine.id
    assert review.dossier_for(reviewer, neighbour.id) is None
    assert {d.id for d in review.search(supervisor)[0]} == {mine.id, neighbour.id}
    assert review.dossier_for(supervisor, elsewhere.id) is None


def test_the_list_pages_by_keyset_newest_first(places, reviewer):
    made = [make_dossier(places["00101"]) for _ in range(5)]
    first, cursor = review.search(reviewer, limit=2)
    assert [d.id for d in first] == [made[4].id, made[3].id] and cursor == (made[3].submitted_at, made[3].id)
    rest, end = review.search(reviewer, before=cursor, limit=10)
    assert [d.id for d in rest] == [d.id for d in reversed(made[:3])] and end is None
    assert review.search(reviewer, number=f" {made[0].number.lower()} ")[0][0].id == made[0].id


def test_the_registry_check_compares_names_as_people_mean_them(places):
    person = make_person(full_name="Nguyễn Văn An")
    dossier = make_dossier(places["00101"], bhxh_code=person.bhxh_code, full_name="  NGUYỄN   văn an ")
    check = review.registry_check(dossier)
    assert check["exists"] and check["name_matches"] and not check["id_matches"]
    assert not review.registry_check(make_dossier(places["00101"]))["exists"]


def test_receiving_twice_is_refused(places, reviewer):
    dossier = make_dossier(places["00101"], status=WAITING)
    review.receive(reviewer, dossier)
    assert Dossier.get_by_id(dossier.id).status == RECEIVED
    with pytest.raises(UserError) as caught:
        review.receive(reviewer, dossier)
    assert caught.value.code == "already_received"
    assert AuditLog.select().where(AuditLog.action == "dossier.receive").count() == 1


def test_a_decision_needs_an_evaluation_and_a_reason_to_refuse(places, reviewer):
    dossier = make_dossier(places["00101"])
    with pytest.raises(UserError) as caught:
        review.decide(reviewer, dossier, "")
    assert caught.value.field == "evaluation"
    with pytest.raises(UserError) as caught:
        review.decide(reviewer, dossier, review.INVALID, "  ")
    assert caught.value.field == "reason" and Dossier.get_by_id(dossier.id).status == RECEIVED


def test_a_waiting_dossier_cannot_be_decided(places, reviewer):
    dossier = make_dossier(places["00101"], status=WAITING)
    with pytest.raises(UserError) as caught:
        review.decide(reviewer, dossier, review.INVALID, "thiếu chữ ký")
    assert caught.value.code == "not_received" and Outbox.select().count() == 0


def test_approval_creates_the_account_once(places, reviewer):
    person = make_person()
    dossier = make_dossier(places["00101"], bhxh_code=person.bhxh_code)
    outcome, password = review.decide(reviewer, dossier, review.VALID)
    assert outcome == "approved" and password and review.OUTCOMES[outcome]
    account = Account.get(Account.username == person.bhxh_code)
    assert account.check_password(password) and account.must_change_password
    stored = Dossier.get_by_id(dossier.id)
    assert (stored.status, stored.evaluation, stored.pending_bhxh, stored.pending_phone) == (
        APPROVED,
        review.VALID,
        None,
        None,
    )
    with pytest.raises(UserError) as caught:
        review.decide(reviewer, dossier, review.VALID)
    assert caught.value.code == "decided" and Account.select().count() == 1


def test_valid_but_not_in_the_registry_becomes_guidance(places, reviewer):
    dossier = make_dossier(places["00101"])
    outcome, password = review.decide(reviewer, dossier, review.VALID)
    stored = Dossier.get_by_id(dossier.id)
    assert (outcome, password, stored.evaluation) == ("not_in_registry", None, review.INVALID)
    assert stored.reason == review.NO_CODE_GUIDANCE and Account.select().count() == 0
    assert review.OUTCOMES[outcome][1]  # shown as a warning


def test_the_dashboard_counts_by_state(places, reviewer):
    make_dossier(places["00101"], status=WAITING)
    make_dossier(places["00101"])
    make_dossier(places["00102"], status=WAITING)
    counts = review.dashboard(reviewer)["counts"]
    assert (counts[WAITING], counts[RECEIVED], counts[APPROVED]) == (1, 1, 0)
