"""The BHYT card in Chromium at 360×640: drawn with its QR, then shown again with the network
cut (service worker), and forgotten at sign-out."""

import time

import pytest

from tests.browser import PHONE, LiveServer, needs_chromium
from tests.factories import make_card
from tests.signin_helpers import PASSWORD, last_code, make_account

pytestmark = [pytest.mark.browser, needs_chromium]


def _wait(page, script, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if page.evaluate(script):
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {script}")


def test_card_offline_on_the_bound_device(app, browser, tmp_path):
    account = make_account()
    make_card(account.person)
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(live.url + "/dang-nhap")
        page.fill("#username", "0123456789")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/dang-nhap/ma-xac-thuc")
        page.fill("#code", last_code())
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/tai-khoan")
        page.goto(live.url + "/tai-khoan/the-bhyt/xem")
        _wait(page, "navigator.serviceWorker.controller !== null || (location.reload(), false)")
        page.reload()
        _wait(page, "caches.match('/tai-khoan/the-bhyt/xem').then(Boolean)")
        page.screenshot(path=str(tmp_path / "card.png"), full_page=True)
        page.screenshot(path="/tmp/vss-card-360.png", full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

        context.set_offline(True)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": 0,
                                                      "uploadThroughput": 0})
        page.reload()
        assert "THẺ BẢO HIỂM Y TẾ" in page.inner_text("main")
        assert page.locator(".bhyt-qr svg").count() == 1

        context.set_offline(False)
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
        page.goto(live.url + "/tai-khoan")
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/?dang-xuat=1")
        _wait(page, "caches.keys().then(keys => !keys.includes('vss-card-v1'))")
        assert [e for e in errors if "Failed to load resource" not in e] == []
        context.close()
