"""Attacks on "Quên mật khẩu" and on pending passwords (issue 10, items 1, 4 and 6): a wrong
code changes nothing but the attempt count, a pending password belongs to one flow and one code,
the reset step reveals nothing personal before its code verifies, and asking takes the same path
for real and unknown BHXH codes."""

import datetime as dt
import logging
import re
from html import unescape

import pytest

from tests.csrf import token_in
from tests.signin_helpers import PASSWORD, PHONE, last_code, make_account, post, sign_in
from vss import create_app
from vss.core import clock, jobs
from vss.core.errors import UserError
from vss.identity import password_reset, passwords
from vss.identity.accounts import Account

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")

OWNER_NEW, ATTACKER = "Chu#Moi2027", "Ke#Gian2027"


@pytest.fixture
def account(app):
    return make_account()


def bind(client):
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    clock.travel(dt.timedelta(seconds=61))


def errors(response):
    return unescape(
        " ".join(re.findall(r'<p class="error"[^>]*>([^<]+)</p>', response.get_data(as_text=True)))
    )


def stranger_tries_a_reset(app, code="000000", password=ATTACKER):
    """Someone who knows only the BHXH code and the phone, in their own browser."""
    stranger = app.test_client()
    post(stranger, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    return post(stranger, "/quen-mat-khau/dat-lai", code=code, new=password, repeat=password)


def test_a_wrong_reset_code_cannot_replace_the_owners_pending_password(app, account, client):
    bind(client)
    moved = post(client, "/tai-khoan/doi-mat-khau", old=PASSWORD, new=OWNER_NEW, repeat=OWNER_NEW)
    assert moved.headers["Location"] == "/tai-khoan/doi-mat-khau/xac-thuc"
    owners_code = last_code()
    clock.travel(dt.timedelta(seconds=61))
    before = Account.get()
    stranger_tries_a_reset(app)
    after = Account.get()
    assert (after.password_hash, after.must_change_password) == (
        before.password_hash,
        before.must_change_password,
    )
    done = post(client, "/tai-khoan/doi-mat-khau/xac-thuc", code=owners_code)
    assert done.headers["Location"] == "/tai-khoan"
    account = Account.get()
    assert account.check_password(OWNER_NEW) and not account.check_password(ATTACKER)


def test_first_password_cannot_be_replaced_by_a_wrong_reset_code(app):
    make_account(password="TamThoi12345", must_change=True)
    owner = app.test_client()
    sign_in(owner, password="TamThoi12345")
    post(owner, "/dang-nhap/mat-khau-moi", old="TamThoi12345", new=OWNER_NEW, repeat=OWNER_NEW)
    owners_code = last_code()
    clock.travel(dt.timedelta(seconds=61))
    stranger_tries_a_reset(app)
    assert (
        post(owner, "/dang-nhap/mat-khau-moi/xac-thuc", code=owners_code).headers["Location"] == "/tai-khoan"
    )
    assert Account.get().check_password(OWNER_NEW)


def test_a_pending_password_belongs_to_its_own_code(account, client):
    """Choosing again sends a new code for the new choice; the first code cannot set the second
    choice, nor the second code the first."""
    bind(client)
    post(client, "/tai-khoan/doi-mat-khau", old=PASSWORD, new="Dau#Tien2027", repeat="Dau#Tien2027")
    first_code = last_code()
    post(client, "/tai-khoan/doi-mat-khau", old=PASSWORD, new=OWNER_NEW, repeat=OWNER_NEW)
    second_code = last_code()
    assert first_code != second_code or pytest.skip("the same six digits twice")
    assert "không đúng" in errors(post(client, "/tai-khoan/doi-mat-khau/xac-thuc", code=first_code))
    assert Account.get().check_password(PASSWORD)
    post(client, "/tai-khoan/doi-mat-khau/xac-thuc", code=second_code)
    assert Account.get().check_password(OWNER_NEW)


def test_reset_checks_the_code_before_anything_personal(app, account):
    """A wrong code with a password made of the date of birth, the CCCD or the phone, or two
    passwords that differ: every answer is the same as for an unknown BHXH code."""
    answers = set()
    for password in ("17051990ab", "x001190012345", f"{PHONE}zz", "Hop#Le2027x"):
        answers.add(errors(stranger_tries_a_reset(app, password=password)))
    unknown = app.test_client()
    post(unknown, "/quen-mat-khau", bhxh_code="0999999999", contact="0987654321")
    answers.add(
        errors(post(unknown, "/quen-mat-khau/dat-lai", code="000000", new="17051990ab", repeat="17051990ab"))
    )
    assert len(answers) == 1, answers
    assert not re.search("ngày sinh|CCCD|số điện thoại|còn \\d lần", answers.pop())
    mismatch = {
        errors(post(c, "/quen-mat-khau/dat-lai", code="000000", new="Mot#2027abc", repeat="Hai#2027abc"))
        for c in (unknown,)
    }
    stranger = app.test_client()
    post(stranger, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    mismatch.add(
        errors(
            post(stranger, "/quen-mat-khau/dat-lai", code="000000", new="Mot#2027abc", repeat="Hai#2027abc")
        )
    )
    assert len(mismatch) == 1  # the form's own check, before any look-up


def test_after_the_right_code_the_password_rules_are_told(app, account, client):
    post(client, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    code = last_code()
    rejected = post(client, "/quen-mat-khau/dat-lai", code=code, new="17051990ab", repeat="17051990ab")
    assert "ngày sinh" in errors(rejected)
    done = post(client, "/quen-mat-khau/dat-lai", code=code, new=OWNER_NEW, repeat=OWNER_NEW)
    assert done.headers["Location"] == "/dang-nhap" and Account.get().check_password(OWNER_NEW)
    again = post(client, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    assert again.status_code == 302  # a new flow may start; the used code is gone


def test_the_reset_step_has_its_own_attempt_limit(app, account):
    stranger = app.test_client()
    for n in range(3):  # one browser may start the flow again and again: the limit is per client
        post(stranger, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
        for _ in range(7 if n < 2 else 6):
            assert (
                post(
                    stranger, "/quen-mat-khau/dat-lai", code="000000", new=ATTACKER, repeat=ATTACKER
                ).status_code
                == 200
            )
    last = post(stranger, "/quen-mat-khau/dat-lai", code=last_code(), new=ATTACKER, repeat=ATTACKER)
    assert "thử quá nhiều lần" in errors(last) + last.get_data(as_text=True)
    assert Account.get().check_password(PASSWORD)  # even the right code is not judged now


def test_a_strangers_wrong_passwords_do_not_lock_the_owners_phone(app, account, client):
    bind(client)  # the owner's phone is the bound device
    post(client, "/dang-xuat")
    stranger = app.test_client()
    for _ in range(6):
        sign_in(stranger, password="doan-bua")
    assert sign_in(stranger).status_code == 200  # the stranger's browser is locked, even with the password
    assert sign_in(client).headers["Location"] == "/tai-khoan"  # the owner's phone is not


def test_the_owner_gets_back_in_with_a_code_while_locked(app, account):
    stranger, owner = app.test_client(), app.test_client()
    for _ in range(5):
        sign_in(stranger, password="doan-bua")
    post(owner, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    post(owner, "/quen-mat-khau/dat-lai", code=last_code(), new=OWNER_NEW, repeat=OWNER_NEW)
    assert sign_in(owner, password=OWNER_NEW).headers["Location"] == "/dang-nhap/ma-xac-thuc"


def _statements(app, client, bhxh_code, contact):
    """The SQL (without values) that one "Quên mật khẩu" request runs in the web process."""
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            if isinstance(record.msg, tuple):
                seen.append(re.sub(r"\s+", " ", record.msg[0]))

    logger = logging.getLogger("peewee")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        page = client.get("/quen-mat-khau").get_data(as_text=True)
        token = token_in(page)
        seen.clear()
        response = client.post(
            "/quen-mat-khau", data={"csrf_token": token, "bhxh_code": bhxh_code, "contact": contact}
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return response, seen


def test_asking_takes_the_same_path_for_real_and_unknown_codes(account, database_url, tmp_path):
    """With a real job queue (not immediate), the request does the same work whatever the facts:
    the look-up and the send happen in the job."""
    queued = create_app(
        "test", DATABASE_URL=database_url, HUEY_IMMEDIATE=False, HUEY_SQLITE_PATH=str(tmp_path / "huey.db")
    )
    try:
        real, real_sql = _statements(queued, queued.test_client(), "0123456789", PHONE)
        fake, fake_sql = _statements(queued, queued.test_client(), "0999999999", "0987654321")
        assert real.status_code == fake.status_code == 302
        assert real_sql == fake_sql and not any("account" in sql for sql in real_sql)
        assert last_code() is None  # nothing sent yet: the job does it
        secret = queued.config["OTP_HMAC_KEY"]
        for _ in range(10):  # the two jobs, then the delivery the real one queued
            task = jobs.huey.dequeue()
            if task is None:
                break
            assert secret not in repr((task.args, task.kwargs))  # no key sits in the queue
            jobs.huey.execute(task)
        assert last_code() is not None
    finally:
        jobs.huey.storage.flush_all()
        jobs.init_app(create_app("test", DATABASE_URL=database_url))  # back to immediate mode


def test_a_flow_belongs_to_the_asking_browser_and_lasts_half_an_hour(account):
    first = password_reset.ask("0123456789", PHONE, client="198.51.100.8")
    second = password_reset.ask("0123456789", PHONE, client="198.51.100.8")
    assert first["nonce"] != second["nonce"]  # a stranger's flow never spends the owner's code
    assert password_reset.open_flow(first) == first
    assert password_reset.open_flow({**first, "at": first["at"] - password_reset.FLOW_SECONDS - 1}) is None
    assert password_reset.open_flow(None) is None and password_reset.open_flow({"at": first["at"]}) is None


def test_the_reset_domain_sets_the_password_after_the_right_code(account):
    flow = password_reset.ask("0123456789", PHONE, client="198.51.100.8")
    with pytest.raises(UserError) as caught:
        password_reset.reset_password(flow, last_code(), "12345678", client="198.51.100.8")
    assert (caught.value.field, caught.value.message) == ("new", passwords.COMMON_ONE)
    password_reset.reset_password(flow, last_code(), OWNER_NEW, client="198.51.100.8")
    assert Account.get().check_password(OWNER_NEW)


def test_asking_too_often_from_one_client_is_refused_with_a_wait(account):
    for _ in range(password_reset.ASKS.limit):
        password_reset.ask("0123456789", PHONE, client="203.0.113.9")
    with pytest.raises(UserError) as caught:
        password_reset.ask("0123456789", PHONE, client="203.0.113.9")
    assert caught.value.retry_after == password_reset.ASKS.seconds
    password_reset.ask("0123456789", PHONE, client="198.51.100.9")  # another client is not held up
