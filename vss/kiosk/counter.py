"""The answer at the hospital counter, online: the scanned QR's verdict (vss.kiosk.verdict, the
same function the kiosk runs in the browser when VSS cannot be reached), what the registry says
about the card now, the portrait of the holder's approved dossier, and the check-in.

Online, the trust material is the registry itself rather than the published lists: the key is
looked up by the QR's key id, and the card's current QR version (a reissue moves it) revokes
older QRs at once — the published `/the-bhyt/thu-hoi.json` can only be as fresh as a kiosk's
last download. The verdict's rules are the same either way, so the answer is the same.

A QR VSS did not sign (a paper card's) proves nothing: online, the registry's card is shown in
its place, with what the QR says differently. A chip CCCD carries no signature either: the card
is looked up by its number (online only) and shown only when the CCCD's name and date of birth
are the registry's. Only a holder VSS confirmed (its signature, or the registry's name and birth)
lets the counter see the approved dossier's portrait."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from vss.cards import cards
from vss.cards.cardqr import PERCENT
from vss.cards.records import current_card
from vss.core.clock import utcnow, vn_today
from vss.core.db import FixedQuery
from vss.core.errors import UserError
from vss.dossiers import drafts
from vss.dossiers.dossiers import Dossier
from vss.dossiers.vocabulary import APPROVED
from vss.kiosk import checkins
from vss.kiosk.verdict import verdict
from vss.registry.directory import Facility
from vss.registry.registry import HealthCard, Person

# What the registry says of a QR that carries no VSS signature (a paper card's QR) or of a CCCD.
MATCHES, DIFFERS, NOT_FOUND = "match", "differs", "not_found"
NO_KEYS, NO_REVOCATIONS = {"keys": []}, {"version": 0, "revoked": {}}  # reading a QR, not trusting it


@dataclass
class Answer:
    """Everything the counter shows for one scan."""

    verdict: dict
    card: HealthCard | None = None  # the registry's card (with .facility), when found
    registry: str | None = None  # MATCHES / DIFFERS / NOT_FOUND, for unsigned QRs and CCCDs
    checkin: object = None  # vss.kiosk.checkins.CheckIn
    checkin_created: bool = False  # False: a second scan within the same visit
    facility: Facility | None = None  # the card's primary-care facility
    own_facility: bool | None = None  # the card's primary-care facility is this kiosk's
    portrait: bool = False  # an approved dossier's portrait can be shown
    as_of: dt.datetime | None = None  # when the registry was read (None: the QR alone)
    refused: object = None  # why no check-in was recorded (a UserError's message), if so
    shown: dict | None = None  # the card's rows: the signed QR's, else the registry's (or the QR's)
    differences: list = field(default_factory=list)  # what an unsigned QR says otherwise
    confirmed: bool = False  # VSS's signature, or the registry's name and birth
    valid_today: bool | None = None  # by the shown card's dates

    @property
    def status(self):
        """What the check-in records: the verdict's status (a chip CCCD: 'cccd')."""
        return self.verdict["status"]


_KEY = FixedQuery(lambda kid: cards.SigningKey.select().where(cards.SigningKey.kid == kid))
_CARD = FixedQuery(
    lambda number: (
        HealthCard.select(HealthCard, Facility, Person)
        .join(Facility)
        .switch(HealthCard)
        .join(Person)
        .where(HealthCard.number == number)
    )
)
_HOLDER = FixedQuery(lambda code: Person.select().where(Person.bhxh_code == code))
_BY_CCCD = FixedQuery(lambda number: Person.select().where(Person.cccd == number))
_FACILITY = FixedQuery(lambda code: Facility.select().where(Facility.code == code))
_APPROVED = FixedQuery(
    lambda code, status: (
        Dossier.select(Dossier.id)
        .where((Dossier.bhxh_code == code) & (Dossier.status == status))
        .order_by(Dossier.decided_at.desc(), Dossier.id.desc())
        .limit(1)
    )
)


def _first(query, *values):
    rows = query.rows(*values)
    return rows[0] if rows else None


def _trust(qr_card, card):
    """Keys and revocations in the published lists' shapes, read from the database for the one
    card scanned: its key by id, and the registry card's current version (`card`: the registry's
    card for the QR, or None)."""
    kid = (qr_card or {}).get("kid")
    key = _first(_KEY, kid) if kid else None
    keys = {"keys": [{"kid": key.kid, "pem": key.public_pem}] if key else []}
    revoked = {}
    if card is not None and card.number == (qr_card or {}).get("number") and card.version > 1:
        revoked[card.number] = {"min_version": card.version}
    return keys, {"version": 0, "revoked": revoked}


def _registry_card(qr_card):
    """The registry's card for a QR (with its facility and holder): by its 15-character number,
    else the holder's current card."""
    number = qr_card.get("number") or ""
    card = _first(_CARD, number) if len(number) == 15 else None
    if card is not None:
        return card
    person = _first(_HOLDER, qr_card.get("bhxh_code") or "")
    card = current_card(person) if person else None
    if card is not None:
        card.person = person
    return card


def _folded(text):
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _iso(day):
    return day.isoformat() if day else None


def _registry_fields(card):
    """A registry card in the verdict's card shape (what is shown when the QR is not VSS's)."""
    person = card.person
    return {
        "number": card.number,
        "bhxh_code": person.bhxh_code,
        "full_name": person.full_name,
        "birth": person.birth_date.strftime("%d/%m/%Y"),
        "sex": person.sex,
        "facility": card.facility.code,
        "facility_printed": card.facility.printed_code,
        "group": card.group_code,
        "benefit_level": card.benefit_level,
        "percent": PERCENT.get(card.benefit_level),
        "valid_from": _iso(card.valid_from),
        "valid_to": _iso(card.valid_to),
        "five_years_on": _iso(card.five_years_on),
    }


COMPARED = ("number", "full_name", "birth", "benefit_level", "facility", "valid_from", "valid_to")


def _differences(qr_card, registry):
    """The COMPARED fields in which a QR says other than the registry."""
    found = []
    for key in COMPARED:
        said, known = qr_card.get(key), registry.get(key)
        if key == "number" and len(said or "") != 15:  # a new card's QR carries the BHXH code
            continue
        if key == "benefit_level" and said is None:
            continue
        if key == "full_name":
            said, known = _folded(said), _folded(known)
        if key == "birth" and said == (known or "")[-4:]:  # a year alone
            continue
        if said != known:
            found.append(key)
    return found


def _valid_on(fields, today):
    start, end = fields.get("valid_from"), fields.get("valid_to")
    return (not start or start <= today.isoformat()) and (not end or today.isoformat() <= end)


def _portrait_dossier(bhxh_code):
    """The holder's latest approved dossier with a portrait, or None."""
    return _first(_APPROVED, bhxh_code, APPROVED)


def portrait(checkin):
    """The JPEG of the portrait in the approved dossier of a holder VSS confirmed, or None."""
    if not checkin.confirmed or not checkin.bhxh_code:
        return None
    dossier = _portrait_dossier(checkin.bhxh_code)
    return drafts.photo_content(dossier, "chan_dung") if dossier else None


def _by_cccd(found, today):
    """A chip CCCD: the card of the person with that number, when the CCCD's name and date of
    birth are theirs (a number alone shows nothing)."""
    chip = found["cccd"]
    person = _first(_BY_CCCD, chip["cccd"])
    if person is None:
        return Answer(verdict=found, registry=NOT_FOUND, as_of=utcnow())
    same = _folded(chip["full_name"]) == _folded(person.full_name)
    if not same or chip["birth_date"] != person.birth_date.isoformat():
        return Answer(verdict=found, registry=DIFFERS, as_of=utcnow())
    card = current_card(person)
    if card is None:
        return Answer(verdict=found, registry=NOT_FOUND, as_of=utcnow())
    card.person = person
    shown = _registry_fields(card)
    return Answer(
        verdict=found,
        card=card,
        registry=MATCHES,
        shown=shown,
        confirmed=True,
        valid_today=_valid_on(shown, today),
        as_of=utcnow(),
    )


def _by_card(text, found, today):
    """A card QR: VSS's signature checked against the registry's key and card version; a QR
    VSS did not sign is compared with the registry's card, which is shown in its place."""
    card = _registry_card(found["card"])
    keys, revocations = _trust(found["card"], card)
    judged = verdict(text, keys, revocations, today)
    answer = Answer(verdict=judged, card=card, valid_today=judged["valid_today"], as_of=utcnow())
    if judged["signature"] == "vss":
        answer.shown, answer.confirmed = judged["card"], True
        return answer
    if card is None:
        answer.registry, answer.shown = NOT_FOUND, judged["card"]
        return answer
    answer.shown = _registry_fields(card)
    answer.differences = _differences(judged["card"], answer.shown)
    answer.registry = DIFFERS if answer.differences else MATCHES
    answer.confirmed = answer.registry == MATCHES and judged["signature"] == "none"
    answer.valid_today = _valid_on(answer.shown, today)
    return answer


def scan(kiosk, text, key, scanned_at=None, offline=False):
    """Verify a scanned QR for `kiosk`, compare it with the registry and record the check-in
    (idempotent by `key`, and one per card per facility within checkins.SAME_VISIT). A QR that
    cannot be read, or a CCCD that finds no card, records nothing."""
    today = vn_today()
    found = verdict(text, NO_KEYS, NO_REVOCATIONS, today)
    if found["status"] == "cccd":
        answer = _by_cccd(found, today)
    elif found.get("card"):
        answer = _by_card(text, found, today)
    else:
        return Answer(verdict=found)
    shown = answer.shown
    if shown is None:
        return answer
    facility = shown.get("facility")
    answer.own_facility = bool(facility) and facility == kiosk.facility.code
    card = answer.card
    if card is not None and card.facility.code == facility:
        answer.facility = card.facility
    else:
        answer.facility = _first(_FACILITY, facility) if facility else None
    try:
        answer.checkin, answer.checkin_created = checkins.record(
            kiosk,
            card_number=shown["number"],
            bhxh_code=shown["bhxh_code"],
            status=answer.status,
            scanned_at=scanned_at or utcnow(),
            key=key,
            offline=offline,
            confirmed=answer.confirmed,
        )
    except UserError as error:  # a card no one holds, or a key of another visit: shown, not recorded
        answer.refused = error.message
    answer.portrait = (
        bool(answer.checkin and answer.checkin.confirmed)
        and _portrait_dossier(shown["bhxh_code"]) is not None
    )
    return answer
