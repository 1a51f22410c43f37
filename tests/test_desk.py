"""The desk's rules (vss/dossiers/desk.py, desk_identity.py), called directly: who may sit at a
desk, whose sitting is whose, the steps' order, the identity declaration, one document per BHXH
code, the dossier opened once and received, the audit rows and the SMS."""

import datetime as dt

import pytest

from tests import mailbox
from tests.factories import in_registry, make_person
from tests.registration_flow import jpeg
from tests.staff_helpers import make_dossier, make_staff, offices
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.dossiers import desk, desk_identity, drafts, registration
from vss.dossiers.dossiers import AT_OFFICE, PORTAL, RECEIVED, WAITING, Dossier, PendingDossier
from vss.dossiers.drafts import Photo, RegistrationDraft
from vss.identity.accounts import Account, StaffUser
from vss.identity.otp import OtpError
from vss.messages.notify import Outbox

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

GIVEN = {
    "bhxh_code": "0123456789",
    "full_name": "Nguyễn Thị Hoa",
    "id_kind": "cccd",
    "id_number": "001190012345",
    "province_code": 1,
    "ward_code": 70,
    "street": "Số 5 phố Hàng Bài",
    "phone": "0912345678",
    "email": "",
}


@pytest.fixture
def places(app):
    in_registry(GIVEN["bhxh_code"], GIVEN["full_name"], GIVEN["id_number"])  # codes.check_declared
    return offices()


@pytest.fixture
def staff(places):
    return make_staff(places["00101"])


def _declared(staff, **given):
    """A sitting with the Mẫu 01 fields, the ID photos and the identity declaration."""
    draft = desk.start(staff)
    desk.save_info(staff, draft, {**GIVEN, **given})
    desk.take_photos(staff, draft, {"mat_truoc": jpeg(), "mat_sau": jpeg()})
    desk.declare_identity(staff, draft, "cccd", number_matches=True, face_matches=True)
    return draft


def _sent(staff, **given):
    draft = _declared(staff, **given)
    assert desk.send_code(staff, draft) is None
    return draft


def test_who_may_sit_at_a_desk(places):
    reviewer, supervisor = make_staff(places["00101"]), make_staff(places["001"], "gs", StaffUser.SUPERVISOR)
    admin = make_staff(places["001"], "qt", StaffUser.ADMIN)
    gone = make_staff(places["00101"], "nghi")
    gone.active = False
    assert desk.may_use(reviewer) and desk.may_use(supervisor)
    assert not desk.may_use(admin) and not desk.may_use(gone) and not desk.may_use(None)
    with pytest.raises(UserError) as refused:
        desk.start(admin)
    assert refused.value.code == "not_at_desk" and RegistrationDraft.select().count() == 0


def test_a_sitting_is_at_the_staff_members_office_and_theirs_alone(places, staff):
    draft = desk.start(staff, ip="10.0.0.7")
    assert draft.desk_staff_id == staff.id and draft.done("loai") and draft.done("co-quan")
    choice = draft.office_choice
    assert (choice["office_code"], choice["province_code"]) == ("00101", 1)
    assert (choice["submission_method"], choice["channel"]) == (AT_OFFICE, PORTAL)
    assert desk.sitting(staff, draft.id).id == draft.id
    for other in (make_staff(places["00101"], "ban"), make_staff(places["00102"], "khac")):
        assert desk.sitting(other, draft.id) is None
    row = AuditLog.get(AuditLog.action == "desk.start")
    assert (row.object_kind, row.object_id, row.ip, row.actor_id) == (
        "RegistrationDraft",
        str(draft.id),
        "10.0.0.7",
        staff.id,
    )
    # No browser can reach it: the citizen's flow finds drafts by a cookie token it never gave.
    assert drafts.draft_for("") is None


def test_a_sitting_unused_for_a_week_is_gone(staff):
    draft = desk.start(staff)
    clock.travel(dt.timedelta(days=drafts.DRAFT_DAYS, minutes=1))
    assert desk.sitting(staff, draft.id) is None and desk.open_sittings(staff) == []
    assert drafts.purge_drafts() == 1


def test_the_steps_open_in_order(staff):
    draft = desk.start(staff)
    assert desk.first_open(draft) == "thong-tin" and not desk.may_open(draft, "anh")
    desk.save_info(staff, draft, GIVEN)
    assert desk.first_open(draft) == "anh"
    desk.take_photos(staff, draft, {"mat_truoc": jpeg(), "mat_sau": jpeg()})
    assert desk.first_open(draft) == "xac-minh" and not desk.may_open(draft, "xem-lai")
    desk.declare_identity(staff, draft, "cccd", number_matches=True, face_matches=True)
    assert desk.first_open(draft) == "xem-lai"
    desk.send_code(staff, draft)
    assert desk.first_open(draft) == "xac-thuc" and desk.may_open(draft, "xac-thuc")
    # A new phone needs a new code; a new ID number a new declaration too.
    desk.save_info(staff, draft, {**GIVEN, "phone": "0987654321"})
    assert desk.first_open(draft) == "xem-lai"
    desk.save_info(staff, draft, {**GIVEN, "id_number": "001190012399"})
    assert desk.first_open(draft) == "xac-minh"


@pytest.mark.parametrize(
    "document, number, face, code",
    [
        ("", True, True, "document"),
        ("giay_phep_lai_xe", True, True, "document"),
        ("cmnd", True, True, "wrong_document"),
        ("cccd", False, True, "number_mismatch"),
        ("cccd", True, False, "face_mismatch"),
    ],
)
def test_the_declaration_is_refused_unless_it_holds(staff, document, number, face, code):
    draft = desk.start(staff)
    desk.save_info(staff, draft, GIVEN)
    with pytest.raises(UserError) as refused:
        desk.declare_identity(staff, draft, document, number_matches=number, face_matches=face)
    assert refused.value.code == code
    assert "xac-minh" not in RegistrationDraft.get_by_id(draft.id).data
    assert not AuditLog.select().where(AuditLog.action == "desk.identity").exists()


def test_a_passport_or_an_old_cmnd_is_declared_as_such(staff):
    for number, kind in (("B1234567", "ho_chieu"), ("012345678", "cmnd")):
        draft = desk.start(staff)
        desk.save_info(staff, draft, {**GIVEN, "id_number": number, "id_kind": kind})
        desk.declare_identity(staff, draft, kind, number_matches=True, face_matches=True)
        assert desk.is_done(draft, "xac-minh")


def test_no_code_is_sent_before_the_declaration(staff):
    draft = desk.start(staff)
    desk.save_info(staff, draft, GIVEN)
    with pytest.raises(UserError) as refused:
        desk.send_code(staff, draft)
    assert refused.value.code == "not_declared" and mailbox.last_code() is None


def test_the_code_opens_the_dossier_received(staff):
    draft = _sent(staff)
    dossier = desk.submit(staff, draft, mailbox.last_code("0912345678"), ip="10.0.0.7")
    assert (dossier.status, dossier.reviewer_id, dossier.office_id) == (RECEIVED, staff.id, staff.office_id)
    assert dossier.received_at is not None and dossier.pending_bhxh == "0123456789"
    assert Photo.select().where(Photo.dossier == dossier).count() == 2
    check = desk.identity_of(dossier)
    assert (check.staff.username, check.document_label) == ("canbo", "Căn cước công dân (CCCD)")
    assert RegistrationDraft.get_by_id(draft.id).dossier_id == dossier.id
    assert desk.recent(staff)[0].draft_id == draft.id and desk.open_sittings(staff) == []
    row = AuditLog.get(AuditLog.action == "dossier.desk_receive")
    assert row.object_id == str(dossier.id) and row.detail == {"number": dossier.number, "document": "cccd"}
    sms = Outbox.get(Outbox.template == "dossier_submitted")
    assert sms.recipient == "0912345678" and "da duoc tiep nhan" in sms.body
    # A repeat (a retry after a lost answer) is the same dossier.
    assert desk.submit(staff, draft, "000000").id == dossier.id
    assert Dossier.select().count() == 1


def test_the_desks_codes_spend_the_staff_members_budget(staff):
    from vss.identity.otp import OneTimeCode

    _sent(staff)
    assert OneTimeCode.get().client == f"staff:{staff.id}"


def test_a_wrong_or_late_code_opens_nothing(staff):
    draft = _sent(staff)
    with pytest.raises(OtpError) as wrong:
        desk.submit(staff, draft, "000000")
    assert wrong.value.code == "wrong"
    code = mailbox.last_code("0912345678")
    clock.travel(dt.timedelta(minutes=6))
    with pytest.raises(OtpError) as late:
        desk.submit(staff, draft, code)
    assert late.value.code == "expired" and Dossier.select().count() == 0


def test_the_rules_are_checked_again_when_the_code_comes(places, staff):
    draft = _sent(staff)
    make_dossier(places["00102"], WAITING, bhxh_code="0123456789")  # sent online meanwhile
    with pytest.raises(PendingDossier):
        desk.submit(staff, draft, mailbox.last_code("0912345678"))
    assert Dossier.select().count() == 1 and not desk_identity.IdentityCheck.select().exists()


def test_one_document_one_bhxh_code(places, staff):
    holder = make_person(bhxh_code="0888888888", cccd="001190012345")
    Account.create(person=holder, username="0888888888", password_hash="x", phone="0900000008")
    draft = desk.start(staff)
    with pytest.raises(UserError) as taken:
        desk.save_info(staff, draft, GIVEN)
    assert taken.value.code == "document_taken" and taken.value.field == "id_number"
    make_dossier(places["07901"], RECEIVED, bhxh_code="0777777777", id_number="001190012346")
    with pytest.raises(UserError) as pending:
        desk.save_info(staff, draft, {**GIVEN, "id_number": "001190012346"})
    assert pending.value.code == "document_pending"
    # The holder's own code may carry it (it is theirs); a decided dossier holds nothing.
    desk_identity.check_document("0888888888", "001190012345")
    make_dossier(places["00101"], "da_duyet", bhxh_code="0666666666", id_number="001190012347")
    desk_identity.check_document("0123456789", "001190012347")
    assert not RegistrationDraft.get_by_id(draft.id).done("thong-tin")
    assert not AuditLog.select().where(AuditLog.action == "desk.info").exists()


def test_a_refused_photo_is_named_and_a_good_one_kept(staff):
    draft = desk.start(staff)
    desk.save_info(staff, draft, GIVEN)
    with pytest.raises(drafts.PhotosRefused) as refused:
        desk.take_photos(staff, draft, {"mat_truoc": jpeg(), "mat_sau": b"not an image"})
    assert set(refused.value.errors) == {"mat_sau"} and drafts.photo_kinds(draft) == {"mat_truoc"}
    row = AuditLog.get(AuditLog.action == "desk.photos")
    assert row.detail == {"kinds": ["mat_truoc"]}


def test_discarding_a_sitting(staff):
    draft = desk.start(staff)
    desk.save_info(staff, draft, GIVEN)
    desk.take_photos(staff, draft, {"mat_truoc": jpeg(), "mat_sau": jpeg()})
    desk.discard(staff, draft)
    assert RegistrationDraft.select().count() == 0 and Photo.select().count() == 0
    done = _sent(staff)
    desk.submit(staff, done, mailbox.last_code("0912345678"))
    with pytest.raises(UserError):
        desk.discard(staff, RegistrationDraft.get_by_id(done.id))


def test_the_citizens_registration_still_waits_for_the_signed_form(places):
    """open_from_draft serves both: the citizen's dossier is born waiting, owned by its browser."""
    draft, token = drafts.new_draft()
    drafts.save_step(draft, "loai", {"registrant": "ca_nhan"})
    drafts.save_info(draft, GIVEN)
    drafts.save_office(
        draft, {"province_code": 1, "office_code": "00101", "submission_method": AT_OFFICE, "channel": PORTAL}
    )
    registration.send_code(draft, client="10.0.0.1")
    dossier = registration.submit(draft, mailbox.last_code("0912345678"), token=token)
    assert dossier.status == WAITING and dossier.received_at is None and dossier.reviewer_id is None
    assert desk.identity_of(dossier) is None
    sms = Outbox.get(Outbox.template == "dossier_submitted")
    assert "mang CCCD den" in sms.body
