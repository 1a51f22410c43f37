"""Xác minh nhân thân at the assisted registration desk: what the staff member declares they
checked with the citizen's document in hand (which document, its number, the face), the rule that
one ID document belongs to one BHXH code, and the record kept beside a dossier received at the
desk. The sitting that uses them is vss.dossiers.desk."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from vss.core.clock import utcnow
from vss.core.db import BaseModel
from vss.core.errors import UserError
from vss.core.validators import CCCD, CMND, PASSPORT
from vss.dossiers.dossiers import Dossier
from vss.identity.accounts import Account, StaffUser
from vss.registry.registry import Person

DOCUMENT_LABELS = {
    CCCD: _l("Căn cước công dân (CCCD)"),
    CMND: _l("Chứng minh nhân dân (CMND)"),
    PASSPORT: _l("Hộ chiếu"),
}
CHOOSE_DOCUMENT = _l("Vui lòng chọn giấy tờ đã xem.")
NUMBER_MISMATCH = _l(
    "Chỉ ghi nhận khi số trên giấy tờ khớp với số đã khai. Nếu khai nhầm, hãy sửa ở bước Thông tin."
)
FACE_MISMATCH = _l("Chỉ đăng ký tại bàn khi ảnh trên giấy tờ đúng là người đang đăng ký.")
NOT_DECLARED = _l("Vui lòng xác minh nhân thân trước khi gửi mã.")
DOCUMENT_HAS_ACCOUNT = _l("Số giấy tờ này đã gắn với tài khoản của một mã số BHXH khác.")


class IdentityCheck(BaseModel):
    """What the staff member who received a dossier at the desk declared they checked, and
    when. Nothing personal: the number checked is the dossier's own."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    staff = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
    document = CharField(max_length=8)  # CCCD, CMND or PASSPORT (vss.core.validators)
    number_matches = BooleanField()
    face_matches = BooleanField()
    checked_at = DateTimeField()

    class Meta:
        indexes = ((("staff", "checked_at"), False),)

    @property
    def document_label(self):
        """The document seen, in the reader's language."""
        return DOCUMENT_LABELS.get(self.document, self.document)


def declaration(staff, info, document, *, number_matches, face_matches):
    """The declaration to keep with the sitting, once its rules hold: `document` is one of
    DOCUMENT_LABELS and the kind of the number declared in `info`, its number matches and its
    photo is the person at the desk (UserError on the field that fails)."""
    if document not in DOCUMENT_LABELS:
        raise UserError(CHOOSE_DOCUMENT, field="document", code="document")
    if document != info.get("id_kind"):
        message = _l(
            "Số đã khai (%(number)s) là số %(kind)s. Chọn đúng giấy tờ đã xem, hoặc sửa số ở bước Thông tin.",
            number=info.get("id_number"),
            kind=DOCUMENT_LABELS.get(info.get("id_kind"), ""),
        )
        raise UserError(message, field="document", code="wrong_document")
    if not number_matches:
        raise UserError(NUMBER_MISMATCH, field="number_matches", code="number_mismatch")
    if not face_matches:
        raise UserError(FACE_MISMATCH, field="face_matches", code="face_mismatch")
    return {
        "document": document,
        "id_number": info["id_number"],
        "staff_id": staff.id,
        "checked_at": utcnow().isoformat(),
    }


def current(data, info):
    """The sitting's declaration (from its `data`) if made for the number now declared, else None."""
    declared = data.get("xac-minh")
    if declared and declared.get("id_number") == info.get("id_number"):
        return declared
    return None


def check_document(bhxh_code, id_number):
    """One ID document, one BHXH code: a number that another code's account carries, or that a
    pending dossier of another code declares, is refused (UserError on id_number)."""
    holder = (
        Account.select(Account.id)
        .join(Person)
        .where((Person.cccd == id_number) & (Account.username != bhxh_code))
        .exists()
    )
    if holder:
        raise UserError(DOCUMENT_HAS_ACCOUNT, field="id_number", code="document_taken")
    pending = (
        Dossier.select(Dossier.number)
        .where(
            (Dossier.id_number == id_number)
            & Dossier.pending_bhxh.is_null(False)
            & (Dossier.bhxh_code != bhxh_code)
        )
        .scalar()
    )
    if pending:
        message = _l(
            "Số giấy tờ này đã được khai trong hồ sơ %(number)s của một mã số BHXH khác.", number=pending
        )
        raise UserError(message, field="id_number", code="document_pending")


def record(dossier, staff, declared):
    """Keep the declaration beside the dossier it let the desk receive (in its transaction)."""
    return IdentityCheck.create(
        dossier=dossier,
        staff=staff,
        document=declared["document"],
        number_matches=True,
        face_matches=True,
        checked_at=dt.datetime.fromisoformat(declared["checked_at"]),
    )


def identity_of(dossier):
    """The desk's identity declaration of a dossier (with its staff member), or None."""
    return (
        IdentityCheck.select(IdentityCheck, StaffUser)
        .join(StaffUser)
        .where(IdentityCheck.dossier == dossier)
        .first()
    )


MODELS = [IdentityCheck]
