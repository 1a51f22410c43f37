"""The BHYT card in Chromium at 360×640: drawn with its QR, then shown again with the network
cut (service worker), and forgotten at sign-out, when another phone takes over, and when the
session that kept it would have ended."""

import datetime as dt
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser import PHONE, LiveServer, needs_chromium
from tests.factories import make_card
from tests.signin_helpers import PASSWORD, last_code, make_account, post, sign_in
from vss.core import clock
from vss.identity import sessions

pytestmark = [pytest.mark.browser, needs_chromium]
CARD = "/tai-khoan/the-bhyt/xem"


def _wait(page, script, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if page.evaluate(script):
                return
        except PlaywrightError:  # the script reloaded the page under the evaluation: ask again
            pass
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
        claim = page.locator("[data-offline-claim]")
        # The first visit keeps the card (fetched once more through its worker), then says so.
        _wait(page, "caches.match('/tai-khoan/the-bhyt/xem').then(Boolean)")
        _wait(page, "!document.querySelector('[data-offline-claim]').hidden")
        assert "mất sóng" in claim.inner_text()
        page.screenshot(path=str(tmp_path / "card.png"), full_page=True)
        page.screenshot(path="/tmp/vss-card-360.png", full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

        context.set_offline(True)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
        )
        page.reload()
        assert "THẺ BẢO HIỂM Y TẾ" in page.inner_text("main")
        assert page.locator(".bhyt-qr svg").count() == 1
        for other in ("/", "/tai-khoan", "/tai-khoan/qua-trinh"):  # any page offers the stored card
            page.goto(live.url + other)
            assert "Không có kết nối mạng" in page.inner_text("h1"), other
        page.get_by_role("link", name="Xem thẻ Bảo hiểm y tế").click()
        page.wait_for_url("**/tai-khoan/the-bhyt/xem")
        assert page.locator(".bhyt-qr svg").count() == 1

        context.set_offline(False)
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.goto(live.url + "/tai-khoan")
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/?dang-xuat=1")
        _wait(page, "caches.keys().then(keys => !keys.includes('vss-card-v1'))")
        assert [e for e in errors if "Failed to load resource" not in e] == []
        context.close()


def _sign_in_bound(page, base):
    """Sign in on this phone and bind it (the code sent to the registered phone)."""
    page.goto(base + "/dang-nhap")
    page.fill("#username", "0123456789")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dang-nhap/ma-xac-thuc")
    page.fill("#code", last_code())
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/tai-khoan")


def _keep_card_offline(page, base):
    """Open the card until the service worker controls the page and holds its copy."""
    page.goto(base + CARD)
    _wait(page, "navigator.serviceWorker.controller !== null || (location.reload(), false)")
    page.reload()
    _wait(page, f"caches.match('{CARD}').then(Boolean)")


def _network(context, page, online):
    """Cut or restore the network, for the page and for its service worker (one DevTools session
    per page: conditions set through one are not lifted through another)."""
    context.set_offline(not online)
    if not hasattr(page, "vss_cdp"):
        page.vss_cdp = context.new_cdp_session(page)
        page.vss_cdp.send("Network.enable")
    page.vss_cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def _card_shown(page, url):
    """Whether opening `url` shows the card (an offline browser with nothing kept shows an error)."""
    try:
        page.goto(url)
    except PlaywrightError:
        return False
    return "THẺ BẢO HIỂM Y TẾ" in page.content()


def _ignore_clear_site_data(app):
    """The answers as a browser that does not support Clear-Site-Data takes them."""

    @app.after_request
    def strip(response):
        response.headers.pop("Clear-Site-Data", None)
        return response


def _take_over(app):
    """Another phone signs in to the same account (with the code) and so signs the first out."""
    other = app.test_client()
    sign_in(other)
    post(other, "/dang-nhap/thiet-bi-khac", action="continue")
    post(other, "/dang-nhap/ma-xac-thuc", code=last_code())


@pytest.mark.parametrize(
    "next_request, clear_site_data", [("/tai-khoan", True), (CARD, True), ("/tai-khoan", False)]
)
def test_the_old_phone_forgets_the_card_after_a_takeover(app, browser, next_request, clear_site_data):
    """The next request of the signed-out phone clears its copy: a page the service worker does
    not touch (the redirect's Clear-Site-Data, or, in a browser that ignores it, the sign-in
    page's script) or the card page the service worker fetches itself."""
    account = make_account()
    make_card(account.person)
    if not clear_site_data:
        _ignore_clear_site_data(app)
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        _sign_in_bound(page, live.url)
        _keep_card_offline(page, live.url)
        _network(context, page, online=False)
        assert _card_shown(page, live.url + CARD)
        _network(context, page, online=True)
        _take_over(app)
        page.goto(live.url + next_request)
        assert page.url.endswith("/dang-nhap") and "thiết bị khác" in page.inner_text("main")
        _wait(
            page,
            """Promise.all([navigator.serviceWorker.getRegistrations(), caches.keys()])
                       .then(([workers, stores]) => workers.length + stores.length === 0)""",
        )
        _network(context, page, online=False)
        assert not _card_shown(page, live.url + CARD)
        context.close()


def test_the_kept_card_lives_as_long_as_the_session(app, browser):
    """The copy keeps the session's end (30 days after sign-in, on the server's clock, counted on
    the phone's); a copy past it is not shown and is deleted."""
    account = make_account()
    make_card(account.person)
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        _sign_in_bound(page, live.url)
        clock.travel(dt.timedelta(days=sessions.BOUND_SESSION_DAYS) - dt.timedelta(hours=1))
        _keep_card_offline(page, live.url)
        left = page.evaluate(f"""caches.match('{CARD}').then(r =>
                                 Number(r.headers.get('VSS-Offline-Until')) - Date.now())""")
        assert 3540_000 <= left <= 3600_000  # one hour, as the server said
        _network(context, page, online=False)
        assert _card_shown(page, live.url + CARD)
        # An hour later on the phone's clock: the copy's end, moved back an hour.
        page.evaluate(f"""caches.open('vss-card-v1').then(cache => cache.match('{CARD}').then(r => {{
            const headers = new Headers(r.headers);
            headers.set('VSS-Offline-Until', String(Date.now() - 1000));
            return r.blob().then(body => cache.put('{CARD}', new Response(body, {{headers}})));
        }}))""")
        assert not _card_shown(page, live.url + CARD)
        assert "hết hạn" in page.inner_text("body")
        assert page.evaluate(f"caches.match('{CARD}').then(r => r === undefined)")
        context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_record_tabs_and_the_history_fit_a_phone(app, browser, lang, tmp_path):
    """At 360 px every tab is whole (none cut off or scrolled away) and the history's columns
    are not one word per line."""
    import datetime as dt

    from vss.registry.directory import Employer
    from vss.registry.registry import Benefit, ParticipationPeriod

    account = make_account()
    person = account.person
    employer = Employer.create(code="TA0001", name="Công ty TNHH Dịch vụ Vận tải Hoàng Long", province_code=1)
    for scheme in ("BHXH", "BHTN", "BHTNLD", "BHYT"):
        ParticipationPeriod.create(
            person=person,
            scheme=scheme,
            from_month=dt.date(2015, 1, 1),
            to_month=dt.date(2018, 12, 1),
            employer=employer,
            position="Nhân viên kế toán tổng hợp",
            salary=6_500_000,
        )
    Benefit.create(
        person=person,
        kind="ods",
        regime="Sinh con",
        from_date=dt.date(2019, 3, 1),
        amount=9_000_000,
        unit_name="x",
    )
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        _sign_in_bound(page, live.url)
        if lang == "en":
            page.goto(live.url + "/ngon-ngu/en")
        for path in ("/tai-khoan/qua-trinh", "/tai-khoan/thong-tin-huong"):
            page.goto(live.url + path)
            tabs = page.eval_on_selector_all(
                "nav.tabs a", "links => links.map(a => a.getBoundingClientRect().right)"
            )
            assert tabs and max(tabs) <= PHONE["width"], (path, tabs)
            assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
            page.screenshot(path=f"/tmp/vss-{path.rsplit('/', 1)[1]}-{lang}.png")
        page.goto(live.url + "/tai-khoan/qua-trinh")
        # Lines each header and the employer's name take (one box per line of text).
        lines = page.eval_on_selector_all(
            "table.list th, table.list tbody td:nth-child(2)",
            """cells => cells.map(cell => { const range = document.createRange();
                range.selectNodeContents(cell);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })""",
        )
        assert max(lines[:2]) <= 2 and max(lines) <= 4, lines  # no column one word per line
        assert page.locator("h1").count() == 1
        context.close()
