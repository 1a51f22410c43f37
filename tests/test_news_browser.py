"""Tin tức in Chromium: nothing of a video is fetched until the reader presses play (and then in
ranges), and an editor writes and publishes a post with JavaScript off."""

from pathlib import Path

import pytest

from tests import staff_helpers as sh
from tests.browser import PHONE, LiveServer, needs_chromium
from vss.identity.accounts import StaffUser
from vss.support import news, news_media

pytestmark = [pytest.mark.browser, needs_chromium]
SAMPLES = Path(__file__).parent / "samples" / "news"


def test_a_video_is_fetched_only_when_played(app, browser, tmp_path):
    editor = sh.make_staff(sh.offices()["001"], "bientap", role=StaffUser.EDITOR)
    post = news.create(editor, "Hướng dẫn bằng video", "", "Xem video dưới đây.")
    with open(SAMPLES / "clip.webm", "rb") as stream:
        news_media.attach_video(editor, post, stream)
    news.publish(editor, post)
    with LiveServer(app) as live:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        ranges = []
        page.on(
            "request", lambda r: ranges.append(r.headers.get("range")) if "/tin-tuc/video/" in r.url else None
        )
        page.goto(f"{live.url}/tin-tuc/{post.id}-{post.slug}", wait_until="networkidle")
        page.wait_for_timeout(500)
        assert "Video dài 0:04" in page.inner_text("main")
        assert not [p for p in live.counter.paths if p.startswith("/tin-tuc/video/")]  # nothing yet
        assert page.evaluate("document.querySelector('video').paused")
        page.screenshot(path=str(tmp_path / "post.png"))
        page.evaluate("document.querySelector('video').play().catch(() => {})")
        for _ in range(50):
            if [p for p in live.counter.paths if p.startswith("/tin-tuc/video/")]:
                break
            page.wait_for_timeout(100)
        assert [p for p in live.counter.paths if p.startswith("/tin-tuc/video/")]
        assert any(r and r.startswith("bytes=") for r in ranges), ranges
        context.close()


def test_an_editor_publishes_without_javascript(app, browser):
    import pyotp

    editor = sh.make_staff(sh.offices()["001"], "bientap", role=StaffUser.EDITOR)
    with LiveServer(app) as live:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live.url}/can-bo/dang-nhap")
        page.fill("#office_code", "001")
        page.fill("#username", "bientap")
        page.fill("#password", sh.PASSWORD)
        page.click("button[type=submit]")
        page.fill("#code", pyotp.TOTP(editor.totp_secret).now())
        page.click("button[type=submit]")
        assert page.url.endswith("/can-bo/tin-tuc")
        page.click("text=Viết bài mới")
        page.fill("#title", "Tin viết không cần JavaScript")
        page.fill("#body", "Nội dung **rõ ràng**.")
        page.set_input_files("#image", str(Path(__file__).parent / "samples" / "news" / "clip.webm"))
        page.click("form[enctype] button[type=submit]")
        assert "Chỉ nhận ảnh JPEG" in page.inner_text("main") or "không phải là ảnh" in page.inner_text(
            "main"
        )
        page.set_input_files("#image", [])
        page.click("form[enctype] button[type=submit]")
        assert "Đã lưu bản nháp" in page.inner_text("main")
        page.click("text=Đăng bài")
        assert "Đã đăng bài" in page.inner_text("main")
        page.click("text=Xem trên trang tin")
        assert "rõ ràng" in page.inner_text("article")
        context.close()
    assert news.NewsPost.get().published
