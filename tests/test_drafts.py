"""The registration draft's own rules, called directly (the pages are in test_registration.py):
each step's function decides, the view only hands over its form."""

import datetime as dt

import pytest

from tests.factories import in_registry
from tests.registration_flow import jpeg
from tests.staff_helpers import make_dossier, offices
from vss.core import clock
from vss.core.errors import UserError
from vss.dossiers import drafts
from vss.dossiers.dossiers import IVAN, WAITING, PendingDossier
from vss.dossiers.drafts import Photo, RegistrationDraft
from vss.identity import contacts
from vss.identity.accounts import Account, hash_password
from vss.registry.registry import Person

INFO = {
    "bhxh_code": "0123456789",
    "full_name": "Nguyễn Thị Hoa",
    "id_kind": "cccd",
    "id_number": "001190012345",
    "province_code": 1,
    "ward_code": 70,
    "street": "Số 5 phố Hàng Bài",
    "phone": "0912345678",
    "email": "",
    "csrf_token": "not a Mẫu 01 field",
}


@pytest.fixture
def draft(app):
    in_registry(INFO["bhxh_code"], INFO["full_name"], INFO["id_number"])  # the rule: codes.check_declared
    draft, _token = drafts.start(None, "ca_nhan")
    return draft


def test_start_resumes_this_browsers_draft_and_starts_afresh_after_a_dossier(app):
    draft, token = drafts.start(None, "ca_nhan")
    again, same = drafts.start(token, "ca_nhan")
    assert (
        (again.id, same) == (draft.id, token)
        and again.done("loai")
        and again.first_incomplete() == "thong-tin"
    )
    RegistrationDraft.update(dossier_id=1).execute()
    fresh, other = drafts.start(token, "ca_nhan")
    assert fresh.id != draft.id and other != token
    assert drafts.draft_for("a token nobody has") is None and drafts.draft_for(None) is None


def test_info_keeps_only_the_form_fields_and_no_blank_email(draft):
    drafts.save_info(draft, INFO)
    stored = RegistrationDraft.get_by_id(draft.id)
    assert stored.info == {**{k: v for k, v in INFO.items() if k != "csrf_token"}, "email": None}
    assert stored.done("thong-tin") and stored.may_open("anh") and not stored.may_open("co-quan")


def test_a_name_without_diacritics_must_be_sent_twice(draft):
    plain = {**INFO, "bhxh_code": "0123456780", "full_name": "Nguyen Thi Hoa"}
    in_registry(plain["bhxh_code"], plain["full_name"])
    with pytest.raises(UserError) as caught:
        drafts.save_info(draft, plain)
    assert caught.value.code == "plain_name" and not RegistrationDraft.get_by_id(draft.id).done("thong-tin")
    drafts.save_info(draft, plain, plain_name_ok="Nguyen Thi Hoa")
    assert RegistrationDraft.get_by_id(draft.id).info["full_name"] == "Nguyen Thi Hoa"


def test_a_pending_dossier_of_the_code_is_named_and_remembered_for_cancelling(draft):
    pending = make_dossier(offices()["00101"], status=WAITING, bhxh_code=INFO["bhxh_code"])
    with pytest.raises(PendingDossier) as caught:
        drafts.save_info(draft, INFO)
    assert caught.value.dossier.id == pending.id and caught.value.field == "bhxh_code"
    assert pending.number in str(caught.value.message)
    stored = RegistrationDraft.get_by_id(draft.id)
    assert stored.data["pending"] == pending.id and not stored.done("thong-tin")


def test_an_account_or_a_taken_phone_stops_the_step_on_its_field(draft):
    person = Person.by_code(INFO["bhxh_code"])
    Account.create(person=person, username=person.bhxh_code, password_hash=hash_password("x" * 12), phone="0")
    with pytest.raises(UserError) as caught:
        drafts.save_info(draft, INFO)
    assert (caught.value.field, caught.value.code) == ("bhxh_code", "has_account")
    make_dossier(offices()["00101"], status=WAITING, phone="0912345678", pending_phone="0912345678")
    in_registry("0123456788", INFO["full_name"])
    with pytest.raises(contacts.ContactTaken) as caught:
        drafts.save_info(draft, {**INFO, "bhxh_code": "0123456788"})
    assert caught.value.field == "phone"


def test_photos_need_the_ids_two_sides_and_keep_what_was_good(draft):
    with pytest.raises(drafts.PhotosRefused) as caught:
        drafts.take_photos(draft, {})
    assert set(caught.value.errors) == {"mat_truoc", "mat_sau"}
    with pytest.raises(drafts.PhotosRefused) as caught:
        drafts.take_photos(draft, {"mat_truoc": jpeg(), "mat_sau": b"not a picture"})
    assert list(caught.value.errors) == ["mat_sau"] and "không phải là ảnh" in str(
        caught.value.errors["mat_sau"]
    )
    assert drafts.photo_kinds(draft) == {"mat_truoc"} and not draft.done("anh")
    drafts.take_photos(draft, {"mat_sau": jpeg(), "khac": jpeg()})  # an unknown kind is ignored
    assert drafts.photo_kinds(draft) == {"mat_truoc", "mat_sau"} and draft.done("anh")
    assert bytes(drafts.photo_content(draft, "mat_sau"))[:2] == b"\xff\xd8"  # a memoryview on PostgreSQL
    assert drafts.photo_content(draft, "chan_dung") is None and drafts.photo_content(draft, "x") is None


def test_the_office_must_be_in_the_chosen_province(draft):
    places = offices()
    chosen = {"province_code": 79, "office_code": "00101", "submission_method": "tai_co_quan"}
    with pytest.raises(UserError) as caught:
        drafts.save_office(draft, {**chosen, "channel": "cong_bhxh"})
    assert caught.value.field == "office_code" and not draft.done("co-quan")
    drafts.save_office(draft, {**chosen, "province_code": 1, "channel": "cong_bhxh", "ivan_name": "X"})
    assert (
        draft.office_choice["office_code"] == places["00101"].code and draft.office_choice["ivan_name"] == ""
    )
    drafts.save_office(draft, {**chosen, "province_code": 1, "channel": IVAN, "ivan_name": "VNPT"})
    assert draft.office_choice["ivan_name"] == "VNPT"


def test_office_defaults_to_the_applicants_province_and_the_portal(draft):
    assert drafts.office_defaults(draft) == {"province_code": None, "channel": "cong_bhxh"}
    drafts.save_info(draft, INFO)
    assert drafts.office_defaults(draft)["province_code"] == 1


def test_summary_and_declared_values(draft):
    offices()
    drafts.save_info(draft, INFO)
    drafts.save_office(
        draft, {"province_code": 1, "office_code": "00101", "submission_method": "tai_co_quan"}
    )
    summary = drafts.summary(draft)
    assert (
        summary["office"].code == "00101" and "Hàng Bài" in summary["address"] and summary["photos"] == set()
    )
    assert draft.declared["bhxh_code"] == INFO["bhxh_code"] and draft.declared["office_code"] == "00101"


def test_unsubmitted_drafts_and_their_photos_go_after_seven_days(draft):
    drafts.set_photo(draft, "mat_truoc", b"jpeg", (400, 300))
    clock.travel(dt.timedelta(days=drafts.DRAFT_DAYS, minutes=1))
    assert drafts.purge_drafts() == 1
    assert RegistrationDraft.select().count() == 0 and Photo.select().count() == 0
