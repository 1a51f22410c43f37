"""A news post's words: Markdown rendered by markdown-it-py (CommonMark, raw HTML off) and the
result sanitised by nh3 (the ammonia sanitiser) to a short list of tags — two maintained
libraries, no hand-written parser or filter. Headings start at <h2> and never skip a level (the
page's title is its one <h1>); links get rel="nofollow noopener" and keep only http(s), mailto and tel; images
are not rendered at all (the CSP forbids other hosts' pictures, and a post has its own)."""

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "nofollow noopener"

_D_WITH_STROKE = {0x0111: "d", 0x0110: "D"}  # đ, Đ: a letter of its own, not d + a mark
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def render(source):
    """The post's Markdown as safe HTML."""
    tokens = _markdown.parse(source or "")
    # Under the page's h1, levels as the writer meant them but never skipping one ("##" first is
    # an h2; "####" after "##" an h3): each heading is one below the nearest higher one before it.
    open_levels = []  # (level written, level given)
    for token in tokens:
        if token.type == "heading_open":
            written = int(token.tag[1])
            while open_levels and open_levels[-1][0] >= written:
                open_levels.pop()
            given = min(open_levels[-1][1] + 1 if open_levels else 2, 6)
            open_levels.append((written, given))
            token.tag = f"h{given}"
        elif token.type == "heading_close":
            token.tag = f"h{open_levels[-1][1]}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain(source, limit=300):
    """The post's text without markup (the list's summary when the editor wrote none)."""
    text = nh3.clean(render(source), tags=set())
    text = " ".join(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def slug(title, limit=80):
    """A title in lowercase ASCII words joined by hyphens ('Thông báo mới' → 'thong-bao-moi')."""
    text = unicodedata.normalize("NFD", (title or "").translate(_D_WITH_STROKE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return words[:limit].rstrip("-") or "bai-viet"
