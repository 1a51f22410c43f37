"""Staff workspace: sign-in with TOTP, lockout, sessions, scoping, the list, decisions, change
requests, staff administration, audit rows."""

import contextlib
import datetime as dt
import re

import pytest

from tests import mailbox
from tests.conftest import get_gzip, html_of, run_concurrently, wire_size
from tests.csrf import token_in
from tests.factories import make_person
from tests.staff_helpers import PASSWORD, code_for, csrf, make_dossier, make_staff, offices, sign_in
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.dossiers import review
from vss.dossiers.dossiers import APPROVED, RECEIVED, WAITING, Dossier
from vss.identity import sessions
from vss.identity import staff as staff_domain
from vss.identity.accounts import Account, StaffUser
from vss.messages.notify import Outbox


@pytest.fixture
def places(app):
    return offices()


# --- sign-in ------------------------------------------------------------------------------


def test_first_sign_in_enrols_totp(places, client):
    staff = make_staff(places["00101"], enrolled=False)
    token = csrf(client)
    response = client.post(
        "/can-bo/dang-nhap",
        data={"csrf_token": token, "office_code": "00101", "username": "canbo", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/can-bo/dang-ky-xac-thuc"
    html = client.get("/can-bo/dang-ky-xac-thuc").get_data(as_text=True)
    token = token_in(html)
    assert "<svg" in html and 'class="secret"' in html
    pending = StaffUser.get_by_id(staff.id).totp_pending
    assert re.sub(r"\s", "", re.search(r'class="secret">([^<]+)<', html).group(1)) == pending
    done = client.post("/can-bo/dang-ky-xac-thuc", data={"csrf_token": token, "code": code_for(pending)})
    assert done.headers["Location"] == "/can-bo/ho-so"
    assert StaffUser.get_by_id(staff.id).totp_secret == pending
    assert client.get("/can-bo/ho-so").status_code == 200


def test_wrong_parts_give_one_generic_message(places, client):
    make_staff(places["00101"])
    token = csrf(client)
    messages = set()
    for office, user, password in (
        ("00101", "canbo", "sai"),
        ("00101", "khongco", PASSWORD),
        ("00102", "canbo", PASSWORD),
        ("99999", "canbo", PASSWORD),
    ):
        html = client.post(
            "/can-bo/dang-nhap",
            data={"csrf_token": token, "office_code": office, "username": user, "password": password},
        ).get_data(as_text=True)
        messages.add(re.search(r'<div class="error-summary"[^>]*><p>([^<]+)</p>', html).group(1))
    assert messages == {str(staff_domain.GENERIC_ERROR)}


def test_wrong_totp_and_replayed_totp_are_refused(places, client):
    staff = make_staff(places["00101"])
    token = csrf(client)
    client.post(
        "/can-bo/dang-nhap",
        data={"csrf_token": token, "office_code": "00101", "username": "canbo", "password": PASSWORD},
    )
    token = csrf(client, "/can-bo/xac-thuc")
    assert "không đúng" in client.post(
        "/can-bo/xac-thuc", data={"csrf_token": token, "code": "000000"}
    ).get_data(as_text=True)
    code = code_for(staff.totp_secret)
    assert client.post("/can-bo/xac-thuc", data={"csrf_token": token, "code": code}).status_code == 302
    other = type(client)(client.application, client.response_wrapper, use_cookies=True)
    other_token = csrf(other)
    other.post(
        "/can-bo/dang-nhap",
        data={"csrf_token": other_token, "office_code": "00101", "username": "canbo", "password": PASSWORD},
    )
    other_token = csrf(other, "/can-bo/xac-thuc")
    replay = other.post("/can-bo/xac-thuc", data={"csrf_token": other_token, "code": code})
    assert replay.status_code == 200 and "không đúng" in replay.get_data(as_text=True)


def test_five_failures_lock_for_fifteen_minutes(places, client):
    staff = make_staff(places["00101"])
    token = csrf(client)

    def attempt(password):
        return client.post(
            "/can-bo/dang-nhap",
            data={"csrf_token": token, "office_code": "00101", "username": "canbo", "password": password},
        )

    for _ in range(5):
        assert attempt("sai-mat-khau").status_code == 200
    assert StaffUser.get_by_id(staff.id).locked_until is not None
    assert str(staff_domain.GENERIC_ERROR) in attempt(PASSWORD).get_data(
        as_text=True
    )  # right password, still locked
    clock.travel(dt.timedelta(minutes=15, seconds=1))
    assert attempt(PASSWORD).status_code == 302
    # A fresh count: this right password is its first check (cleared once the code is right too).
    assert StaffUser.get_by_id(staff.id).failed_logins == 1


def test_concurrent_wrong_passwords_lock_exactly_at_the_limit(places):
    staff = make_staff(places["00101"])

    def guess(_n):
        with contextlib.suppress(UserError):
            staff_domain.check_password("00101", "canbo", "sai")

    run_concurrently(20, guess)
    row = StaffUser.get_by_id(staff.id)
    assert row.failed_logins == staff_domain.MAX_FAILURES and row.locked_until is not None


def test_idle_timeout_and_absolute_limit(places, client):
    staff = make_staff(places["00101"])
    sign_in(client, staff)
    clock.travel(dt.timedelta(minutes=29))
    assert client.get("/can-bo/ho-so").status_code == 200
    clock.travel(dt.timedelta(minutes=31))
    response = client.get("/can-bo/ho-so")
    assert response.headers["Location"] == "/can-bo/dang-nhap"
    assert "Phiên làm việc đã hết hạn" in client.get("/can-bo/dang-nhap").get_data(as_text=True)
    sign_in(client, staff)
    for _ in range(37):  # busy all day: 37 × 20 min > 12 h
        clock.travel(dt.timedelta(minutes=20))
        if client.get("/can-bo/ho-so").status_code != 200:
            break
    else:
        pytest.fail("the session outlived 12 hours")


def test_pages_warn_before_idle_timeout(places, client):
    sign_in(client, make_staff(places["00101"]))
    html = client.get("/can-bo/ho-so").get_data(as_text=True)
    assert '<meta name="session-expires"' in html and 'id="idle-warning"' in html
    assert (
        client.post("/can-bo/giu-phien", headers={"X-CSRFToken": csrf(client, "/can-bo/ho-so")}).status_code
        == 204
    )


def test_sign_out_ends_the_server_session(places, client):
    staff = make_staff(places["00101"])
    token = sign_in(client, staff)
    client.post("/can-bo/dang-xuat", data={"csrf_token": token})
    assert client.get("/can-bo/ho-so").status_code == 302
    assert sessions.StaffSession.get().ended_at is not None


def test_staff_pages_are_not_stored(places, client):
    sign_in(client, make_staff(places["00101"]))
    assert client.get("/can-bo/ho-so").headers["Cache-Control"] == "no-store"


# --- scope --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, office, visible, hidden",
    [
        ("reviewer", "00101", ["00101"], ["00102", "001", "07901"]),
        ("supervisor", "001", ["00101", "00102", "001"], ["07901", "079"]),
    ],
)
def test_scope_by_role_out_of_scope_is_404(places, client, role, office, visible, hidden):
    sign_in(client, make_staff(places[office], role=role))
    dossiers = {code: make_dossier(places[code]) for code in visible + hidden}
    listing = client.get("/can-bo/ho-so").get_data(as_text=True)
    for code in visible:
        assert client.get(f"/can-bo/ho-so/{dossiers[code].id}").status_code == 200
        assert dossiers[code].number in listing
    for code in hidden:
        item = dossiers[code]
        assert item.number not in listing
        assert client.get(f"/can-bo/ho-so/{item.id}").status_code == 404
        assert client.get(f"/can-bo/ho-so/{item.id}/anh/mat_truoc.jpg").status_code == 404
        token = csrf(client, "/can-bo/ho-so")
        assert (
            client.post(f"/can-bo/ho-so/{item.id}/tiep-nhan", data={"csrf_token": token}).status_code == 404
        )
        assert (
            client.post(
                f"/can-bo/ho-so/{item.id}/danh-gia/xac-nhan",
                data={"csrf_token": token, "evaluation": "hop_le"},
            ).status_code
            == 404
        )
    assert client.get("/can-bo/ho-so/999999").status_code == 404


def test_admin_pages_need_the_admin_role(places, client):
    sign_in(client, make_staff(places["00101"]))
    assert client.get("/can-bo/quan-tri").status_code == 404


# --- the list -----------------------------------------------------------------------------


def test_list_columns_filters_and_keyset_pages(places, client):
    sign_in(client, make_staff(places["001"], role="supervisor"))
    start = dt.datetime(2026, 11, 1, 3, 0)
    for n in range(120):
        make_dossier(
            places["00101"],
            status=WAITING if n % 3 else APPROVED,
            submitted_at=start + dt.timedelta(hours=n),
            evaluation=None if n % 3 else "hop_le",
        )
    html = client.get("/can-bo/ho-so").get_data(as_text=True)
    for column in (
        "STT",
        "Số hồ sơ",
        "Ngày tiếp nhận",
        "Mã số BHXH",
        "Họ và tên",
        "Địa chỉ",
        "Người liên hệ",
        "Điện thoại",
        "Người duyệt",
        "Ngày duyệt",
        "Trạng thái",
    ):
        assert f">{column}</th>" in html
    seen, url = [], "/can-bo/ho-so"
    while url:
        page_html = client.get(url).get_data(as_text=True)
        numbers = re.findall(r">(\d{5}\.GD/2026/00101)</a>", page_html)
        assert len(numbers) <= 50
        seen += numbers
        match = re.search(r'href="([^"]+)"[^>]*rel="next"', page_html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert len(seen) == 120 and len(set(seen)) == 120
    waiting = client.get("/can-bo/ho-so?tinh_trang=cho_tiep_nhan").get_data(as_text=True)
    assert len(re.findall(r"\.GD/2026/00101</a>", waiting)) == 50
    valid = client.get("/can-bo/ho-so?trang_thai=hop_le").get_data(as_text=True)
    assert len(re.findall(r"\.GD/2026/00101</a>", valid)) == 40
    one_day = client.get("/can-bo/ho-so?tu=2026-11-02&den=2026-11-02").get_data(as_text=True)
    assert len(re.findall(r"\.GD/2026/00101</a>", one_day)) == 24
    first = Dossier.select().order_by(Dossier.id).first()
    by_number = client.get(f"/can-bo/ho-so?so={first.number}").get_data(as_text=True)
    by_code = client.get(f"/can-bo/ho-so?ma={first.bhxh_code}").get_data(as_text=True)
    assert by_number.count(".GD/2026/00101</a>") == by_code.count(".GD/2026/00101</a>") == 1


def test_filters_refresh_only_the_table_with_htmx(places, client):
    sign_in(client, make_staff(places["00101"]))
    make_dossier(places["00101"])
    response = client.get("/can-bo/ho-so?tinh_trang=da_tiep_nhan", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<table") and "<html" not in html


def test_list_page_of_fifty_rows_within_budget(places, client):
    sign_in(client, make_staff(places["00101"]))
    for _ in range(55):
        make_dossier(places["00101"], full_name="Nguyễn Thị Phương Thảo", street="Số 123 ngõ 45 phố Hàng Bài")
    response = get_gzip(client, "/can-bo/ho-so")
    assert html_of(response).count(".GD/2026/00101</a>") == 50
    assert wire_size(response) <= 25 * 1024


def test_dashboard_counts_and_overdue(places, client):
    sign_in(client, make_staff(places["00101"]))
    make_dossier(places["00101"], status=WAITING, submitted_at=clock.utcnow() - dt.timedelta(days=10))
    make_dossier(places["00101"], status=WAITING)
    counts = review.dashboard(StaffUser.get())
    assert counts["counts"]["cho_tiep_nhan"] == 2 and counts["overdue"] == 1


# --- the decision -------------------------------------------------------------------------


def _decide(client, item, evaluation, reason=""):
    token = csrf(client, "/can-bo/ho-so")
    confirm = client.post(
        f"/can-bo/ho-so/{item.id}/danh-gia",
        data={"csrf_token": token, "evaluation": evaluation, "reason": reason},
    )
    assert confirm.status_code == 200
    return client.post(
        f"/can-bo/ho-so/{item.id}/danh-gia/xac-nhan",
        data={"csrf_token": token, "evaluation": evaluation, "reason": reason},
    )


def test_receive_then_approve_creates_the_account_and_sends_the_password(places, client):
    staff = make_staff(places["00101"])
    sign_in(client, staff)
    person = make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa")
    item = make_dossier(
        places["00101"],
        status=WAITING,
        bhxh_code="0123456789",
        full_name="nguyễn  thị HOA",
        email="hoa@example.vn",
    )
    page = client.get(f"/can-bo/ho-so/{item.id}").get_data(as_text=True)
    assert "Đối chiếu cơ sở dữ liệu BHXH" in page and "Nguyễn Thị Hoa ✓" in page
    client.post(f"/can-bo/ho-so/{item.id}/tiep-nhan", data={"csrf_token": csrf(client, "/can-bo/ho-so")})
    assert Dossier.get_by_id(item.id).status == RECEIVED
    response = _decide(client, item, "hop_le")
    assert "Cập nhật thành công" in client.get(response.headers["Location"]).get_data(as_text=True)
    dossier = Dossier.get_by_id(item.id)
    assert (dossier.status, dossier.evaluation, dossier.reviewer_id) == (APPROVED, "hop_le", staff.id)
    account = Account.get(Account.username == "0123456789")
    assert account.person_id == person.id and account.must_change_password and account.phone == item.phone
    sms = mailbox.last_message(template="account_created", channel="sms")  # as the phone got it
    password = re.search(r"Mat khau tam: (\S+)", sms.body).group(1)
    assert sms.recipient == item.phone and "Ten dang nhap: 0123456789" in sms.body
    assert len(password) >= 10 and not set(password) & set("0O1lI") and account.check_password(password)
    assert (
        Outbox.get((Outbox.template == "account_created") & (Outbox.channel == "email")).recipient
        == "hoa@example.vn"
    )
    actions = [
        row.action
        for row in AuditLog.select().where(AuditLog.object_id == str(item.id)).order_by(AuditLog.id)
    ]
    assert actions == ["dossier.receive", "dossier.approved"]
    assert AuditLog.get(AuditLog.action == "dossier.approved").actor_label == "00101/canbo"


def test_valid_but_not_in_registry_is_not_approved(places, client):
    sign_in(client, make_staff(places["00101"]))
    item = make_dossier(places["00101"], bhxh_code="0999999999")
    response = _decide(client, item, "hop_le")
    assert "mã số BHXH hoặc họ tên không khớp" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    dossier = Dossier.get_by_id(item.id)
    assert dossier.evaluation == "khong_hop_le" and "TK1-TS" in dossier.reason
    assert Account.select().count() == 0
    sms = Outbox.get(Outbox.template == "dossier_no_code")
    assert sms.recipient == item.phone and item.number in sms.body and "cap ma so BHXH" in sms.body


def test_name_mismatch_is_not_approved(places, client):
    sign_in(client, make_staff(places["00101"]))
    make_person(bhxh_code="0123456789", full_name="Trần Văn Bình")
    item = make_dossier(places["00101"], bhxh_code="0123456789", full_name="Nguyễn Thị Hoa")
    _decide(client, item, "hop_le")
    assert Dossier.get_by_id(item.id).evaluation == "khong_hop_le" and Account.select().count() == 0


def test_invalid_needs_a_reason_and_sends_it(places, client):
    sign_in(client, make_staff(places["00101"]))
    item = make_dossier(places["00101"])
    token = csrf(client, "/can-bo/ho-so")
    missing = client.post(
        f"/can-bo/ho-so/{item.id}/danh-gia", data={"csrf_token": token, "evaluation": "khong_hop_le"}
    )
    assert "Vui lòng nhập lý do" in missing.get_data(as_text=True)
    _decide(client, item, "khong_hop_le", "Ảnh CCCD bị mờ, không đọc được số")
    sms = Outbox.get(Outbox.template == "dossier_rejected")
    assert "Ly do: Anh CCCD bi mo, khong doc duoc so" in sms.body and item.number in sms.body
    assert Dossier.get_by_id(item.id).reason == "Ảnh CCCD bị mờ, không đọc được số"


def test_not_yet_received_cannot_be_decided(places, client):
    sign_in(client, make_staff(places["00101"]))
    item = make_dossier(places["00101"], status=WAITING)
    response = _decide(client, item, "khong_hop_le", "x")
    assert "chưa được tiếp nhận" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_double_click_gives_one_outcome(places, client):
    sign_in(client, make_staff(places["00101"]))
    make_person(bhxh_code="0123456789", full_name="Nguyễn Văn An")
    item = make_dossier(places["00101"], bhxh_code="0123456789")
    _decide(client, item, "hop_le")
    again = _decide(client, item, "khong_hop_le", "bấm nhầm")
    assert "vừa được cán bộ khác xử lý" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert Dossier.get_by_id(item.id).evaluation == "hop_le"
    assert Outbox.select().where(Outbox.template == "dossier_rejected").count() == 0


def test_two_reviewers_at_once_give_one_outcome(places):
    make_person(bhxh_code="0123456789", full_name="Nguyễn Văn An")
    item = make_dossier(places["00101"], bhxh_code="0123456789")
    reviewers = [make_staff(places["00101"], username=f"cb{n}") for n in range(4)]
    results = []

    def act(n):
        try:
            results.append(
                review.decide(reviewers[n], item, "hop_le" if n % 2 else "khong_hop_le", "lý do")[0]
            )
        except UserError as error:
            results.append(error.message)

    run_concurrently(4, act)
    outcomes = [r for r in results if r in ("approved", "invalid")]
    assert (
        len(outcomes) == 1
        and results.count("Hồ sơ này vừa được cán bộ khác xử lý. Kết quả không thay đổi.") == 3
    )
    assert Account.select().count() == (1 if outcomes == ["approved"] else 0)
    assert Outbox.select().where(Outbox.template.in_(["account_created", "dossier_rejected"])).count() == 1


# --- change requests ----------------------------------------------------------------------


def test_change_request_is_confirmed_and_both_contacts_told(places, client):
    from vss.identity.accounts import hash_password
    from vss.requests import changes

    sign_in(client, make_staff(places["00101"]))
    person = make_person()
    account = Account.create(
        person=person, username=person.bhxh_code, password_hash=hash_password("x" * 12), phone="0912000001"
    )
    make_dossier(places["00101"], status=APPROVED, evaluation="hop_le", bhxh_code=person.bhxh_code)
    change = changes.file_change(account, changes.PHONE, "0987000002")
    page = client.get(f"/can-bo/cap-nhat/{change.id}").get_data(as_text=True)
    assert "0912000001" in page and "0987000002" in page
    token = csrf(client, "/can-bo/ho-so")
    decision = {"csrf_token": token, "decision": "cap_nhat"}
    assert "Xác nhận" in client.post(f"/can-bo/cap-nhat/{change.id}", data=decision).get_data(as_text=True)
    assert Account.get_by_id(account.id).phone == "0912000001"  # nothing until confirmed
    client.post(f"/can-bo/cap-nhat/{change.id}/xac-nhan", data=decision)
    assert Account.get_by_id(account.id).phone == "0987000002"
    told = {m.recipient for m in Outbox.select().where(Outbox.template == "contact_changed")}
    assert told == {"0912000001", "0987000002"}
    assert AuditLog.select().where(AuditLog.action == "change_request.apply").count() == 1


def test_change_requests_of_another_province_are_404(places, client):
    from vss.identity.accounts import hash_password
    from vss.requests import changes

    sign_in(client, make_staff(places["07901"]))
    person = make_person()
    account = Account.create(
        person=person, username=person.bhxh_code, password_hash=hash_password("x" * 12), phone="0912000001"
    )
    change = changes.file_change(account, changes.EMAIL, "moi@example.vn")
    assert client.get(f"/can-bo/cap-nhat/{change.id}").status_code == 404


# --- administration -----------------------------------------------------------------------


def test_admin_creates_deactivates_and_resets(places, client):
    admin = make_staff(places["001"], username="quantri", role="admin")
    sign_in(client, admin)
    token = csrf(client, "/can-bo/quan-tri")
    html = client.post(
        "/can-bo/quan-tri",
        data={
            "csrf_token": token,
            "office_code": "00102",
            "username": "Moi",
            "full_name": "Lê Văn Mới",
            "role": "reviewer",
        },
    ).get_data(as_text=True)
    password = re.search(r'class="secret">([^<]+)<', html).group(1)
    new = StaffUser.get(StaffUser.username == "moi")
    assert new.check_password(password) and new.totp_secret is None
    other = client.application.test_client()
    other_token = csrf(other)
    assert (
        other.post(
            "/can-bo/dang-nhap",
            data={"csrf_token": other_token, "office_code": "00102", "username": "moi", "password": password},
        ).headers["Location"]
        == "/can-bo/dang-ky-xac-thuc"
    )
    client.post(f"/can-bo/quan-tri/{new.id}/trang-thai", data={"csrf_token": token, "active": "0"})
    assert not StaffUser.get_by_id(new.id).active
    hcm_staff = make_staff(places["07901"], username="xa")
    assert (
        client.post(f"/can-bo/quan-tri/{hcm_staff.id}/dat-lai", data={"csrf_token": token}).status_code == 404
    )
    html = client.post(f"/can-bo/quan-tri/{new.id}/dat-lai", data={"csrf_token": token}).get_data(
        as_text=True
    )
    assert re.search(r'class="secret">([^<]+)<', html)
    assert {r.action for r in AuditLog.select()} >= {"staff.create", "staff.deactivate", "staff.reset"}


def test_enrolment_key_stays_the_same_across_reloads_and_wrong_codes(places, client):
    make_staff(places["00101"], enrolled=False)
    client.post(
        "/can-bo/dang-nhap",
        data={"csrf_token": csrf(client), "office_code": "00101", "username": "canbo", "password": PASSWORD},
    )

    def key():
        html = client.get("/can-bo/dang-ky-xac-thuc").get_data(as_text=True)
        return re.search(r'class="secret">([^<]+)<', html).group(1)

    first = key()
    client.post(
        "/can-bo/dang-ky-xac-thuc",
        data={"csrf_token": csrf(client, "/can-bo/dang-ky-xac-thuc"), "code": "000000"},
    )
    assert key() == first


def test_first_visit_to_the_workspace_does_not_claim_an_expired_session(client, places):
    client.get("/can-bo/ho-so")
    assert "hết hạn" not in client.get("/can-bo/dang-nhap").get_data(as_text=True)
