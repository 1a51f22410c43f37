"""The registration flow in Debian's Chromium at 360×640: with JavaScript (htmx swaps, the
photo shrunk in the browser before upload) and without."""

import os

import pytest
from PIL import Image, ImageFilter

from tests import mailbox
from tests.browser import PHONE, LiveServer, needs_chromium
from tests.factories import in_registry
from tests.registration_flow import offices
from vss.dossiers.dossiers import Dossier

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def live(app):
    offices()
    in_registry("0123456789", "Nguyễn Thị Hoa", "001190012345")  # the person registering
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """A 4-megabyte, 12-megapixel camera-like photo (smooth light plus sensor noise) and a
    small ID photo."""
    folder = tmp_path_factory.mktemp("photos")
    size = (4000, 3000)
    light = Image.radial_gradient("L").resize(size).convert("RGB")
    grain = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).filter(
        ImageFilter.GaussianBlur(0.9)
    )
    Image.blend(light, grain, 0.35).save(folder / "camera.jpg", quality=95)
    small = Image.new("RGB", (800, 500), (200, 190, 170))
    small.save(folder / "back.jpg", quality=90)
    return folder


def _fill_info(page):
    page.fill("#bhxh_code", "0123456789")
    page.fill("#full_name", "Nguyễn Thị Hoa")
    page.fill("#id_number", "001190012345")
    page.select_option("#province_code", "1")


def _finish(page):
    page.fill("#street", "Số 5 phố Hàng Bài")
    page.fill("#phone", "0912 345 678")
    page.check("#phone_confirmed")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dang-ky/anh")


def test_whole_flow_with_javascript(live, browser, photos, tmp_path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors, hosts = [], set()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto(live.url + "/dang-ky")
    page.get_by_role("button", name="Tiếp").click()
    page.wait_for_url("**/dang-ky/thong-tin")
    _fill_info(page)
    # htmx filled the ward list for the province without reloading the page.
    page.wait_for_selector("#ward_code option[value='70']", state="attached")
    page.select_option("#ward_code", "70")
    _finish(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    camera = photos / "camera.jpg"
    assert camera.stat().st_size > 3_500_000
    page.set_input_files("#mat_truoc", str(camera))
    page.wait_for_selector("#mat_truoc[data-upload-size]", state="attached")
    note = page.locator("#mat_truoc-size")
    assert note.is_visible() and "Ảnh sẽ gửi" in note.inner_text() and "ảnh gốc 4" in note.inner_text()
    page.set_input_files("#mat_sau", str(photos / "back.jpg"))
    assert page.locator("#mat_sau-size").inner_text().startswith("Ảnh sẽ gửi:")
    # The progress bar moves while the photos go up (counted as htmx reports it).
    page.evaluate(
        """window.vssProgress = [];
        document.addEventListener("htmx:xhr:progress", () => window.vssProgress.push(
          [document.getElementById("upload").hidden, document.getElementById("upload-progress").value]));"""
    )
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dang-ky/co-quan")
    progress = page.evaluate("window.vssProgress")
    assert progress and progress[-1] == [False, 100], progress
    uploads = [size for path, size in live.counter.posted if path == "/dang-ky/anh"]
    back = (photos / "back.jpg").stat().st_size
    shrunk = uploads[0] - back  # the request carries the shrunk photo, the small one, a little form
    assert shrunk <= 400 * 1024, (uploads, back)
    print(f"camera photo {camera.stat().st_size} B uploaded as ≈{shrunk} B")
    page.screenshot(path=str(tmp_path / "co-quan.png"))
    page.select_option("#province_code", "1")
    page.check("input[name=office_code][value='00101']")
    page.check("input[name=submission_method][value=tai_co_quan]")
    page.check("#committed")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dang-ky/xem-lai")
    assert "Nguyễn Thị Hoa" in page.inner_text("#step")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url("**/dang-ky/xac-thuc")
    code = mailbox.last_code()
    page.fill("#code", f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/dang-ky/hoan-tat")
    assert Dossier.get().number in page.inner_text("main")
    page.go_back()  # back works: the previous step (the dossier exists, so it says so)
    page.wait_for_load_state()
    assert "/dang-ky" in page.url
    assert errors == []
    assert hosts == {live.url.split("/")[2]}  # nothing from another host
    context.close()


def test_whole_flow_without_javascript(live, browser, photos, tmp_path):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live.url + "/dang-ky")
    page.get_by_role("button", name="Tiếp").click()
    _fill_info(page)
    page.get_by_role("button", name="Cập nhật danh sách phường, xã").click()
    page.select_option("#ward_code", "70")
    _finish(page)
    # The limit is said before a file is chosen; nothing promises a size it cannot tell.
    assert "tối đa 10 MB mỗi ảnh" in page.inner_text("#photo-rules")
    assert not page.locator("#mat_truoc-size").is_visible() and not page.locator("#upload").is_visible()
    page.set_input_files("#mat_truoc", str(photos / "camera.jpg"))
    page.set_input_files("#mat_sau", str(photos / "back.jpg"))
    page.get_by_role("button", name="Tiếp tục").click()
    page.select_option("#province_code", "1")
    page.get_by_role("button", name="Xem cơ quan BHXH của tỉnh").click()
    page.check("input[name=office_code][value='00101']")
    page.check("input[name=submission_method][value=buu_chinh]")
    page.check("#committed")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Ghi nhận").click()
    code = mailbox.last_code()
    page.fill("#code", code)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/dang-ky/hoan-tat")
    dossier = Dossier.get()
    assert dossier.submission_method == "buu_chinh"
    assert "bưu điện" in page.inner_text("main")
    pdf = context.request.get(live.url + "/dang-ky/hoan-tat/mau-01.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    context.close()
