"""The assisted registration desk's forms: the citizen's Mẫu 01 fields (their form, their
checks) and the staff member's identity declaration."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired

from vss.dossiers.desk_identity import CHOOSE_DOCUMENT, DOCUMENT_LABELS
from vss.web.forms.fields import StrippedForm, choices
from vss.web.forms.register import InfoForm


class DeskInfoForm(InfoForm):
    """Bước 2 at the desk: the citizen's form and checks. No "this is my phone" box: the code
    the citizen reads out from their phone confirms it."""

    phone_confirmed = None


class IdentityForm(StrippedForm):
    """Xác minh nhân thân: what the staff member checked with the document in hand (the rules
    that each must hold are the domain's, vss.dossiers.desk.declare_identity)."""

    document = RadioField(
        _l("Giấy tờ người đăng ký xuất trình"),
        choices=choices(list(DOCUMENT_LABELS.items())),
        validators=[InputRequired(CHOOSE_DOCUMENT)],
    )
    number_matches = BooleanField(_l("Số trên giấy tờ khớp với số đã khai"))
    face_matches = BooleanField(_l("Ảnh trên giấy tờ đúng là người đang đăng ký"))
