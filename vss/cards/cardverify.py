"""What a kiosk does with a scanned card QR: check VSS's ECDSA P-256 signature against the
published public keys, and the card's version against the revocation list. Needs no database
(kiosks verify offline); `vss.cards.cards` signs with the same message layout (`message`).
vss/static/js/kiosk-verify.js checks the same way in the browser (WebCrypto)."""

import base64
import functools
import re

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from flask_babel import lazy_gettext as _l

from vss.cards import cardqr
from vss.core.clock import vn_today
from vss.core.errors import UserError

# kid (base32, 6) . version (no leading zero) . base64url of r||s (64 bytes, unpadded: 86)
SIGNATURE = re.compile(r"([A-Z2-7]{6})\.([0-9]+)\.(.*)", re.DOTALL)
VERSION = re.compile(r"0|[1-9][0-9]{0,8}")
RAW = re.compile(r"[A-Za-z0-9_-]{85}[AQgw]")  # canonical: the last 4 bits are zero


def message(fields, kid, version):
    """The signed bytes: fields 0–12 of the hospital layout, then the key id and the version."""
    return ("|".join(fields[:13]) + f"|{kid}.{version}").encode("utf-8")


class VerifyError(UserError):
    """The QR is not a valid VSS-signed card; `message` says why in the reader's language, `code`
    for code: 'unsigned' (no VSS signature: a paper card's QR), 'unknown_key', 'tampered',
    'revoked'."""


TEXTS = {
    "unsigned": _l("Mã QR không có chữ ký của VSS."),
    "unknown_key": _l("Mã QR được ký bằng khoá không còn hiệu lực."),
    "tampered": _l("Chữ ký trên mã QR không khớp: thẻ có thể đã bị sửa."),
    "revoked": _l("Thẻ đã được cấp lại; mã QR này không còn giá trị."),
}


def signed_by(qr):
    """(kid, version) a BhytQr's field 13 names if it has the shape of VSS's signature, else
    None (an official check string, or nothing)."""
    found = SIGNATURE.fullmatch(qr.check or "")
    return (found[1], found[2]) if found else None


@functools.lru_cache(maxsize=32)
def _public_key(pem):
    """The P-256 public key of a PEM, or None if it is not one (then the key is unknown)."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        return None
    return key


def check(qr, keys, revocations):
    """Check a parsed card's signature and revocation; returns (kid, version) or raises
    VerifyError."""
    signed = signed_by(qr)
    if signed is None:
        raise VerifyError(TEXTS["unsigned"], code="unsigned")
    kid, version = signed
    listed = (keys or {}).get("keys") or []
    pem = next((k.get("pem") for k in listed if isinstance(k, dict) and k.get("kid") == kid), None)
    public = _public_key(pem) if isinstance(pem, str) else None
    if public is None:
        raise VerifyError(TEXTS["unknown_key"], code="unknown_key")
    encoded = SIGNATURE.fullmatch(qr.check)[3]
    if not VERSION.fullmatch(version) or not RAW.fullmatch(encoded):
        raise VerifyError(TEXTS["tampered"], code="tampered")
    raw = base64.urlsafe_b64decode(encoded + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, message(qr.fields, kid, version), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VerifyError(TEXTS["tampered"], code="tampered") from None
    revoked = ((revocations or {}).get("revoked") or {}).get(qr.card_number)
    minimum = revoked.get("min_version") if isinstance(revoked, dict) else None
    if isinstance(minimum, int) and not isinstance(minimum, bool) and int(version) < minimum:
        raise VerifyError(TEXTS["revoked"], code="revoked")
    return kid, int(version)


def verify(text, keys, revocations):
    """Check a scanned QR against published keys and the revocation list; returns the parsed
    card (cardqr.BhytQr) or raises VerifyError / cardqr.QrError."""
    qr = cardqr.parse_bhyt(text)
    check(qr, keys, revocations)
    return qr


def valid_on(qr, day=None):
    """Whether the card's validity covers `day` (today in Vietnam)."""
    day = day or vn_today()
    return (qr.valid_from is None or qr.valid_from <= day) and (qr.valid_to is None or day <= qr.valid_to)
