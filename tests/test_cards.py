"""The signed card QR: round trip through the hospital layout, tampering, revocation by
reissue, key rotation, and the cached SVG."""

import datetime as dt

import pytest

from tests.factories import make_card, make_person
from vss.cards import cardqr, cards
from vss.cards.cards import CardIssuance, VerifyError
from vss.core import clock

SECRET = "test-secret"


@pytest.fixture
def card(app):
    return make_card(make_person(full_name="Nguyễn Thị Hoa", birth_date=dt.date(1990, 5, 17), sex=2))


def test_round_trip_in_the_hospital_layout(card):
    row = cards.issuance(card, SECRET)
    text = row.qr_text
    assert text.endswith("|$") and len(text.split("|")) == 15  # fields 0–13, then "$"
    qr = cards.verify(text, cards.published_keys(), cards.revocation_list())
    assert (qr.card_number, qr.full_name, qr.birth, qr.sex) == (
        card.number,
        "Nguyễn Thị Hoa",
        "17/05/1990",
        2,
    )
    assert qr.facility == "01 - 065" and qr.valid_to == dt.date(2026, 12, 31)
    assert text.split("|")[12] == " 01/03/2021"  # the five-years date keeps its leading space
    assert qr.address.endswith("Thành phố Hà Nội")
    # Existing readers: the plain parser reads it with no knowledge of the signature.
    assert cardqr.parse_bhyt(text).bhxh_code == card.person.bhxh_code


@pytest.mark.parametrize("index", [0, 1, 2, 6, 7, 12])
def test_one_changed_character_fails(card, index):
    text = cards.issuance(card, SECRET).qr_text
    fields = text.split("|")
    value = fields[index]
    fields[index] = value[:-1] + ("1" if value[-1] != "1" else "2")
    with pytest.raises((VerifyError, cardqr.QrError)):
        cards.verify("|".join(fields), cards.published_keys(), cards.revocation_list())


def test_a_forged_signature_or_unknown_key_fails(card):
    text = cards.issuance(card, SECRET).qr_text
    fields = text.split("|")
    kid, version, signature = fields[13].split(".")
    for check in (f"{kid}.{version}.{signature[::-1]}", f"ZZZZZZ.{version}.{signature}", "abcd-1234"):
        fields[13] = check
        with pytest.raises(VerifyError):
            cards.verify("|".join(fields), cards.published_keys(), cards.revocation_list())


def test_reissue_revokes_older_qrs(card):
    old = cards.issuance(card, SECRET).qr_text
    new = cards.reissue(card, SECRET).qr_text
    revocations = cards.revocation_list()
    assert revocations["revoked"][card.number] == {"min_version": 2} and revocations["version"] > 0
    cards.verify(new, cards.published_keys(), revocations)
    with pytest.raises(VerifyError, match="cấp lại"):
        cards.verify(old, cards.published_keys(), revocations)


def test_rotation_keeps_old_keys_while_their_cards_are_valid(card):
    first = cards.issuance(card, SECRET)
    cards.rotate(SECRET)
    keys = cards.published_keys()
    assert {k["kid"] for k in keys["keys"]} >= {first.kid}
    cards.verify(first.qr_text, keys, cards.revocation_list())  # still verifies
    clock.travel(dt.timedelta(days=400))  # the card expired
    assert first.kid not in {k["kid"] for k in cards.published_keys()["keys"]}


def test_the_svg_is_made_once_per_issuance(card):
    first = cards.issuance(card, SECRET)
    again = cards.issuance(card, SECRET)
    assert first.id == again.id and CardIssuance.select().count() == 1
    assert first.qr_svg.startswith("<svg") and "style=" not in first.qr_svg


def test_private_keys_are_stored_encrypted(card):
    cards.issuance(card, SECRET)
    key = cards.SigningKey.get()
    assert "ENCRYPTED PRIVATE KEY" in key.private_pem


def test_keys_rotate_command(runner, card):
    cards.issuance(card, SECRET)
    first = runner.invoke(args=["keys", "list"]).output.split()[0]
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "new signing key" in result.output
    listing = runner.invoke(args=["keys", "list"]).output
    assert f"{first}  retired" in listing and "active" in listing
