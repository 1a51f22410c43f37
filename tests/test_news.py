"""vss/support/news.py and news_text.py: the editor's actions and their audit rows, what citizens
see, and Markdown that cannot carry script, event handlers, other hosts' pictures or raw HTML."""

import datetime as dt
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests import photo_files as pf
from tests import staff_helpers as sh
from vss.core import clock
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.support import news, news_text


@pytest.fixture
def editor(app):
    places = sh.offices()
    return sh.make_staff(places["00101"], "bientap", role=StaffUser.EDITOR)


def _jpeg(width=1600, height=1200):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _actions(post):
    return [
        row.action
        for row in AuditLog.select().where(AuditLog.object_id == str(post.id)).order_by(AuditLog.id)
    ]


def test_an_editor_writes_edits_publishes_and_unpublishes_each_audited(editor):
    post = news.create(editor, "Thông báo", "Tóm tắt", "Nội dung **mới**", ip="10.0.0.1")
    assert post.status == news.DRAFT and "<strong>mới</strong>" in post.body_html
    assert news.published_post(post.id) is None  # a draft is not public
    news.edit(editor, post, "Thông báo mới", "", "Khác", version=post.version, ip="10.0.0.1")
    assert news.publish(editor, post) is True
    assert news.publish(editor, post) is False  # twice changes nothing, audits nothing
    shown = news.published_post(post.id)
    assert shown.title == "Thông báo mới" and shown.body_html == "<p>Khác</p>\n"
    assert news.unpublish(editor, post) is True
    assert news.published_post(post.id) is None
    assert _actions(post) == ["news.create", "news.edit", "news.publish", "news.unpublish"]
    row = AuditLog.get(AuditLog.action == "news.create")
    assert (row.actor_kind, row.actor_id, row.actor_label, row.ip) == (
        "staff",
        editor.id,
        "bientap",
        "10.0.0.1",
    )


@pytest.mark.parametrize("role", [StaffUser.REVIEWER, StaffUser.SUPERVISOR, StaffUser.ADMIN])
def test_only_an_editor_may_write(app, role):
    staff = sh.make_staff(sh.offices()["001"], "khac", role=role)
    with pytest.raises(UserError) as caught:
        news.create(staff, "Tin", "", "Nội dung")
    assert caught.value.code == "not_editor"
    assert news.NewsPost.select().count() == 0


def test_an_inactive_editor_may_not_publish(editor):
    post = news.create(editor, "Tin", "", "Nội dung")
    StaffUser.update(active=False).where(StaffUser.id == editor.id).execute()
    with pytest.raises(UserError):
        news.publish(StaffUser.get_by_id(editor.id), post)
    assert news.published_post(post.id) is None


def test_an_edit_made_meanwhile_is_never_overwritten(editor):
    post = news.create(editor, "Tin", "", "Một")
    news.edit(editor, post, "Tin", "", "Hai", version=post.version)
    with pytest.raises(UserError) as caught:
        news.edit(editor, post, "Tin", "", "Ba", version=post.version)  # the form made before "Hai"
    assert caught.value.code == "changed"
    assert news.NewsPost.get_by_id(post.id).body == "Hai"


def test_the_list_is_newest_first_in_pages_and_shows_only_published(editor):
    posts = []
    for n in range(23):
        clock.travel(dt.timedelta(minutes=1))
        post = news.create(editor, f"Tin {n}", "", "x")
        if n != 5:
            news.publish(editor, post)
        posts.append(post)
    first, pages = news.published_page(1)
    assert pages == 3 and len(first) == news.PAGE_SIZE
    assert [p.title for p in first[:3]] == ["Tin 22", "Tin 21", "Tin 20"]
    last, _ = news.published_page(3)
    assert [p.title for p in last] == ["Tin 1", "Tin 0"]
    every = [p.title for n in (1, 2, 3) for p in news.published_page(n)[0]]
    assert "Tin 5" not in every and len(every) == 22
    assert news.published_page(4)[0] == []
    clock.reset()


def test_a_picture_is_reencoded_small_and_named_by_its_content(editor):
    post = news.create(editor, "Ảnh", "", "x", image=io.BytesIO(_jpeg()), image_alt="Trụ sở")
    assert max(post.image_width, post.image_height) <= news.PICTURE.max_side
    assert len(post.image) <= news.PICTURE.target_bytes and post.image_name.endswith(".jpg")
    assert news.published_picture(post.image_name) is None  # not until published
    news.publish(editor, post)
    assert bytes(news.published_picture(post.image_name))[:3] == b"\xff\xd8\xff"
    news.edit(editor, post, "Ảnh", "", "x", version=post.version, drop_image=True)
    assert news.NewsPost.get_by_id(post.id).image is None


@pytest.mark.parametrize(
    "data, words",
    [
        (b"x" * (10 * 1024 * 1024 + 1), "10 MB"),  # too large
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "JPEG, PNG"),  # wrong type
        (b"<svg onload=alert(1)></svg>", "không phải là ảnh"),
        (pf.png(30_000, 30_000, rows=1), "quá lớn"),  # a decompression bomb: 900 MP declared
        (_jpeg()[:5000], "hỏng"),  # cut short
    ],
)
def test_a_bad_picture_is_refused_on_its_field_and_nothing_is_written(editor, data, words):
    with pytest.raises(UserError) as caught:
        news.create(editor, "Ảnh", "", "x", image=io.BytesIO(data))
    assert caught.value.field == "image" and words in str(caught.value.message)
    assert news.NewsPost.select().count() == 0


def test_a_png_named_jpg_is_judged_by_its_bytes(editor):
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(out, "PNG")
    post = news.create(editor, "Ảnh", "", "x", image=io.BytesIO(out.getvalue()))  # the name is never read
    assert bytes(post.image)[:3] == b"\xff\xd8\xff"


# --- Markdown -----------------------------------------------------------------------------------

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '[x](https://a.vn "t" onmouseover=alert(1))',
    "![x](https://other.example/x.png)",
    "<iframe src=https://other.example></iframe>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg><script>alert(1)</script></svg>",
    "[x](<javascript:alert(1)>)",
    "<!-- <script>alert(1)</script> -->",
    "```\n<script>alert(1)</script>\n```",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.hrefs = set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.hrefs += [value for name, value in attrs if name == "href"]


@pytest.mark.parametrize("source", ATTACKS)
def test_markdown_cannot_carry_script_handlers_or_raw_html(source):
    """What a browser would build from the HTML: only the allowed tags and attributes, and
    links to http(s), mailto and tel only (markup typed in the text is shown as text)."""
    parsed = _Tags()
    parsed.feed(news_text.render(source))
    assert parsed.tags <= news_text.TAGS, parsed.tags
    assert parsed.attributes <= {"href", "title", "rel", "start"}, parsed.attributes
    assert all(urlsplit(href).scheme in ("http", "https", "mailto", "tel") for href in parsed.hrefs)


def test_markdown_keeps_what_a_post_needs():
    html = news_text.render(
        "# Tiêu đề\n\nĐoạn **đậm** và *nghiêng*.\n\n- một\n- hai\n\n[Cổng BHXH](https://baohiemxahoi.gov.vn)"
        " · [gọi](tel:19009068) · [thư](mailto:hotro@vss.gov.vn)"
    )
    assert "<h2>Tiêu đề</h2>" in html  # the page's title is the one h1
    assert "<strong>đậm</strong>" in html and "<em>nghiêng</em>" in html and "<li>hai</li>" in html
    assert '<a href="https://baohiemxahoi.gov.vn" rel="nofollow noopener">Cổng BHXH</a>' in html
    assert 'href="tel:19009068"' in html and 'href="mailto:hotro@vss.gov.vn"' in html


def test_slugs_are_ascii_words():
    assert news_text.slug("Đăng ký BHXH: Hướng dẫn mới!") == "dang-ky-bhxh-huong-dan-moi"
    assert news_text.slug("!!!") == "bai-viet"
    assert len(news_text.slug("Tin " * 100)) <= 80


def test_headings_start_at_h2_and_never_skip_a_level():
    """The page's title is the h1; a post starting at "##" or jumping to "####" is not a gap."""
    html = news_text.render("## Một\n\n#### Hai\n\n### Ba\n\n# Bốn\n\n###### Năm")
    assert [tag for tag in re.findall(r"<(h[1-6])>", html)] == ["h2", "h3", "h3", "h2", "h3"]
