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
import weakref

import qrcode
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from peewee import (
    BlobField,
    CharField,
    CompositeKey,
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


class CardPage(BaseModel):
    """The card page of an issuance in one language, gzip (kept in its row on PostgreSQL: see
    migration 0007), with what it was drawn from: the build and the card's revision."""

    issuance = ForeignKeyField(CardIssuance, on_delete="CASCADE")
    lang = CharField(max_length=2)
    build = CharField(max_length=16, default="")
    revision = IntegerField(default=0)
    page = BlobField()

    class Meta:
        primary_key = CompositeKey("issuance", "lang")


MODELS = [SigningKey, CardIssuance, CardPage]


def _password(secret):
    return hashlib.sha256(f"vss-card-keys:{secret}".encode()).digest()


# --- keys ---------------------------------------------------------------------------------


def rotate(secret):
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


def active_key(secret):
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


def sign(card, secret):
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


def issuance(card, secret):
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


def reissue(card, secret):
    """A new version of the card's QR; every older one becomes revoked."""
    with transaction():
        HealthCard.update(version=HealthCard.version + 1, issued_on=vn_today()).where(
            HealthCard.id == card.id
        ).execute()
        audit.record("card.reissue", obj=card)
    return issuance(HealthCard.get_by_id(card.id), secret)


# The card page, the hot path: one query finds the session and the stored page (in one
# language) of the latest card's current issuance, drawn by this build from the card's
# current revision.
CARD_PAGE_SQL = """
SELECT s.account_id, s.ended_at, s.end_reason, s.shared, s.created_at, s.last_seen_at, p.page
FROM citizen_session s
JOIN account a ON a.id = s.account_id
LEFT JOIN health_card c ON c.id = (SELECT h.id FROM health_card h WHERE h.person_id = a.person_id
                                   ORDER BY h.valid_from DESC, h.id DESC LIMIT 1)
LEFT JOIN card_issuance ci ON ci.card_id = c.id AND ci.version = c.version
LEFT JOIN card_page p ON p.issuance_id = ci.id AND p.lang = {lang} AND p.build = {build}
                     AND p.revision = c.revision
WHERE s.key = {key}
"""

_prepared = weakref.WeakSet()  # PostgreSQL connections that have the statement


def stored_card_page(database, session_key, lang, build):
    """(account_id, ended_at, end_reason, shared, created_at, last_seen_at, gzipped page or None)
    of a session, or None.
    On PostgreSQL the statement is prepared once per connection: planning it costs more than
    running it."""
    if database.param != "%s":
        # Positional markers, in the order they appear in the statement.
        sql = CARD_PAGE_SQL.format(key="?", lang="?", build="?")
        row = database.execute_sql(sql, (lang, build, session_key)).fetchone()
    else:
        connection = database.connection()
        if connection not in _prepared:
            database.execute_sql(
                "PREPARE vss_card_page(text, text, text) AS "
                + CARD_PAGE_SQL.format(key="$1", lang="$2", build="$3")
            )
            _prepared.add(connection)
        row = database.execute_sql("EXECUTE vss_card_page(%s, %s, %s)", (session_key, lang, build)).fetchone()
    if row is None or row[-1] is None:
        return row
    return (*row[:-1], bytes(row[-1]))  # psycopg2 gives a memoryview


def store_card_page(issued, card, lang, build, gzipped):
    """Keep the page drawn by `build` from `card` (as read before drawing) for one language, in
    place of any other build's or revision's (two first views at once: either)."""
    (
        CardPage.insert(issuance=issued.id, lang=lang, build=build, revision=card.revision, page=gzipped)
        .on_conflict(
            conflict_target=[CardPage.issuance, CardPage.lang],
            preserve=[CardPage.build, CardPage.revision, CardPage.page],
        )
        .execute()
    )
