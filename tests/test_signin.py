"""Citizen sign-in: one device at a time with the OTP takeover, the shared-computer choice,
lockout, the password lifecycle, no account enumeration."""

import contextlib
import datetime as dt
import re
from html import unescape

import pytest

from tests import mailbox
from tests.conftest import get_gzip, run_concurrently, wire_size
from tests.factories import make_person
from tests.signin_helpers import PASSWORD, PHONE, last_code, make_account, post, sign_in, token
from vss.core import clock, jobs
from vss.core.audit import AuditLog
from vss.core.errors import UserError
from vss.identity import lockout, sessions, signin
from vss.identity.accounts import Account, hash_password
from vss.identity.sessions import CitizenSession
from vss.messages.notify import Outbox

# Budgets are fixed windows: each test starts at the start of one.
pytestmark = pytest.mark.usefixtures("fresh_window")


@pytest.fixture
def account(app):
    return make_account()


def bind(client):
    """Sign in on a browser that has no bound device yet: password, then the code."""
    response = sign_in(client)
    assert response.headers["Location"] == "/dang-nhap/ma-xac-thuc"
    done = post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    assert done.headers["Location"] == "/tai-khoan"
    clock.travel(dt.timedelta(seconds=61))  # the next code may be sent
    return done


def test_first_sign_in_sets_a_new_password_confirmed_by_code(app, client):
    make_account(password="TamThoi12345", must_change=True)
    assert sign_in(client, password="TamThoi12345").headers["Location"] == "/dang-nhap/mat-khau-moi"
    for new, repeat, message in (
        ("Ngan1", "Ngan1", "ít nhất 8"),
        ("x0123456789y", "x0123456789y", "mã số BHXH"),
        ("abc17051990", "abc17051990", "ngày sinh"),
        ("matkhau123", "matkhau123", "phổ biến"),
        ("MậtKhẩu2026", "MậtKhẩu2026", "tắt bộ gõ"),
        ("Good#Pass2026", "Other#2026", "không khớp"),
    ):
        html = post(client, "/dang-nhap/mat-khau-moi", old="TamThoi12345", new=new, repeat=repeat).get_data(
            as_text=True
        )
        assert message in html, new
    assert "Mật khẩu cũ không đúng" in post(
        client, "/dang-nhap/mat-khau-moi", old="sai", new="Good#Pass2026", repeat="Good#Pass2026"
    ).get_data(as_text=True)
    moved = post(
        client, "/dang-nhap/mat-khau-moi", old="TamThoi12345", new="Good#Pass2026", repeat="Good#Pass2026"
    )
    assert moved.headers["Location"] == "/dang-nhap/mat-khau-moi/xac-thuc"
    assert Account.get().check_password("TamThoi12345")  # nothing changes before the code
    done = post(client, "/dang-nhap/mat-khau-moi/xac-thuc", code=last_code())
    assert done.headers["Location"] == "/tai-khoan"
    account = Account.get()
    assert (
        account.check_password("Good#Pass2026") and not account.must_change_password and account.device_hash
    )
    assert client.get("/tai-khoan").status_code == 200


def test_bound_device_goes_straight_in_without_a_code(account, client):
    bind(client)
    post(client, "/dang-xuat")
    codes_before = Outbox.select().where(Outbox.template == "otp").count()
    assert sign_in(client).headers["Location"] == "/tai-khoan"
    assert Outbox.select().where(Outbox.template == "otp").count() == codes_before


def test_cccd_is_accepted_as_username(account, client):
    bind(client)
    post(client, "/dang-xuat")
    assert sign_in(client, username="001190012345").headers["Location"] == "/tai-khoan"


def test_takeover_binds_the_new_device_and_signs_the_old_one_out(app, account, client):
    phone_a = client
    bind(phone_a)
    phone_b = app.test_client()
    assert sign_in(phone_b).headers["Location"] == "/dang-nhap/thiet-bi-khac"
    warning = phone_b.get("/dang-nhap/thiet-bi-khac").get_data(as_text=True)
    assert "chỉ cho phép đăng nhập một tài khoản trên một thiết bị ở cùng một thời điểm" in warning
    assert phone_a.get("/tai-khoan").status_code == 200  # nothing happens before the code
    assert (
        post(phone_b, "/dang-nhap/thiet-bi-khac", action="continue").headers["Location"]
        == "/dang-nhap/ma-xac-thuc"
    )
    assert post(phone_b, "/dang-nhap/ma-xac-thuc", code=last_code()).headers["Location"] == "/tai-khoan"
    assert phone_b.get("/tai-khoan").status_code == 200
    signed_out = phone_a.get("/tai-khoan")
    assert signed_out.headers["Location"] == "/dang-nhap"
    assert "vừa được đăng nhập trên một thiết bị khác" in phone_a.get("/dang-nhap").get_data(as_text=True)
    sms = Outbox.get((Outbox.template == "new_device") & (Outbox.channel == "sms"))
    assert sms.recipient == PHONE and "thiet bi moi" in sms.body
    assert (
        Outbox.get((Outbox.template == "new_device") & (Outbox.channel == "email")).recipient
        == "hoa@example.vn"
    )
    post(phone_b, "/dang-xuat")
    assert sign_in(phone_b).headers["Location"] == "/tai-khoan"  # B is the bound device now
    assert sign_in(phone_a).headers["Location"] == "/dang-nhap/thiet-bi-khac"


def test_cancel_keeps_the_old_device(app, account, client):
    bind(client)
    other = app.test_client()
    sign_in(other)
    assert post(other, "/dang-nhap/thiet-bi-khac", action="cancel").headers["Location"] == "/"
    assert client.get("/tai-khoan").status_code == 200
    assert other.get("/dang-nhap/ma-xac-thuc").headers["Location"] == "/dang-nhap"
    assert Outbox.select().where(Outbox.template == "new_device").count() == 0


def test_shared_computer_needs_the_code_and_never_binds(app, account, client):
    bind(client)
    bound = Account.get().device_hash
    kiosk = app.test_client()
    assert sign_in(kiosk, shared=True).headers["Location"] == "/dang-nhap/ma-xac-thuc"
    response = post(kiosk, "/dang-nhap/ma-xac-thuc", code=last_code())
    assert response.headers["Location"] == "/tai-khoan"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires" not in cookie  # the browser session only
    assert Account.get().device_hash == bound
    assert "máy dùng chung" in kiosk.get("/tai-khoan").get_data(as_text=True)
    clock.travel(dt.timedelta(minutes=31))
    assert kiosk.get("/tai-khoan").status_code == 302  # a shared session also ends when left idle


def error_text(response):
    """The message in the page's error summary."""
    html = response.get_data(as_text=True)
    return unescape(re.search(r'<div class="error-summary"[^>]*><p>([^<]+)</p>', html).group(1))


def test_wrong_password_and_unknown_user_look_the_same(account, client):
    error_of = error_text
    wrong = sign_in(client, password="sai-mat-khau")
    unknown = sign_in(client, username="0999999999")
    bad_cccd = sign_in(client, username="001190099999")
    assert wrong.status_code == unknown.status_code == bad_cccd.status_code == 200
    assert error_of(wrong) == error_of(unknown) == error_of(bad_cccd) == str(signin.GENERIC_ERROR)


def test_five_wrong_passwords_lock_for_fifteen_minutes(account, client):
    for _ in range(5):
        assert error_text(sign_in(client, password="sai")) == str(signin.GENERIC_ERROR)
    assert error_text(sign_in(client)) == str(signin.GENERIC_ERROR)  # even the right password
    sms = Outbox.get(Outbox.template == "account_locked")
    assert sms.recipient == PHONE and "tam khoa" in sms.body
    clock.travel(dt.timedelta(minutes=15, seconds=1))
    assert sign_in(client).status_code == 302


def test_concurrent_wrong_passwords_lock_exactly_once(account):
    def guess(_n):
        with contextlib.suppress(UserError):
            signin.check_password("0123456789", "sai")

    run_concurrently(20, guess)
    row = Account.get()
    assert row.locked_until is not None and row.failed_logins == lockout.MAX_FAILURES
    wrong = AuditLog.select().where(AuditLog.action == "account.password_wrong")
    assert wrong.count() == lockout.MAX_FAILURES
    assert Outbox.select().where(Outbox.template == "account_locked").count() == 1


def test_concurrent_wrong_codes_stop_at_five(app, account, client):
    sign_in(client)
    state = None
    with client.session_transaction() as session:
        state = session["signin"]
    context = f"signin:{state['account']}:{state['nonce']}"
    errors = []

    def guess(_n):
        try:
            signin.verify_code(account, signin.SIGNIN, context, "000000")
        except Exception as error:  # noqa: BLE001 - every guess must fail
            errors.append(str(error))

    run_concurrently(20, guess)
    from vss.identity.otp import OneTimeCode

    assert len(errors) == 20 and OneTimeCode.get().attempts == 5


def test_replayed_expired_and_other_purpose_codes(app, account, client):
    bind(client)
    used = mailbox.last_code()
    other = app.test_client()
    sign_in(other)
    post(other, "/dang-nhap/thiet-bi-khac", action="continue")
    assert "không" in post(other, "/dang-nhap/ma-xac-thuc", code=used).get_data(as_text=True)
    fresh = last_code()
    clock.travel(dt.timedelta(minutes=6))
    assert "hết hạn" in post(other, "/dang-nhap/ma-xac-thuc", code=fresh).get_data(as_text=True)


def test_change_password_with_code(account, client):
    bind(client)
    response = post(
        client, "/tai-khoan/doi-mat-khau", old=PASSWORD, new="Moi#Pass2027", repeat="Moi#Pass2027"
    )
    assert response.headers["Location"] == "/tai-khoan/doi-mat-khau/xac-thuc"
    assert (
        post(client, "/tai-khoan/doi-mat-khau/xac-thuc", code=last_code()).headers["Location"] == "/tai-khoan"
    )
    home = client.get("/tai-khoan")
    assert home.status_code == 200  # this device goes on, and is told the change is done
    assert "Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất." in home.get_data(as_text=True)
    assert "Đã đổi mật khẩu" not in client.get("/tai-khoan").get_data(as_text=True)  # once
    live = CitizenSession.select().where(CitizenSession.ended_at.is_null()).count()
    assert live == 1 and Account.get().check_password("Moi#Pass2027")


def test_forgot_password_same_answer_and_reset(app, account, client):
    def ask(c, code, contact):
        return post(c, "/quen-mat-khau", bhxh_code=code, contact=contact)

    real = ask(client, "0123456789", PHONE)
    fake_client = app.test_client()
    fake = ask(fake_client, "0999999999", "0987654321")
    assert (
        real.status_code == fake.status_code == 302 and real.headers["Location"] == fake.headers["Location"]
    )
    assert (
        client.get(real.headers["Location"]).get_data(as_text=True).split("<main")[1].split("csrf_token")[0]
        == fake_client.get(fake.headers["Location"])
        .get_data(as_text=True)
        .split("<main")[1]
        .split("csrf_token")[0]
    )
    assert Outbox.select().where(Outbox.template == "otp").count() == 1
    wrong = post(
        fake_client, "/quen-mat-khau/dat-lai", code="123456", new="Moi#Pass2027", repeat="Moi#Pass2027"
    )
    assert "Mã xác thực không đúng" in wrong.get_data(as_text=True)
    done = post(client, "/quen-mat-khau/dat-lai", code=last_code(), new="Moi#Pass2027", repeat="Moi#Pass2027")
    assert done.headers["Location"] == "/dang-nhap" and Account.get().check_password("Moi#Pass2027")


def test_forgot_password_by_email(account, client):
    post(client, "/quen-mat-khau", bhxh_code="0123456789", contact="HOA@example.vn")
    assert last_code("hoa@example.vn")


def test_forgot_password_is_rate_limited_per_client(app, account):
    client = app.test_client()
    for n in range(10):
        assert (
            post(client, "/quen-mat-khau", bhxh_code=f"01234567{n:02d}", contact="0900000000").status_code
            == 302
        )
    refused = post(client, "/quen-mat-khau", bhxh_code="0123456789", contact=PHONE)
    assert refused.status_code == 429 and "thử quá nhiều lần" in refused.get_data(as_text=True)
    assert last_code() is None  # refused: nothing sent


def test_bound_session_lasts_thirty_days(account, client):
    bind(client)
    clock.travel(dt.timedelta(days=29))
    assert client.get("/tai-khoan").status_code == 200
    clock.travel(dt.timedelta(days=2))
    assert client.get("/tai-khoan").status_code == 302


def test_reauthentication_needed_after_fifteen_minutes(account, client):
    bind(client)
    row = CitizenSession.get()
    assert not sessions.needs_reauth(row)
    clock.travel(dt.timedelta(minutes=16))
    assert sessions.needs_reauth(CitizenSession.get())


def test_six_monthly_reminder(account, client):
    bind(client)
    clock.travel(dt.timedelta(days=183))
    jobs.run_maintenance()
    jobs.run_maintenance()
    assert Outbox.select().where(Outbox.template == "password_old").count() == 1
    post(client, "/dang-xuat")
    sign_in(client)
    assert "đã dùng hơn 6 tháng" in client.get("/tai-khoan").get_data(as_text=True)


def test_signed_in_pages_are_not_stored_and_sign_out_ends_the_session(account, client):
    bind(client)
    assert client.get("/tai-khoan").headers["Cache-Control"] == "no-store"
    post(client, "/dang-xuat")
    assert client.get("/tai-khoan").status_code == 302
    assert CitizenSession.get().end_reason == "signed_out"


def _device_cookie(response):
    return next((c for c in response.headers.getlist("Set-Cookie") if c.startswith("vss_device=")), None)


def test_the_device_cookie_lasts_the_browser_session_until_its_owner_enters(account, client):
    first = _device_cookie(client.get("/dang-nhap"))
    assert "HttpOnly" in first and "SameSite=Lax" in first
    assert "Max-Age" not in first and "Expires" not in first
    device = client.get_cookie("vss_device").value
    entered = _device_cookie(bind(client))  # on one's own device: kept ten years
    assert "Max-Age=315360000" in entered and client.get_cookie("vss_device").value == device


def test_a_shared_computer_keeps_no_device_cookie(account, client):
    assert "Máy dùng chung" in client.get("/dang-nhap").get_data(as_text=True)
    assert "sẽ đăng xuất thiết bị đang dùng tài khoản" in client.get("/dang-nhap").get_data(as_text=True)
    sign_in(client, shared=True)
    entered = post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    assert entered.headers["Location"] == "/tai-khoan"
    assert client.get_cookie("vss_device") is None  # deleted, not left for ten years
    assert client.get("/tai-khoan").status_code == 200


def test_page_budgets(account, client):
    assert wire_size(get_gzip(client, "/dang-nhap")) <= 12 * 1024
    sign_in(client)
    assert wire_size(get_gzip(client, "/dang-nhap/ma-xac-thuc")) <= 8 * 1024
    assert token(client)


def test_one_client_locking_account_after_account_tells_only_its_share_of_owners(app):
    """Five wrong passwords on each of 12 accounts from one address: every account locks, but the
    lock SMS spends that client's send budget (10 in 10 minutes), so it reaches 10 owners."""
    hashed = hash_password(PASSWORD)
    for n in range(12):
        person = make_person(bhxh_code=f"03000000{n:02d}")
        account = Account.create(
            person=person, username=person.bhxh_code, password_hash=hashed, phone=f"09120000{n:02d}"
        )
        for _ in range(lockout.MAX_FAILURES):
            assert not signin.password_matches(account, "sai", ip="198.51.100.7")
    assert Account.select().where(Account.locked_until.is_null(False)).count() == 12
    assert Outbox.select().where(Outbox.template == "account_locked").count() == 10
    # Another client's owner is still told.
    other = Account.get(Account.username == "0300000011")
    Account.update(failed_logins=0, locked_until=None).where(Account.id == other.id).execute()
    for _ in range(lockout.MAX_FAILURES):
        signin.password_matches(other, "sai", ip="203.0.113.9")
    assert Outbox.select().where(Outbox.template == "account_locked").count() == 11


def _emailed_code(address):
    message = mailbox.last_message(address, template="otp", channel="email")
    return message.body[:6] if message else None


def test_a_sign_in_code_may_go_to_the_registered_email(account, client):
    """Seed 002 sends codes by email too: on the code page the citizen may ask for it there."""
    clock.travel(dt.timedelta(seconds=61))
    sign_in(client)
    page = client.get("/dang-nhap/ma-xac-thuc").get_data(as_text=True)
    assert "Gửi mã qua email h***@example.vn" in page
    clock.travel(dt.timedelta(seconds=61))
    post(client, "/dang-nhap/gui-lai-ma", kenh="email")
    code = _emailed_code(account.email)
    assert code and code != last_code()
    done = post(client, "/dang-nhap/ma-xac-thuc", code=code)
    assert done.headers["Location"] == "/tai-khoan"


def test_a_password_change_code_may_be_sent_again_by_email(account, client):
    bind(client)
    post(client, "/tai-khoan/doi-mat-khau", old=PASSWORD, new="Moi#Pass2027", repeat="Moi#Pass2027")
    assert "Gửi mã qua email" in client.get("/tai-khoan/doi-mat-khau/xac-thuc").get_data(as_text=True)
    clock.travel(dt.timedelta(seconds=61))
    post(client, "/tai-khoan/doi-mat-khau/gui-lai-ma", kenh="email")
    done = post(client, "/tai-khoan/doi-mat-khau/xac-thuc", code=_emailed_code(account.email))
    assert done.headers["Location"] == "/tai-khoan" and Account.get().check_password("Moi#Pass2027")


def test_without_an_email_the_code_goes_by_sms_whatever_is_asked(app, client):
    account = make_account(email=None)
    sign_in(client)
    assert "Gửi mã qua email" not in client.get("/dang-nhap/ma-xac-thuc").get_data(as_text=True)
    clock.travel(dt.timedelta(seconds=61))
    post(client, "/dang-nhap/gui-lai-ma", kenh="email")
    assert not Outbox.select().where(Outbox.channel == "email").exists()
    assert post(client, "/dang-nhap/ma-xac-thuc", code=last_code()).headers["Location"] == "/tai-khoan"
    assert account.phone
