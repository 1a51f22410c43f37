"""What a kiosk does with a scanned card QR: check VSS's ECDSA P-256 signature against the
published public keys, and the card's version against the revocation list. Needs no database
(kiosks verify offline); `vss.cards.cards` signs with the same message layout (`message`)."""

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from flask_babel import lazy_gettext as _l

from vss.cards import cardqr
from vss.core.clock import vn_today
from vss.core.errors import UserError


def message(fields, kid, version):
    """The signed bytes: fields 0–12 of the hospital layout, then the key id and the version."""
    return ("|".join(fields[:13]) + f"|{kid}.{version}").encode("utf-8")


class VerifyError(UserError):
    """The QR is not a valid VSS-signed card; `message` says why in the reader's language, `code`
    for code: 'unsigned' (no VSS signature: a paper card's QR), 'unknown_key', 'tampered',
    'revoked'."""


def verify(text, keys, revocations):
    """Check a scanned QR against published keys and the revocation list; returns the parsed
    card (cardqr.BhytQr) or raises VerifyError / cardqr.QrError."""
    qr = cardqr.parse_bhyt(text)
    try:
        kid, version, encoded = (qr.check or "").split(".", 2)
        version = int(version)
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        raise VerifyError(_l("Mã QR không có chữ ký của VSS."), code="unsigned") from None
    pem = next((k["pem"] for k in keys["keys"] if k["kid"] == kid), None)
    if pem is None or len(raw) != 64:
        raise VerifyError(_l("Mã QR được ký bằng khoá không còn hiệu lực."), code="unknown_key")
    public = serialization.load_pem_public_key(pem.encode())
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, message(qr.fields, kid, version), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VerifyError(
            _l("Chữ ký trên mã QR không khớp: thẻ có thể đã bị sửa."), code="tampered"
        ) from None
    revoked = revocations["revoked"].get(qr.card_number)
    if revoked and version < revoked["min_version"]:
        raise VerifyError(_l("Thẻ đã được cấp lại; mã QR này không còn giá trị."), code="revoked")
    return qr


def valid_on(qr, day=None):
    """Whether the card's validity covers `day` (today in Vietnam)."""
    day = day or vn_today()
    return (qr.valid_from is None or qr.valid_from <= day) and (qr.valid_to is None or day <= qr.valid_to)
