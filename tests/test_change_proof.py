"""A citizen's change request up to its filing (vss/requests/change_proof.py), called directly: the
password again (under the lock), a new and free value, a code to a new phone or email (with an
audit row), an address filed at once."""

import pytest

from tests.factories import make_person
from tests.signin_helpers import PASSWORD, last_code, make_account
from tests.staff_helpers import offices
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.identity import contacts
from vss.identity.accounts import Account, hash_password
from vss.requests import change_proof, changes
from vss.requests.changes import ChangeRequest

NEW_PHONE = "0987654321"


@pytest.fixture
def account(app):
    offices()
    return make_account()


def test_a_wrong_password_is_refused_on_its_field_and_counted(account):
    with pytest.raises(UserError) as caught:
        change_proof.start(account, changes.PHONE, NEW_PHONE, "sai", client="198.51.100.1")
    assert (caught.value.field, caught.value.message) == ("password", change_proof.WRONG_PASSWORD)
    assert Account.get().failed_logins == 1
    assert not AuditLog.select().where(AuditLog.action == "change_request.code_sent").exists()


def test_the_same_value_is_refused_on_its_field(account):
    with pytest.raises(UserError) as caught:
        change_proof.start(account, changes.PHONE, account.phone, PASSWORD, client="198.51.100.1")
    assert (caught.value.field, caught.value.code) == ("phone", "same")


def test_a_phone_of_another_bhxh_code_is_refused_before_any_code(account):
    person = make_person()
    Account.create(
        person=person, username=person.bhxh_code, password_hash=hash_password("x" * 12), phone=NEW_PHONE
    )
    with pytest.raises(contacts.ContactTaken) as caught:
        change_proof.start(account, changes.PHONE, NEW_PHONE, PASSWORD, client="198.51.100.1")
    assert caught.value.field == "phone"
    assert not AuditLog.select().where(AuditLog.action == "change_request.code_sent").exists()


def test_a_new_phone_gets_a_code_and_an_audit_row_then_the_code_files_it(account):
    assert change_proof.start(account, changes.PHONE, NEW_PHONE, PASSWORD, client="198.51.100.1") is None
    assert AuditLog.get(AuditLog.action == "change_request.code_sent").detail == {"field": "phone"}
    assert not ChangeRequest.select().exists()  # nothing reaches staff before the code
    change = change_proof.confirm(account, changes.PHONE, NEW_PHONE, last_code(NEW_PHONE))
    assert (change.field, change.new_value, change.status) == ("phone", NEW_PHONE, changes.PENDING)


def test_asking_again_within_the_cool_down_is_not_an_error(account):
    change_proof.start(account, changes.PHONE, NEW_PHONE, PASSWORD, client="198.51.100.1")
    assert change_proof.start(account, changes.PHONE, NEW_PHONE, PASSWORD, client="198.51.100.1") is None


def test_a_wrong_code_is_refused_on_the_code_field(account):
    change_proof.start(account, changes.PHONE, NEW_PHONE, PASSWORD, client="198.51.100.1")
    wrong = "000000" if last_code(NEW_PHONE) != "000000" else "111111"
    with pytest.raises(UserError) as caught:
        change_proof.confirm(account, changes.PHONE, NEW_PHONE, wrong)
    assert caught.value.field == "code"


def test_an_address_is_filed_at_once(account):
    address = {"street": "12 Hàng Bạc", "ward_code": account.person.ward_code}
    change = change_proof.start(account, changes.ADDRESS, address, PASSWORD, client="198.51.100.1")
    assert change.field == "address" and change.new_value == address


def test_resending_needs_a_flow_opened_by_the_password(account):
    with pytest.raises(UserError) as caught:
        change_proof.resend(account, changes.PHONE, NEW_PHONE, client="198.51.100.1")
    assert caught.value.code == "flow_over"
