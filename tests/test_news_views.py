"""Tin tức through HTTP: the editor's desk (plain posts and htmx), who may reach it, what
citizens see, pages, the picture and the video (size and length shown first, never autoplay,
Range requests), budgets, and the hotline on every page."""

import datetime as dt
import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import staff_helpers as sh
from tests.conftest import get_gzip, html_of, wire_size
from tests.csrf import csrf
from vss.core import clock
from vss.core.audit import AuditLog
from vss.identity.accounts import StaffUser
from vss.support import news, news_media

SAMPLES = Path(__file__).parent / "samples" / "news"
PAGE_BUDGET, FRAGMENT_BUDGET = 12 * 1024, 4 * 1024


@pytest.fixture
def places(app):
    return sh.offices()


@pytest.fixture
def editor(places):
    return sh.make_staff(places["00102"], "bientap", role=StaffUser.EDITOR)


@pytest.fixture
def desk(client, editor):
    """A signed-in editor's browser; returns (client, CSRF token)."""
    return client, sh.sign_in(client, editor)


def _jpeg(width=1200, height=800):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _write(client, token, url="/can-bo/tin-tuc/moi", headers=None, **fields):
    data = {"csrf_token": token, "title": "Tin mới", "summary": "", "body": "Nội dung", **fields}
    return client.post(url, data=data, headers=headers or {}, content_type="multipart/form-data")


def _post_id(response):
    return int(re.fullmatch(r"/can-bo/tin-tuc/(\d+)", response.headers["Location"]).group(1))


def test_an_editor_writes_edits_publishes_and_unpublishes(desk, editor):
    client, token = desk
    made = _write(client, token, title="Cấp thẻ BHYT điện tử", body="Từ **hôm nay**.")
    assert made.status_code == 302
    post_id = _post_id(made)
    page = client.get(f"/can-bo/tin-tuc/{post_id}").get_data(as_text=True)
    assert "Bản nháp" in page and "<strong>hôm nay</strong>" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    edited = _write(
        client, token, f"/can-bo/tin-tuc/{post_id}", title="Cấp thẻ BHYT", body="Khác", version=version
    )
    assert edited.status_code == 302
    assert client.get(f"/tin-tuc/{post_id}").status_code == 404  # still a draft
    assert client.post(f"/can-bo/tin-tuc/{post_id}/dang", data={"csrf_token": token}).status_code == 302
    public = client.get(f"/tin-tuc/{post_id}", follow_redirects=True)
    assert public.status_code == 200 and "Cấp thẻ BHYT" in public.get_data(as_text=True)
    assert client.post(f"/can-bo/tin-tuc/{post_id}/go", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/tin-tuc/{post_id}-cap-the-bhyt").status_code == 404
    actions = [
        r.action for r in AuditLog.select().where(AuditLog.object_kind == "NewsPost").order_by(AuditLog.id)
    ]
    assert actions == ["news.create", "news.edit", "news.publish", "news.unpublish"]
    history = client.get(f"/can-bo/tin-tuc/{post_id}").get_data(as_text=True)
    assert "Gỡ bài" in history and "bientap" in history


def test_the_desk_answers_htmx_with_the_editor_block_and_redirects_alike(desk):
    client, token = desk
    bad = _write(client, token, headers={"HX-Request": "true"}, title="")
    assert bad.status_code == 200 and "Vui lòng nhập tiêu đề" in bad.get_data(as_text=True)
    assert "<html" not in bad.get_data(as_text=True)
    good = _write(client, token, headers={"HX-Request": "true"})
    assert good.status_code == 302 and news.NewsPost.select().count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Vui lòng nhập tiêu đề"),
        ({"body": ""}, "Vui lòng nhập nội dung"),
        ({"title": "a\x00b"}, "ký tự không hợp lệ"),
        ({"title": "x" * 201}, "tối đa 200"),
        ({"body": "x" * (news.BODY_MAX + 1)}, "tối đa 20000"),
        ({"image": (io.BytesIO(b"GIF89a\x01\x00\x01\x00"), "anh.jpg")}, "Chỉ nhận ảnh JPEG"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(desk, fields, message):
    client, token = desk
    response = _write(client, token, **fields)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert news.NewsPost.select().count() == 0


def test_a_stale_form_is_refused_with_a_message(desk, editor):
    client, token = desk
    post = news.create(editor, "Tin", "", "Một")
    news.edit(editor, post, "Tin", "", "Hai", version=post.version)
    response = _write(client, token, f"/can-bo/tin-tuc/{post.id}", version=str(post.version), body="Ba")
    assert "vừa được người khác sửa" in response.get_data(as_text=True)
    for version in ("", "²", "٣", "99999999999"):
        _write(client, token, f"/can-bo/tin-tuc/{post.id}", version=version, body="Ba")
    assert news.NewsPost.get_by_id(post.id).body == "Hai"


@pytest.mark.parametrize("role", [StaffUser.REVIEWER, StaffUser.SUPERVISOR, StaffUser.ADMIN])
def test_other_staff_never_reach_the_desk(client, places, editor, role):
    post = news.create(editor, "Tin", "", "x", image=io.BytesIO(_jpeg()))
    token = sh.sign_in(client, sh.make_staff(places["00101"], "khac", role=role))
    for url in (
        "/can-bo/tin-tuc",
        "/can-bo/tin-tuc/moi",
        f"/can-bo/tin-tuc/{post.id}",
        f"/can-bo/tin-tuc/{post.id}/anh.jpg",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/can-bo/tin-tuc/{post.id}/dang", f"/can-bo/tin-tuc/{post.id}/video", "/can-bo/tin-tuc/moi"):
        assert client.post(url, data={"csrf_token": token, "title": "x", "body": "x"}).status_code == 404
    assert news.NewsPost.select().count() == 1 and not news.NewsPost.get().published
    assert "tin-tuc" not in client.get("/can-bo/ho-so").get_data(as_text=True).split("<main")[0]


def test_an_editor_never_reaches_citizens_data(desk, places):
    client, _token = desk
    dossier = sh.make_dossier(places["00102"])
    for url in (
        "/can-bo/ho-so",
        f"/can-bo/ho-so/{dossier.id}",
        "/can-bo/cap-nhat",
        "/can-bo/quan-tri",
        "/can-bo/ban-dang-ky",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/can-bo/").headers["Location"] == "/can-bo/tin-tuc"


def test_signed_out_the_desk_sends_to_sign_in(client, editor):
    assert client.get("/can-bo/tin-tuc").headers["Location"] == "/can-bo/dang-nhap"


def test_citizens_see_only_published_posts_newest_first_in_pages(client, editor):
    for n in range(12):
        clock.travel(dt.timedelta(minutes=1))
        post = news.create(editor, f"Bản tin số {n}", f"Tóm tắt {n}", "x")
        if n != 11:
            news.publish(editor, post)
    first = client.get("/tin-tuc").get_data(as_text=True)
    assert first.index("Bản tin số 10") < first.index("Bản tin số 9")
    assert "Bản tin số 11" not in first and "Trang 1/2" in first
    second = client.get("/tin-tuc?trang=2").get_data(as_text=True)
    assert "Bản tin số 0" in second and "Bản tin số 10" not in second
    assert client.get("/tin-tuc?trang=3").status_code == 404  # past the last page
    for odd in ("²", "-1", "0", "abc", "99999999999"):
        assert client.get(f"/tin-tuc?trang={odd}").status_code == 200  # the first page
    fragment = client.get("/tin-tuc?trang=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and "Bản tin số 0" in fragment.get_data(
        as_text=True
    )
    clock.reset()


def test_a_post_address_with_an_old_title_is_sent_on(client, editor):
    post = news.create(editor, "Tiêu đề mới", "", "x")
    news.publish(editor, post)
    response = client.get(f"/tin-tuc/{post.id}-tieu-de-cu")
    assert response.status_code == 301 and response.headers["Location"] == f"/tin-tuc/{post.id}-tieu-de-moi"
    assert client.get(f"/tin-tuc/{post.id + 1}-tieu-de-moi").status_code == 404


def test_a_published_picture_is_served_for_a_year_and_a_draft_one_is_not(client, editor):
    post = news.create(editor, "Ảnh", "", "x", image=io.BytesIO(_jpeg()), image_alt="Quầy tiếp nhận")
    url = f"/tin-tuc/anh/{post.image_name}"
    assert client.get(url).status_code == 404
    news.publish(editor, post)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"]
    page = client.get(f"/tin-tuc/{post.id}-anh").get_data(as_text=True)
    assert f'src="{url}"' in page and 'alt="Quầy tiếp nhận"' in page
    for name in ("../vss.db", "x.jpg", post.image_name.upper()):
        assert client.get(f"/tin-tuc/anh/{name}").status_code == 404


def _upload_video(client, token, post_id, data, name="clip.mp4"):
    # Encoded here, in memory: the test client's own encoder leaves a temporary file open.
    video = FileStorage(io.BytesIO(data), filename=name, content_type="video/mp4")
    boundary, body = encode_multipart({"csrf_token": token, "action": "upload", "video": video})
    kind = f"multipart/form-data; boundary={boundary}"
    return client.post(f"/can-bo/tin-tuc/{post_id}/video", data=body, content_type=kind)


def _media_files(app):
    folder = Path(app.config["MEDIA_PATH"]) / "news"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_video_shows_its_length_and_size_first_and_never_plays_by_itself(app, desk, editor):
    client, token = desk
    post = news.create(editor, "Hướng dẫn cài VssID", "", "Xem video.", image=io.BytesIO(_jpeg()))
    assert _upload_video(client, token, post.id, (SAMPLES / "clip.mp4").read_bytes()).status_code == 302
    post = news.NewsPost.get_by_id(post.id)
    assert (post.video_type, post.video_seconds, post.video_bytes) == ("video/mp4", 3, 10312)
    assert _media_files(app) == [post.video_name]
    news.publish(editor, post)
    page = client.get(f"/tin-tuc/{post.id}-huong-dan-cai-vssid").get_data(as_text=True)
    caption = page.index("Video dài 0:03, dung lượng 0,01 MB")
    video = re.search(r"<video[^>]*>", page).group(0)
    assert caption < page.index("<video") and 'preload="none"' in video and "controls" in video
    assert "autoplay" not in page and f'poster="/tin-tuc/anh/{post.image_name}"' in video
    listed = client.get("/tin-tuc").get_data(as_text=True)
    assert "Video 0:03" in listed


def test_the_video_answers_range_requests_and_is_cached_for_a_year(app, desk, editor):
    client, token = desk
    data = (SAMPLES / "clip.webm").read_bytes()
    post = news.create(editor, "Tin", "", "x")
    _upload_video(client, token, post.id, data, "clip.webm")
    post = news.NewsPost.get_by_id(post.id)
    url = f"/tin-tuc/video/{post.video_name}"

    def get(**headers):
        response = client.get(url, headers=headers)
        response.get_data()
        response.close()  # as a WSGI server does: the file it streamed from
        return response

    assert get().status_code == 404  # a draft's video is not public
    news.publish(editor, post)
    whole = get()
    assert whole.status_code == 200 and whole.get_data() == data and whole.mimetype == "video/webm"
    assert whole.headers["Accept-Ranges"] == "bytes" and "immutable" in whole.headers["Cache-Control"]
    part = get(Range="bytes=100-199")
    assert part.status_code == 206 and part.get_data() == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert get(Range=f"bytes={len(data) + 10}-").status_code == 416
    assert get(**{"If-None-Match": whole.headers["ETag"]}).status_code == 304
    news.unpublish(editor, post)
    assert client.get(url).status_code == 404


def test_a_signed_in_citizen_may_keep_the_video_too(app, editor):
    from tests.signin_helpers import make_account, sign_in

    post = news.create(editor, "Tin", "", "x")
    with open(SAMPLES / "clip.mp4", "rb") as stream:
        news_media.attach_video(editor, post, stream)
    news.publish(editor, post)
    client = app.test_client()
    sign_in(client, make_account())
    response = client.get(f"/tin-tuc/video/{news.NewsPost.get_by_id(post.id).video_name}")
    response.close()  # the file it streams from
    assert "immutable" in response.headers["Cache-Control"]  # the same file for everyone


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\x00" * (news_media.MAX_VIDEO_BYTES + 1), "big.mp4", "lớn hơn 30 MB"),
        (b"", "empty.mp4", "Chưa chọn tệp video"),
        (b"GIF89a" + bytes(2000), "anh.mp4", "Chỉ nhận video MP4 hoặc WebM"),
        ((SAMPLES / "clip.mp4").read_bytes()[:6000], "cut.mp4", "tải lên chưa hết"),
        ((SAMPLES / "tail.mp4").read_bytes()[:-50], "cut.mp4", "tải lên chưa hết"),
    ],
)
def test_a_bad_video_is_refused_and_nothing_is_kept(app, desk, editor, data, name, message):
    client, token = desk
    post = news.create(editor, "Tin", "", "x")
    response = _upload_video(client, token, post.id, data, name)
    assert response.status_code == 302
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert news.NewsPost.get_by_id(post.id).video_name is None
    assert _media_files(app) == []  # not even a part file


def test_replacing_and_removing_a_video_removes_its_file(app, desk, editor):
    client, token = desk
    post = news.create(editor, "Tin", "", "x")
    _upload_video(client, token, post.id, (SAMPLES / "clip.mp4").read_bytes())
    _upload_video(client, token, post.id, (SAMPLES / "clip.webm").read_bytes(), "clip.webm")
    assert _media_files(app) == [news.NewsPost.get_by_id(post.id).video_name]
    client.post(f"/can-bo/tin-tuc/{post.id}/video", data={"csrf_token": token, "action": "remove"})
    assert _media_files(app) == [] and news.NewsPost.get_by_id(post.id).video_name is None
    actions = [
        r.action for r in AuditLog.select().where(AuditLog.object_kind == "NewsPost").order_by(AuditLog.id)
    ]
    assert actions == ["news.create", "news.video", "news.video", "news.video_remove"]


class _OneChunkAtATime(io.BytesIO):
    """An upload stream that fails if anyone reads it whole."""

    def read(self, size=-1):
        assert size is not None and 0 < size <= news_media.CHUNK, size
        return super().read(size)


def test_a_video_is_copied_to_disk_a_chunk_at_a_time(editor):
    post = news.create(editor, "Tin", "", "x")
    size, seconds = news_media.attach_video(
        editor, post, _OneChunkAtATime((SAMPLES / "clip.mp4").read_bytes())
    )
    assert (size, seconds) == (10312, 3)


WORDS = (
    "bảo hiểm xã hội y tế thất nghiệp người lao động đóng hưởng chế độ ốm đau thai sản hưu trí tử tuất "
    "cơ quan tỉnh thành phố thẻ mã số tài khoản giao dịch điện tử ứng dụng hướng dẫn đăng ký quy định "
    "mức lương tháng năm từ ngày theo khoản điều luật nghị định thông tư quyết định"
)


def _words(n, seed=13):
    rng = random.Random(seed)
    vocabulary = re.findall(r"\S+", WORDS)
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def test_pages_stay_within_budget(client, editor):
    for n in range(news.PAGE_SIZE + 1):
        post = news.create(
            editor, _words(30, n)[: news.TITLE_MAX], _words(90, n + 50)[: news.SUMMARY_MAX], "x"
        )
        news.publish(editor, post)
    listed = get_gzip(client, "/tin-tuc")
    assert wire_size(listed) <= PAGE_BUDGET, wire_size(listed)
    fragment = client.get("/tin-tuc?trang=2", headers={"HX-Request": "true", "Accept-Encoding": "gzip"})
    assert wire_size(fragment) <= FRAGMENT_BUDGET
    body = "\n\n".join(_words(40, k) for k in range(200))[: news.BODY_MAX]
    longest = news.create(editor, _words(30)[: news.TITLE_MAX], _words(90)[: news.SUMMARY_MAX], body)
    news.publish(editor, longest)
    shown = get_gzip(client, f"/tin-tuc/{longest.id}-{longest.slug}")
    assert shown.status_code == 200 and wire_size(shown) <= PAGE_BUDGET, wire_size(shown)


def test_every_news_page_keeps_the_hotline_and_needs_no_script_of_its_own(client, desk, editor):
    post = news.create(editor, "Tin", "", "x")
    news.publish(editor, post)
    staff_client, _ = desk
    pages = [client.get(u) for u in ("/", "/tin-tuc", f"/tin-tuc/{post.id}-tin")]
    pages += [
        staff_client.get(u) for u in ("/can-bo/tin-tuc", "/can-bo/tin-tuc/moi", f"/can-bo/tin-tuc/{post.id}")
    ]
    for response in pages:
        html = html_of(response)
        assert response.status_code == 200
        assert 'href="tel:19009068"' in html and 'href="mailto:hotro@vss.gov.vn"' in html
        scripts = re.findall(r"<script[^>]*>", html)
        assert all("src=" in s and ("htmx" in s or "app." in s) for s in scripts), scripts
    assert 'href="/tin-tuc"' in html_of(pages[0])  # the start page links the news


def test_the_desk_and_the_news_speak_english(desk, editor):
    from tests.test_i18n_crawl import data_pattern, leftover

    client, token = desk
    post = news.create(editor, "Tin có video", "Tóm tắt", "Nội dung **đậm**", image=io.BytesIO(_jpeg()))
    with open(SAMPLES / "clip.mp4", "rb") as stream:
        news_media.attach_video(editor, post, stream)
    news.publish(editor, post)
    client.get("/ngon-ngu/en")
    pattern = data_pattern()
    found = {}
    for url in (
        "/tin-tuc",
        f"/tin-tuc/{post.id}-tin-co-video",
        "/can-bo/tin-tuc",
        "/can-bo/tin-tuc/moi",
        f"/can-bo/tin-tuc/{post.id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if words := leftover(html_of(response), pattern):
            found[url] = words
    bad = _write(client, csrf(client, "/can-bo/tin-tuc/moi"), title="", body="text")
    if words := leftover(html_of(bad), pattern):
        found["bad form"] = words
    assert not found, found


def test_a_request_over_the_site_limit_is_refused_before_anything_is_read(app, desk, editor):
    client, token = desk
    post = news.create(editor, "Tin", "", "x")
    response = _upload_video(client, token, post.id, bytes(app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413 and "Tệp quá lớn" in response.get_data(as_text=True)
    assert news.NewsPost.get_by_id(post.id).video_name is None and _media_files(app) == []
