"""VSS's signature on a card QR, checked without a database: the key by its id, the exact
signed fields, one spelling of the signature, and revocation by version. (Signing, rotation and
reissue with the database: tests/test_cards.py.)"""

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from vss.cards import cardqr, cardverify
from vss.cards.cardverify import VerifyError

FIELDS = [
    "DN4010123456789", "Lê Văn An".encode().hex(), "17/05/1990", "1", "-", "01 - 065",
    "01/01/2026", "31/12/2026", "20/12/2025", "01012345678901", "-", "-", " 01/03/2021",
]  # fmt: skip


def _pem(public):
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def _signed(private, kid="ABC234", version="2", fields=FIELDS):
    r, s = decode_dss_signature(
        private.sign(cardverify.message(fields, kid, version), ec.ECDSA(hashes.SHA256()))
    )
    raw = base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode().rstrip("=")
    return "|".join(fields + [f"{kid}.{version}.{raw}"]) + "|$"


@pytest.fixture(scope="module")
def private():
    return ec.generate_private_key(ec.SECP256R1())


def _code(text, keys, revocations=None):
    try:
        cardverify.verify(text, keys, revocations or {"revoked": {}})
    except VerifyError as error:
        return error.code
    return None


def test_signed_fields_and_only_one_spelling(private):
    keys = {"keys": [{"kid": "ABC234", "pem": _pem(private.public_key())}]}
    text = _signed(private)
    assert _code(text, keys) is None
    assert cardverify.check(cardqr.parse_bhyt(text), keys, {}) == ("ABC234", 2)
    check = text.split("|")[13]
    last = check[-1]
    other = {"A": "B", "Q": "R", "g": "h", "w": "x"}[last]  # the same 64 bytes, spelled otherwise
    assert _code(text.replace(check, check[:-1] + other), keys) == "tampered"
    assert _code(text.replace(".2.", ".02."), keys) == "tampered"
    assert _code(text.replace(" 01/03/2021", "01/03/2021"), keys) == "tampered"
    assert _code(text.replace(check, check[:-2]), keys) == "tampered"


def test_unknown_and_unusable_keys(private):
    text = _signed(private)
    assert _code(text, {"keys": []}) == "unknown_key"
    assert _code(text, {}) == "unknown_key"
    assert _code(text, {"keys": [{"kid": "ABC234", "pem": "not a key"}]}) == "unknown_key"
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _code(text, {"keys": [{"kid": "ABC234", "pem": _pem(rsa_key.public_key())}]}) == "unknown_key"
    p384 = ec.generate_private_key(ec.SECP384R1())
    assert _code(text, {"keys": [{"kid": "ABC234", "pem": _pem(p384.public_key())}]}) == "unknown_key"
    other = ec.generate_private_key(ec.SECP256R1())
    assert _code(text, {"keys": [{"kid": "ABC234", "pem": _pem(other.public_key())}]}) == "tampered"


def test_unsigned_and_revoked(private):
    keys = {"keys": [{"kid": "ABC234", "pem": _pem(private.public_key())}]}
    paper = "|".join(FIELDS + ["4641c59ff02659c3-1202"]) + "|$"
    assert cardverify.signed_by(cardqr.parse_bhyt(paper)) is None
    assert _code(paper, keys) == "unsigned"
    text = _signed(private)
    assert _code(text, keys, {"revoked": {"DN4010123456789": {"min_version": 3}}}) == "revoked"
    assert _code(text, keys, {"revoked": {"DN4010123456789": {"min_version": 2}}}) is None
    assert _code(text, keys, {"revoked": {"DN4010123456789": {}}}) is None
