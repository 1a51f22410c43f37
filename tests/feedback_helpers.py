"""Driving the feedback pages with the test client, and confirmed feedback made through the
domain (the code read from the phone, as a person would)."""

import io
import itertools

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import mailbox
from tests.csrf import csrf
from vss.support import feedback
from vss.web.forms.feedback import new_key

URL = "/phan-anh-kien-nghi"
_seq = itertools.count(1)
FORM = {
    "topic": "the_bhyt",
    "noi_dung": "Thẻ BHYT của tôi ghi sai ngày sinh, xin điều chỉnh.",
    "full_name": "Trần Thị Mai",
    "phone": "0987654321",
    "email": "mai@example.vn",
    "province_code": "1",
    "ward_code": "70",
    "office_code": "00101",
}


def post_form(client, htmx=False, files=None, **fields):
    """The form as a browser sends it (its own key, unless `khoa` is given; `files`: {name:
    (bytes, filename)}). The body is built in memory: the test client spools a body over 500 KB
    to a temporary file that it leaves open."""
    data = {"csrf_token": csrf(client, URL), "khoa": new_key(), **FORM, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    for name, (content, filename) in (files or {}).items():
        data[name] = FileStorage(io.BytesIO(content), filename)
    boundary, body = encode_multipart(data)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        URL, data=body, headers=headers, content_type=f"multipart/form-data; boundary={boundary}"
    )


def post_code(client, code, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    token = csrf(client, URL)  # the session's token (the code page may have gone on to the number)
    return client.post(f"{URL}/xac-thuc", data={"csrf_token": token, "code": code}, headers=headers)


def given(**fields):
    values = {
        "topic": "the_bhyt",
        "body": "Thẻ BHYT ghi sai ngày sinh.",
        "full_name": "Trần Thị Mai",
        "phone": f"0977{next(_seq):06d}",
        "email": None,
        "province_code": 1,
        "ward_code": 70,
        "office_code": "00101",
    }
    values.update(fields)
    return values


def make_feedback(**fields):
    """A confirmed feedback sent without an account (the code from the phone)."""
    n = next(_seq)
    values = given(**fields)
    row = feedback.send(values, key=new_key(), client=f"10.9.{n // 250}.{n % 250}")
    return feedback.confirm(row, mailbox.last_code(values["phone"]))


def signed_in(client):
    """A citizen signed in on this browser (the first sign-in's code from the phone)."""
    from tests.signin_helpers import last_code, make_account, post, sign_in

    account = make_account()
    sign_in(client)
    assert post(client, "/dang-nhap/ma-xac-thuc", code=last_code()).headers["Location"] == "/tai-khoan"
    return account
