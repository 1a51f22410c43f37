"""BHYT card QR: the field layout hospital systems already read, with our ECDSA P-256 signature
and key id in the check field so VSS kiosks can verify a card offline (vss.cards.cardverify); keys
rotate, old public keys stay published until their last card expires, and reissuing a card
revokes older QRs.

The drawn card page is stored (gzip) and answered before Flask (vss.views.card_page), so it
must never outlive what it was drawn from. The one query that serves it compares two stamps
kept with the page:

- the build (vss.web.assets.build_identity: static names, templates, catalogs, code): a deploy
  draws each page again at its first view, over the last build's;
- the card's `revision` (vss.registry.registry.HealthCard), which database triggers (migration 0011)
  raise on every UPDATE of the card, of its person and of its facility: whoever writes the
  registry — the seed, a staff decision, a future integration or an operator with psql — the
  stored page stops being served, with nothing to remember to call. Rejected: deleting stored
  pages from a registry write function (a writer that bypasses it leaves the page, and a page
  drawn from data read just before the write would be stored just after it); a fingerprint of
  the shown data compared in the query (two more joins on the hot path).

A change that reaches the QR's own fields without a new card version (the QR would carry what
the registry no longer says) reissues the QR at the next drawing: see `issuance`."""

import base64
import hashlib
import secrets

import qrcode
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from vss.cards.cardverify import VerifyError, valid_on, verify  # noqa: F401 - part of this module's API
from vss.cards.cardverify import message as _message
from vss.core import audit
from vss.core.clock import utcnow, vn_today
from vss.core.db import BaseModel, transaction
from vss.core.settings import settings
from vss.registry.registry import HealthCard

CURVE = ec.SECP256R1()


class SigningKey(BaseModel):
    """An issuer key; the private half is stored encrypted with a key derived from SECRET_KEY."""

    kid = CharField(max_length=8, unique=True)
    private_pem = TextField()
    public_pem = TextField()
    created_at = DateTimeField(default=utcnow)
    retired_at = DateTimeField(null=True)


class CardIssuance(BaseModel):
    """One issuance of a card's QR (version); its SVG is made once and kept."""

    card = ForeignKeyField(HealthCard, on_delete="CASCADE")
    version = IntegerField()
    kid = CharField(max_length=8)
    qr_text = TextField()
    qr_svg = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("card", "version"), True),)


MODELS = [SigningKey, CardIssuance]


def _password(secret):
    """The signing keys' encryption password, from `secret` (the app's SECRET_KEY unless given)."""
    return hashlib.sha256(f"vss-card-keys:{secret or settings.SECRET_KEY}".encode()).digest()


# --- keys ---------------------------------------------------------------------------------


def rotate(secret=None):
    """A new signing key; the previous one is retired (still published while cards need it)."""
    private = ec.generate_private_key(CURVE)
    kid = base64.b32encode(secrets.token_bytes(5)).decode()[:6]
    with transaction():
        SigningKey.update(retired_at=utcnow()).where(SigningKey.retired_at.is_null()).execute()
        key = SigningKey.create(
            kid=kid,
            private_pem=private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(_password(secret)),
            ).decode(),
            public_pem=private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode(),
        )
        audit.record("card_key.rotate", obj=key, detail={"kid": kid})
    return key


def active_key(secret=None):
    """The key that signs new issuances (made on first use)."""
    key = SigningKey.select().where(SigningKey.retired_at.is_null()).order_by(SigningKey.id.desc()).first()
    return key or rotate(secret)


def published_keys():
    """Public keys kiosks need: the active one and every retired key with a card still valid."""
    today = vn_today()
    needed = (
        CardIssuance.select(CardIssuance.kid)
        .join(HealthCard)
        .where(HealthCard.valid_to.is_null() | (HealthCard.valid_to >= today))
        .distinct()
    )
    keys = SigningKey.select().where(SigningKey.retired_at.is_null() | SigningKey.kid.in_(needed))
    return {
        "keys": [
            {
                "kid": k.kid,
                "alg": "ES256",
                "crv": "P-256",
                "pem": k.public_pem,
                "retired": k.retired_at is not None,
            }
            for k in keys.order_by(SigningKey.id)
        ]
    }


def revocation_list():
    """Cards reissued since: a QR whose version is below `min_version` is revoked. The list's
    own version grows with every reissue, so kiosks know when to refresh."""
    rows = (
        CardIssuance.select(
            HealthCard.number,
            fn.MAX(CardIssuance.version).alias("current"),
            fn.MAX(CardIssuance.id).alias("last"),
        )
        .join(HealthCard)
        .group_by(HealthCard.number)
        .having(fn.MAX(CardIssuance.version) > 1)
        .dicts()
    )
    rows = list(rows)
    return {
        "version": max((r["last"] for r in rows), default=0),
        "revoked": {r["number"]: {"min_version": r["current"]} for r in rows},
    }


# --- the QR -------------------------------------------------------------------------------


def _date(value):
    return value.strftime("%d/%m/%Y") if value else "-"


def _hex(text):
    return text.encode("utf-8").hex() if text else "-"


def card_fields(card):
    """Fields 0–12 of the card QR layout (DOMAIN.md), as strings."""
    person = card.person
    return [
        card.number,
        _hex(person.full_name),
        _date(person.birth_date),
        str(person.sex),
        _hex(person.address),
        card.facility.printed_code,
        _date(card.valid_from),
        _date(card.valid_to),
        _date(card.issued_on),
        f"{int(card.province_code):02d}{person.bhxh_code}{card.version:02d}",
        "-",
        "-",
        f" {_date(card.five_years_on)}" if card.five_years_on else "-",
    ]


def _encode_signature(der):
    r, s = decode_dss_signature(der)
    return base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode().rstrip("=")


def sign(card, secret=None):
    """The QR text of a card's current version, signed with the active key."""
    key = active_key(secret)
    private = serialization.load_pem_private_key(key.private_pem.encode(), _password(secret))
    fields = card_fields(card)
    signature = _encode_signature(
        private.sign(_message(fields, key.kid, card.version), ec.ECDSA(hashes.SHA256()))
    )
    return "|".join(fields + [f"{key.kid}.{card.version}.{signature}"]) + "|$", key.kid


def svg(text):
    """A compact SVG of the QR: one path of horizontal runs in module units (a third of the
    bytes of qrcode's own SVG), no inline styles, so the card page stays small."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=2)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = len(matrix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{"".join(runs)}"/></svg>'
    )


def issuance(card, secret=None):
    """The card's current issuance, made (and its SVG drawn) once. If the registry has changed
    a field the QR carries without a new version, the QR would show what the registry no
    longer says: the card is reissued (a new version; the old QR revoked)."""
    existing = CardIssuance.get_or_none((CardIssuance.card == card) & (CardIssuance.version == card.version))
    if existing and existing.qr_text.split("|")[:13] == card_fields(card):
        return existing
    if existing:
        with transaction():
            # Only one of several requests noticing it at once moves the version.
            moved = (
                HealthCard.update(version=HealthCard.version + 1, issued_on=vn_today())
                .where((HealthCard.id == card.id) & (HealthCard.version == card.version))
                .execute()
            )
            if moved:
                audit.record("card.reissue", obj=card, detail={"reason": "registry changed"})
        return issuance(HealthCard.get_by_id(card.id), secret)
    text, kid = sign(card, secret)
    with transaction():
        row, _ = CardIssuance.get_or_create(
            card=card, version=card.version, defaults={"kid": kid, "qr_text": text, "qr_svg": svg(text)}
        )
    return row


def reissue(card, secret=None):
    """A new version of the card's QR; every older one becomes revoked."""
    with transaction():
        HealthCard.update(version=HealthCard.version + 1, issued_on=vn_today()).where(
            HealthCard.id == card.id
        ).execute()
        audit.record("card.reissue", obj=card)
    return issuance(HealthCard.get_by_id(card.id), secret)
