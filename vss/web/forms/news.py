"""The news desk's form: a post's words, its picture's description, and the version it was made
from (so an edit made meanwhile by another editor is never overwritten)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from vss.support import news
from vss.web.forms.fields import StrippedForm, code_number, required


class NewsPostForm(StrippedForm):
    """Viết / sửa bài."""

    title = StringField(
        _l("Tiêu đề"),
        validators=[required(_l("Vui lòng nhập tiêu đề.")), Length(max=news.TITLE_MAX)],
    )
    summary = TextAreaField(
        _l("Tóm tắt (hiện trong danh sách tin)"), validators=[Length(max=news.SUMMARY_MAX)]
    )
    body = TextAreaField(
        _l("Nội dung (Markdown)"),
        validators=[required(_l("Vui lòng nhập nội dung bài viết.")), Length(max=news.BODY_MAX)],
    )
    image_alt = StringField(
        _l("Mô tả ảnh (cho người không xem được ảnh)"), validators=[Length(max=news.ALT_MAX)]
    )
    drop_image = BooleanField(_l("Bỏ ảnh hiện tại"))
    version = HiddenField()

    @property
    def version_number(self):
        """The version the form was made from (0, never a post's, when it is not a number)."""
        return code_number(self.version.data)
