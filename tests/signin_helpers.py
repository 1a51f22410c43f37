"""A citizen with an account, and driving the sign-in pages with the test client."""

import datetime as dt

from tests import mailbox
from tests.csrf import csrf
from tests.factories import make_person
from vss.identity.accounts import Account, hash_password

PASSWORD = "Hoa@2026vss"
PHONE = "0912345678"


def make_account(password=PASSWORD, must_change=False, **fields):
    person = make_person(
        bhxh_code="0123456789",
        full_name="Nguyễn Thị Hoa",
        birth_date=dt.date(1990, 5, 17),
        cccd="001190012345",
    )
    values = {
        "person": person,
        "username": "0123456789",
        "password_hash": hash_password(password),
        "phone": PHONE,
        "email": "hoa@example.vn",
        "must_change_password": must_change,
    }
    values.update(fields)
    return Account.create(**values)


def token(client, url="/dang-nhap"):
    """The token of a sign-in page's form."""
    return csrf(client, url)


def sign_in(client, username="0123456789", password=PASSWORD, shared=False):
    data = {"csrf_token": token(client), "username": username, "password": password}
    if shared:
        data["shared"] = "y"
    return client.post("/dang-nhap", data=data)


def last_code(recipient=PHONE):
    """The newest code sent to `recipient`, as the phone received it (tests/mailbox.py)."""
    return mailbox.last_code(recipient)


def post(client, url, **data):
    return client.post(
        url,
        data={
            "csrf_token": token(client, url if client.get(url).status_code == 200 else "/dang-nhap"),
            **data,
        },
    )
