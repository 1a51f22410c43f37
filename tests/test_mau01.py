"""The printed Tờ khai Mẫu số 01: one A4 page whatever the applicant typed, and sent by email
once the code is confirmed when an email was given (seed 004: "Nhận tờ khai qua email")."""

import io

import pytest
from pypdf import PdfReader

from tests.registration_flow import Flow, offices
from tests.servers import SmtpServer
from tests.staff_helpers import make_dossier
from vss.core.db import transaction
from vss.dossiers import mau01
from vss.dossiers.dossiers import RECEIVED, WAITING, Dossier
from vss.messages import delivery, notify
from vss.messages.notify import Outbox

A4_WIDTH = 595.3  # points

LONGEST = {
    "full_name": "Tôn Nữ Hoàng Thị Phương " * 3 + "Anh",  # 80 characters, the most the form takes
    "street": ("Số 125 ngõ 78 ngách 42 đường Nguyễn Văn Cừ, tổ dân phố 12, khu tập thể Ngọc Lâm " * 3)[:200],
    "email": "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "vn",  # no place to break a line
    "channel": "ivan",
    "ivan_name": ("Công ty Cổ phần Giải pháp Công nghệ Thông tin và Truyền thông Việt Nam " * 3)[:200],
}


def _pages(data):
    return PdfReader(io.BytesIO(data)).pages


def _rightmost(page):
    """The largest x (points) at which any text starts on `page`."""
    found = []

    def seen(text, cm, tm, *_):
        if text.strip():
            found.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=seen)
    return max(found)


@pytest.mark.parametrize("status", [WAITING, RECEIVED])
def test_the_longest_form_fits_one_a4_page(app, status):
    province, base = offices()
    base.name = "Bảo hiểm xã hội cơ sở liên huyện Mường Nhé – Nậm Pồ – Mường Chà, tỉnh Điện Biên"
    base.save()
    dossier = make_dossier(base, status=status, contact_person=LONGEST["full_name"], **LONGEST)
    with app.app_context():
        pages = _pages(mau01.render(dossier))
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "NGƯỜI ĐĂNG KÝ" in text and "Tôn Nữ Hoàng Thị Phương" in text
    assert _rightmost(pages[0]) < A4_WIDTH - 20  # nothing runs off the page's right edge


@pytest.fixture
def smtp(app):
    with SmtpServer() as server:
        app.config.update(EMAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)
        yield server


def _forms(smtp):
    return [mail for mail in smtp.messages if mail["Subject"].startswith("Tờ khai Mẫu số 01")]


def _email_code(smtp, address):
    (mail,) = [m for m in smtp.messages if m["To"] == address and "mã xác thực" in m["Subject"]]
    return mail["Subject"][:6]


def test_the_form_is_emailed_once_the_emails_code_is_confirmed(app, client, smtp):
    offices()
    flow = Flow(client)
    flow.through_review(email="hoa.nguyen@example.vn")
    assert "Nhập mã trong email" in client.get("/dang-ky/xac-thuc").get_data(as_text=True)
    assert not _forms(smtp)  # nothing before the code is confirmed
    code = _email_code(smtp, "hoa.nguyen@example.vn")
    done = flow.verify(code)
    flow.verify(code)  # a double submit sends it once
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "đã được gửi đến email hoa.nguyen@example.vn" in page
    dossier = Dossier.get()
    (mail,) = _forms(smtp)
    assert mail["To"] == "hoa.nguyen@example.vn" and dossier.number in mail["Subject"]
    assert "Nguyễn Thị Hoa" in mail.get_body(("plain",)).get_content()
    (pdf,) = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"mau-01-{dossier.number.replace('/', '-')}.pdf"
    data = pdf.get_content()
    assert data == bytes(Dossier.get().pdf)  # the same document the page prints
    pages = _pages(data)
    assert len(pages) == 1 and dossier.number in pages[0].extract_text()
    row = Outbox.get(Outbox.template == "dossier_form")
    assert row.status == notify.SENT and row.params == {}  # nothing of it kept once sent


def test_the_phones_code_does_not_send_papers_to_an_unproved_email(app, client, smtp):
    """The form holds the ID number, the address and the portrait: a mistyped email must not get it."""
    offices()
    flow = Flow(client)
    flow.through_review(email="hoa.nguyen@example.vm")
    done = flow.verify()  # the code sent by SMS
    assert Dossier.select().count() == 1 and not _forms(smtp)
    assert "đã được gửi đến email" not in client.get(done.headers["Location"]).get_data(as_text=True)


def test_no_email_no_form_by_email(app, client, smtp):
    offices()
    flow = Flow(client)
    flow.through_review()
    flow.verify()
    assert Dossier.select().count() == 1
    assert not Outbox.select().where(Outbox.template == "dossier_form").exists()


def test_a_form_whose_dossier_is_gone_is_given_up(app, smtp):
    province, base = offices()
    dossier = make_dossier(base, email="an@example.vn")
    app.config["EMAIL_BACKEND"] = "outbox"
    with transaction():
        row = notify.email(
            dossier.email,
            "dossier_form",
            attachment=mau01.for_email(dossier),
            number=dossier.number,
            name=dossier.full_name,
            office=base.name,
            deadline="01/01/2027",
            by_post=False,
            received=False,
        )
        dossier.delete_instance()
    row = Outbox.get_by_id(row.id)
    assert row.status == notify.DEAD and "cannot be made" in row.last_error
    assert delivery.deliver(row.id) is False and not _forms(smtp)
