"""Tin tức, public: the list of published posts (newest first, ?trang=N), a post, and its picture
and video — served by VSS itself, cached for a year under names that change with the content;
the video answers Range requests, so a phone fetches only what it plays."""

import re

from flask import Blueprint, abort, g, make_response, redirect, send_file, url_for

from vss.support import news, news_media
from vss.views import args
from vss.views.render import page

bp = Blueprint("news", __name__)
PICTURE_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
VIDEO_NAME = re.compile(r"[0-9]{1,10}-[0-9a-f]{32}\.(mp4|webm)")
YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"


@bp.get("/tin-tuc")
def index():
    """Published posts, newest first, a page at a time; a page past the last is a 404."""
    number = args.page_number()
    rows, pages = news.published_page(number)
    if number > pages:
        abort(404)
    return page("news/index.html", block="list", rows=rows, number=number, pages=pages)


@bp.get("/tin-tuc/<int:post_id>")
def short(post_id):
    """A post by its number alone: sent on to its full address."""
    item = news.published_post(post_id)
    if item is None:
        abort(404)
    return redirect(url_for("news.post", post_id=item.id, slug=item.slug), 301)


@bp.get("/tin-tuc/<int:post_id>-<slug>")
def post(post_id, slug):
    """One published post (an old title in the address is sent on to the current one)."""
    item = news.published_post(post_id)
    if item is None:
        abort(404)
    if slug != item.slug:
        return redirect(url_for("news.post", post_id=item.id, slug=item.slug), 301)
    return page("news/post.html", post=item)


def _shared(response):
    """A file that is the same for everyone, kept by the browser for a year."""
    g.shared_file = True
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@bp.get("/tin-tuc/anh/<name>")
def picture(name):
    """A published post's picture."""
    content = news.published_picture(name) if PICTURE_NAME.fullmatch(name) else None
    if content is None:
        abort(404)
    response = make_response(bytes(content))
    response.mimetype = "image/jpeg"
    return _shared(response)


@bp.get("/tin-tuc/video/<name>")
def video(name):
    """A published post's video, with Range requests (206) and validators."""
    item = news.published_video(name) if VIDEO_NAME.fullmatch(name) else None
    path = news_media.video_path(item) if item else None
    if path is None or not path.is_file():
        abort(404)
    return _shared(send_file(path, mimetype=item.video_type, conditional=True, etag=True, max_age=YEAR))
