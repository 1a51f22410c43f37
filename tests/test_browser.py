"""The start page in Debian's Chromium at phone size: renders, loads nothing from elsewhere,
respects the CSP, works with JavaScript off, and a repeat visit costs one request."""

import pytest

from tests.browser import PHONE, LiveServer, needs_chromium
from vss.seed import generator

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def live(app):
    generator.seed(people=20, seed=3, progress=False)
    with LiveServer(app) as server:
        yield server


def _watch(page):
    seen = {"hosts": set(), "errors": [], "bytes": 0}
    page.on("request", lambda request: seen["hosts"].add(request.url.split("/")[2]))
    page.on("console", lambda msg: msg.type == "error" and seen["errors"].append(msg.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def test_start_page_on_a_phone(live, browser, tmp_path):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    seen = _watch(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    transferred = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    page.goto(live.url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Bảo hiểm xã hội số"
    assert page.evaluate("typeof window.htmx") == "undefined"  # nothing on it uses htmx
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert seen["hosts"] == {live.url.split("/")[2]}
    assert seen["errors"] == []  # a CSP violation would show here
    assert 0 < sum(transferred) <= 40 * 1024, transferred
    page.screenshot(path=str(tmp_path / "start.png"))

    # Repeat visit: hashed statics come from the cache, only the page is fetched.
    before = len(live.counter.paths)
    page.goto(live.url + "/ho-tro")
    page.wait_for_load_state("networkidle")
    assert live.counter.paths[before:] == ["/ho-tro"]
    # A page that uses htmx loads it.
    page.goto(live.url + "/dang-ky")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.htmx && htmx.version") == "2.0.11"
    context.close()


def test_skip_link_is_first_and_focuses_main(live, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()


def test_lookup_and_language_switch_without_javascript(live, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_role("link", name="Tra cứu", exact=False).first.click()
    page.get_by_role("link", name="Tra cứu cơ quan BHXH").click()
    page.select_option("select#tinh", label="Thành phố Hà Nội")
    page.get_by_role("button", name="Xem").click()
    assert "tinh=1" in page.url
    assert page.locator("ul.cards li").count() >= 2
    assert "Bảo hiểm xã hội" in page.locator("ul.cards").inner_text()
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "tinh=1" in page.url  # back where the user was
    context.close()
