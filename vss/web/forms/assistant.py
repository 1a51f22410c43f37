"""The assistant's forms: a question, and a yes/no on an answer."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length

from vss.web.forms.fields import StrippedForm, choices, required

QUESTION_MAX = 300


class AskForm(StrippedForm):
    """A question for the assistant."""

    hoi = StringField(
        _l("Câu hỏi của bạn"),
        validators=[required(_l("Vui lòng nhập câu hỏi.")), Length(max=QUESTION_MAX)],
    )


class VoteForm(StrippedForm):
    """“Câu trả lời có giúp ích không?” — the answer's ticket and yes or no (and the question, to
    show the answer again after a plain POST)."""

    phieu = StringField(validators=[required(_l("Phiếu đánh giá không hợp lệ.")), Length(max=2000)])
    giup_ich = SelectField(choices=choices([("co", _l("Có")), ("khong", _l("Không"))]), validate_choice=True)
    hoi = StringField(validators=[Length(max=QUESTION_MAX)])
