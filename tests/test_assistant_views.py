"""Trợ lý ảo (/tro-ly): the plain form (post, redirect, the answer), the htmx conversation, the
source, the no-answer with the feedback form filled in, votes (plain and htmx, once per answer
shown, bounded), bad input, budgets and the English reader."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import get_gzip, html_of, wire_size
from tests.csrf import csrf
from vss.support import votes
from vss.support.votes import FaqVote
from vss.views.assistant import feedback_url

HX = {"HX-Request": "true"}


def _ask(client, question, headers=None):
    token = csrf(client, "/tro-ly")
    return client.post("/tro-ly", data={"hoi": question, "csrf_token": token}, headers=headers or {})


def test_plain_form_posts_and_redirects_to_the_answer_with_its_source(client):
    response = _ask(client, "quen mat khau")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert parse_qs(urlsplit(location).query) == {"hoi": ["quen mat khau"]}
    html = client.get(location).get_data(as_text=True)
    assert "Quên mật khẩu đăng nhập thì lấy lại thế nào?" in html
    assert 'href="/quen-mat-khau"' in html  # the page that does it
    assert 'href="/tro-ly/cau-hoi/quen-mat-khau"' in html  # the source
    assert "Câu trả lời có giúp ích không?" in html


def test_htmx_appends_the_exchange_and_empties_the_box(client):
    response = _ask(client, "Tài khoản bị khóa phải làm sao", HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert '<section class="exchange">' in html
    assert "Tài khoản bị khóa vì nhập sai mật khẩu nhiều lần?" in html
    assert 'id="hoi-khung" data-hx-swap-oob="true"' in html
    assert 'value=""' in html  # the box comes back empty


def test_the_page_is_a_conversation_for_htmx_and_works_without_it(client):
    html = client.get("/tro-ly").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/tro-ly"[^>]*>', html).group(0)
    assert (
        'data-hx-post="/tro-ly"' in form
        and 'data-hx-target="#hoi-dap"' in form
        and 'data-hx-swap="beforeend"' in form
    )
    assert 'id="hoi-dap"' in html
    assert 'name="hoi"' in html


def test_no_answer_is_said_and_offers_the_feedback_form_with_the_question(app, client):
    question = "giá vàng hôm nay & <b>"
    html = client.get(_ask(client, question).headers["Location"]).get_data(as_text=True)
    assert "Chưa có câu trả lời cho câu hỏi này." in html
    assert "Câu trả lời có giúp ích không?" not in html
    with app.test_request_context():
        link = feedback_url(question)
    assert f'href="{link.replace("&", "&amp;")}"' in html
    assert parse_qs(urlsplit(link).query) == {"noi_dung": [question]}
    assert "<b>" not in html


def test_the_feedback_link_opens_the_form_with_the_question_in_it(app, client):
    with app.test_request_context():
        assert feedback_url() == "/phan-anh-kien-nghi"
        link = feedback_url("quên mk")
    assert "quên mk" in client.get(link).get_data(as_text=True)


@pytest.mark.parametrize(
    "question, message",
    [
        ("", "Vui lòng nhập câu hỏi."),
        ("   ", "Vui lòng nhập câu hỏi."),
        ("a" * 10_000, "Nội dung quá dài"),
        ("quen\x00mat khau", "Nội dung có ký tự không hợp lệ"),
    ],
)
def test_bad_questions_get_a_message_plain_htmx_and_in_the_url(client, question, message):
    plain = _ask(client, question)
    assert plain.status_code == 200 and message in plain.get_data(as_text=True)
    htmx = _ask(client, question, HX)
    assert htmx.status_code == 200 and htmx.headers["HX-Retarget"] == "#hoi-khung"
    assert message in htmx.get_data(as_text=True)
    by_url = client.get("/tro-ly", query_string={"hoi": question})
    assert by_url.status_code == 200 and message in by_url.get_data(as_text=True)


@pytest.mark.parametrize(
    "question",
    [
        '"',
        '"quen',
        "*",
        "mat*",
        "NEAR(quen mat)",
        "-khau",
        "title:quen",
        "(",
        ")",
        "OR",
        "quen OR mat",
        "AND NOT",
        "^quen",
        "'; DROP TABLE faq_entry; --",
        "quen & | ! mat",
        "<script>alert(1)</script>",
    ],
)
def test_search_syntax_and_markup_never_error_or_inject(client, question):
    response = client.get("/tro-ly", query_string={"hoi": question})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert _ask(client, question, HX).status_code == 200


def test_without_csrf_a_question_is_refused(client):
    assert client.post("/tro-ly", data={"hoi": "quen mat khau"}).status_code == 400


def _ticket_of(html):
    return re.search(r'name="phieu" value="([^"]+)"', html).group(1)


def _answered(client, question="quen mat khau"):
    html = client.get("/tro-ly", query_string={"hoi": question}).get_data(as_text=True)
    return _ticket_of(html), csrf(client, "/tro-ly")


def test_a_vote_is_stored_once_per_answer_shown_and_can_change(client):
    ticket, token = _answered(client)
    data = {"phieu": ticket, "giup_ich": "co", "hoi": "quen mat khau", "csrf_token": token}
    response = client.post("/tro-ly/danh-gia", data=data)
    assert response.status_code == 303
    assert "hoi=quen+mat+khau" in response.headers["Location"]
    assert "Cảm ơn bạn đã cho biết." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post("/tro-ly/danh-gia", data=data)  # a double submit
    assert [(v.slug, v.helpful, v.question) for v in FaqVote.select()] == [
        ("quen-mat-khau", True, "quen mat khau")
    ]
    client.post("/tro-ly/danh-gia", data={**data, "giup_ich": "khong"}, headers=HX)  # a change of mind
    assert [v.helpful for v in FaqVote.select()] == [False]
    other, _token = _answered(client)  # the same answer shown again is another vote
    client.post("/tro-ly/danh-gia", data={**data, "phieu": other})
    assert votes.tally() == {"quen-mat-khau": (1, 1)}


def test_htmx_vote_replaces_the_question_with_thanks_and_offers_feedback_on_no(client):
    ticket, token = _answered(client)
    data = {"phieu": ticket, "giup_ich": "khong", "hoi": "quen mat khau", "csrf_token": token}
    html = client.post("/tro-ly/danh-gia", data=data, headers=HX).get_data(as_text=True)
    assert "Cảm ơn bạn đã cho biết." in html and "/phan-anh-kien-nghi?noi_dung=quen+mat+khau" in html
    assert "<html" not in html


def test_the_question_kept_with_a_vote_has_no_digits(client):
    ticket, token = _answered(client, "quen mat khau ma so 0123456789 sdt 0912345678")
    client.post("/tro-ly/danh-gia", data={"phieu": ticket, "giup_ich": "co", "csrf_token": token})
    assert FaqVote.get().question == "quen mat khau ma so # sdt #"


@pytest.mark.parametrize("ticket", ["", "x", "a" * 5000, "WyJxdWVuLW1hdC1raGF1Il0.abc.def", "\x00"])
def test_a_forged_or_broken_ticket_changes_nothing(client, ticket):
    token = csrf(client, "/tro-ly")
    for headers in ({}, HX):
        response = client.post(
            "/tro-ly/danh-gia", data={"phieu": ticket, "giup_ich": "co", "csrf_token": token}, headers=headers
        )
        assert response.status_code in (200, 303)
    assert FaqVote.select().count() == 0


def test_a_ticket_for_another_choice_than_yes_or_no_is_refused(client):
    ticket, token = _answered(client)
    client.post("/tro-ly/danh-gia", data={"phieu": ticket, "giup_ich": "maybe", "csrf_token": token})
    assert FaqVote.select().count() == 0


def test_votes_are_bounded_per_client(client, fresh_window):
    token = csrf(client, "/tro-ly")
    for _ in range(votes.VOTE_BUDGET.limit):
        ticket, _token = _answered(client)
        client.post("/tro-ly/danh-gia", data={"phieu": ticket, "giup_ich": "co", "csrf_token": token})
    ticket, _token = _answered(client)
    html = client.post(
        "/tro-ly/danh-gia", data={"phieu": ticket, "giup_ich": "co", "csrf_token": token}, headers=HX
    ).get_data(as_text=True)
    assert "quá nhiều đánh giá" in html
    assert FaqVote.select().count() == votes.VOTE_BUDGET.limit


def test_entry_page_and_unknown_entry(client):
    html = client.get("/tro-ly/cau-hoi/mat-dien-thoai").get_data(as_text=True)
    assert "Mất điện thoại hoặc mất SIM" in html
    assert client.get("/tro-ly/cau-hoi/khong-co").status_code == 404
    assert client.get("/tro-ly/cau-hoi/" + "a" * 500).status_code == 404


def test_the_english_reader_gets_english_answers(client):
    client.get("/ngon-ngu/en")
    html = client.get("/tro-ly", query_string={"hoi": "I forgot my password"}).get_data(as_text=True)
    assert "I forgot my password: how do I get a new one?" in html
    assert "Did this answer help?" in html and "Source:" in html
    html = client.get("/tro-ly", query_string={"hoi": "quen mat khau"}).get_data(as_text=True)
    assert "I forgot my password: how do I get a new one?" in html  # asked in Vietnamese
    assert "Frequently asked questions" in html or "What is VSS, and does it cost anything?" in html


def test_start_page_links_the_assistant(client):
    assert 'href="/tro-ly"' in client.get("/").get_data(as_text=True)


def test_page_and_fragment_budgets(client):
    page = get_gzip(client, "/tro-ly?hoi=mat+sim+khong+nhan+duoc+ma")
    assert page.headers.get("Content-Encoding") == "gzip"
    assert wire_size(page) <= 12 * 1024
    assert "Mất điện thoại" in html_of(page)
    token = csrf(client, "/tro-ly")
    fragment = client.post(
        "/tro-ly",
        data={"hoi": "quen mat khau " * 20, "csrf_token": token},
        headers={**HX, "Accept-Encoding": "gzip"},
    )
    assert wire_size(fragment) <= 4 * 1024
    voted = client.post(
        "/tro-ly/danh-gia",
        data={"phieu": "x", "giup_ich": "co", "csrf_token": token},
        headers={**HX, "Accept-Encoding": "gzip"},
    )
    assert wire_size(voted) <= 4 * 1024
    print(f"/tro-ly with an answer: {wire_size(page)} B gzip; htmx answer: {wire_size(fragment)} B")
