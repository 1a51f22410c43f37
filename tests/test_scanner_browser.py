"""The camera QR scanner (components/scanner.html, js/scanner.js) in Debian's Chromium at 360×640,
on the registration's information step. Chromium's fake camera plays a video made here from a
real chip-CCCD QR, so the vendored decoder reads a real code off a camera; the browser's own
BarcodeDetector (Chromium on Linux has none) is stood in for where its path is tested."""

import time

import pytest
import qrcode
from PIL import Image

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, needs_chromium
from tests.factories import in_registry
from tests.registration_flow import offices

pytestmark = [pytest.mark.browser, needs_chromium]

CCCD = (
    "001199012345|012345678|Nguyễn Thị Hồng Nhung|01011999|Nữ|"
    "Số 5 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội|10082025"
)
# Every camera stream the page opens, kept so the test can see that each one was stopped.
WATCH_STREAMS = """
window.__streams = [];
const open = navigator.mediaDevices && navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
if (open) navigator.mediaDevices.getUserMedia = (c) => open(c).then((s) => { __streams.push(s); return s; });
"""
LIVE_TRACKS = "__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length"
STATUS = "document.querySelector('.scan-status').textContent"


def until(page, expression, timeout=10):
    """Wait until a JavaScript expression is true (page.wait_for_function evaluates strings,
    which the page's CSP rightly forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, expression
        time.sleep(0.05)


def shot(page, path, **options):
    """A screenshot without Playwright's caret-hiding <style> (which the CSP blocks, rightly)."""
    page.screenshot(path=str(path), caret="initial", **options)


def y4m(path, image, frames=3):
    """A Y4M video (a text header, then raw I420 frames) showing a greyscale `image`."""
    width, height = image.size
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + image.tobytes() + bytes([128]) * (width * height // 2))
    return path


def camera_frame(text=None):
    """A 640×480 camera frame: a grey desk, and on it a card's QR (slightly blurred by nothing but
    its own scaling) when `text` is given."""
    frame = Image.new("L", (640, 480), 150)
    if text:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=5, border=4)
        code.add_data(text.encode())
        code.make(fit=True)
        image = code.make_image().convert("L").resize((330, 330))
        frame.paste(image, (155, 75))
    return frame


@pytest.fixture
def live(app):
    offices()
    in_registry("0123456789", "Nguyễn Thị Hồng Nhung", "001199012345")  # the CCCD's holder
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("camera")
    return {
        "qr": y4m(folder / "qr.y4m", camera_frame(CCCD)),
        "blank": y4m(folder / "blank.y4m", camera_frame()),
    }


def camera_chromium(browser, video):
    """Another Chromium whose camera plays `video` (permission granted, as a person tapping
    'Allow' would)."""
    fake = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    return browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + fake)


def open_info_step(chromium, live, init_script=""):
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.add_init_script(WATCH_STREAMS + init_script)
    page.errors, page.loaded = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.loaded.append(r.url))
    page.goto(live.url + "/dang-ky")
    page.get_by_role("button", name="Tiếp").click()
    page.wait_for_url("**/dang-ky/thong-tin")
    return page


def assert_filled_from_the_cccd(page):
    page.wait_for_selector("#address-note")
    assert page.input_value("#id_number") == "001199012345"
    assert page.input_value("#full_name") == "Nguyễn Thị Hồng Nhung"
    assert page.input_value("#province_code") == "1" and page.input_value("#ward_code") == "70"
    assert page.input_value("#street") == "Số 5 Tràng Tiền"
    assert "Đã điền địa chỉ theo CCCD: Phường Hoàn Kiếm" in page.inner_text("#address-note")


def test_a_cccd_qr_on_the_camera_fills_the_form_through_the_vendored_decoder(browser, live, videos, tmp_path):
    chromium = camera_chromium(browser, videos["qr"])
    try:
        page = open_info_step(chromium, live)
        assert page.evaluate("'BarcodeDetector' in window") is False  # so this is the fallback path
        button = page.get_by_role("button", name="Quét bằng camera")
        assert button.is_visible() and button.bounding_box()["height"] >= 48
        assert button.bounding_box()["width"] >= PHONE["width"] - 40
        assert not any("scanner" in url or "vendor" in url for url in page.loaded)  # not before a tap
        shot(page, tmp_path / "info-step-360x640.png")
        button.click()
        assert_filled_from_the_cccd(page)
        scripts = [url for url in page.loaded if url.endswith(".js")]
        assert any("/js/scanner." in url for url in scripts)
        assert any("/js/vendor/qr-decode-0.7.0.min." in url for url in scripts)
        assert {url.split("/")[2] for url in page.loaded} == {live.url.split("/")[2]}
        assert page.evaluate(LIVE_TRACKS) == 0  # the camera stopped on success
        assert page.is_hidden("video.scan-video")
        shot(page, tmp_path / "info-step-filled.png", full_page=True)
        assert page.errors == []
    finally:
        chromium.close()


def test_where_the_browser_reads_qr_codes_itself_the_decoder_is_never_loaded(browser, live, videos):
    # Android's Chrome has BarcodeDetector; Chromium on Linux does not, so a stand-in answers
    # with what the camera shows (the vendored decoder would find the same).
    native = (
        "window.BarcodeDetector = class {"
        " static getSupportedFormats() { return Promise.resolve(['qr_code']); }"
        f" detect(video) {{ return Promise.resolve(video.videoWidth ? [{{rawValue: {CCCD!r}}}] : []); }} }};"
    )
    chromium = camera_chromium(browser, videos["qr"])
    try:
        page = open_info_step(chromium, live, native)
        page.get_by_role("button", name="Quét bằng camera").click()
        assert_filled_from_the_cccd(page)
        assert not any("/js/vendor/" in url for url in page.loaded)
        assert page.evaluate(LIVE_TRACKS) == 0 and page.errors == []
    finally:
        chromium.close()


def test_a_browser_whose_detector_lacks_qr_codes_falls_back_to_the_vendored_decoder(browser, live, videos):
    lacking = (
        "window.BarcodeDetector = class {"
        " static getSupportedFormats() { return Promise.resolve(['ean_13']); }"
        " detect() { return Promise.reject(new Error('not here')); } };"
    )
    chromium = camera_chromium(browser, videos["qr"])
    try:
        page = open_info_step(chromium, live, lacking)
        page.get_by_role("button", name="Quét bằng camera").click()
        assert_filled_from_the_cccd(page)
        assert any("/js/vendor/qr-decode-0.7.0.min." in url for url in page.loaded)
    finally:
        chromium.close()


def test_nothing_found_then_stop_and_page_hide_stop_the_camera(browser, live, videos, tmp_path):
    chromium = camera_chromium(browser, videos["blank"])
    try:
        page = open_info_step(chromium, live)
        page.clock.install()
        page.get_by_role("button", name="Quét bằng camera").click()
        page.wait_for_selector("video.scan-video", state="visible")
        stop = page.get_by_role("button", name="Dừng quét")
        assert stop.is_visible() and page.evaluate("document.activeElement.textContent") == "Dừng quét"
        until(page, f"{STATUS} === 'Đang quét…' && window.vssDecodeQR !== undefined")
        shot(page, tmp_path / "scanning.png")
        page.clock.run_for(16_000)
        status = page.locator(".scan-status")
        assert status.inner_text() == "Chưa thấy mã QR: đưa lại gần, giữ yên, đủ sáng."
        assert page.evaluate(LIVE_TRACKS) == 1  # still looking
        stop.click()
        assert page.evaluate(LIVE_TRACKS) == 0 and status.inner_text() == ""
        assert page.input_value("#qr") == ""
        # Opened again, then the page is hidden (another app, the tab left): it stops.
        page.get_by_role("button", name="Quét bằng camera").click()
        until(page, f"{LIVE_TRACKS} === 1")
        page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
        assert page.evaluate(LIVE_TRACKS) == 0
        # And Esc stops it too.
        page.get_by_role("button", name="Quét bằng camera").click()
        until(page, f"{LIVE_TRACKS} === 1")
        page.keyboard.press("Escape")
        assert page.evaluate(LIVE_TRACKS) == 0 and page.errors == []
    finally:
        chromium.close()


def test_no_camera_and_a_refused_camera_are_said_so(browser, live):
    # Chromium without a fake device: headless, it has no camera at all.
    page = open_info_step(browser, live)
    page.get_by_role("button", name="Quét bằng camera").click()
    until(page, f"{STATUS} !== ''")
    said = page.inner_text(".scan-status")
    assert said in (
        "Không mở được camera. Hãy dán nội dung mã QR vào ô.",
        "Chưa được phép dùng camera: hãy cho phép trong cài đặt của trình duyệt.",
    )
    assert page.is_visible("text=Quét bằng camera")
    page.context.close()
    refused = (
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    page = open_info_step(browser, live, refused)
    page.get_by_role("button", name="Quét bằng camera").click()
    until(page, f"{STATUS} !== ''")
    assert page.inner_text(".scan-status") == (
        "Chưa được phép dùng camera: hãy cho phép trong cài đặt của trình duyệt."
    )
    page.context.close()


def test_a_usb_scanner_typing_the_qr_then_enter_fills_and_enter_elsewhere_goes_on(browser, live):
    page = open_info_step(browser, live)
    page.click("summary")
    page.locator("#qr").press_sequentially(CCCD[:40])  # a keyboard-wedge scanner types…
    page.fill("#qr", CCCD)
    page.press("#qr", "Enter")  # …then Enter
    assert_filled_from_the_cccd(page)
    for field, value in (("#phone", "0912 345 678"), ("#bhxh_code", "0123456789")):
        page.fill(field, value)
    page.check("#phone_confirmed")
    page.press("#street", "Enter")  # the form's first button is "Điền từ mã QR": with no QR, it goes on
    page.wait_for_url("**/dang-ky/anh")
    assert page.errors == []
    page.context.close()


def test_without_javascript_no_camera_button_and_the_pasted_qr_still_fills(browser, live):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live.url + "/dang-ky")
    page.get_by_role("button", name="Tiếp").click()
    assert not page.get_by_role("button", name="Quét bằng camera").is_visible()
    page.click("summary")
    page.fill("#qr", CCCD)
    page.get_by_role("button", name="Điền từ mã QR").click()
    assert_filled_from_the_cccd(page)
    context.close()


def test_the_y4m_video_is_what_chromium_expects(videos):
    header = videos["qr"].read_bytes()[:60].split(b"\n")[0]
    assert header == b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg"
    assert videos["qr"].stat().st_size == len(header) + 1 + 3 * (6 + 640 * 480 * 3 // 2)
