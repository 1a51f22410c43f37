"""Tin tức: posts written by editors (StaffUser.EDITOR) and read by everyone, newest first.

News is national, as in VssID ("các hoạt động của Ngành BHXH Việt Nam"): an editor of any
office sees and edits every post. A post is a draft until published; unpublishing takes it off
the public pages at once (and its picture and video with it). Its text is Markdown, rendered and
sanitised when it is saved (news_text); its picture and video are news_media's. Every action is
one transaction with its audit row."""

import hashlib

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from vss.core import audit, images
from vss.core.clock import utcnow
from vss.core.db import BaseModel, transaction
from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.support import news_text

DRAFT, PUBLISHED = "draft", "published"
STATUS_LABELS = {DRAFT: _l("Bản nháp"), PUBLISHED: _l("Đã đăng")}
# What each audited action is called on the post's history.
ACTION_LABELS = {
    "news.create": _l("Viết bài"),
    "news.edit": _l("Sửa bài"),
    "news.publish": _l("Đăng bài"),
    "news.unpublish": _l("Gỡ bài"),
    "news.video": _l("Tải video lên"),
    "news.video_remove": _l("Bỏ video"),
}
PAGE_SIZE = 10
TITLE_MAX, SUMMARY_MAX, BODY_MAX, ALT_MAX = 200, 400, 20_000, 200
# The post's picture: wide enough for a phone held either way, light enough for 2G.
PICTURE = images.Fit(max_side=960, target_bytes=90 * 1024, min_side=200)

NOT_EDITOR = _l("Chỉ cán bộ biên tập tin tức mới được thực hiện thao tác này.")
CHANGED_MEANWHILE = _l("Bài viết vừa được người khác sửa. Vui lòng tải lại trang rồi sửa tiếp.")


class NewsPost(BaseModel):
    """One post: title, summary, Markdown body (and its sanitised HTML), an optional picture
    (a re-encoded JPEG, kept in the database like ID photos) and an optional video (a file under
    MEDIA_PATH: too big for a row, served with Range requests)."""

    title = TextField()
    summary = TextField(default="")
    body = TextField(default="")  # Markdown, as the editor wrote it
    body_html = TextField(default="")  # rendered and sanitised once, at save
    status = CharField(max_length=10, default=DRAFT)
    published_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)  # raised by every edit: two editors never overwrite unseen
    author = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
    image = BlobField(null=True)
    image_name = CharField(max_length=40, null=True, index=True)  # <sha256 prefix>.jpg
    image_width = IntegerField(null=True)
    image_height = IntegerField(null=True)
    image_alt = TextField(default="")
    video_name = CharField(max_length=64, null=True, unique=True)  # <id>-<sha256 prefix>.mp4|webm
    video_type = CharField(max_length=16, null=True)
    video_bytes = IntegerField(null=True)
    video_seconds = IntegerField(null=True)

    class Meta:
        indexes = ((("status", "published_at"), False),)

    @property
    def published(self):
        return self.status == PUBLISHED

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def body_markup(self):
        """The body as HTML to show: sanitised when it was saved (news_text.render)."""
        return Markup(self.body_html)  # noqa: S704 - nh3-sanitised at save, never the editor's raw text

    @property
    def video_length(self):
        """The video's duration as m:ss (h:mm:ss past an hour)."""
        minutes, seconds = divmod(self.video_seconds or 0, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def video_megabytes(self):
        return (self.video_bytes or 0) / (1024 * 1024)

    @property
    def slug(self):
        """The title in URL words (the URL's id is what finds the post; the words are for people)."""
        return news_text.slug(self.title)


MODELS = [NewsPost]


def require_editor(staff):
    """UserError unless `staff` is an active editor (the views check first; this is the rule)."""
    if staff is None or not staff.active or not staff.is_editor:
        raise UserError(NOT_EDITOR, code="not_editor")


def record_action(action, staff, post, ip, **detail):
    """The audit row of an editor's action on a post (inside the action's transaction)."""
    audit.record(
        action,
        actor_kind="staff",
        actor_id=staff.id,
        actor_label=staff.username,
        obj=post,
        detail=detail or None,
        ip=ip,
    )


# --- the editor's actions ------------------------------------------------------------------------


def _picture(image):
    """The re-encoded picture's columns, or {} without one (UserError on the 'image' field)."""
    if image is None:
        return {}
    try:
        content, (width, height) = images.process(image, PICTURE)
    except UserError as error:
        raise UserError(error.message, field="image", code=error.code) from None
    name = hashlib.sha256(content).hexdigest()[:32] + ".jpg"
    return {"image": content, "image_name": name, "image_width": width, "image_height": height}


NO_PICTURE = {"image": None, "image_name": None, "image_width": None, "image_height": None, "image_alt": ""}


def create(staff, title, summary, body, *, image=None, image_alt="", ip=""):
    """A new draft (with its picture when `image`, a file, is given); returns it."""
    require_editor(staff)
    picture = _picture(image)
    with transaction():
        post = NewsPost.create(
            title=title,
            summary=summary,
            body=body,
            body_html=news_text.render(body),
            author=staff,
            image_alt=image_alt if picture else "",
            **picture,
        )
        record_action("news.create", staff, post, ip, title=title, picture=bool(picture))
    return post


def edit(staff, post, title, summary, body, *, version, image=None, image_alt="", drop_image=False, ip=""):
    """New words (and picture) for a post; a published one stays published, with the change at
    once. `version` is the one the editor's form was made from: an edit made meanwhile by someone
    else is never overwritten (UserError)."""
    require_editor(staff)
    picture = _picture(image) or (NO_PICTURE if drop_image else {})
    if picture.get("image") or (post.image_name and not drop_image):
        picture["image_alt"] = image_alt
    with transaction():
        changed = (
            NewsPost.update(
                title=title,
                summary=summary,
                body=body,
                body_html=news_text.render(body),
                updated_at=utcnow(),
                version=NewsPost.version + 1,
                **picture,
            )
            .where((NewsPost.id == post.id) & (NewsPost.version == version))
            .execute()
        )
        if not changed:
            raise UserError(CHANGED_MEANWHILE, code="changed")
        detail = {"title": title}
        if "image" in picture:
            detail["picture"] = "new" if picture["image"] else "removed"
        record_action("news.edit", staff, post, ip, **detail)


def publish(staff, post, *, ip=""):
    """Put a draft on the public pages, dated now (publishing twice changes nothing)."""
    require_editor(staff)
    with transaction():
        now = utcnow()
        changed = (
            NewsPost.update(status=PUBLISHED, published_at=now, updated_at=now)
            .where((NewsPost.id == post.id) & (NewsPost.status == DRAFT))
            .execute()
        )
        if changed:
            record_action("news.publish", staff, post, ip)
    return bool(changed)


def unpublish(staff, post, *, ip=""):
    """Take a post off the public pages (it becomes a draft again)."""
    require_editor(staff)
    with transaction():
        changed = (
            NewsPost.update(status=DRAFT, published_at=None, updated_at=utcnow())
            .where((NewsPost.id == post.id) & (NewsPost.status == PUBLISHED))
            .execute()
        )
        if changed:
            record_action("news.unpublish", staff, post, ip)
    return bool(changed)


# --- reading --------------------------------------------------------------------------------


def _public():
    return NewsPost.status == PUBLISHED


def published_page(number, size=PAGE_SIZE):
    """Page `number` (1-based) of published posts, newest first, and the number of pages (at
    least 1). The list reads no picture, video or body."""
    count = NewsPost.select().where(_public()).count()
    pages = max(1, -(-count // size))
    rows = list(
        NewsPost.select(
            NewsPost.id,
            NewsPost.title,
            NewsPost.summary,
            NewsPost.published_at,
            NewsPost.video_seconds,
            NewsPost.status,
        )
        .where(_public())
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    )
    return rows, pages


def published_post(post_id):
    """A published post, or None (a draft is as missing as a post that never was)."""
    return NewsPost.get_or_none((NewsPost.id == post_id) & _public())


def published_picture(name):
    """The JPEG bytes of a published post's picture called `name`, or None."""
    row = NewsPost.select(NewsPost.image).where((NewsPost.image_name == name) & _public()).first()
    return row.image if row else None


def published_video(name):
    """The published post whose video is called `name`, or None."""
    return NewsPost.get_or_none((NewsPost.video_name == name) & _public())


def desk_list(staff):
    """Every post for the editor's desk: drafts first, then the newest."""
    require_editor(staff)
    return list(
        NewsPost.select(
            NewsPost.id,
            NewsPost.title,
            NewsPost.status,
            NewsPost.published_at,
            NewsPost.updated_at,
            NewsPost.video_name,
            NewsPost.image_name,
        )
        .order_by((NewsPost.status == PUBLISHED).asc(), NewsPost.updated_at.desc(), NewsPost.id.desc())
        .limit(500)
    )


def post_for(staff, post_id):
    """A post for the editor's desk, or None."""
    require_editor(staff)
    return NewsPost.get_or_none(NewsPost.id == post_id)
