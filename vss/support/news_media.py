"""A news post's video: uploaded by an editor, kept as a file under MEDIA_PATH/news (a row would
hold up to 30 MB, and a file is what Range requests are served from), served by VSS itself.

The upload is copied to disk in chunks while it is counted and hashed — never held whole in
memory — and only then judged: MP4 or WebM, whole (not cut short), with a duration in its
headers (video_probe). The file is named after the post and its content, so a replaced video
gets a new URL and both can be cached for a year. With several machines, MEDIA_PATH must be
a shared volume (as the database is shared)."""

import hashlib
import os
import tempfile
from pathlib import Path

from flask_babel import lazy_gettext as _l

from vss.core.clock import utcnow
from vss.core.db import on_commit, transaction
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.support import video_probe
from vss.support.news import NewsPost, record_action, require_editor

# The whole request must fit under MAX_CONTENT_LENGTH (32 MB, checked before any view runs),
# and a citizen pays for every megabyte of it.
MAX_VIDEO_BYTES = 30 * 1024 * 1024
CHUNK = 64 * 1024
EXTENSIONS = {video_probe.MP4: "mp4", video_probe.WEBM: "webm"}

NO_VIDEO = _l("Chưa chọn tệp video.")
VIDEO_TOO_BIG = _l("Video lớn hơn 30 MB. Hãy nén lại (ví dụ 480p) hoặc cắt ngắn rồi tải lên.")
NOT_A_VIDEO = _l("Chỉ nhận video MP4 hoặc WebM.")
BROKEN_VIDEO = _l("Video bị hỏng hoặc tải lên chưa hết, không đọc được thời lượng. Vui lòng tải lại.")


def folder():
    """Where news videos are kept (made on first use)."""
    path = Path(settings.MEDIA_PATH) / "news"
    path.mkdir(parents=True, exist_ok=True)
    return path


def video_path(post):
    """The file of a post's video (None without one)."""
    return folder() / post.video_name if post.video_name else None


def _receive(stream, into):
    """Copy `stream` into the open file `into` a chunk at a time; (bytes, sha256 hex)."""
    digest, total = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > MAX_VIDEO_BYTES:
            raise UserError(VIDEO_TOO_BIG, field="video", code="video")
        digest.update(chunk)
        into.write(chunk)
    if not total:
        raise UserError(NO_VIDEO, field="video", code="video")
    return total, digest.hexdigest()


def _judge(path):
    """(mime type, seconds) of the received file, or UserError."""
    with open(path, "rb") as fp:
        try:
            return video_probe.probe(fp)
        except video_probe.NotAVideo:
            raise UserError(NOT_A_VIDEO, field="video", code="video") from None
        except video_probe.Broken:
            raise UserError(BROKEN_VIDEO, field="video", code="video") from None


def _remove_later(name):
    """Delete a video file once the change that dropped it has committed."""

    def remove():
        (folder() / name).unlink(missing_ok=True)

    on_commit(remove)


def attach_video(staff, post, stream, *, ip=""):
    """Give `post` the video read from `stream` (a binary file object), replacing any; the old
    file goes after commit. UserError on the 'video' field when it cannot be used."""
    require_editor(staff)
    where = folder()
    handle, part = tempfile.mkstemp(dir=where, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as into:
            size, digest = _receive(stream, into)
        kind, seconds = _judge(part)
        name = f"{post.id}-{digest[:32]}.{EXTENSIONS[kind]}"
        os.replace(part, where / name)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    old = NewsPost.select(NewsPost.video_name).where(NewsPost.id == post.id).scalar()
    try:
        with transaction():
            NewsPost.update(
                video_name=name, video_type=kind, video_bytes=size, video_seconds=seconds, updated_at=utcnow()
            ).where(NewsPost.id == post.id).execute()
            record_action("news.video", staff, post, ip, bytes=size, seconds=seconds, type=kind)
            if old and old != name:
                _remove_later(old)
    except BaseException:
        if old != name:
            (where / name).unlink(missing_ok=True)
        raise
    return size, seconds


def drop_video(staff, post, *, ip=""):
    """Remove a post's video (the file goes after commit)."""
    require_editor(staff)
    with transaction():
        old = NewsPost.select(NewsPost.video_name).where(NewsPost.id == post.id).scalar()
        if not old:
            return False
        NewsPost.update(
            video_name=None, video_type=None, video_bytes=None, video_seconds=None, updated_at=utcnow()
        ).where(NewsPost.id == post.id).execute()
        record_action("news.video_remove", staff, post, ip)
        _remove_later(old)
    return True
