"""The dossier itself, called directly: opening one from declared values (what the citizen's
registration and the assisted desk both hand over), its number, the uniqueness rule, lookups."""

import pytest

from tests.csrf import csrf
from tests.staff_helpers import make_dossier, offices
from vss.core import limits
from vss.core.errors import UserError
from vss.dossiers import dossiers
from vss.dossiers.dossiers import RECEIVED, WAITING, Dossier, PendingDossier
from vss.identity import contacts

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

DECLARED = {
    "bhxh_code": "0123456789",
    "full_name": "Nguyễn Thị Hoa",
    "id_kind": "cccd",
    "id_number": "001190012345",
    "province_code": 1,
    "ward_code": 70,
    "street": "Số 5 phố Hàng Bài",
    "phone": "0912345678",
    "email": "",
    "submission_method": "tai_co_quan",
    "channel": "cong_bhxh",
    "office_code": "not a column: ignored",
}


@pytest.fixture
def places(app):
    return offices()


def test_a_dossier_opens_numbered_pending_and_holding_its_contacts(places):
    dossier = dossiers.open_dossier(places["00101"], DECLARED, owner_token_hash="h" * 64)
    assert dossier.number.startswith("00001.GD/") and dossier.number.endswith("/00101")
    stored = Dossier.get_by_id(dossier.id)
    assert (stored.status, stored.office_province, stored.contact_person) == (WAITING, 1, "Nguyễn Thị Hoa")
    assert (stored.email, stored.ivan_name, stored.pending_email) == (None, "", None)
    assert (stored.pending_bhxh, stored.pending_phone) == ("0123456789", "0912345678") and stored.pending
    assert "Hàng Bài" in stored.address and str(stored.status_label) == "Chờ tiếp nhận"


def test_a_dossier_may_open_already_received(places):
    """What the assisted desk needs: the same opening, born received by the staff member."""
    dossier = dossiers.open_dossier(
        places["00101"], DECLARED, owner_token_hash="h" * 64, status=RECEIVED, reviewer_id=7
    )
    stored = Dossier.get_by_id(dossier.id)
    assert (stored.status, stored.reviewer_id, stored.pending_bhxh) == (RECEIVED, 7, "0123456789")


def test_numbers_follow_each_office_and_year(places):
    assert dossiers.next_number(places["00101"], 2026) == (1, "00001.GD/2026/00101")
    assert dossiers.next_number(places["00101"], 2026)[1] == "00002.GD/2026/00101"
    assert dossiers.next_number(places["00102"], 2026)[1] == "00001.GD/2026/00102"
    assert dossiers.next_number(places["00101"], 2027)[1] == "00001.GD/2027/00101"


def test_one_pending_dossier_per_code_and_contacts_held_by_pending_dossiers(places):
    held = make_dossier(places["00101"], status=WAITING, bhxh_code="0100000001", email="an@example.vn")
    Dossier.update(pending_email="an@example.vn").where(Dossier.id == held.id).execute()
    with pytest.raises(PendingDossier) as caught:
        dossiers.check_unique("0100000001", "0999999999", None)
    assert caught.value.dossier.id == held.id and isinstance(caught.value, UserError)
    with pytest.raises(contacts.ContactTaken) as caught:  # contacts asks the dossiers' holder query
        contacts.check("0100000002", phone=held.phone)
    with pytest.raises(contacts.ContactTaken) as caught:
        contacts.check("0100000002", email="an@example.vn")
    assert caught.value.field == "email"
    contacts.check("0100000001", phone=held.phone, email="an@example.vn")  # its own: no clash
    assert dossiers.pending_holders(contacts.PHONE, held.phone) == {"0100000001"}
    assert dossiers.pending_holders(contacts.PHONE, "0900000000") == set()


def test_lookup_needs_the_number_and_its_phone(places):
    dossier = make_dossier(places["00101"])
    client = "198.51.100.20"
    assert dossiers.lookup(f" {dossier.number.lower()} ", dossier.phone, client=client).id == dossier.id
    assert dossiers.lookup(dossier.number, "0900000000", client=client) is None
    assert dossiers.lookup(None, dossier.phone, client=client) is None


def test_one_client_cannot_guess_a_dossier_s_phone(places):
    """Numbers run in sequence: a client has LOOKUPS an hour, then even the right phone is refused
    (with a message on the number field); another client still looks up."""
    dossier = make_dossier(places["00101"])
    client = "198.51.100.21"
    for n in range(dossiers.LOOKUPS.limit):
        assert dossiers.lookup(dossier.number, f"09000000{n:02d}", client=client) is None
    with pytest.raises(UserError) as refused:
        dossiers.lookup(dossier.number, dossier.phone, client=client)
    assert refused.value.field == "so" and refused.value.retry_after
    assert dossiers.lookup(dossier.number, dossier.phone, client="203.0.113.4").id == dossier.id


def test_the_lookup_page_says_when_the_budget_is_spent(app, client, places):
    dossier = make_dossier(places["00101"])
    for n in range(dossiers.LOOKUPS.limit):
        dossiers.lookup(dossier.number, f"09000000{n:02d}", client="127.0.0.1")
    page = client.post(
        "/tra-cuu/ho-so",
        data={
            "csrf_token": csrf(client, "/tra-cuu/ho-so"),
            "so": dossier.number,
            "dien_thoai": dossier.phone,
        },
    )
    assert page.status_code == 429 and str(limits.TOO_MANY_TRIES) in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == str(dossiers.LOOKUPS.seconds)


def test_a_reason_the_system_gave_is_shown_in_the_readers_language(app, places):
    from flask_babel import force_locale

    expired = make_dossier(places["00101"], reason=dossiers.as_stored(dossiers.NOT_PRESENTED))
    typed = make_dossier(places["00101"], reason="Thiếu chữ ký")
    assert expired.reason == "Quá 10 ngày không nộp tờ khai tại cơ quan BHXH."
    with app.test_request_context(), force_locale("en"):
        assert str(expired.reason_label).startswith("The signed form was not handed in")
        assert dossiers.as_stored(dossiers.NOT_PRESENTED) == expired.reason  # stored words stay Vietnamese
        assert typed.reason_label == "Thiếu chữ ký"
