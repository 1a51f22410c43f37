"""Change requests ("Cập nhật thông tin"): the citizen proves a new phone or email with a code,
the request goes to one office and is scoped exactly like dossiers, staff apply or reject it
(one outcome), a contact is never moved onto someone else's, and a new address revokes the old
card QR at once."""

import datetime as dt

import pytest

from tests.conftest import run_concurrently
from tests.factories import make_card, make_person
from tests.signin_helpers import PASSWORD, last_code, make_account, post
from tests.signin_helpers import sign_in as citizen_sign_in
from tests.staff_helpers import csrf, make_dossier, make_staff, offices
from tests.staff_helpers import sign_in as staff_sign_in
from vss.cards import cards
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.dossiers.dossiers import APPROVED, RECEIVED, Dossier
from vss.identity.accounts import Account, hash_password
from vss.messages.notify import Outbox
from vss.registry.registry import HealthCard
from vss.requests import change_proof, changes
from vss.requests.changes import ChangeRequest

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

URL = "/tai-khoan/yeu-cau-thay-doi"
CODE_URL = "/tai-khoan/yeu-cau-thay-doi/xac-thuc"
PHONE_TAKEN = "Mỗi số điện thoại chỉ được đăng ký cho 1 mã số BHXH."


def _file(account, field, value):
    return changes.file_change(account, field, value)


def _account(phone, **fields):
    person = make_person(**fields)
    return Account.create(
        person=person, username=person.bhxh_code, password_hash=hash_password("x" * 12), phone=phone
    )


@pytest.fixture
def places(app):
    return offices()


@pytest.fixture
def citizen(places, client):
    account = make_account()
    make_card(account.person)
    citizen_sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    return account


def _staff_client(app, office, role="reviewer", username="canbo"):
    client = app.test_client()
    staff_sign_in(client, make_staff(office, username=username, role=role))
    return client


def _decide(client, change, decision, reason=""):
    token = csrf(client, "/can-bo/ho-so")
    data = {"csrf_token": token, "decision": decision, "reason": reason}
    return client.post(f"/can-bo/cap-nhat/{change.id}/xac-nhan", data=data)


# --- item 9: the office of a request, scope, rejection, the code ---------------------------


@pytest.mark.parametrize(
    "dossier_office, seen_by",
    [
        ("00102", {"00102", "001*"}),  # the office that received the approved registration
        (None, {"001", "001*"}),  # no approved dossier: the provincial office
    ],
)
def test_a_request_is_handled_by_one_office_and_scoped_like_dossiers(app, places, dossier_office, seen_by):
    account = _account("0912000001")
    if dossier_office:
        make_dossier(places[dossier_office], status=APPROVED, evaluation="hop_le", bhxh_code=account.username)
    change = _file(account, "phone", "0987000002")
    for n, office in enumerate(("00101", "00102", "001", "001*", "07901")):
        role = "supervisor" if office.endswith("*") else "reviewer"
        client = _staff_client(app, places[office.rstrip("*")], role=role, username=f"cb{n}")
        seen = office in seen_by
        assert client.get(f"/can-bo/cap-nhat/{change.id}").status_code == (200 if seen else 404), office
        listed = f'href="/can-bo/cap-nhat/{change.id}"' in client.get("/can-bo/cap-nhat").get_data(
            as_text=True
        )
        assert listed == seen, office
        if not seen:
            assert _decide(client, change, "cap_nhat").status_code == 404
            assert _decide(client, change, "tu_choi", "x").status_code == 404
    assert Account.get_by_id(account.id).phone == "0912000001"


def test_staff_reject_a_request_with_a_reason_and_the_citizen_is_told(app, places):
    client = _staff_client(app, places["001"])
    account = _account("0912000001")
    change = _file(account, "phone", "0987000002")
    token = csrf(client, "/can-bo/ho-so")
    missing = client.post(f"/can-bo/cap-nhat/{change.id}", data={"csrf_token": token, "decision": "tu_choi"})
    assert "Vui lòng nhập lý do" in missing.get_data(as_text=True)
    reason = "Số điện thoại không đúng chủ thuê bao"
    confirm = client.post(
        f"/can-bo/cap-nhat/{change.id}", data={"csrf_token": token, "decision": "tu_choi", "reason": reason}
    )
    assert "Xác nhận" in confirm.get_data(as_text=True) and reason in confirm.get_data(as_text=True)
    done = _decide(client, change, "tu_choi", reason)
    assert "Đã từ chối yêu cầu" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert Account.get_by_id(account.id).phone == "0912000001"
    sms = Outbox.get(Outbox.template == "change_rejected")
    assert sms.recipient == "0912000001" and "Ly do: So dien thoai khong dung chu thue bao" in sms.body
    assert AuditLog.select().where(AuditLog.action == "change_request.reject").count() == 1


def test_a_new_phone_is_proved_by_a_code_before_the_request_reaches_staff(citizen, client):
    response = post(client, URL, field="phone", phone="0987 654 321", password=PASSWORD)
    assert response.headers["Location"] == CODE_URL
    assert ChangeRequest.select().count() == 0
    code = last_code("0987654321")
    page = client.get(CODE_URL).get_data(as_text=True)
    assert 'inputmode="numeric" autocomplete="one-time-code"' in page and "Không nhận được mã?" in page
    wrong = post(client, CODE_URL, code="111111" if code != "111111" else "222222")
    assert "không đúng" in wrong.get_data(as_text=True) and ChangeRequest.select().count() == 0
    right = post(client, CODE_URL, code=code)
    assert right.headers["Location"] == "/tai-khoan"
    change = ChangeRequest.get()
    assert (change.field, change.old_value, change.new_value) == ("phone", "0912345678", "0987654321")


# --- item 10: one rule for phone and email, inside the writing transaction -----------------


def test_a_phone_held_by_a_pending_dossier_is_not_moved_and_the_dossier_is_still_approved(app, places):
    client = _staff_client(app, places["001"])
    holder = make_person(full_name="Nguyễn Văn An")
    dossier = make_dossier(
        places["001"], bhxh_code=holder.bhxh_code, phone="0987000002", pending_phone="0987000002"
    )
    account = _account("0912000001")
    change = _file(account, "phone", "0987000002")
    done = _decide(client, change, "cap_nhat")
    assert PHONE_TAKEN in client.get(done.headers["Location"]).get_data(as_text=True)
    assert Account.get_by_id(account.id).phone == "0912000001"
    assert ChangeRequest.get_by_id(change.id).status == changes.PENDING  # staff may still reject it
    token = csrf(client, "/can-bo/ho-so")
    approved = client.post(
        f"/can-bo/ho-so/{dossier.id}/danh-gia/xac-nhan", data={"csrf_token": token, "evaluation": "hop_le"}
    )
    assert approved.status_code == 302  # before: IntegrityError at Account.create (a 500)
    assert Account.get(Account.username == holder.bhxh_code).phone == "0987000002"


# --- item 11: the new address revokes the old QR in the same transaction -------------------


def test_an_applied_address_change_revokes_the_old_qr_at_once(app, places, citizen, client):
    client.get("/tai-khoan/the-bhyt/xem")  # the QR of version 1 is issued
    card = HealthCard.get()
    change = _file(citizen, "address", {"street": "Số 9 Hàng Bài", "ward_code": 70})
    staff = _staff_client(app, places["001"])
    _decide(staff, change, "cap_nhat")
    kiosk = app.test_client()
    assert kiosk.get("/the-bhyt/thu-hoi.json").get_json()["revoked"] == {card.number: {"min_version": 2}}
    old_qr = cards.CardIssuance.get(cards.CardIssuance.version == 1).qr_text
    with pytest.raises(cards.VerifyError, match="cấp lại"):
        cards.verify(old_qr, cards.published_keys(), cards.revocation_list())
    new_qr = cards.CardIssuance.get(cards.CardIssuance.version == 2).qr_text
    assert "Số 9 Hàng Bài".encode().hex() in new_qr


# --- the citizen's side --------------------------------------------------------------------


def test_a_new_email_is_proved_by_a_code_sent_to_it(citizen, client):
    response = post(client, URL, field="email", email="Moi@Example.vn", password=PASSWORD)
    assert response.headers["Location"] == CODE_URL
    sent = Outbox.get(Outbox.recipient == "moi@example.vn")
    assert (sent.channel, sent.template) == ("email", "otp")
    assert "moi@example.vn" in client.get(CODE_URL).get_data(as_text=True)
    assert post(client, CODE_URL, code=last_code("moi@example.vn")).headers["Location"] == "/tai-khoan"
    change = ChangeRequest.get()
    assert (change.field, change.old_value, change.new_value) == ("email", "hoa@example.vn", "moi@example.vn")


def test_an_address_needs_the_password_and_no_code(citizen, client):
    data = {"field": "address", "province_code": "1", "ward_code": "70", "street": "Số 9 Hàng Bài"}
    wrong = post(client, URL, password="sai-mat-khau", **data)
    assert "Mật khẩu không đúng" in wrong.get_data(as_text=True) and ChangeRequest.select().count() == 0
    done = post(client, URL, password=PASSWORD, **data)
    assert done.headers["Location"] == "/tai-khoan"
    change = ChangeRequest.get()
    assert (
        change.new_value == {"street": "Số 9 Hàng Bài", "ward_code": 70} and change.status == changes.PENDING
    )
    assert "Chờ xử lý" in client.get("/tai-khoan").get_data(as_text=True)
    assert AuditLog.get(AuditLog.action == "change_request.file").actor_label == citizen.username


@pytest.mark.parametrize(
    "data, message",
    [
        ({"field": "phone", "phone": "0912345678"}, "trùng với thông tin hiện tại"),
        ({"field": "phone", "phone": "0987000002"}, PHONE_TAKEN),
        ({"field": "email", "email": "ai@example.vn"}, "Mỗi email chỉ được đăng ký cho 1 mã số BHXH."),
    ],
)
def test_a_contact_that_is_not_new_or_not_free_is_refused_before_any_code(citizen, client, data, message):
    holder = _account("0987000002")
    Account.update(email="ai@example.vn").where(Account.id == holder.id).execute()
    html = post(client, URL, password=PASSWORD, **data).get_data(as_text=True)
    assert message in html
    assert Outbox.select().where(Outbox.recipient.in_(["0987000002", "ai@example.vn"])).count() == 0


def test_a_double_submit_sends_one_code_and_files_one_request(citizen, client):
    for _ in range(2):
        response = post(client, URL, field="phone", phone="0987654321", password=PASSWORD)
        assert response.headers["Location"] == CODE_URL
    assert Outbox.select().where(Outbox.recipient == "0987654321").count() == 1
    code = last_code("0987654321")
    assert post(client, CODE_URL, code=code).headers["Location"] == "/tai-khoan"
    assert post(client, CODE_URL, code=code).headers["Location"] == URL  # the flow is over
    assert ChangeRequest.select().count() == 1


def test_concurrent_submits_of_the_code_file_one_request(app, citizen, client):
    post(client, URL, field="phone", phone="0987654321", password=PASSWORD)
    code, results = last_code("0987654321"), []

    def submit(_n):
        try:
            results.append(change_proof.confirm(citizen, "phone", "0987654321", code).id)
        except UserError as error:
            results.append(str(error))

    run_concurrently(4, submit)
    assert ChangeRequest.select().count() == 1
    assert results == [ChangeRequest.get().id] * 4  # every twin sees the one request


def test_a_code_sent_for_one_citizen_does_not_file_for_another(app, citizen, client):
    post(client, URL, field="phone", phone="0987654321", password=PASSWORD)
    code = last_code("0987654321")
    other = _account("0912000009")
    with pytest.raises(UserError):
        change_proof.confirm(other, "phone", "0987654321", code)
    assert ChangeRequest.select().count() == 0
    assert post(client, CODE_URL, code=code).headers["Location"] == "/tai-khoan"
    assert ChangeRequest.get().account_id == citizen.id


def test_another_code_waits_for_the_cool_down_and_the_first_stays_valid(citizen, client):
    post(client, URL, field="phone", phone="0987654321", password=PASSWORD)
    first = last_code("0987654321")
    token = csrf(client, CODE_URL)
    early = client.post("/tai-khoan/yeu-cau-thay-doi/gui-lai", data={"csrf_token": token})
    assert "Vui lòng đợi" in client.get(early.headers["Location"]).get_data(as_text=True)
    clock.travel(dt.timedelta(seconds=61))
    again = client.post("/tai-khoan/yeu-cau-thay-doi/gui-lai", data={"csrf_token": token})
    assert again.headers["Location"].endswith("gui-lai=1")
    assert Outbox.select().where(Outbox.recipient == "0987654321").count() == 2
    assert post(client, CODE_URL, code=first).headers["Location"] == "/tai-khoan"


def test_the_code_page_needs_a_request_first(citizen, client):
    assert client.get(CODE_URL).headers["Location"] == URL


def test_a_newer_request_replaces_the_waiting_one(places):
    account = _account("0912000001")
    first = _file(account, "phone", "0987000002")
    assert _file(account, "phone", "0987000002").id == first.id  # the same request again: no new row
    second = _file(account, "phone", "0987000003")
    assert ChangeRequest.get_by_id(first.id).status == changes.REPLACED
    assert ChangeRequest.get_by_id(second.id).status == changes.PENDING
    staff = make_staff(places["001"])
    with pytest.raises(UserError, match="vừa được cán bộ khác xử lý"):
        changes.apply(staff, first)


# --- staff: one outcome, one phone -----------------------------------------------------------


def test_the_decision_must_be_chosen(app, places):
    client = _staff_client(app, places["001"])
    change = _file(_account("0912000001"), "phone", "0987000002")
    token = csrf(client, "/can-bo/ho-so")
    html = client.post(f"/can-bo/cap-nhat/{change.id}", data={"csrf_token": token}).get_data(as_text=True)
    assert "Vui lòng chọn đồng ý cập nhật hoặc từ chối" in html
    assert _decide(client, change, "").status_code == 302
    assert ChangeRequest.get_by_id(change.id).status == changes.PENDING


def test_two_staff_applying_and_rejecting_at_once_give_one_outcome(app, places):
    account = _account("0912000001")
    change = _file(account, "phone", "0987000002")
    staff = [make_staff(places["001"], username=f"cb{n}") for n in range(4)]
    results = []

    def act(n):
        try:
            if n % 2:
                changes.apply(staff[n], change)
            else:
                changes.reject(staff[n], change, "Không đúng chủ thuê bao")
            results.append("ok")
        except UserError as error:
            results.append(str(error))

    run_concurrently(4, act)
    assert results.count("ok") == 1
    assert results.count("Yêu cầu này vừa được cán bộ khác xử lý. Kết quả không thay đổi.") == 3
    final = ChangeRequest.get_by_id(change.id)
    decided = AuditLog.select().where(AuditLog.action.in_(["change_request.apply", "change_request.reject"]))
    assert decided.count() == 1
    if final.status == changes.APPLIED:
        assert Account.get_by_id(account.id).phone == "0987000002"
        assert Outbox.select().where(Outbox.template == "change_rejected").count() == 0
    else:
        assert final.status == changes.REJECTED and Account.get_by_id(account.id).phone == "0912000001"
        assert Outbox.select().where(Outbox.template == "contact_changed").count() == 0


def test_twenty_applies_racing_for_one_phone_leave_one_winner(app, places):
    staff = make_staff(places["001"])
    requests = [_file(_account(f"09120000{n:02d}"), "phone", "0987000099") for n in range(20)]
    results = []

    def act(n):
        try:
            changes.apply(staff, requests[n])
            results.append("ok")
        except UserError as error:
            results.append(str(error))

    run_concurrently(20, act)
    assert results.count("ok") == 1 and results.count(PHONE_TAKEN) == 19
    assert Account.select().where(Account.phone == "0987000099").count() == 1
    assert ChangeRequest.select().where(ChangeRequest.status == changes.PENDING).count() == 19


def test_an_approval_whose_phone_went_to_another_account_is_refused_clearly(app, places):
    client = _staff_client(app, places["001"])
    holder = make_person(full_name="Nguyễn Văn An")
    dossier = make_dossier(
        places["001"], bhxh_code=holder.bhxh_code, phone="0987000002", pending_phone="0987000002"
    )
    _account("0987000002")  # as a change request applied in the same instant would have left it
    token = csrf(client, "/can-bo/ho-so")
    response = client.post(
        f"/can-bo/ho-so/{dossier.id}/danh-gia/xac-nhan", data={"csrf_token": token, "evaluation": "hop_le"}
    )
    assert PHONE_TAKEN in client.get(response.headers["Location"]).get_data(as_text=True)
    assert Dossier.get_by_id(dossier.id).status == RECEIVED
    assert not Account.select().where(Account.username == holder.bhxh_code).exists()
    assert Outbox.select().where(Outbox.template == "account_created").count() == 0


# --- migration 0009: requests filed before it get their office ---------------------------------


def test_migration_gives_existing_requests_their_office(app, places):
    from peewee import Table

    from vss.core import db as vdb

    with_dossier, without = _account("0912000001"), _account("0912000002")
    make_dossier(places["00102"], status=APPROVED, evaluation="hop_le", bhxh_code=with_dossier.username)
    vdb.downgrade("0009_change_request_office")
    before = Table(
        "change_request",
        ("account_id", "office_province", "field", "old_value", "new_value", "status", "created_at", "note"),
    ).bind(vdb.db.obj)
    for account, value in (
        (with_dossier, '"0987000001"'),
        (with_dossier, '"0987000002"'),
        (without, '"0987000003"'),
    ):
        before.insert(
            account_id=account.id,
            office_province=1,
            field="phone",
            old_value='"0"',
            new_value=value,
            status="cho_xu_ly",
            created_at=clock.utcnow(),
            note="",
        ).execute()
    vdb.upgrade()
    rows = {row.new_value: row for row in ChangeRequest.select()}
    assert rows["0987000001"].status == changes.REPLACED and rows["0987000001"].pending_key is None
    assert (rows["0987000002"].office_id, rows["0987000002"].pending_key) == (
        places["00102"].id,
        f"{with_dossier.id}:phone",
    )
    assert (rows["0987000003"].office_id, rows["0987000003"].office_province) == (places["001"].id, 1)
