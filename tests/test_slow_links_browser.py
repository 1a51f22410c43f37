"""The citizen's main flows complete on a 2G link (issue 15), with JavaScript on and off:
registration, sign-in with the takeover of another phone, the card, a look-up. Each flow's time
and bytes are printed; `bench/slow_links.py` runs this file on every profile and tabulates them.

The profile is EDGE (30,000 B/s down, 15,000 B/s up, 800 ms latency) unless VSS_LINK_PROFILES
names others (tests/slow_links.py); VSS_LINK_RESULTS is where the figures go as JSON."""

import io
import json
import os

import pytest
from PIL import Image

from tests import mailbox
from tests.browser import PHONE, LiveServer, needs_chromium
from tests.factories import in_registry, make_card, make_person
from tests.registration_flow import offices
from tests.signin_helpers import PASSWORD, last_code, make_account
from tests.slow_links import PROFILES, Link

pytestmark = [pytest.mark.browser, needs_chromium]

NAMES = os.environ.get("VSS_LINK_PROFILES", "edge").split(",")
FIGURES = []


@pytest.fixture(scope="module", autouse=True)
def _record():
    yield
    if os.environ.get("VSS_LINK_RESULTS"):
        with open(os.environ["VSS_LINK_RESULTS"], "a") as out:
            for row in FIGURES:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _note(flow, link, javascript):
    seconds, requests, received = link.figures()
    FIGURES.append(
        {
            "flow": flow,
            "profile": link.profile.name,
            "javascript": javascript,
            "seconds": seconds,
            "requests": requests,
            "bytes": received,
        }
    )
    mode = "on" if javascript else "off"
    print(f"{flow} on {link.profile.name}, JS {mode}: {seconds} s, {requests} requests, {received} B")


def _photo(path, color):
    out = io.BytesIO()
    Image.new("RGB", (1024, 768), color).save(out, "JPEG", quality=85)
    path.write_bytes(out.getvalue())
    return str(path)


def _phone(browser, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    return context, context.new_page()


cases = pytest.mark.parametrize(
    "profile, javascript", [(PROFILES[name], js) for name in NAMES for js in (True, False)]
)


@cases
def test_registration(app, browser, tmp_path, profile, javascript):
    offices()
    in_registry("0123456789", "Nguyễn Thị Hoa", "001190012345")
    front, back = (
        _photo(tmp_path / "front.jpg", (200, 190, 170)),
        _photo(tmp_path / "back.jpg", (180, 170, 160)),
    )
    with LiveServer(app) as live:
        context, page = _phone(browser, javascript)
        link = Link(context, page, profile)
        page.goto(live.url + "/dang-ky")
        page.get_by_role("button", name="Tiếp").click()
        page.wait_for_url("**/dang-ky/thong-tin")
        page.fill("#bhxh_code", "0123456789")
        page.fill("#full_name", "Nguyễn Thị Hoa")
        page.fill("#id_number", "001190012345")
        page.select_option("#province_code", "1")
        if javascript:
            page.wait_for_selector("#ward_code option[value='70']", state="attached")
        else:
            page.get_by_role("button", name="Cập nhật danh sách phường, xã").click()
        page.select_option("#ward_code", "70")
        page.fill("#street", "Số 5 phố Hàng Bài")
        page.fill("#phone", "0912 345 678")
        page.check("#phone_confirmed")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/anh")
        page.set_input_files("#mat_truoc", front)
        page.set_input_files("#mat_sau", back)
        if javascript:
            page.wait_for_selector("#mat_sau-size:not([hidden])")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/co-quan")
        page.select_option("#province_code", "1")
        if not javascript:
            page.get_by_role("button", name="Xem cơ quan BHXH của tỉnh").click()
        page.check("input[name=office_code][value='00101']")
        page.check("input[name=submission_method][value=tai_co_quan]")
        page.check("#committed")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/xem-lai")
        page.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_url("**/dang-ky/xac-thuc")
        page.fill("#code", mailbox.last_code())
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/dang-ky/hoan-tat")
        assert "Đã ghi nhận hồ sơ" in page.inner_text("h1")
        _note("registration", link, javascript)
        context.close()


@cases
def test_sign_in_with_takeover_then_the_card(app, browser, profile, javascript):
    account = make_account()
    make_card(account.person)
    app.config["OTP_RESEND_SECONDS"] = 0
    with LiveServer(app) as live:
        first, phone_a = _phone(browser, javascript)  # the phone in use, on a good link
        phone_a.goto(live.url + "/dang-nhap")
        phone_a.fill("#username", "0123456789")
        phone_a.fill("#password", PASSWORD)
        phone_a.get_by_role("button", name="Đăng nhập").click()
        phone_a.wait_for_url("**/dang-nhap/ma-xac-thuc")
        phone_a.fill("#code", last_code())
        phone_a.get_by_role("button", name="Xác nhận").click()
        phone_a.wait_for_url("**/tai-khoan")

        second, phone_b = _phone(browser, javascript)  # the new phone, on the slow link
        link = Link(second, phone_b, profile)
        phone_b.goto(live.url + "/dang-nhap")
        phone_b.fill("#username", "0123456789")
        phone_b.fill("#password", PASSWORD)
        phone_b.get_by_role("button", name="Đăng nhập").click()
        phone_b.wait_for_url("**/dang-nhap/thiet-bi-khac")
        phone_b.get_by_role("button", name="Tiếp tục").click()
        phone_b.wait_for_url("**/dang-nhap/ma-xac-thuc")
        phone_b.fill("#code", last_code())
        phone_b.get_by_role("button", name="Xác nhận").click()
        phone_b.wait_for_url("**/tai-khoan")
        _note("sign-in with takeover", link, javascript)

        link.restart()
        phone_b.goto(live.url + "/tai-khoan/the-bhyt/xem")
        assert phone_b.locator(".bhyt-qr svg").count() == 1
        _note("the card", link, javascript)

        phone_a.reload()
        assert phone_a.url.endswith("/dang-nhap")  # the first phone was signed out
        first.close()
        second.close()


@cases
def test_bhxh_code_look_up(app, browser, profile, javascript):
    make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa", cccd="001190012345")
    with LiveServer(app) as live:
        context, page = _phone(browser, javascript)
        link = Link(context, page, profile)
        page.goto(live.url + "/tra-cuu/ma-so-bhxh")
        page.fill("#cccd", "001190012345")
        page.get_by_role("button", name="Tra cứu").click()
        page.locator("#results strong").wait_for()
        assert page.inner_text("#results strong") == "0123456789"
        _note("BHXH code look-up", link, javascript)
        context.close()
