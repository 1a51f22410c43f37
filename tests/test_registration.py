"""Registration (Mẫu 01): the whole flow with and without htmx, the rules, bad input, the
dossier number under concurrency, drafts and the 10-day rule."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import get_gzip, html_of, run_concurrently, wire_size
from tests.registration_flow import INFO, Flow, jpeg, offices
from vss.core import clock, jobs
from vss.core import db as vdb
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.dossiers import dossiers, registration
from vss.dossiers.dossiers import DELETED, WAITING, Dossier
from vss.dossiers.drafts import Photo, RegistrationDraft
from vss.identity.accounts import Account, hash_password
from vss.messages.notify import Outbox


@pytest.fixture
def flow(app, client):
    offices()
    return Flow(client)


def test_the_whole_flow_without_javascript(flow, client):
    response = flow.start()
    assert response.headers["Location"] == "/dang-ky/thong-tin"
    assert flow.info().headers["Location"] == "/dang-ky/anh"
    assert flow.photos().headers["Location"] == "/dang-ky/co-quan"
    assert flow.office().headers["Location"] == "/dang-ky/xem-lai"
    review = client.get("/dang-ky/xem-lai").get_data(as_text=True)
    for text in (
        "0123456789",
        "Nguyễn Thị Hoa",
        "Số 5 phố Hàng Bài, Phường Hoàn Kiếm, Thành phố Hà Nội",
        "BHXH cơ sở Hoàn Kiếm",
        'href="/dang-ky/thong-tin">Sửa',
    ):
        assert text in review
    assert flow.review().headers["Location"] == "/dang-ky/xac-thuc"
    code_page = client.get("/dang-ky/xac-thuc").get_data(as_text=True)
    assert 'inputmode="numeric" autocomplete="one-time-code"' in code_page
    code = flow.last_code()
    response = flow.verify(f"{code[:3]} {code[3:]}")
    assert response.headers["Location"] == "/dang-ky/hoan-tat"
    dossier = Dossier.get()
    year = clock.vn_today().year
    assert dossier.number == f"00001.GD/{year}/00101"
    assert dossier.status == WAITING and dossier.phone == "0912345678"
    assert Photo.select().where(Photo.dossier == dossier).count() == 2
    done = client.get("/dang-ky/hoan-tat").get_data(as_text=True)
    assert dossier.number in done and "Chờ tiếp nhận" in done and "/dang-ky/hoan-tat/mau-01.pdf" in done
    sms = Outbox.select().where(Outbox.template == "dossier_submitted").get()
    assert sms.recipient == "0912345678" and dossier.number in sms.body
    assert AuditLog.select().where(AuditLog.action == "dossier.submit").count() == 1


def test_the_whole_flow_with_htmx_swaps_only_the_step(app, client):
    offices()
    flow = Flow(client, htmx=True)
    start = client.get("/dang-ky", headers={"HX-Request": "true", "Accept-Encoding": "gzip"})
    assert "<html" not in html_of(start) and 'id="step"' in html_of(start)
    assert wire_size(start) <= 4 * 1024
    # htmx follows the redirect; the next step comes back as a fragment with its URL to push.
    for response in (flow.start(), flow.info(), flow.photos(), flow.office(), flow.review()):
        assert response.status_code == 302
        follow = client.get(
            response.headers["Location"], headers={"HX-Request": "true", "Accept-Encoding": "gzip"}
        )
        assert "<html" not in html_of(follow)
        assert follow.headers["HX-Push-Url"] == response.headers["Location"]
        assert wire_size(follow) <= 4 * 1024, response.headers["Location"]
    assert flow.verify().headers["Location"] == "/dang-ky/hoan-tat"
    assert Dossier.select().count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/dang-ky",
        "/dang-ky/thong-tin",
        "/dang-ky/anh",
        "/dang-ky/co-quan",
        "/dang-ky/xem-lai",
        "/dang-ky/xac-thuc",
    ],
)
def test_step_pages_within_budget(flow, client, url):
    flow.through_review()
    response = get_gzip(client, url)
    assert response.status_code == 200
    assert wire_size(response) <= 12 * 1024
    assert response.headers["Cache-Control"] == "no-store"


def test_jumping_ahead_goes_to_the_first_incomplete_step(flow, client):
    assert client.get("/dang-ky/co-quan").headers["Location"] == "/dang-ky"
    flow.start()
    assert client.get("/dang-ky/co-quan").headers["Location"] == "/dang-ky/thong-tin"
    flow.info()
    assert client.get("/dang-ky/xac-thuc").headers["Location"] == "/dang-ky/anh"


def test_draft_resumes_after_the_browser_comes_back(flow, client):
    flow.start()
    flow.info()
    html = client.get("/dang-ky/thong-tin").get_data(as_text=True)
    assert 'value="Nguyễn Thị Hoa"' in html and 'value="0123456789"' in html
    assert "Tiếp tục hồ sơ đang kê khai" in client.get("/dang-ky").get_data(as_text=True)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("bhxh_code", "12345", "10 chữ số"),
        ("full_name", "Hoa", "đủ họ và tên"),
        ("id_number", "003190012345", "mã tỉnh"),
        ("id_number", "12", "12 chữ số"),
        ("phone", "0241234567", "di động"),
        ("email", "hoa@", "thư điện tử"),
        ("ward_code", "26734", "không thuộc tỉnh"),  # a ward of Hồ Chí Minh City
        ("street", "", "số nhà"),
        ("phone_confirmed", "", "xác nhận số điện thoại"),
    ],
)
def test_bad_information_is_refused_and_nothing_saved(flow, field, value, message):
    flow.start()
    response = flow.info(**{field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not RegistrationDraft.get().done("thong-tin")


def test_name_without_diacritics_gets_a_gentle_warning(flow):
    flow.start()
    first = flow.info(full_name="Nguyen Thi Hoa")
    assert "Họ tên chưa có dấu" in first.get_data(as_text=True)
    second = flow.info(full_name="Nguyen Thi Hoa", plain_name_ok="Nguyen Thi Hoa")
    assert second.headers["Location"] == "/dang-ky/anh"


def test_qr_prefills_the_fields(flow):
    flow.start()
    qr = (
        "HC4010123456789|" + "Trần Văn Bình".encode().hex() + "|01/02/1980|1|-|01 - 065|"
        "01/01/2026|31/12/2026|01/01/2026|-|-|-| -|-|$"
    )
    html = flow.post("/dang-ky/thong-tin", {"qr": qr, "action": "qr"}).get_data(as_text=True)
    assert 'value="0123456789"' in html and 'value="Trần Văn Bình"' in html
    bad = flow.post("/dang-ky/thong-tin", {"qr": "rác", "action": "qr"}).get_data(as_text=True)
    assert "Không đọc được mã QR" in bad


def test_a_cccd_qr_fills_the_address_in_2025_units_without_javascript(flow):
    flow.start()
    qr = (
        "001199012345|012345678|Nguyễn Thị Hồng Nhung|01011999|Nữ|"
        "Số 5 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội|10082025"
    )
    response = flow.post("/dang-ky/thong-tin", {**INFO, "qr": qr, "action": "qr"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã điền thông tin từ mã QR" in html
    assert 'value="001199012345"' in html and 'value="Nguyễn Thị Hồng Nhung"' in html
    assert 'value="Số 5 Tràng Tiền"' in html
    assert '<option value="1" selected>' in html and '<option value="70" selected>' in html
    assert "Đã điền địa chỉ theo CCCD: Phường Hoàn Kiếm, Thành phố Hà Nội" in html
    assert "Địa chỉ trên thẻ: Số 5 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội" in html
    assert '<input type="text" id="qr" name="qr" value=""' in html  # emptied, ready for another
    # The person checks the page and goes on: what the QR filled is what is saved.
    response = flow.info(id_number="001199012345", street="Số 5 Tràng Tiền")
    assert response.headers["Location"] == "/dang-ky/anh"


def test_enter_in_a_field_goes_on_and_enter_after_a_scan_fills(flow):
    # Enter in a field sends the form's first button, "Điền từ mã QR": with no QR it goes on.
    flow.start()
    response = flow.info(qr=" ", action="qr")
    assert response.headers["Location"] == "/dang-ky/anh"
    # A USB scanner types the QR into its field and Enter: the same button, with a QR.
    qr = "001199012345|012345678|Nguyễn Thị Hồng Nhung|01011999|Nữ|Phường Hoàn Kiếm, Hà Nội|10082025"
    html = flow.post("/dang-ky/thong-tin", {**INFO, "qr": qr, "action": "qr"}).get_data(as_text=True)
    assert 'value="Nguyễn Thị Hồng Nhung"' in html and "Đã điền thông tin từ mã QR" in html


def test_a_cccd_qr_with_an_old_address_says_which_ward_to_pick(flow):
    flow.start()
    qr = "001199012345||Nguyễn Thị Hồng Nhung|01011999|Nữ|Thôn 3, Xã Yên Sở, Huyện Hoài Đức, Hà Nội|15062021"
    html = flow.post("/dang-ky/thong-tin", {"qr": qr, "action": "qr"}).get_data(as_text=True)
    assert '<option value="1" selected>' in html and '<option value="0" selected>' in html
    assert 'value="Thôn 3"' in html
    assert 'class="warning" id="address-note">Địa chỉ trên CCCD là địa chỉ trước ngày 01/7/2025' in html
    assert "(Xã Yên Sở, Huyện Hoài Đức)" in html and "vui lòng chọn phường, xã mới" in html
    # The ward list is Hà Nội's, ready to pick from.
    assert "Phường Hoàn Kiếm</option>" in html


def test_the_information_step_offers_the_camera_scanner(flow, client):
    flow.start()
    html = client.get("/dang-ky/thong-tin").get_data(as_text=True)
    assert 'data-scanner data-field="qr" data-submit="qr-submit"' in html
    assert re.search(r'data-script="/static/js/scanner\.[0-9a-f]{12}\.js"', html)
    assert re.search(r'data-decoder="/static/js/vendor/qr-decode-0\.7\.0\.min\.[0-9a-f]{12}\.js"', html)
    assert 'id="qr-submit"' in html and "Quét bằng camera" in html
    # Neither script is loaded with the page: the first comes at a tap, the second only where
    # the browser cannot read QR codes itself.
    assert '<script src="/static/js/scanner' not in html and '<script src="/static/js/vendor' not in html


def test_ward_list_follows_the_province(client):
    html = client.get("/dang-ky/phuong-xa?province_code=79").get_data(as_text=True)
    assert "Phường Sài Gòn" in html and "Phường Hoàn Kiếm" not in html


def test_a_new_ward_list_keeps_the_ward_chosen_when_it_is_in_that_province(client):
    """htmx sends the chosen ward with the province: a list arriving after the choice keeps it."""
    same = client.get("/dang-ky/phuong-xa?province_code=1&ward_code=70").get_data(as_text=True)
    assert '<option value="70" selected>' in same
    other = client.get("/dang-ky/phuong-xa?province_code=79&ward_code=70").get_data(as_text=True)
    assert " selected>" in other and '<option value="0" selected>' in other
    assert client.get("/dang-ky/phuong-xa?province_code=1&ward_code=%C2%B2").status_code == 200


def test_one_phone_one_bhxh_code(flow, client):
    from tests.factories import make_person

    person = make_person(bhxh_code="0999999999")
    Account.create(
        person=person, username="0999999999", password_hash=hash_password("x" * 12), phone="0912345678"
    )
    flow.start()
    html = flow.info().get_data(as_text=True)
    assert "Mỗi số điện thoại chỉ được đăng ký cho 1 mã số BHXH" in html


def test_one_email_one_bhxh_code(app, client):
    offices()
    first = Flow(client)
    first.through_review(email="hoa@example.vn")
    first.verify()
    other = Flow(app.test_client())
    other.start()
    html = other.info(bhxh_code="0123456780", phone="0987654321", email="hoa@example.vn").get_data(
        as_text=True
    )
    assert "Mỗi email chỉ được đăng ký cho 1 mã số BHXH" in html


def test_pending_dossier_can_be_cancelled_with_its_phone_code(app, client):
    offices()
    first = Flow(client)
    first.through_review()
    first.verify()
    number = Dossier.get().number
    second = Flow(app.test_client())
    second.start()
    html = second.info(phone="0987654321").get_data(as_text=True)
    assert f"đã có hồ sơ số {number}" in html and "/dang-ky/huy-ho-so" in html
    clock.travel(dt.timedelta(seconds=61))  # the first applicant's code went to that phone just now
    second.post("/dang-ky/huy-ho-so", {"action": "send"})
    wrong = second.post("/dang-ky/huy-ho-so", {"code": "000000"}).get_data(as_text=True)
    assert "không đúng" in wrong
    assert second.post("/dang-ky/huy-ho-so", {"code": second.last_code()}).status_code == 302
    dossier = Dossier.get()
    assert dossier.status == DELETED and dossier.full_name == "" and dossier.number == number
    assert second.info(phone="0987654321").headers["Location"] == "/dang-ky/anh"


def test_submit_twice_makes_one_dossier(flow, client):
    flow.through_review()
    code = flow.last_code()
    assert flow.verify(code).headers["Location"] == "/dang-ky/hoan-tat"
    assert flow.verify(code).headers["Location"] == "/dang-ky/hoan-tat"  # a retry after a timeout
    assert Dossier.select().count() == 1


def test_concurrent_double_tap_makes_one_dossier(app, flow):
    flow.through_review()
    code = flow.last_code()
    draft = RegistrationDraft.get()
    token = flow.client.get_cookie("vss_draft", path="/dang-ky").value
    results = []

    def tap(_n):
        try:
            results.append(registration.submit(draft, code, token=token).number)
        except Exception as error:  # the losers may see the code already used
            results.append(type(error).__name__)

    run_concurrently(4, tap)
    assert Dossier.select().count() == 1
    assert results.count(Dossier.get().number) == 4


def test_wrong_and_expired_codes(flow, client):
    flow.through_review()
    assert "Bạn còn 4 lần thử" in flow.verify("000000").get_data(as_text=True)
    code = flow.last_code()
    clock.travel(dt.timedelta(minutes=6))
    html = flow.verify(code).get_data(as_text=True)
    assert "hết hạn" in html
    # The way out is in sight: the help with "Gửi lại mã" is open, not folded away.
    assert "<details open>" in html and "Gửi lại mã" in html.split("<details open>")[1]
    assert Dossier.select().count() == 0


def test_resend_waits_then_sends_another(flow, client):
    flow.through_review()
    assert "đợi" in flow.post("/dang-ky/xac-thuc/gui-lai").get_data(as_text=True)
    clock.travel(dt.timedelta(seconds=61))
    assert flow.post("/dang-ky/xac-thuc/gui-lai").headers["Location"].endswith("gui-lai=1")
    assert Outbox.select().where(Outbox.template == "otp").count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not an image at all", "không phải là ảnh"),
        (jpeg()[:500], "bị hỏng"),
    ],
)
def test_bad_photos(flow, content, message):
    flow.start()
    flow.info()
    response = flow.photos(mat_truoc=content, mat_sau=jpeg())
    assert message in response.get_data(as_text=True)
    assert not RegistrationDraft.get().done("anh")


def test_oversized_upload_is_refused(flow, app):
    flow.start()
    flow.info()
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    # A raw body (the server refuses it by Content-Length before reading any of it).
    response = flow.client.post(
        "/dang-ky/anh",
        data=b"\xff" * (2 * 1024 * 1024),
        content_type="multipart/form-data; boundary=x",
        headers={"X-CSRFToken": flow.token or ""},
    )
    assert response.status_code == 413
    assert "vượt quá dung lượng" in response.get_data(as_text=True)


def test_missing_id_photos(flow):
    flow.start()
    flow.info()
    html = flow.photos(chan_dung=jpeg()).get_data(as_text=True)
    assert "mặt trước và mặt sau" in html


def test_office_step_needs_commitment_and_ivan_name(flow):
    flow.start()
    flow.info()
    flow.photos()
    assert "cam kết" in flow.office(committed="").get_data(as_text=True)
    assert "tên tổ chức I-VAN" in flow.office(channel="ivan").get_data(as_text=True)
    assert flow.office(channel="ivan", ivan_name="Công ty TS24").headers["Location"] == "/dang-ky/xem-lai"


def test_pdf_has_the_name_number_and_is_cached(flow, client):
    flow.through_review()
    flow.verify()
    response = client.get("/dang-ky/hoan-tat/mau-01.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    dossier = Dossier.get()
    for expected in (
        "Nguyễn Thị Hoa",
        dossier.number,
        "Mẫu số 01",
        "TỜ KHAI",
        "0123456789",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ):
        assert expected in text, expected
    assert Dossier.get().pdf is not None
    assert client.get("/dang-ky/hoan-tat/mau-01.pdf").get_data() == response.get_data()


def test_another_browser_cannot_see_the_dossier(app, flow):
    flow.through_review()
    flow.verify()
    stranger = app.test_client()
    assert stranger.get("/dang-ky/hoan-tat").status_code == 404
    assert stranger.get("/dang-ky/hoan-tat/mau-01.pdf").status_code == 404
    assert stranger.get("/dang-ky/anh/mat_truoc.jpg").status_code == 404


def test_numbers_are_unique_under_concurrency(app):
    _, base = offices()
    numbers = []

    def take(_n):
        for _ in range(5):
            with vdb.transaction():
                numbers.append(dossiers.next_number(base, 2026)[1])

    run_concurrently(8, take)
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert sorted(numbers)[-1] == "00040.GD/2026/00101"


def test_lookup_by_number_and_phone(flow, client):
    flow.through_review()
    flow.verify()
    number = Dossier.get().number
    found = flow.post("/tra-cuu/ho-so", {"so": number.lower(), "dien_thoai": "0912 345 678"})
    assert "Chờ tiếp nhận" in found.get_data(as_text=True)
    wrong = flow.post("/tra-cuu/ho-so", {"so": number, "dien_thoai": "0987654321"})
    assert "Không tìm thấy hồ sơ" in wrong.get_data(as_text=True)
    empty = client.post("/tra-cuu/ho-so", data={"csrf_token": flow.token}, headers={"HX-Request": "true"})
    assert "Vui lòng nhập số hồ sơ" in empty.get_data(as_text=True)  # the errors are in the swapped part


def test_drafts_are_purged_after_seven_days(flow):
    flow.start()
    flow.info()
    flow.photos()
    clock.travel(dt.timedelta(days=8))
    jobs.run_maintenance()
    assert RegistrationDraft.select().count() == 0 and Photo.select().count() == 0


def test_ten_day_rule(flow):
    flow.through_review()
    flow.verify()
    clock.travel(dt.timedelta(days=9))
    jobs.run_maintenance()
    assert Dossier.get().status == WAITING
    clock.travel(dt.timedelta(days=1, minutes=1))
    jobs.run_maintenance()
    dossier = Dossier.get()
    assert dossier.status == DELETED and dossier.full_name == "" and dossier.id_number == ""
    assert dossier.reason.startswith("Quá 10 ngày") and Photo.select().count() == 0
    sms = Outbox.select().where(Outbox.template == "dossier_expired").get()
    assert sms.recipient == "0912345678" and dossier.number in sms.body
    assert INFO["bhxh_code"] == dossier.bhxh_code  # the tombstone keeps whose dossier it was


def test_information_step_fits_the_fragment_budget_for_the_largest_province(flow, client):
    from vss.registry import directory

    code = max((p[0] for p in directory.provinces()), key=lambda c: len(directory.wards(c)))
    flow.start()
    flow.info(province_code=str(code), ward_code=str(directory.wards(code)[0][0]))
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    assert wire_size(client.get("/dang-ky/thong-tin", headers=headers)) <= 4 * 1024
    assert wire_size(client.get(f"/dang-ky/phuong-xa?province_code={code}", headers=headers)) <= 4 * 1024


def test_five_wrong_codes_then_the_right_one_makes_no_dossier(flow, client):
    """The wrong guesses must count even though the submit's transaction rolls back."""
    flow.through_review()
    code = flow.last_code()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(5):
        flow.verify(wrong)
    assert "quá số lần" in flow.verify(code).get_data(as_text=True)
    assert Dossier.select().count() == 0
    from vss.identity.otp import OneTimeCode

    assert OneTimeCode.get().attempts == 5


def test_a_wrong_code_first_then_the_right_one_works(flow):
    flow.through_review()
    code = flow.last_code()
    assert "còn 4 lần" in flow.verify(f"{(int(code) + 1) % 1000000:06d}").get_data(as_text=True)
    assert flow.verify(code).headers["Location"] == "/dang-ky/hoan-tat"


def test_a_failed_submit_leaves_the_code_usable(app, flow, client):
    """The code is used up only with the dossier: a rule that stops the submit keeps it."""
    flow.through_review()
    code = flow.last_code()
    other = Dossier.create(
        number="00099.GD/2026/00101",
        office=offices()[1],
        office_province=1,
        year=2026,
        seq=99,
        bhxh_code="0999999999",
        full_name="Trần Văn Bình",
        id_kind="cccd",
        id_number="001090000001",
        phone="0912345678",
        submission_method="tai_co_quan",
        channel="cong_bhxh",
        pending_bhxh="0999999999",
        pending_phone="0912345678",
        owner_token_hash="y" * 64,
    )
    assert "Mỗi số điện thoại" in flow.verify(code).get_data(as_text=True)
    Dossier.update(pending_phone=None).where(Dossier.id == other.id).execute()
    assert flow.verify(code).headers["Location"] == "/dang-ky/hoan-tat"


def test_the_code_flow_called_directly(app, flow):
    """send_code / resend_code / submit read the code's key and lifetime from the settings."""
    flow.start()
    flow.info()
    flow.photos()
    flow.office()
    draft = RegistrationDraft.get()
    assert registration.send_code(draft, client="192.0.2.1") is None and draft.done("xem-lai")
    assert registration.send_code(draft, client="192.0.2.1").code == "cooldown"  # the first still counts
    with pytest.raises(UserError) as caught:
        registration.resend_code(draft, client="192.0.2.1")
    assert caught.value.code == "cooldown"
    assert registration.dossier_of(draft) is None and registration.dossier_of(None) is None
    dossier = registration.submit(draft, flow.last_code(), token="a browser's token")
    assert registration.dossier_of(RegistrationDraft.get()).id == dossier.id
    assert registration.pending_of(RegistrationDraft.get()) is None
