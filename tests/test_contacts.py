"""One phone and one email per BHXH code: the rule (accounts and pending dossiers), and a
unique-index violation that gets past it becomes the same message, never a 500."""

import pytest
from peewee import IntegrityError

from tests.factories import make_person
from tests.staff_helpers import make_dossier, offices
from vss.core.db import transaction
from vss.dossiers import registration
from vss.dossiers.dossiers import WAITING
from vss.identity import contacts
from vss.identity.accounts import Account, hash_password
from vss.registry.directory import Office


@pytest.fixture
def holders(app):
    """An account holding 0912000001 / an@example.vn, a pending dossier holding 0912000002 /
    binh@example.vn."""
    places = offices()
    person = make_person()
    account = Account.create(
        person=person,
        username=person.bhxh_code,
        password_hash=hash_password("x" * 12),
        phone="0912000001",
        email="an@example.vn",
    )
    dossier = make_dossier(
        places["00101"],
        status=WAITING,
        bhxh_code="0199999999",
        phone="0912000002",
        pending_phone="0912000002",
        email="binh@example.vn",
        pending_email="binh@example.vn",
    )
    return account, dossier


# "02…": a BHXH code tests.factories.make_person never gives (its codes are "01" + a counter).
@pytest.mark.parametrize(
    "phone, email, taken",
    [
        ("0912000001", None, "phone"),
        ("0912000002", None, "phone"),
        ("0987000000", "an@example.vn", "email"),
        ("0987000000", "binh@example.vn", "email"),
        ("0912000001", "binh@example.vn", "phone"),  # the phone is checked first
    ],
)
def test_a_contact_of_another_bhxh_code_is_taken(holders, phone, email, taken):
    with pytest.raises(contacts.ContactTaken) as caught:
        contacts.check("0200000099", phone=phone, email=email)
    assert caught.value.field == taken
    assert str(caught.value) == str(contacts.MESSAGES[taken])


def test_free_contacts_and_ones_own_pass(holders):
    account, dossier = holders
    contacts.check("0200000099", phone="0987000000", email="moi@example.vn")
    contacts.check("0200000099", phone="0987000000", email=None)
    contacts.check(account.username, phone="0912000001", email="an@example.vn")
    contacts.check(dossier.bhxh_code, phone="0912000002", email="binh@example.vn")


def test_registration_uses_the_same_rule_and_messages(holders):
    with pytest.raises(contacts.ContactTaken) as caught:
        registration.check_unique("0200000099", "0912000001", None)
    assert (caught.value.field, str(caught.value)) == ("phone", str(contacts.PHONE_TAKEN))
    with pytest.raises(contacts.ContactTaken) as caught:
        registration.check_unique("0200000099", "0987000000", "binh@example.vn")
    assert (caught.value.field, str(caught.value)) == ("email", str(contacts.EMAIL_TAKEN))


@pytest.mark.parametrize(
    "write, taken",
    [
        (lambda other: Account.update(phone="0912000001").where(Account.id == other.id).execute(), "phone"),
        (
            lambda other: Account.update(email="an@example.vn").where(Account.id == other.id).execute(),
            "email",
        ),
        (lambda other: make_dossier(Office.get(Office.code == "00101"), pending_phone="0912000002"), "phone"),
        (
            lambda other: make_dossier(Office.get(Office.code == "00101"), pending_email="binh@example.vn"),
            "email",
        ),
    ],
)
def test_a_unique_index_violation_becomes_the_same_message(holders, write, taken):
    person = make_person()
    other = Account.create(person=person, username=person.bhxh_code, password_hash="x", phone="0987000000")
    with pytest.raises(contacts.ContactTaken) as caught, contacts.guarded(), transaction():
        write(other)  # a writer that skipped the check
    assert caught.value.field == taken
    assert Account.get_by_id(other.id).phone == "0987000000"  # rolled back


def test_any_other_integrity_error_is_not_hidden(holders):
    account, _ = holders
    with pytest.raises(IntegrityError), contacts.guarded(), transaction():
        Account.create(person=account.person_id, username="0100000098", password_hash="x", phone="0987000001")
