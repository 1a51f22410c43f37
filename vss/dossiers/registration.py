"""Registration for an e-transaction account (Tờ khai Mẫu số 01), from a finished draft to a
dossier: the one-time code to the phone (and the email), the dossier opened once however many
times the code is sent, cancelling one's own pending dossier to start again, the 10-day rule.

The draft and its steps are in vss.dossiers.drafts, the dossier, its number and the uniqueness
rules in vss.dossiers.dossiers. The one-time codes' key and lifetime come from the settings."""

import datetime as dt

from flask_babel import lazy_gettext as _l

from vss.core import audit, jobs
from vss.core.clock import utcnow
from vss.core.db import serialize, transaction
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.dossiers import mau01
from vss.dossiers.dossiers import (
    BY_POST,
    CANCELLED_BY_APPLICANT,
    DELETED,
    NOT_PRESENTED,
    PENDING_STATES,
    PRESENT_WITHIN_DAYS,
    RECEIVED,
    WAITING,
    Dossier,
    as_stored,
    check_unique,
    open_dossier,
    token_hash,
)
from vss.dossiers.drafts import Photo, RegistrationDraft, save_step
from vss.identity import otp
from vss.messages import notify
from vss.registry.directory import Office

PURPOSE = "register"
CANCEL_PURPOSE = "register-cancel"
DECIDED_MEANWHILE = _l("Hồ sơ này vừa được cơ quan BHXH xử lý nên không huỷ được.")


def code_minutes():
    """How long a one-time code stays valid (the pages say so)."""
    return settings.OTP_LIFETIME_MINUTES


# --- the code and the dossier ---------------------------------------------------------------


def send_code(draft, *, client):
    """'Ghi nhận': check the rules again, then send a code to the phone (and the email) and
    mark the review step done — one transaction, so a refused send marks nothing. A code asked
    again within the cool-down is not an error (the earlier one is still valid): the cool-down's
    OtpError is returned, None when the code went."""
    info = draft.info
    try:
        with transaction():
            check_unique(info["bhxh_code"], info["phone"], info.get("email"))
            context = f"draft:{draft.id}"
            otp.issue(PURPOSE, context, info["phone"], client=client)
            if info.get("email"):
                otp.issue(PURPOSE, context, info["email"], channel=notify.EMAIL, client=client)
            save_step(draft, "xem-lai", {"sent": True})
    except otp.OtpError as error:
        if error.code != "cooldown":
            raise
        save_step(draft, "xem-lai", {"sent": True})
        return error
    return None


def resend_code(draft, *, client):
    """'Không nhận được mã?': like send_code, but a code asked within the cool-down is refused
    (the OtpError says how long to wait)."""
    waiting = send_code(draft, client=client)
    if waiting:
        raise waiting


def submit(draft, code, *, token):
    """Check the code and create the dossier, waiting for the signed form (the browser holding
    `token` owns it) — once: a repeat returns the same dossier."""

    def as_applicant(draft, office):
        dossier = open_dossier(office, draft.declared, owner_token_hash=token_hash(token))
        audit.record(
            "dossier.submit",
            actor_kind="citizen",
            actor_label=draft.info["bhxh_code"],
            obj=dossier,
            detail={"number": dossier.number},
        )
        return dossier

    return open_from_draft(draft, code, as_applicant)


def form_emailed(dossier):
    """Whether the Mẫu 01 was sent to the dossier's email (its code proved that email)."""
    if not dossier.email:
        return False
    rows = notify.Outbox.select().where(
        (notify.Outbox.recipient == dossier.email)
        & (notify.Outbox.template == "dossier_form")
        & notify.Outbox.subject.endswith(dossier.number)
    )
    return rows.exists()


def open_from_draft(draft, code, opening):
    """Check the code sent for `draft` and open its dossier — once: a repeat returns the same
    dossier. `opening(draft, office)` numbers and stores the dossier and writes its audit row
    (the citizen's registration, or the assisted desk's); the photos then move to it and the
    applicant gets the dossier-number SMS, all in one transaction. The guess is counted before
    and apart from the transaction (no rollback can undo it); the code is used up in the
    transaction that creates the dossier."""
    info = draft.info
    if draft.dossier_id:
        return Dossier.get_by_id(draft.dossier_id)
    try:
        match = otp.check(PURPOSE, f"draft:{draft.id}", [info["phone"], info.get("email")], code)
    except otp.OtpError:
        done = _submitted(draft)  # a double submit whose twin used the code first
        if done:
            return done
        raise
    with transaction():
        serialize(f"draft:{draft.id}")
        draft = RegistrationDraft.get_by_id(draft.id)
        if draft.dossier_id:
            return Dossier.get_by_id(draft.dossier_id)
        if not otp.consume(match):
            raise otp.OtpError(otp.USED, code="used")
        serialize(f"bhxh:{info['bhxh_code']}")
        check_unique(info["bhxh_code"], info["phone"], info.get("email"))
        office = Office.get(Office.code == draft.office_choice["office_code"])
        dossier = opening(draft, office)
        Photo.update(dossier=dossier, draft=None).where(Photo.draft == draft).execute()
        draft.dossier_id = dossier.id
        draft.save()
        notify.sms(
            dossier.phone,
            "dossier_submitted",
            number=dossier.number,
            office=office.name,
            deadline=dossier.present_by.strftime("%d/%m/%Y"),
            by_post=dossier.submission_method == BY_POST,
            received=dossier.status == RECEIVED,
        )
        # Seed 004: "Nhận tờ khai qua email". The form carries the ID number, the address and the
        # portrait, so it goes only to an email proved by this code (the one sent to it): a typo
        # in the address must not hand a stranger someone's papers.
        if dossier.email and match.target == dossier.email:
            notify.email(
                dossier.email,
                "dossier_form",
                attachment=mau01.for_email(dossier),
                number=dossier.number,
                name=dossier.full_name,
                office=office.name,
                deadline=dossier.present_by.strftime("%d/%m/%Y"),
                by_post=dossier.submission_method == BY_POST,
                received=dossier.status == RECEIVED,
            )
    return dossier


def _submitted(draft):
    """The draft's dossier once any transaction creating it has committed, else None."""
    with transaction():
        serialize(f"draft:{draft.id}")  # waits for a twin request still creating it
        dossier_id = (
            RegistrationDraft.select(RegistrationDraft.dossier_id)
            .where(RegistrationDraft.id == draft.id)
            .scalar()
        )
    return Dossier.get_by_id(dossier_id) if dossier_id else None


def dossier_of(draft):
    """The dossier a draft became, or None (not submitted yet, or no draft)."""
    if draft is None or not draft.dossier_id:
        return None
    return Dossier.get_by_id(draft.dossier_id)


# --- cancelling a pending dossier to start again ------------------------------------------


def pending_of(draft):
    """The pending dossier this draft's BHXH code ran into (Bước 2), if still pending, else None."""
    dossier = Dossier.get_or_none(Dossier.id == draft.data.get("pending"))
    return dossier if dossier is not None and dossier.pending else None


def send_cancel_code(draft, dossier, *, client):
    """Cancelling needs a code sent to the phone of the pending dossier (proof it is theirs)."""
    context = f"draft:{draft.id}:{dossier.id}"
    otp.issue(CANCEL_PURPOSE, context, dossier.phone, client=client)


def cancel_pending(draft, dossier, code):
    """Delete a pending dossier (tombstone kept) after the code from its phone."""
    match = otp.check(CANCEL_PURPOSE, f"draft:{draft.id}:{dossier.id}", dossier.phone, code)
    with transaction():
        serialize(f"bhxh:{dossier.bhxh_code}")
        if Dossier.select(Dossier.status).where(Dossier.id == dossier.id).scalar() not in PENDING_STATES:
            raise UserError(DECIDED_MEANWHILE, code="decided")
        if not otp.consume(match):
            raise otp.OtpError(otp.USED, code="used")
        _tombstone(dossier, as_stored(CANCELLED_BY_APPLICANT))
        audit.record("dossier.cancel", actor_kind="citizen", actor_label=dossier.bhxh_code, obj=dossier)


def _tombstone(dossier, reason):
    """Remove personal data and photos; keep the number, dates and reason."""
    Photo.delete().where(Photo.dossier == dossier).execute()
    (
        Dossier.update(
            status=DELETED,
            deleted_at=utcnow(),
            reason=reason,
            full_name="",
            contact_person="",
            id_number="",
            street="",
            ward_code=None,
            province_code=None,
            phone="",
            email=None,
            pending_bhxh=None,
            pending_phone=None,
            pending_email=None,
            pdf=None,
        )
        .where(Dossier.id == dossier.id)
        .execute()
    )


@jobs.maintenance
def expire_unpresented():
    """Dossiers still waiting PRESENT_WITHIN_DAYS after submission are deleted (tombstone
    kept) and the applicant is told by SMS."""
    cutoff = utcnow() - dt.timedelta(days=PRESENT_WITHIN_DAYS)
    expired = list(Dossier.select().where((Dossier.status == WAITING) & (Dossier.submitted_at < cutoff)))
    for dossier in expired:
        with transaction():
            phone = dossier.phone
            _tombstone(dossier, as_stored(NOT_PRESENTED))
            audit.record("dossier.expire", obj=dossier)
            notify.sms(phone, "dossier_expired", number=dossier.number)
    return len(expired)
