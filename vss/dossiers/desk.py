"""The assisted registration desk (bàn đăng ký di động, seed 000 §3.b): staff at a desk in an
industrial zone, a hospital or a commune hall register a citizen who shows their ID in person.

A sitting is a registration draft (vss.dossiers.drafts) that belongs to the staff member instead
of an anonymous browser, so the citizen's step rules apply as they are: the Mẫu 01 fields (Bước
2), the photos (Bước 3), the receiving office — here always the staff member's own. Then the
staff member declares what they checked (which document was seen, its number matching the one
declared, the face matching the holder), a code goes to the citizen's phone and the citizen
reads it out (vss.dossiers.registration's code flow). The right code opens the dossier already
received, that staff member its receiver, with the declaration kept beside it (IdentityCheck);
a reviewer can decide it at once in the workspace. Every desk action writes an audit row."""

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l

from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.dossiers import desk_identity, drafts, registration
from vss.dossiers.desk_identity import NOT_DECLARED, check_document
from vss.dossiers.dossiers import AT_OFFICE, PORTAL, RECEIVED, Dossier, open_dossier, token_hash
from vss.dossiers.drafts import Photo, RegistrationDraft
from vss.dossiers.review import actor
from vss.identity.accounts import StaffUser

# Who may sit at a desk: those who receive and decide dossiers (account administrators do not).
ROLES = (StaffUser.REVIEWER, StaffUser.SUPERVISOR)
STEPS = ("thong-tin", "anh", "xac-minh", "xem-lai", "xac-thuc")
SENT = "xem-lai"  # done once the code went to the citizen's phone
NOT_AT_DESK = _l("Tài khoản cán bộ này không được dùng bàn đăng ký.")
ALREADY_DOSSIER = _l("Phiên này đã thành hồ sơ, không huỷ được.")


# --- who, which sitting -------------------------------------------------------------------


def may_use(staff):
    """Whether this member of staff may register citizens at a desk."""
    return staff is not None and staff.active and staff.role in ROLES


def _require(staff):
    if not may_use(staff):
        raise UserError(NOT_AT_DESK, code="not_at_desk")


def client(staff):
    """Whose send budget the desk's codes spend: the staff member's own, not the hall's network
    (citizens registering on their phones over the same Wi-Fi do not use up the desk's)."""
    return f"staff:{staff.id}"


def sitting(staff, draft_id):
    """This staff member's unexpired sitting with that id, or None (another's is indistinguishable
    from a missing one)."""
    if not may_use(staff):
        return None
    draft = RegistrationDraft.get_or_none(
        (RegistrationDraft.id == draft_id) & (RegistrationDraft.desk_staff_id == staff.id)
    )
    if draft and draft.dossier_id is None and draft.updated_at < _stale():
        return None
    return draft


def _stale():
    return utcnow() - dt.timedelta(days=drafts.DRAFT_DAYS)


def open_sittings(staff, limit=20):
    """This staff member's unfinished sittings, the latest first (a lost connection resumes)."""
    return list(
        RegistrationDraft.select()
        .where(
            (RegistrationDraft.desk_staff_id == staff.id)
            & RegistrationDraft.dossier_id.is_null()
            & (RegistrationDraft.updated_at >= _stale())
        )
        .order_by(RegistrationDraft.updated_at.desc())
        .limit(limit)
    )


def recent(staff, limit=10):
    """The dossiers this staff member opened at a desk, the latest first, each with its sitting."""
    return list(
        Dossier.select(Dossier, RegistrationDraft.id.alias("draft_id"))
        .join(RegistrationDraft, on=(RegistrationDraft.dossier_id == Dossier.id))
        .where(RegistrationDraft.desk_staff_id == staff.id)
        .order_by(Dossier.submitted_at.desc(), Dossier.id.desc())
        .limit(limit)
        .objects()
    )


# --- the steps ----------------------------------------------------------------------------


def is_done(draft, step):
    """Whether a step of the sitting is complete; the declaration counts only for the number it
    was made for."""
    if step == "xac-minh":
        return desk_identity.current(draft.data, draft.info) is not None
    return draft.done(step)


def first_open(draft):
    """The first step still to do ('xac-thuc' once all are)."""
    return next((step for step in STEPS[:-1] if not is_done(draft, step)), "xac-thuc")


def may_open(draft, step):
    """A step opens once every earlier step is done."""
    return all(is_done(draft, s) for s in STEPS[: STEPS.index(step)])


def start(staff, *, ip=""):
    """A new sitting: a person registers, at the staff member's own office, where the form is
    presented there and then, for e-transactions on the BHXH portal."""
    _require(staff)
    office = staff.office
    with transaction():
        draft, _token = drafts.new_draft()  # its token is dropped: no browser can find this draft
        draft.desk_staff_id = staff.id
        drafts.save_step(draft, "loai", {"registrant": "ca_nhan"})
        choice = {"province_code": office.province_code, "office_code": office.code}
        drafts.save_office(draft, {**choice, "submission_method": AT_OFFICE, "channel": PORTAL})
        audit.record("desk.start", obj=draft, ip=ip, **actor(staff))
    return draft


def _reopen(draft):
    """Anything changed after the code went out is reviewed and confirmed again."""
    data = dict(draft.data)
    data["done"] = [step for step in data.get("done", []) if step != SENT]
    draft.data = data
    draft.save()


def save_info(staff, draft, given, *, plain_name_ok=None, ip=""):
    """Bước 2 at the desk: the citizen's rules (drafts.save_info: the name's diacritics, the code
    in the registry under that name, one phone and email per BHXH code, one pending dossier per
    code), and one document per code. No budget: staff are signed in."""
    with transaction():
        check_document(given.get("bhxh_code"), given.get("id_number"))
        drafts.save_info(draft, given, plain_name_ok=plain_name_ok)
        _reopen(draft)
        audit.record("desk.info", obj=draft, ip=ip, **actor(staff))


def take_photos(staff, draft, uploads, *, ip=""):
    """Bước 3 at the desk: the photos from the tablet's camera or a file, checked and shrunk as
    the citizen's are (drafts.take_photos; PhotosRefused names each one refused or missing)."""
    try:
        drafts.take_photos(draft, uploads)
    finally:
        if uploads:
            with transaction():
                _reopen(draft)
                kinds = sorted(drafts.photo_kinds(draft))
                audit.record("desk.photos", obj=draft, ip=ip, detail={"kinds": kinds}, **actor(staff))


def declare_identity(staff, draft, document, *, number_matches, face_matches, ip=""):
    """Xác minh nhân thân: the staff member saw `document`, its number matches the one declared
    and its photo is the person at the desk (desk_identity.declaration's rules) — kept with the
    sitting, with who and when, until the dossier is opened."""
    declared = desk_identity.declaration(
        staff, draft.info, document, number_matches=number_matches, face_matches=face_matches
    )
    with transaction():
        draft.data = {**draft.data, "xac-minh": declared}
        _reopen(draft)
        audit.record("desk.identity", obj=draft, ip=ip, detail={"document": document}, **actor(staff))


def send_code(staff, draft, *, ip="", again=False):
    """'Gửi mã': the rules once more, then the code to the citizen's phone (and email). As in
    the citizen's flow a code asked within the cool-down is returned as the OtpError saying how
    long to wait (`again`: raised, for 'Gửi lại mã'); None when the code went."""
    if not is_done(draft, "xac-minh"):
        raise UserError(NOT_DECLARED, code="not_declared")
    info = draft.info
    with transaction():
        check_document(info["bhxh_code"], info["id_number"])
        waiting = registration.send_code(draft, client=client(staff))
        if waiting is None:
            audit.record("desk.code_sent", obj=draft, ip=ip, **actor(staff))
    if waiting and again:
        raise waiting
    return waiting


def submit(staff, draft, code, *, ip=""):
    """The code the citizen read out: open the dossier received at the desk — once (a repeat
    returns the same dossier) — with the staff member as its receiver, the identity declaration
    beside it, an audit row and the dossier-number SMS, in one transaction."""

    def at_the_desk(draft, office):
        if not is_done(draft, "xac-minh"):
            raise UserError(NOT_DECLARED, code="not_declared")
        declared = desk_identity.current(draft.data, draft.info)
        check_document(draft.info["bhxh_code"], draft.info["id_number"])
        dossier = open_dossier(
            office,
            draft.declared,
            owner_token_hash=token_hash(secrets.token_urlsafe(32)),  # no citizen's browser owns it
            status=RECEIVED,
            received_at=utcnow(),
            reviewer_id=staff.id,
        )
        desk_identity.record(dossier, staff, declared)
        detail = {"number": dossier.number, "document": declared["document"]}
        audit.record("dossier.desk_receive", obj=dossier, ip=ip, detail=detail, **actor(staff))
        return dossier

    return registration.open_from_draft(draft, code, at_the_desk)


def discard(staff, draft, *, ip=""):
    """'Huỷ phiên': the citizen left; the sitting and its photos go."""
    if draft.dossier_id:
        raise UserError(ALREADY_DOSSIER, code="already_dossier")
    with transaction():
        Photo.delete().where(Photo.draft == draft).execute()
        RegistrationDraft.delete().where(RegistrationDraft.id == draft.id).execute()
        audit.record("desk.discard", obj=draft, ip=ip, **actor(staff))


def printed(staff, dossier, *, ip=""):
    """The Mẫu 01 printed at the desk for the citizen's signature (the record says who did)."""
    with transaction():
        audit.record("desk.print", obj=dossier, ip=ip, **actor(staff))


def dossier_of(draft):
    """The dossier a sitting became, or None."""
    return registration.dossier_of(draft)


identity_of = desk_identity.identity_of  # the workspace shows it beside the dossier
