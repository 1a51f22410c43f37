"""Phản ánh, kiến nghị, citizen side: routing, the office, the code before anything is sent,
the number and its SMS, the signed-in path, double submits, bad input, photos, the status
look-up and its budget, the due day, and the page budgets."""

import datetime as dt

import pytest

from tests import mailbox
from tests.conftest import get_gzip, html_of, run_concurrently, wire_size
from tests.csrf import csrf
from tests.feedback_helpers import FORM, URL, given, make_feedback, post_code, post_form, signed_in
from tests.photo_files import png
from tests.registration_flow import jpeg
from tests.signin_helpers import make_account
from tests.staff_helpers import make_staff, offices
from vss.core import clock, jobs
from vss.core import db as vdb
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.messages.notify import Outbox
from vss.support import feedback, feedback_inbox
from vss.support.feedback import UNCONFIRMED, Feedback
from vss.web.forms.feedback import new_key


@pytest.fixture
def places(app):
    return offices()


def _confirmed():
    return Feedback.select().where(Feedback.state != UNCONFIRMED)


# --- routing and the office --------------------------------------------------------------------


@pytest.mark.parametrize(
    "topic,department",
    [
        ("thong_tin_ca_nhan", "Ban Quản lý Thu - Sổ, Thẻ"),
        ("qua_trinh_tham_gia", "Ban Quản lý Thu - Sổ, Thẻ"),
        ("the_bhyt", "Ban Quản lý Thu - Sổ, Thẻ"),
        ("che_do", "Ban Thực hiện chính sách BHXH"),
        ("kham_chua_benh", "Ban Thực hiện chính sách BHYT"),
        ("ung_dung", "Bộ phận Công nghệ thông tin"),
    ],
)
def test_each_topic_goes_to_its_department_of_the_chosen_office(places, topic, department):
    row = make_feedback(topic=topic)
    assert str(row.department_label) == department
    assert row.office.code == "00101" and row.office_province == 1


def test_an_unknown_topic_is_refused(places):
    with pytest.raises(UserError) as refused:
        feedback.send(given(topic="khac"), key=new_key())
    assert refused.value.field == "topic"


def test_the_office_of_the_address_is_the_base_office_of_the_ward_else_the_province(places):
    assert feedback.office_for("", 1, 70) == (places["00101"], True)  # first base office in ward 70
    assert feedback.office_for("", 1, 4)[0] == places["001"]  # Phường Ba Đình: no base office there
    assert feedback.office_for("00102", 1, 0) == (places["00102"], False)
    for office, province, ward in (("07901", 1, 70), ("", 1, 0), ("", 1, 26734), ("zz", 1, 70)):
        with pytest.raises(UserError):
            feedback.office_for(office, province, ward)


# --- the citizen's flow ------------------------------------------------------------------------


def test_the_whole_flow_without_javascript(places, client):
    page = get_gzip(client, URL)
    assert page.status_code == 200 and wire_size(page) <= 12 * 1024
    assert page.headers["Cache-Control"].startswith("no-store")
    assert 'name="khoa"' in html_of(page) and "Ban Quản lý" not in html_of(page)
    response = post_form(client)
    assert response.status_code == 302 and response.headers["Location"] == f"{URL}/xac-thuc"
    # Nothing is sent until the code: no number, nothing in the inbox, only the code's SMS.
    row = Feedback.get()
    assert row.state == UNCONFIRMED and row.number is None
    staff = make_staff(places["00101"])
    assert feedback_inbox.search(staff) == [] and feedback_inbox.item_for(staff, row.id) is None
    assert not Outbox.select().where(Outbox.template == "feedback_received").exists()
    assert client.get(f"{URL}/da-gui").headers["Location"] == URL
    code_page = client.get(f"{URL}/xac-thuc").get_data(as_text=True)
    assert "0987654321" in code_page and 'autocomplete="one-time-code"' in code_page
    code = mailbox.last_code("0987654321")
    wrong = post_code(client, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 200 and "Bạn còn 4 lần thử" in wrong.get_data(as_text=True)
    assert post_code(client, code).headers["Location"] == f"{URL}/da-gui"
    row = Feedback.get()
    year = clock.vn_today().year
    assert row.number == f"00001.PA/{year}/00101" and row.state == feedback.NEW
    assert row.full_name == "Trần Thị Mai" and row.email == "mai@example.vn" and row.account is None
    done = get_gzip(client, f"{URL}/da-gui")
    text = html_of(done)
    assert row.number in text and "Ban Quản lý Thu - Sổ, Thẻ" in text and wire_size(done) <= 12 * 1024
    sms = Outbox.select().where(Outbox.template == "feedback_received").get()
    assert sms.recipient == "0987654321" and row.number in sms.body and "Han tra loi" in sms.body
    assert AuditLog.get(AuditLog.action == "feedback.submit").object_id == str(row.id)
    assert [f.id for f in feedback_inbox.search(staff)] == [row.id]
    # The code again (a replay) changes nothing: the page goes on to the number.
    assert post_code(client, code).headers["Location"] == f"{URL}/da-gui"
    assert _confirmed().count() == 1


def test_the_flow_with_htmx(places, client):
    bad = post_form(client, htmx=True, noi_dung="")
    assert bad.status_code == 200 and "<html" not in bad.get_data(as_text=True)
    assert "Vui lòng nhập nội dung phản ánh" in bad.get_data(as_text=True)
    response = client.post(
        URL,
        data={"csrf_token": csrf(client, URL), "khoa": new_key(), **FORM, "noi_dung": ""},
        headers={"HX-Request": "true", "Accept-Encoding": "gzip"},
    )
    assert wire_size(response) <= 4 * 1024
    assert post_form(client, htmx=True).headers["Location"] == f"{URL}/xac-thuc"
    fragment = client.get(f"{URL}/xac-thuc", headers={"HX-Request": "true", "Accept-Encoding": "gzip"})
    assert "<html" not in html_of(fragment) and wire_size(fragment) <= 4 * 1024
    assert fragment.headers["HX-Push-Url"] == f"{URL}/xac-thuc"
    wrong = post_code(client, "12345", htmx=True)
    assert wrong.status_code == 200 and "Mã xác thực gồm 6 chữ số" in wrong.get_data(as_text=True)
    code = mailbox.last_code("0987654321")
    assert post_code(client, code, htmx=True).headers["Location"] == f"{URL}/da-gui"
    assert _confirmed().count() == 1


def test_a_signed_in_citizen_sends_without_a_code(places, client):
    account = signed_in(client)
    codes = Outbox.select().where(Outbox.template == "otp").count()
    sized = get_gzip(client, URL)  # with the wards of the citizen's province
    assert wire_size(sized) <= 12 * 1024 and sized.headers["Cache-Control"].startswith("no-store")
    page = client.get(URL).get_data(as_text=True)
    assert 'name="phone"' not in page and "0123456789" in page
    assert 'value="70" selected' in page  # the ward of the citizen's address
    data = {k: v for k, v in FORM.items() if k not in ("full_name", "phone", "email")}
    response = post_form(client, full_name=None, phone=None, email=None, **{**data, "office_code": ""})
    assert response.headers["Location"] == f"{URL}/da-gui"
    row = _confirmed().get()
    assert row.account_id == account.id and row.phone == account.phone and row.email == account.email
    assert row.full_name == "Nguyễn Thị Hoa" and row.by_address and row.office.code == "00101"
    assert Outbox.select().where(Outbox.template == "otp").count() == codes
    assert Outbox.get(Outbox.template == "feedback_received").recipient == account.phone
    assert row.number in client.get(f"{URL}/da-gui").get_data(as_text=True)


def test_the_assistant_prefills_the_text(places, client):
    page = client.get(URL, query_string={"noi_dung": "Làm sao đổi nơi khám\x00 <b>ban đầu</b>?"})
    text = page.get_data(as_text=True)
    assert "Làm sao đổi nơi khám &lt;b&gt;ban đầu&lt;/b&gt;?</textarea>" in text
    long = client.get(URL, query_string={"noi_dung": "a" * 10_000}).get_data(as_text=True)
    assert "a" * 4000 + "</textarea>" in long


def test_the_start_page_links_to_the_form(client):
    assert f'href="{URL}"' in client.get("/").get_data(as_text=True)


# --- double submits, codes -----------------------------------------------------------------------


def test_a_double_submit_is_one_feedback(places, client):
    key = new_key()
    first, second = post_form(client, khoa=key), post_form(client, khoa=key, noi_dung="Sửa lại nội dung.")
    assert first.status_code == second.status_code == 302
    assert Feedback.select().count() == 1 and Feedback.get().body == "Sửa lại nội dung."
    assert (
        Outbox.select().where(Outbox.template == "otp").count() == 1
    )  # the cool-down: the first code stands
    assert post_code(client, mailbox.last_code("0987654321")).status_code == 302
    assert post_form(client, khoa=key).headers["Location"] == f"{URL}/da-gui"  # sent: unchanged
    assert Feedback.select().count() == 1 and Feedback.get().body == "Sửa lại nội dung."


def test_a_signed_in_double_submit_is_one_feedback(places, client):
    signed_in(client)
    key = new_key()
    for _ in range(2):
        assert post_form(client, khoa=key, full_name=None, phone=None, email=None).status_code == 302
    assert _confirmed().count() == 1
    assert Outbox.select().where(Outbox.template == "feedback_received").count() == 1


def test_twenty_confirmations_at_once_give_one_number(places, app):
    values = given()
    row = feedback.send(values, key=new_key(), client="10.1.1.1")
    code = mailbox.last_code(values["phone"])
    numbers, errors = [], []

    def confirm(_n):
        try:
            numbers.append(feedback.confirm(Feedback.get_by_id(row.id), code).number)
        except UserError as error:
            errors.append(error.code)

    run_concurrently(20, confirm)
    vdb.db.connect(reuse_if_open=True)
    assert len(set(numbers)) == 1 and not errors, (numbers, errors)
    assert Outbox.select().where(Outbox.template == "feedback_received").count() == 1


def test_twenty_sends_of_one_form_at_once_are_one_feedback(places, app):
    key, values = new_key(), given()
    account = make_account()
    signed_key = new_key()

    def send(n):
        if n % 2:
            feedback.send(values, key=key, client="10.1.1.5")
        else:
            feedback.send(given(), key=signed_key, account=account)

    run_concurrently(20, send)
    vdb.db.connect(reuse_if_open=True)
    assert Feedback.select().count() == 2 and _confirmed().count() == 1
    assert Outbox.select().where(Outbox.template == "otp").count() == 1
    assert Outbox.select().where(Outbox.template == "feedback_received").count() == 1


def test_an_expired_code_then_a_new_one(places, client):
    post_form(client)
    old = mailbox.last_code("0987654321")
    clock.travel(dt.timedelta(minutes=30))
    expired = post_code(client, old).get_data(as_text=True)
    assert "hết hạn" in expired and _confirmed().count() == 0
    token = csrf(client, f"{URL}/xac-thuc")
    assert client.post(f"{URL}/xac-thuc/gui-lai", data={"csrf_token": token}).status_code == 302
    fresh = mailbox.last_code("0987654321")
    assert post_code(client, fresh).headers["Location"] == f"{URL}/da-gui"


def test_a_resend_within_the_cool_down_is_refused_with_a_wait(places, client):
    post_form(client)
    token = csrf(client, f"{URL}/xac-thuc")
    again = client.post(f"{URL}/xac-thuc/gui-lai", data={"csrf_token": token})
    assert again.status_code == 200 and "giây trước khi yêu cầu mã mới" in again.get_data(as_text=True)


def test_a_code_of_one_feedback_does_not_confirm_another(places, client, app):
    post_form(client)
    first = mailbox.last_code("0987654321")
    other = app.test_client()
    post_form(other)  # the same phone, another browser: its own flow and its own code
    assert "không đúng" in post_code(other, first).get_data(as_text=True)
    assert _confirmed().count() == 0
    assert post_code(client, first).headers["Location"] == f"{URL}/da-gui"
    assert _confirmed().count() == 1


def test_five_wrong_codes_spend_the_code(places, client):
    post_form(client)
    code = mailbox.last_code("0987654321")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        post_code(client, wrong)
    assert "quá số lần" in post_code(client, code).get_data(as_text=True)
    assert _confirmed().count() == 0


def test_the_verify_page_without_a_sending_goes_to_the_form(places, client):
    assert client.get(f"{URL}/xac-thuc").headers["Location"] == URL
    client.set_cookie("vss_feedback", "\x00" * 10, path=URL)
    assert client.get(f"{URL}/da-gui").headers["Location"] == URL


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"noi_dung": ""}, "Vui lòng nhập nội dung phản ánh"),
        ({"noi_dung": "x" * 10_000}, "Nội dung quá dài (tối đa 4000 ký tự)"),
        ({"noi_dung": "Thẻ\x00 BHYT"}, "Nội dung có ký tự không hợp lệ"),
        ({"topic": ""}, "Vui lòng chọn nội dung phản ánh"),
        ({"topic": "khac"}, "Lựa chọn không hợp lệ"),
        ({"phone": "0987"}, "Số điện thoại di động không đúng"),
        ({"phone": ""}, "Vui lòng nhập số điện thoại"),
        ({"full_name": ""}, "Vui lòng nhập họ và tên"),
        ({"email": "khong-phai-email"}, "thư điện tử"),
        ({"province_code": "²"}, "Vui lòng chọn tỉnh"),
        ({"office_code": "07901"}, "Vui lòng chọn cơ quan BHXH trong tỉnh"),
        ({"office_code": "", "ward_code": "0"}, "Vui lòng chọn phường, xã nơi bạn cư trú"),
        ({"office_code": "", "ward_code": "26734"}, "Vui lòng chọn phường, xã nơi bạn cư trú"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_kept(places, client, fields, message):
    response = post_form(client, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert Feedback.select().count() == 0 and not Outbox.select().exists()


def test_without_javascript_the_province_button_lists_its_offices(places, client):
    response = post_form(client, action="province", province_code="79", office_code="")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "BHXH cơ sở Sài Gòn" in text and "Hoàn Kiếm" not in text
    assert Feedback.select().count() == 0


def test_a_photo_is_re_encoded_and_kept(places, client):
    photo = (jpeg(1200, 900), "loi.jpg")
    assert post_form(client, files={"anh": photo}).status_code == 302
    stored = bytes(Feedback.get().photo)
    assert stored[:3] == b"\xff\xd8\xff" and b"Exif" not in stored[:64]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"x" * (10 * 1024 * 1024 + 1), "lon.jpg", "Ảnh lớn hơn 10 MB"),
        (b"%PDF-1.4 not a photo", "giay.pdf", "không phải là ảnh"),
        (png(30000, 30000, rows=1), "bom.png", "kích thước quá lớn"),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_is_sent(places, client, content, name, message):
    response = post_form(client, files={"anh": (content, name)})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert Feedback.select().count() == 0 and not Outbox.select().exists()


# --- the status look-up -----------------------------------------------------------------------


def _lookup(client, number, phone, htmx=False):
    token = csrf(client, f"{URL}/tra-cuu")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"{URL}/tra-cuu", data={"csrf_token": token, "so": number, "dien_thoai": phone}, headers=headers
    )


def test_the_status_by_number_and_phone(places, client):
    row = make_feedback()
    found = _lookup(client, row.number.lower(), row.phone).get_data(as_text=True)
    assert row.number in found and "Mới tiếp nhận" in found and row.body in found
    assert "Không tìm thấy" in _lookup(client, row.number, "0911111111").get_data(as_text=True)
    fragment = _lookup(client, row.number, row.phone, htmx=True)
    assert "<html" not in fragment.get_data(as_text=True) and len(fragment.get_data()) <= 4 * 1024
    page = get_gzip(client, f"{URL}/tra-cuu")
    assert wire_size(page) <= 12 * 1024


def test_an_unconfirmed_feedback_is_not_found(places, client):
    values = given()
    feedback.send(values, key=new_key(), client="10.1.1.2")
    row = Feedback.get()
    assert feedback.lookup(None, values["phone"], client="10.1.1.3") is None
    assert row.number is None


def test_the_look_up_budget(places, client, fresh_window):
    row = make_feedback()
    for n in range(feedback.LOOKUPS.limit):
        assert _lookup(client, "00009.PA/2026/00101", f"0912{n:06d}").status_code == 200
    spent = _lookup(client, row.number, row.phone)
    assert spent.status_code == 429 and "quá nhiều lần" in spent.get_data(as_text=True)
    assert spent.headers["Retry-After"] == "3600"
    assert _lookup(client, row.number, row.phone, htmx=True).status_code == 200  # htmx swaps only 2xx


def test_guesses_at_one_phones_feedback_are_counted_whatever_the_address(places, fresh_window):
    """Numbers run in sequence: many addresses guessing numbers for one phone share one budget."""
    row = make_feedback()
    for n in range(feedback.LOOKUPS_PER_PHONE.limit):
        assert feedback.lookup(f"{n + 900:05d}.PA/2026/00101", row.phone, client=f"10.0.{n}.1") is None
    with pytest.raises(UserError) as spent:
        feedback.lookup(row.number, row.phone, client="10.9.9.9")
    assert spent.value.code == "budget"


def test_the_signed_in_budget(places, client, fresh_window):
    account = make_account()
    for _ in range(feedback.BY_ACCOUNT.limit):
        feedback.send(given(), key=new_key(), account=account)
    with pytest.raises(UserError) as spent:
        feedback.send(given(), key=new_key(), account=account)
    assert spent.value.code == "budget"
    assert _confirmed().count() == feedback.BY_ACCOUNT.limit


def test_the_code_budget_stops_a_flood_of_forms(places, app, fresh_window):
    client = app.test_client()
    sent = [post_form(client, phone=f"09870000{n:02d}").status_code for n in range(12)]
    assert sent.count(302) == 10 and sent[-1] == 429
    assert Feedback.select().count() == 10


# --- the due day, clean-up -----------------------------------------------------------------------


def test_the_due_day_is_ten_working_days_on_across_weekends(places):
    friday_morning = dt.datetime(2026, 3, 6, 2, 0)  # 09:00 in Vietnam
    assert feedback.due_date(friday_morning) == dt.date(2026, 3, 20)
    late_thursday = dt.datetime(2026, 3, 5, 17, 30)  # 00:30 Friday in Vietnam: a Friday's
    assert feedback.due_date(late_thursday) == dt.date(2026, 3, 20)
    assert feedback.due_date(dt.datetime(2026, 3, 5, 2, 0)) == dt.date(2026, 3, 19)


def test_unconfirmed_feedback_is_deleted_by_the_daily_job(places):
    feedback.send(given(), key=new_key(), client="10.1.1.4")
    kept = make_feedback()
    clock.travel(dt.timedelta(hours=25))
    jobs.run_maintenance()
    assert [f.id for f in Feedback.select()] == [kept.id]


def test_models_match_the_migrated_schema(app):
    database = vdb.db.obj
    for model in feedback.MODELS:
        table = model._meta.table_name
        assert {c.name for c in database.get_columns(table)} == {
            f.column_name for f in model._meta.sorted_fields
        }
        indexed = {tuple(i.columns) for i in database.get_indexes(table)}
        for names, _unique in model._meta.indexes:
            assert tuple(model._meta.fields[n].column_name for n in names) in indexed, (table, names)
