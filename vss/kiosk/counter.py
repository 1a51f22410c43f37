"""The answer at the hospital counter, online: the scanned QR's verdict (vss.kiosk.verdict, the
same function the kiosk runs in the browser when VSS cannot be reached), what the registry says
about the card now, the portrait of the holder's approved dossier, and the check-in.

Online, the trust material is the registry itself rather than the published lists: the key is
looked up by the QR's key id, and the card's current QR version (a reissue moves it) revokes
older QRs at once — the published `/the-bhyt/thu-hoi.json` can only be as fresh as a kiosk's
last download. The verdict's rules are the same either way, so the answer is the same.

A scan of a chip CCCD finds the person's card in the registry (online only) and is answered as
a scan of that card's current QR."""

import datetime as dt
import unicodedata
from dataclasses import dataclass

from vss.cards import cards
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

    @property
    def shown_card(self):
        """The card fields to show: the verdict's (what the QR says)."""
        return self.verdict.get("card") or {}


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


def _same_person(qr_card, person):
    """The QR's name and date of birth (or year alone) are the registry's."""
    birth = qr_card.get("birth") or ""
    born = person.birth_date
    same_birth = birth in (born.strftime("%d/%m/%Y"), str(born.year))
    return same_birth and _folded(qr_card.get("full_name")) == _folded(person.full_name)


def _portrait_dossier(bhxh_code):
    """The holder's latest approved dossier with a portrait, or None."""
    return _first(_APPROVED, bhxh_code, APPROVED)


def portrait(checkin):
    """The JPEG of the checked-in holder's approved dossier portrait, or None."""
    dossier = _portrait_dossier(checkin.bhxh_code) if checkin.bhxh_code else None
    return drafts.photo_content(dossier, "chan_dung") if dossier else None


def _from_cccd(found):
    """A CCCD scan: the holder's current card, answered as a scan of its current QR."""
    person = Person.get_or_none(Person.cccd == found["cccd"]["cccd"])
    card = current_card(person) if person else None
    if card is None:
        return None, Answer(verdict=found, registry=NOT_FOUND, as_of=utcnow())
    card.person = person
    text = cards.issuance(card).qr_text
    qr_card = verdict(text, NO_KEYS, NO_REVOCATIONS, vn_today()).get("card")
    keys, revocations = _trust(qr_card, card)
    answer = Answer(verdict=verdict(text, keys, revocations, vn_today()), card=card, as_of=utcnow())
    answer.registry = MATCHES if _folded(found["cccd"]["full_name"]) == _folded(person.full_name) else DIFFERS
    return card, answer


def scan(kiosk, text, key, scanned_at=None, offline=False):
    """Verify a scanned QR for `kiosk`, compare it with the registry and record the check-in
    (idempotent by `key`, and one per card per facility within checkins.SAME_VISIT). A QR that
    cannot be read records nothing."""
    found = verdict(text, NO_KEYS, NO_REVOCATIONS, vn_today())
    card = None
    if found["status"] == "cccd":
        card, answer = _from_cccd(found)
        if card is None:
            return answer
    elif found.get("card"):
        card = _registry_card(found["card"])
        keys, revocations = _trust(found["card"], card)
        answer = Answer(verdict=verdict(text, keys, revocations, vn_today()), as_of=utcnow())
        if answer.verdict["signature"] != "vss":
            answer.registry = (
                NOT_FOUND
                if card is None
                else MATCHES
                if _same_person(answer.verdict["card"], card.person)
                else DIFFERS
            )
    else:
        return Answer(verdict=found)
    answer.card = card
    shown = answer.verdict["card"]
    facility = shown.get("facility") or (card.facility.code if card else None)
    answer.own_facility = bool(facility) and facility == kiosk.facility.code
    if card is not None and card.facility.code == facility:
        answer.facility = card.facility
    else:
        answer.facility = _first(_FACILITY, facility) if facility else None
    try:
        answer.checkin, answer.checkin_created = checkins.record(
            kiosk,
            card_number=shown["number"],
            bhxh_code=shown["bhxh_code"],
            status=answer.verdict["status"],
            scanned_at=scanned_at or utcnow(),
            key=key,
            offline=offline,
        )
    except UserError as error:  # a card no one holds in the registry: shown, not recorded
        answer.refused = error.message
    answer.portrait = answer.checkin is not None and _portrait_dossier(shown["bhxh_code"]) is not None
    return answer
