"""The desk on a tablet in Debian's Chromium (800×1280), with JavaScript (htmx swaps each step,
the camera photo shrunk before upload) and without: sign in, a whole sitting, the dossier
received, decided at once in the workspace."""

import time

import pytest
from PIL import Image

from tests import mailbox
from tests.browser import LiveServer, needs_chromium
from tests.factories import make_person
from tests.staff_helpers import PASSWORD, code_for, make_staff, offices
from vss.dossiers.dossiers import APPROVED, Dossier

pytestmark = [pytest.mark.browser, needs_chromium]
TABLET = {"width": 800, "height": 1280}


def _until(page, script, seconds=10):
    """Poll `script` with evaluate (wait_for_function evaluates a string: the CSP refuses it)."""
    deadline = time.time() + seconds
    while not page.evaluate(script):
        assert time.time() < deadline, f"timed out waiting for {script}"
        time.sleep(0.1)


@pytest.mark.parametrize("javascript", [True, False])
def test_a_sitting_on_a_tablet(app, browser, tmp_path, javascript):
    staff = make_staff(offices()["00101"])
    make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa", cccd="001190012345")
    photo = tmp_path / "camera.jpg"
    Image.new("RGB", (3000, 2000), (200, 190, 170)).save(photo, quality=95)
    with LiveServer(app) as live:
        context = browser.new_context(viewport=TABLET, java_script_enabled=javascript)
        page = context.new_page()
        errors, hosts = [], set()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        page.goto(live.url + "/can-bo/dang-nhap")
        page.fill("#office_code", "00101")
        page.fill("#username", "canbo")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/can-bo/xac-thuc")
        page.fill("#code", code_for(staff.totp_secret))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/can-bo/ho-so")
        page.get_by_role("link", name="Bàn đăng ký").click()
        page.get_by_role("button", name="Đăng ký mới").click()
        page.wait_for_url("**/thong-tin")
        # A USB scanner types the chip CCCD's QR into the focused field, then Enter.
        assert page.evaluate("document.activeElement.id") == "qr"
        page.fill("#qr", "001190012345|012345678|Nguyễn Thị Hoa|01011990|Nữ|Hàng Bài, Hà Nội|01012021")
        page.get_by_role("button", name="Điền từ mã QR").click()
        _until(page, "document.querySelector('#full_name').value === 'Nguyễn Thị Hoa'")
        page.fill("#bhxh_code", "0123456789")
        if javascript:
            # The QR already chose Hà Nội, so its wards are there: wait for the list the change asks
            # for, or a late answer would replace the ward chosen below (a loaded CI machine did).
            with page.expect_response("**/dang-ky/phuong-xa*"):
                page.select_option("#province_code", "1")
            page.wait_for_selector("#ward_code option[value='70']", state="attached")
        else:
            page.select_option("#province_code", "1")
            page.get_by_role("button", name="Cập nhật danh sách phường, xã").click()
        page.select_option("#ward_code", "70")
        page.fill("#street", "Số 5 phố Hàng Bài")
        page.fill("#phone", "0912 345 678")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/anh")
        page.set_input_files("#mat_truoc", str(photo))
        if javascript:
            page.wait_for_selector("#mat_truoc[data-upload-size]", state="attached")
        page.set_input_files("#mat_sau_tep", str(photo))
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/xac-minh")
        page.check("#number_matches")
        page.check("#face_matches")
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/xem-lai")
        page.get_by_role("button", name="Gửi mã").click()
        page.wait_for_url("**/xac-thuc")
        page.fill("#code", mailbox.last_code("0912345678"))
        page.get_by_role("button", name="Ghi nhận hồ sơ").click()
        page.wait_for_url("**/xong")
        dossier = Dossier.get()
        assert dossier.number in page.inner_text("main") and "Đã tiếp nhận" in page.inner_text("main")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= TABLET["width"]
        printed = page.get_by_role("link", name="In tờ khai Mẫu số 01 (PDF)").get_attribute("href")
        pdf = context.request.get(live.url + printed)
        assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
        page.get_by_role("link", name="Đánh giá hồ sơ ngay").click()
        page.check("input[name=evaluation][value=hop_le]")
        page.get_by_role("button", name="Ghi nhận").click()
        page.get_by_role("button", name="Xác nhận").click()
        assert "Cập nhật thành công" in page.inner_text("main")
        page.screenshot(path=str(tmp_path / "decided.png"))
        assert errors == [] and hosts == {live.url.split("/")[2]}
        context.close()
    assert Dossier.get().status == APPROVED
    assert mailbox.last_message("0912345678", template="account_created") is not None
