"""Accessibility (issue 15): no serious or critical axe-core violation on the pages citizens,
staff and kiosks see — each form also in its error state — at 360 px (the kiosk on a tablet),
in Vietnamese and English; and every page has exactly one h1.

axe-core 4.14.1 (MPL-2.0, tests/vendor/axe-core-4.14.1) is injected by the test into the page
(the CSP is bypassed for that alone); it is never served to users."""

from pathlib import Path

import pytest

from tests.browser import PHONE, LiveServer, needs_chromium
from tests.staff_helpers import code_for
from vss.identity.accounts import Account, StaffUser
from vss.kiosk import kiosks
from vss.seed import demo, generator

pytestmark = [pytest.mark.browser, needs_chromium]

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()
PUBLIC = [
    "/",
    "/dang-ky",
    "/dang-nhap",
    "/quen-mat-khau",
    "/tra-cuu",
    "/tra-cuu/ho-so",
    "/tra-cuu/ma-so-bhxh",
    "/tra-cuu/don-vi?tinh=1&q=cong+ty",
    "/tra-cuu/diem-thu?tinh=1",
    "/tro-ly",
    "/tro-ly?hoi=quen+mat+khau",
    "/tro-ly?hoi=gia+vang",
    "/phan-anh-kien-nghi",
    "/phan-anh-kien-nghi/tra-cuu",
    "/tin-tuc",
    "/ho-tro",
    "/can-bo/dang-nhap",
    "/kiosk/ghi-danh",
    "/khong-co-trang-nay",
]
CITIZEN = [
    "/tai-khoan",
    "/tai-khoan/the-bhyt",
    "/tai-khoan/the-bhyt/xem",
    "/tai-khoan/qua-trinh",
    "/tai-khoan/thong-tin-huong",
    "/tai-khoan/kham-chua-benh",
    "/tai-khoan/thong-bao",
    "/tai-khoan/yeu-cau-thay-doi",
    "/tai-khoan/doi-mat-khau",
]
STAFF = [
    "/can-bo/ho-so",
    "/can-bo/thay-doi",
    "/can-bo/phan-anh",
    "/can-bo/quan-tri/tai-khoan",
    "/can-bo/quan-tri/kiosk",
]
# (page, the button that submits its form empty): each form's error state
EMPTY_FORMS = [
    ("/dang-nhap", "Đăng nhập"),
    ("/tra-cuu/ma-so-bhxh", "Tra cứu"),
    ("/tra-cuu/ho-so", "Tra cứu"),
    ("/phan-anh-kien-nghi", "Gửi phản ánh"),
    ("/quen-mat-khau", None),
]


def _audit(page, where, found):
    """Run axe on the page as it is now; record serious and critical violations, and the h1s."""
    page.add_script_tag(content=AXE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
    )
    found.extend(f"{where}: {v}" for v in violations)
    headings = page.locator("h1").count()
    if headings != 1:
        found.append(f"{where}: {headings} h1")


@pytest.fixture
def site(app):
    generator.seed(people=60, seed=3, progress=False)
    demo.create_demo_users()
    demo.create_demo_work()
    return app


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_public_pages_and_their_error_states(site, browser, lang):
    found = []
    with LiveServer(site) as live:
        context = browser.new_context(viewport=PHONE, bypass_csp=True)
        page = context.new_page()
        page.goto(live.url + f"/ngon-ngu/{lang}")
        for path in PUBLIC:
            page.goto(live.url + path)
            _audit(page, path, found)
        if lang == "vi":
            for path, button in EMPTY_FORMS:
                page.goto(live.url + path)
                if button:
                    page.get_by_role("button", name=button).first.click()
                else:
                    page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state()
                _audit(page, f"{path} (empty form)", found)
            page.goto(live.url + "/dang-ky")
            page.get_by_role("button", name="Tiếp").click()
            page.wait_for_url("**/dang-ky/thong-tin")
            page.get_by_role("button", name="Tiếp tục").click()
            page.wait_for_load_state()
            _audit(page, "/dang-ky/thong-tin (empty form)", found)
        context.close()
    assert not found, "\n".join(found)


def test_citizen_staff_and_kiosk_pages(site, browser):
    found = []
    account = Account.select().order_by(Account.id).first()
    reviewer = StaffUser.get(StaffUser.username == "canbo")
    admin = StaffUser.get(StaffUser.username == "quantri")
    with LiveServer(site) as live:
        citizen = browser.new_context(viewport=PHONE, bypass_csp=True)
        page = citizen.new_page()
        page.goto(live.url + "/dang-nhap")
        page.fill("#username", account.username)
        page.fill("#password", demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/dang-nhap/**")
        if "doi-mat-khau" not in page.url and "mat-khau" not in page.url:
            from tests import mailbox

            page.fill("#code", mailbox.last_code(account.phone))
            _audit(page, "/dang-nhap/ma-xac-thuc", found)
            page.get_by_role("button", name="Xác nhận").click()
            page.wait_for_url("**/tai-khoan")
        for path in CITIZEN:
            page.goto(live.url + path)
            _audit(page, path, found)
        for path in ("/tai-khoan/yeu-cau-thay-doi", "/tai-khoan/doi-mat-khau"):  # refused as sent empty
            page.goto(live.url + path)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            _audit(page, f"{path} (empty form)", found)
        citizen.close()

        for who, paths in ((reviewer, STAFF[:3]), (admin, STAFF[3:])):
            staff = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
            page = staff.new_page()
            page.goto(live.url + "/can-bo/dang-nhap")
            page.fill("#office_code", who.office.code)
            page.fill("#username", who.username)
            page.fill("#password", demo.DEMO_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url("**/can-bo/**")
            _audit(page, page.url.replace(live.url, ""), found)
            secret = StaffUser.get_by_id(who.id).totp_secret or page.locator("code").first.inner_text()
            page.fill("#code", code_for(secret.replace(" ", "")))
            page.get_by_role("button", name="Xác nhận").click()
            page.wait_for_load_state()
            for path in paths:
                page.goto(live.url + path)
                _audit(page, path, found)
            if who is reviewer:
                page.goto(live.url + "/can-bo/ho-so")
                page.locator("table a").first.click()
                page.wait_for_load_state()
                _audit(page, "a dossier", found)
                page.goto(live.url + "/can-bo/ban-dang-ky")
                _audit(page, "the desk", found)
                page.get_by_role("button", name="Đăng ký mới").click()
                page.wait_for_url("**/thong-tin")
                _audit(page, "the desk's information step", found)
                page.get_by_role("button", name="Tiếp tục").click()
                page.wait_for_load_state()
                _audit(page, "the desk's information step (empty)", found)
            staff.close()

        kiosk = browser.new_context(viewport={"width": 800, "height": 1280}, bypass_csp=True)
        page = kiosk.new_page()
        _kiosk, code = kiosks.enrol(admin, demo_facility(), "Quầy kiểm thử")
        page.goto(live.url + "/kiosk/ghi-danh")
        page.fill("#code", kiosks.shown_code(code))
        page.press("#code", "Enter")
        page.wait_for_url("**/kiosk")
        _audit(page, "/kiosk", found)
        page.fill("#qr", "not a card")
        page.press("#qr", "Enter")
        page.wait_for_load_state()
        _audit(page, "/kiosk (an unreadable scan)", found)
        from vss.cards import cards
        from vss.registry.registry import HealthCard

        card = HealthCard.select().order_by(HealthCard.id).first()
        page.fill("#qr", cards.issuance(card).qr_text)
        page.press("#qr", "Enter")
        page.wait_for_timeout(1000)
        _audit(page, "/kiosk (a signed card)", found)
        kiosk.close()
    assert not found, "\n".join(found)


def demo_facility():
    """A contracted facility of the admin's province (Hà Nội)."""
    from vss.registry.directory import Facility

    return Facility.select().where(Facility.province_code == 1).order_by(Facility.code).first().code


def test_each_registration_step_and_its_error_state(app, browser, tmp_path):
    """The Mẫu 01 steps as a citizen meets them: each step, each step refused, the code refused."""
    from PIL import Image

    from tests import mailbox
    from tests.factories import in_registry
    from tests.registration_flow import offices

    offices()
    in_registry("0123456789", "Nguyễn Thị Hoa", "001190012345")
    photo = tmp_path / "id.jpg"
    Image.new("RGB", (1024, 768), (200, 190, 170)).save(photo, quality=85)
    found = []
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE, bypass_csp=True)
        page = context.new_page()
        page.goto(live.url + "/dang-ky")
        page.get_by_role("button", name="Tiếp").click()
        page.wait_for_url("**/dang-ky/thong-tin")
        _audit(page, "thong-tin", found)
        page.fill("#bhxh_code", "0123456789")
        page.fill("#full_name", "Nguyễn Thị Hoa")
        page.fill("#id_number", "001190012345")
        page.select_option("#province_code", "1")
        page.wait_for_selector("#ward_code option[value='70']", state="attached")
        page.select_option("#ward_code", "70")
        page.fill("#street", "Số 5 phố Hàng Bài")
        page.fill("#phone", "0912 345 678")
        page.check("#phone_confirmed")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/anh")
        _audit(page, "anh", found)
        page.get_by_role("button", name="Tiếp tục").click()  # no photo: refused
        page.wait_for_selector(".error-summary")
        _audit(page, "anh (refused)", found)
        page.set_input_files("#mat_truoc", str(photo))
        page.set_input_files("#mat_sau", str(photo))
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/co-quan")
        _audit(page, "co-quan", found)
        page.get_by_role("button", name="Tiếp tục").click()  # nothing chosen: refused
        page.wait_for_selector(".error, .error-summary")
        _audit(page, "co-quan (refused)", found)
        page.select_option("#province_code", "1")
        page.check("input[name=office_code][value='00101']")
        page.check("input[name=submission_method][value=tai_co_quan]")
        page.check("#committed")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/dang-ky/xem-lai")
        _audit(page, "xem-lai", found)
        page.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_url("**/dang-ky/xac-thuc")
        _audit(page, "xac-thuc", found)
        page.fill("#code", "000000")
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_selector("#code-error")
        _audit(page, "xac-thuc (wrong code)", found)
        page.fill("#code", mailbox.last_code())
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/dang-ky/hoan-tat")
        _audit(page, "hoan-tat", found)
        context.close()
    assert not found, "\n".join(found)
