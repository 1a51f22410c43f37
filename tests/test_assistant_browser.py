"""Trợ lý ảo in Chromium at 360×640: with htmx, two questions make a conversation (both answers
stay, the box is emptied, the page never reloads) and a vote is thanked in place; with JavaScript
off, the form posts and the answer page shows the answer."""

import time

import pytest

from tests.browser import PHONE, LiveServer, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def _wait(page, script, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if page.evaluate(script):
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {script}")


def test_a_conversation_with_htmx(app, browser):
    with LiveServer(app) as server:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{server.url}/tro-ly")
        page.evaluate("window.notReloaded = true")
        for count, question in enumerate(("quen mat khau", "mất sim không nhận được mã"), 1):
            page.fill("#hoi", question)
            page.click("#hoi-khung button[type=submit]")
            _wait(page, f"document.querySelectorAll('#hoi-dap .exchange').length >= {count}")
        texts = page.inner_text("#hoi-dap")
        assert "Quên mật khẩu đăng nhập" in texts and "Mất điện thoại hoặc mất SIM" in texts
        assert page.input_value("#hoi") == ""
        assert page.evaluate("window.notReloaded") is True
        page.click("#hoi-dap .exchange >> nth=0 >> button[value=co]")
        _wait(page, "document.querySelector('#hoi-dap').innerText.includes('Cảm ơn bạn đã cho biết.')")
        assert page.evaluate("window.notReloaded") is True
        context.close()


def test_the_plain_form_without_javascript(app, browser):
    with LiveServer(app) as server:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{server.url}/tro-ly")
        page.fill("#hoi", "tai khoan bi khoa")
        page.click("#hoi-khung button[type=submit]")
        page.wait_for_url("**/tro-ly?hoi=*")
        assert "Tài khoản bị khóa vì nhập sai mật khẩu nhiều lần?" in page.inner_text("#hoi-dap")
        page.click("#hoi-dap button[value=khong]")
        page.wait_for_load_state()
        assert "Cảm ơn bạn đã cho biết." in page.inner_text("main")
        context.close()
