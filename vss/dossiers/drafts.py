"""The registration draft: what the applicant has typed so far, saved at every step and found
again by a random token kept only in their cookie, with its photos. Each step's rule is here
(one function per step), so a view only hands over the form and goes where it is told."""

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField

from vss.core import jobs, validators
from vss.core.clock import utcnow
from vss.core.db import BaseModel, JSONField, transaction
from vss.core.errors import UserError
from vss.dossiers import photos
from vss.dossiers.dossiers import (
    AT_OFFICE,
    CONTACT_FIELDS,
    IVAN,
    PERSON_FIELDS,
    PHOTO_KINDS,
    PORTAL,
    SUBMISSION_LABELS,
    Dossier,
    channel_label,
    check_unique,
    token_hash,
)
from vss.registry import codes
from vss.registry.directory import Office, format_address

STEPS = ("loai", "thong-tin", "anh", "co-quan", "xem-lai")
DRAFT_DAYS = 7
INFO_FIELDS = PERSON_FIELDS + CONTACT_FIELDS
REQUIRED_PHOTOS = ("mat_truoc", "mat_sau")
PLAIN_NAME = _l(
    "Họ tên chưa có dấu. Nếu tên trên giấy tờ của bạn đúng là không dấu, bấm “Tiếp tục” lần nữa; "
    "nếu không, hãy sửa lại cho có dấu."
)
ID_PHOTOS_NEEDED = _l("Vui lòng chụp hoặc tải lên ảnh mặt trước và mặt sau giấy tờ.")
CHOOSE_OFFICE = _l("Vui lòng chọn cơ quan BHXH tiếp nhận.")


class RegistrationDraft(BaseModel):
    """What the applicant has typed so far, found again by a random token kept in a cookie (or,
    at the assisted desk, by its id and the staff member it belongs to)."""

    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)
    data = JSONField(default=dict)
    dossier_id = IntegerField(null=True)
    desk_staff_id = IntegerField(null=True, index=True)  # an assisted desk's sitting (vss.dossiers.desk)

    def done(self, step):
        """Whether `step` has been completed."""
        return step in self.data.get("done", [])

    def first_incomplete(self):
        """The first step not yet completed ('xac-thuc' once all are)."""
        return next((step for step in STEPS if not self.done(step)), "xac-thuc")

    def may_open(self, step):
        """A step is open when every earlier step is done."""
        index = STEPS.index(step) if step in STEPS else len(STEPS)
        return all(self.done(s) for s in STEPS[:index])

    @property
    def info(self):
        """Bước 2's values (the person and their contacts)."""
        return self.data.get("thong-tin", {})

    @property
    def office_choice(self):
        """Bước 4's values (the office and how the dossier is sent)."""
        return self.data.get("co-quan", {})

    @property
    def submission_label(self):
        """Hình thức nộp hồ sơ chosen so far, in the reader's language."""
        return SUBMISSION_LABELS.get(
            self.office_choice.get("submission_method"), SUBMISSION_LABELS[AT_OFFICE]
        )

    @property
    def channel_label(self):
        """Đăng ký giao dịch tại, as chosen so far."""
        choice = self.office_choice
        return channel_label(choice.get("channel"), choice.get("ivan_name", ""))

    @property
    def declared(self):
        """Everything declared so far, keyed as dossiers.DECLARED (what open_dossier takes)."""
        return {**self.info, **self.office_choice}


class Photo(BaseModel):
    """A processed photo (portrait, ID front, ID back) of a draft, then of its dossier."""

    draft = ForeignKeyField(RegistrationDraft, null=True, on_delete="CASCADE")
    dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
    kind = CharField(max_length=10)
    content = BlobField()
    width = IntegerField()
    height = IntegerField()
    created_at = DateTimeField(default=utcnow)


class PhotosRefused(UserError):
    """Some photos were refused or are missing: `errors` maps each photo kind to its message
    (the step shows each beside its own file field)."""

    def __init__(self, errors):
        super().__init__(next(iter(errors.values())), code="photos")
        self.errors = errors


# --- the draft ------------------------------------------------------------------------------


def new_draft():
    """A new draft and the token that finds it again (kept only in the applicant's cookie)."""
    token = secrets.token_urlsafe(32)
    draft = RegistrationDraft.create(token_hash=token_hash(token), data={"done": []})
    return draft, token


def draft_for(token):
    """The unexpired draft of a cookie token, or None."""
    if not token:
        return None
    draft = RegistrationDraft.get_or_none(RegistrationDraft.token_hash == token_hash(token))
    if draft and draft.dossier_id is None and draft.updated_at < utcnow() - dt.timedelta(days=DRAFT_DAYS):
        return None
    return draft


def start(token, registrant):
    """Bước 1: the registrant type, on this browser's draft (a new one when it has none or its
    draft is already a dossier). Returns (draft, token)."""
    draft = draft_for(token)
    if draft is None or draft.dossier_id:
        draft, token = new_draft()
    save_step(draft, "loai", {"registrant": registrant})
    return draft, token


def save_step(draft, step, values):
    """Store one step's values and mark it done (later steps stay as they were)."""
    data = dict(draft.data)
    data[step] = values
    data["done"] = sorted(set(data.get("done", [])) | {step}, key=STEPS.index)
    draft.data = data
    draft.updated_at = utcnow()
    draft.save()


# --- the steps' rules ---------------------------------------------------------------------


def save_info(draft, given, *, plain_name_ok=None, client=None):
    """Bước 2: keep the Mẫu 01 fields of `given` (a mapping holding INFO_FIELDS, already valid
    one by one) once the rules across them hold. A name without any diacritics must be confirmed
    by sending it again as `plain_name_ok` (UserError code 'plain_name'); the BHXH code must be
    the registry's under that name (codes.check_declared, the rule staff approve by: UserError
    code 'not_in_registry', rather than a dossier refused days later; `client` spends its
    budget of checks); a BHXH code with a pending dossier raises PendingDossier and remembers
    that dossier (it may be cancelled)."""
    values = {name: given.get(name) for name in INFO_FIELDS}
    values["email"] = values["email"] or None
    if validators.lacks_diacritics(values["full_name"]) and plain_name_ok != values["full_name"]:
        raise UserError(PLAIN_NAME, field="plain_name_ok", code="plain_name")
    codes.check_declared(values["bhxh_code"], values["full_name"], values["id_number"], client=client)
    try:
        check_unique(values["bhxh_code"], values["phone"], values["email"])
    except UserError as error:
        if error.code == "pending_dossier":
            draft.data = {**draft.data, "pending": error.dossier.id}
            draft.save()
        raise
    save_step(draft, "thong-tin", values)


def take_photos(draft, uploads):
    """Bước 3: process each uploaded photo ({kind: binary stream}, an absent or empty upload is
    skipped) and keep those that can be used; the step is done when the ID's front and back are
    there. Raises PhotosRefused naming every photo refused or still missing."""
    errors = {}
    for kind in PHOTO_KINDS:
        upload = uploads.get(kind)
        if upload is None:
            continue
        try:
            # The stream, not its bytes: a large file stays on disk, and process() reads only
            # the headers, then what the decoder asks for.
            content, size = photos.process(upload)
        except UserError as error:
            errors[kind] = error.message
        else:
            set_photo(draft, kind, content, size)
    have = photo_kinds(draft)
    for kind in REQUIRED_PHOTOS:
        if kind not in have and kind not in errors:
            errors[kind] = ID_PHOTOS_NEEDED
    if errors:
        raise PhotosRefused(errors)
    save_step(draft, "anh", {"kinds": sorted(have)})


def office_defaults(draft):
    """Bước 4 as last saved, or (first visit) the applicant's province and the portal channel."""
    return draft.office_choice or {"province_code": draft.info.get("province_code"), "channel": PORTAL}


def save_office(draft, chosen):
    """Bước 4: the receiving office (one of the chosen province's), the submission method and the
    channel (an I-VAN provider's name only for the I-VAN channel)."""
    office = Office.get_or_none(Office.code == (chosen.get("office_code") or ""))
    if office is None or office.province_code != chosen.get("province_code"):
        raise UserError(CHOOSE_OFFICE, field="office_code", code="office")
    channel = chosen.get("channel")
    save_step(
        draft,
        "co-quan",
        {
            "province_code": chosen["province_code"],
            "office_code": office.code,
            "submission_method": chosen.get("submission_method"),
            "channel": channel,
            "ivan_name": (chosen.get("ivan_name") or "") if channel == IVAN else "",
        },
    )


def summary(draft):
    """Bước 5: everything declared, as the review page shows it."""
    choice = draft.office_choice
    return {
        "info": draft.info,
        "office": Office.get_or_none(Office.code == choice.get("office_code")),
        "choice": choice,
        "photos": photo_kinds(draft),
        "address": format_address(draft.info.get("street"), draft.info.get("ward_code")),
    }


# --- photos ---------------------------------------------------------------------------------


def _owner(owner):
    return Photo.dossier == owner if isinstance(owner, Dossier) else Photo.draft == owner


def set_photo(draft, kind, content, size):
    """Replace the draft's photo of one kind."""
    with transaction():
        Photo.delete().where((Photo.draft == draft) & (Photo.kind == kind)).execute()
        Photo.create(draft=draft, kind=kind, content=content, width=size[0], height=size[1])
        draft.updated_at = utcnow()
        draft.save()


def photo_kinds(owner):
    """Which photos a draft or a dossier has."""
    return {p.kind for p in Photo.select(Photo.kind).where(_owner(owner))}


def photo_content(owner, kind):
    """The JPEG bytes of a draft's or a dossier's photo of one kind, or None."""
    if kind not in PHOTO_KINDS:
        return None
    row = Photo.select(Photo.content).where(_owner(owner) & (Photo.kind == kind)).first()
    return row.content if row else None


@jobs.maintenance
def purge_drafts():
    """Drafts not submitted within DRAFT_DAYS go, with their photos."""
    stale = utcnow() - dt.timedelta(days=DRAFT_DAYS)
    return (
        RegistrationDraft.delete()
        .where((RegistrationDraft.updated_at < stale) & RegistrationDraft.dossier_id.is_null())
        .execute()
    )


MODELS = [RegistrationDraft, Photo]
