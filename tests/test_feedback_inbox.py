"""Phản ánh, kiến nghị, staff side: the inbox scoped to the office, filters and overdue marks,
assigning to a colleague of the receiving office, the answer by SMS and email and on the status
page, the audit trail, and another office's ids."""

import datetime as dt

import pytest

from tests import mailbox
from tests.csrf import csrf as page_token
from tests.feedback_helpers import URL, make_feedback
from tests.registration_flow import jpeg
from tests.staff_helpers import make_staff, offices, sign_in
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.messages.notify import Outbox
from vss.support import feedback, feedback_inbox
from vss.support.feedback import ANSWERED, ASSIGNED, NEW, Feedback

INBOX = "/can-bo/phan-anh"


@pytest.fixture
def places(app):
    return offices()


@pytest.fixture
def staff(places):
    return make_staff(places["00101"])


@pytest.fixture
def desk(client, staff):
    """The reviewer of 00101 signed in (returns the CSRF token)."""
    return sign_in(client, staff)


def _post(client, token, url, **data):
    return client.post(url, data={"csrf_token": token, **data})


def test_the_staff_home_links_to_the_inbox(client, desk):
    assert f'href="{INBOX}"' in client.get("/can-bo/ho-so").get_data(as_text=True)


def test_the_inbox_shows_the_office_s_confirmed_feedback(client, desk, places):
    mine = make_feedback(topic="kham_chua_benh")
    sibling = make_feedback(office_code="00102")
    far = make_feedback(office_code="07901", province_code=79, ward_code=26734)
    page = client.get(INBOX).get_data(as_text=True)
    assert mine.number in page and sibling.number not in page and far.number not in page
    assert "Ban Thực hiện chính sách BHYT" in page
    # A supervisor of the province sees both Hà Nội offices, not Hồ Chí Minh City's.
    boss = make_staff(places["001"], "giamsat", role=StaffUser.SUPERVISOR)
    assert {f.id for f in feedback_inbox.search(boss)} == {mine.id, sibling.id}


def test_another_office_s_ids_are_404(client, desk, places):
    sibling = make_feedback(office_code="00102")
    far = make_feedback(office_code="07901", province_code=79, ward_code=26734)
    Feedback.update(photo=jpeg(400, 300)).where(Feedback.id.in_([sibling.id, far.id])).execute()
    colleague = make_staff(places["00101"], "dong_nghiep")
    for item in (sibling, far):
        assert client.get(f"{INBOX}/{item.id}").status_code == 404
        assert client.get(f"{INBOX}/{item.id}/anh.jpg").status_code == 404
        assert _post(client, desk, f"{INBOX}/{item.id}/phan-cong", assignee=colleague.id).status_code == 404
        assert _post(client, desk, f"{INBOX}/{item.id}/tra-loi", answer="Đã xử lý.").status_code == 404
    assert client.get(f"{INBOX}/999999").status_code == 404
    assert Feedback.select().where(Feedback.state != NEW).count() == 0
    assert not AuditLog.select().where(AuditLog.action.in_(["feedback.assign", "feedback.answer"])).exists()


def test_an_unconfirmed_feedback_is_404_even_at_its_office(client, desk):
    from tests.feedback_helpers import given
    from vss.web.forms.feedback import new_key

    row = feedback.send(given(), key=new_key(), client="10.2.2.2")
    assert client.get(f"{INBOX}/{row.id}").status_code == 404


def test_filters_by_department_state_and_overdue(client, desk, staff):
    card = make_feedback(topic="the_bhyt")
    app_issue = make_feedback(topic="ung_dung")
    feedback_inbox.answer(staff, app_issue, "Đã sửa lỗi.")
    by_department = client.get(INBOX, query_string={"bo_phan": "cntt"}).get_data(as_text=True)
    assert app_issue.number in by_department and card.number not in by_department
    by_state = client.get(INBOX, query_string={"tinh_trang": "moi"}).get_data(as_text=True)
    assert card.number in by_state and app_issue.number not in by_state
    assert "Quá hạn trả lời: <strong>0" in client.get(INBOX).get_data(as_text=True)
    assert card.number not in client.get(INBOX, query_string={"qua_han": "1"}).get_data(as_text=True)
    clock.travel(dt.timedelta(days=20))  # past ten working days (and the session: sign in again)
    sign_in(client, staff)
    late = client.get(INBOX, query_string={"qua_han": "1"}).get_data(as_text=True)
    assert card.number in late and app_issue.number not in late  # an answered one is never overdue
    assert 'class="bad"' in late and "Quá hạn trả lời: <strong>1" in client.get(INBOX).get_data(as_text=True)
    assert "Quá hạn" in client.get(f"{INBOX}/{card.id}").get_data(as_text=True)
    fragment = client.get(
        INBOX, query_string={"bo_phan": "\x00", "tinh_trang": "²"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_the_overdue_mark_follows_the_due_day(places):
    clock.travel(dt.datetime(2026, 3, 6, 2, 0) - clock.utcnow())  # a Friday, 09:00 in Vietnam
    row = make_feedback()
    assert row.due_on == dt.date(2026, 3, 20) and not row.overdue
    clock.travel(dt.timedelta(days=14))  # Friday 20/3: the due day itself
    assert not Feedback.get_by_id(row.id).overdue
    clock.travel(dt.timedelta(days=1))  # Saturday 21/3
    assert Feedback.get_by_id(row.id).overdue


def test_assign_to_a_colleague_of_the_office(client, desk, staff, places):
    row = make_feedback()
    colleague = make_staff(places["00101"], "dong_nghiep")
    stranger = make_staff(places["00102"], "ben_canh")
    page = client.get(f"{INBOX}/{row.id}").get_data(as_text=True)
    assert f'value="{colleague.id}"' in page and f'value="{stranger.id}"' not in page
    refused = _post(client, desk, f"{INBOX}/{row.id}/phan-cong", assignee=stranger.id)
    assert refused.status_code == 200 and "Vui lòng chọn cán bộ của cơ quan tiếp nhận" in refused.get_data(
        as_text=True
    )
    assert _post(client, desk, f"{INBOX}/{row.id}/phan-cong", assignee="²").status_code == 200
    done = _post(client, desk, f"{INBOX}/{row.id}/phan-cong", assignee=colleague.id)
    assert done.headers["Location"] == f"{INBOX}/{row.id}"
    row = Feedback.get_by_id(row.id)
    assert row.state == ASSIGNED and row.assignee_id == colleague.id
    audit = AuditLog.get(AuditLog.action == "feedback.assign")
    assert audit.actor_id == staff.id and audit.detail == {"assignee": "00101/dong_nghiep"}
    listed = client.get(INBOX).get_data(as_text=True)
    assert colleague.full_name in listed and "Đang xử lý" in listed


def test_the_answer_goes_by_sms_and_email_and_shows_on_the_status_page(client, desk, staff, app):
    row = make_feedback(email="mai@example.vn")
    empty = _post(client, desk, f"{INBOX}/{row.id}/tra-loi", answer="  ")
    assert empty.status_code == 200 and "Vui lòng nhập nội dung trả lời" in empty.get_data(as_text=True)
    assert _post(client, desk, f"{INBOX}/{row.id}/tra-loi", answer="x\x00y").status_code == 200
    assert _post(client, desk, f"{INBOX}/{row.id}/tra-loi", answer="x" * 10_000).status_code == 200
    assert Feedback.get_by_id(row.id).state == NEW
    text = "Cơ quan BHXH đã điều chỉnh ngày sinh trên thẻ BHYT của ông/bà.\nVui lòng tải lại thẻ trên VssID."
    response = _post(client, desk, f"{INBOX}/{row.id}/tra-loi", answer=text)
    assert response.headers["Location"] == f"{INBOX}/{row.id}"
    row = Feedback.get_by_id(row.id)
    assert row.state == ANSWERED and row.answer == text and row.answered_by_id == staff.id
    sms = mailbox.last_message(row.phone, template="feedback_answered")
    assert row.number in sms.body and "da dieu chinh ngay sinh" in sms.body
    email = mailbox.last_message("mai@example.vn", template="feedback_answered")
    assert text in email.body and row.number in email.subject
    # A second answer (another click, another member of staff) changes nothing.
    again = _post(client, desk, f"{INBOX}/{row.id}/tra-loi", answer="Khác.")
    assert again.status_code == 302 and Feedback.get_by_id(row.id).answer == text
    assert Outbox.select().where(Outbox.template == "feedback_answered").count() == 2
    with pytest.raises(UserError):
        feedback_inbox.assign(staff, row, staff.id)
    # The citizen sees it by number + phone.
    citizen = app.test_client()
    token = page_token(citizen, f"{URL}/tra-cuu")
    found = citizen.post(
        f"{URL}/tra-cuu", data={"csrf_token": token, "so": row.number, "dien_thoai": row.phone}
    )
    assert "Vui lòng tải lại thẻ trên VssID." in found.get_data(
        as_text=True
    ) and "Đã trả lời" in found.get_data(as_text=True)
    history = client.get(f"{INBOX}/{row.id}").get_data(as_text=True)
    assert "Người dân gửi phản ánh" in history and "Đã trả lời" in history and "00101/canbo" in history
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id) if a.object_kind == "Feedback"] == [
        "feedback.submit",
        "feedback.answer",
    ]


def test_a_long_answer_s_sms_carries_its_start(client, desk, staff):
    row = make_feedback()
    feedback_inbox.answer(staff, row, "Trả lời. " * 100)
    sms = mailbox.last_message(row.phone, template="feedback_answered")
    assert sms.body.endswith("...") and len(sms.body) < 450


def test_the_photo_is_shown_to_the_office(client, desk):
    row = make_feedback()
    assert client.get(f"{INBOX}/{row.id}/anh.jpg").status_code == 404  # none sent
    Feedback.update(photo=jpeg(400, 300)).where(Feedback.id == row.id).execute()
    response = client.get(f"{INBOX}/{row.id}/anh.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert f"{INBOX}/{row.id}/anh.jpg" in client.get(f"{INBOX}/{row.id}").get_data(as_text=True)


def test_the_inbox_needs_a_staff_sign_in(client, places):
    row = make_feedback()
    assert client.get(INBOX).headers["Location"] == "/can-bo/dang-nhap"
    assert client.get(f"{INBOX}/{row.id}").headers["Location"] == "/can-bo/dang-nhap"


def test_the_item_page_with_htmx_is_its_content(client, desk):
    row = make_feedback()
    response = client.post(
        f"{INBOX}/{row.id}/phan-cong", data={"csrf_token": desk}, headers={"HX-Request": "true"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and "Vui lòng chọn cán bộ" in text


def test_the_demo_leaves_feedback_in_the_inbox(places, staff):
    from tests.signin_helpers import make_account
    from vss.seed import demo

    make_account()
    assert demo.create_demo_feedback(places["00101"]) == ["  1 demo feedback at 00101"]
    [row] = feedback_inbox.search(staff)
    assert row.topic == "the_bhyt" and row.account.username == "0123456789"
