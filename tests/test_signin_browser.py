"""The takeover in Chromium: two browser contexts are two phones. With and without JavaScript;
the sign-in page's first visit is measured in bytes on the wire."""

import pytest

from tests.browser import PHONE, LiveServer, needs_chromium
from tests.signin_helpers import PASSWORD, last_code, make_account

pytestmark = [pytest.mark.browser, needs_chromium]


def _sign_in(page, base):
    page.goto(base + "/dang-nhap")
    page.fill("#username", "0123456789")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _enter_code(page):
    page.wait_for_url("**/dang-nhap/ma-xac-thuc")
    page.fill("#code", last_code())
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/tai-khoan")


@pytest.mark.parametrize("javascript", [True, False])
def test_takeover_with_two_phones(app, browser, javascript):
    make_account()
    app.config["OTP_RESEND_SECONDS"] = 0
    with LiveServer(app) as live:
        first = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
        second = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
        phone_a, phone_b = first.new_page(), second.new_page()
        _sign_in(phone_a, live.url)
        _enter_code(phone_a)
        assert "Nguyễn Thị Hoa" in phone_a.inner_text("main")
        _sign_in(phone_b, live.url)
        phone_b.wait_for_url("**/dang-nhap/thiet-bi-khac")
        assert "một thiết bị ở cùng một thời điểm" in phone_b.inner_text("main")
        phone_b.get_by_role("button", name="Tiếp tục").click()
        _enter_code(phone_b)
        phone_a.reload()
        assert phone_a.url.endswith("/dang-nhap")
        assert "vừa được đăng nhập trên một thiết bị khác" in phone_a.inner_text("main")
        phone_b.reload()
        assert phone_b.url.endswith("/tai-khoan")
        first.close()
        second.close()


def test_sign_in_first_visit_within_forty_kilobytes(app, browser):
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes = []
        cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"]))
        page.goto(live.url + "/dang-nhap")
        page.wait_for_load_state("networkidle")
        assert 0 < sum(sizes) <= 40 * 1024, sizes
        print(f"sign-in page first visit: {sum(sizes)} B in {len(sizes)} requests")
        context.close()
