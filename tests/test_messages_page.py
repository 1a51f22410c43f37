"""The citizen's messages page (Thông báo) says a code or a password was sent, never shows it."""

from tests.signin_helpers import last_code, make_account, post, sign_in
from vss.messages import notify


def test_messages_page_shows_that_a_code_was_sent_never_the_code(app, client):
    account = make_account()
    sign_in(client)
    code = last_code()
    post(client, "/dang-nhap/ma-xac-thuc", code=code)
    html = client.get("/tai-khoan/thong-bao").get_data(as_text=True)
    assert "la ma xac thuc VSS" in html and code not in html
    notify.sms(
        account.phone,
        "account_created",
        person=account.person,
        username=account.username,
        password=notify.Secret("Xk7pQ2mWz9"),
    )
    html = client.get("/tai-khoan/thong-bao").get_data(as_text=True)
    assert "Mat khau tam" in html and "Xk7pQ2mWz9" not in html
    assert "Mã và mật khẩu không hiển thị ở đây" in html
