"""A reviewer in Chromium: sign in (password, then TOTP), receive a dossier, approve it; the
citizen's SMS with the account is in the outbox."""

import pytest

from tests import mailbox
from tests.browser import LiveServer, needs_chromium
from tests.factories import make_person
from tests.staff_helpers import PASSWORD, code_for, make_dossier, make_staff, offices
from vss.dossiers.dossiers import WAITING
from vss.identity.accounts import Account

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("javascript", [True, False])
def test_receive_and_approve(app, browser, tmp_path, javascript):
    places = offices()
    staff = make_staff(places["00101"])
    make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa")
    item = make_dossier(places["00101"], status=WAITING, bhxh_code="0123456789", full_name="Nguyễn Thị Hoa")
    with LiveServer(app) as live:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(live.url + "/can-bo/dang-nhap")
        page.fill("#office_code", "00101")
        page.fill("#username", "canbo")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/can-bo/xac-thuc")
        page.fill("#code", code_for(staff.totp_secret))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url("**/can-bo/ho-so")
        page.get_by_role("link", name=item.number).click()
        assert "Nguyễn Thị Hoa ✓" in page.inner_text("main")
        page.get_by_role("button", name="Tiếp nhận").click()
        assert "Đã tiếp nhận hồ sơ" in page.inner_text("main")
        page.check("input[name=evaluation][value=hop_le]")
        page.get_by_role("button", name="Ghi nhận").click()
        page.get_by_role("button", name="Xác nhận").click()
        assert "Cập nhật thành công" in page.inner_text("main")
        page.screenshot(path=str(tmp_path / "approved.png"))
        assert errors == []
        context.close()
    account = Account.get(Account.username == "0123456789")
    sms = mailbox.last_message(template="account_created")
    assert sms.recipient == item.phone and "Ten dang nhap: 0123456789" in sms.body
    assert account.must_change_password
