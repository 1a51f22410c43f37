"""The news desk (editor role, national): every post, drafts first; write, edit, publish,
unpublish; a post's picture (with the form) and video (its own form: up to 30 MB, one request).
Every action is audited by the domain (vss/support/news.py, news_media.py)."""

from flask import Blueprint, abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _

from vss.core import audit
from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.support import news, news_media
from vss.views.problems import shown
from vss.views.render import jpeg, page
from vss.views.staff_auth import staff_required
from vss.web.forms import NewsPostForm

bp = Blueprint("news_desk", __name__, url_prefix="/can-bo/tin-tuc")
EDITOR = StaffUser.EDITOR


def _post(post_id):
    item = news.post_for(g.staff, post_id)
    if item is None:
        abort(404)
    return item


def _upload(name):
    """The uploaded file's stream, or None when nothing was chosen."""
    upload = request.files.get(name)
    return upload.stream if upload is not None and upload.filename else None


def _editor_page(item, form, error=None):
    return page(
        "news/desk_edit.html",
        block="editor",
        post=item,
        form=form,
        error=error,
        history=list(audit.history("NewsPost", item.id)) if item else [],
        action_labels=news.ACTION_LABELS,
        max_video_mb=news_media.MAX_VIDEO_BYTES // (1024 * 1024),
    )


@bp.get("")
@staff_required(EDITOR)
def index():
    """Every post: drafts first, then the newest."""
    return page("news/desk.html", rows=news.desk_list(g.staff))


@bp.route("/moi", methods=["GET", "POST"])
@staff_required(EDITOR)
def new():
    """Write a post (a draft until published)."""
    form, error = NewsPostForm(), None
    if form.validate_on_submit():
        try:
            item = news.create(
                g.staff,
                form.title.data,
                form.summary.data,
                form.body.data,
                image=_upload("image"),
                image_alt=form.image_alt.data,
                ip=request.remote_addr,
            )
        except UserError as problem:
            error = shown(problem, form)
        else:
            flash(_("Đã lưu bản nháp."))
            return redirect(url_for("news_desk.edit", post_id=item.id))
    return _editor_page(None, form, error)


@bp.route("/<int:post_id>", methods=["GET", "POST"])
@staff_required(EDITOR)
def edit(post_id):
    """Edit a post (a published one changes at once)."""
    item, error = _post(post_id), None
    form = NewsPostForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(item.version)
    elif form.validate_on_submit():
        try:
            news.edit(
                g.staff,
                item,
                form.title.data,
                form.summary.data,
                form.body.data,
                version=form.version_number,
                image=_upload("image"),
                image_alt=form.image_alt.data,
                drop_image=form.drop_image.data,
                ip=request.remote_addr,
            )
        except UserError as problem:
            error = shown(problem, form)
        else:
            flash(_("Đã lưu bài viết."))
            return redirect(url_for("news_desk.edit", post_id=item.id))
    return _editor_page(item, form, error)


@bp.post("/<int:post_id>/dang")
@staff_required(EDITOR)
def publish(post_id):
    """'Đăng bài': on the public pages from now."""
    item = _post(post_id)
    if news.publish(g.staff, item, ip=request.remote_addr):
        flash(_("Đã đăng bài."))
    return redirect(url_for("news_desk.edit", post_id=item.id))


@bp.post("/<int:post_id>/go")
@staff_required(EDITOR)
def unpublish(post_id):
    """'Gỡ bài': off the public pages, a draft again."""
    item = _post(post_id)
    if news.unpublish(g.staff, item, ip=request.remote_addr):
        flash(_("Đã gỡ bài khỏi trang tin."))
    return redirect(url_for("news_desk.edit", post_id=item.id))


@bp.post("/<int:post_id>/video")
@staff_required(EDITOR)
def video(post_id):
    """Upload (or replace) the post's video, or remove it."""
    item = _post(post_id)
    try:
        if request.form.get("action") == "remove":
            if news_media.drop_video(g.staff, item, ip=request.remote_addr):
                flash(_("Đã bỏ video."))
        else:
            stream = _upload("video")
            if stream is None:
                raise UserError(news_media.NO_VIDEO, code="video")
            news_media.attach_video(g.staff, item, stream, ip=request.remote_addr)
            flash(_("Đã tải video lên."))
    except UserError as error:
        shown(error)
    return redirect(url_for("news_desk.edit", post_id=item.id))


@bp.get("/<int:post_id>/anh.jpg")
@staff_required(EDITOR)
def picture(post_id):
    """The post's picture, published or not."""
    item = _post(post_id)
    if not item.image:
        abort(404)
    return jpeg(item.image)


@bp.get("/<int:post_id>/video")
@staff_required(EDITOR)
def preview_video(post_id):
    """The post's video, published or not (Range requests too)."""
    path = news_media.video_path(_post(post_id))
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, conditional=True)
