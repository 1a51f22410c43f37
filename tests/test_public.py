"""The start page and the public pages: language, landmarks, headers, budgets."""

import re

import pytest

from tests.conftest import get_gzip, html_of, wire_size
from vss.identity.accounts import StaffUser, hash_password
from vss.registry.directory import Office


def test_start_page_links_the_four_ways_in(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    for label, href in (
        ("Đăng ký", "/dang-ky"),
        ("Đăng nhập", "/dang-nhap"),
        ("Tra cứu", "/tra-cuu"),
        ("Hỗ trợ", "/ho-tro"),
    ):
        assert re.search(rf'href="{href}"><strong>{label}</strong>', html), label


def test_start_page_is_accessible_html(client):
    html = client.get("/").get_data(as_text=True)
    assert '<a class="skip" href="#main">' in html
    for landmark in ("<header", '<main id="main"', "<footer", "<nav aria-label"):
        assert landmark in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<link rel="icon" href="data:,">' in html  # no favicon request
    assert html.count("<h1>") == 1


def test_english_switch_sets_a_cookie_and_returns(client):
    response = client.get("/ngon-ngu/en?next=/ho-tro")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ho-tro"
    assert "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Register" in html and "Sign in" in html and "Look up" in html
    client.get("/ngon-ngu/vi")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "",
        "/a\nb",
        "/a\r\nSet-Cookie: x=1",
    ],
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/ngon-ngu/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/ngon-ngu/fr").status_code == 404


def test_htmx_sends_the_csrf_token_from_the_body(client):
    html = client.get("/").get_data(as_text=True)
    match = re.search(r"<body data-hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'>", html)
    assert match and len(match.group(1)) > 20


def test_security_headers_on_every_response(client):
    for url in ("/", "/khong-co", "/static/" + "x"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_no_inline_script_and_only_our_stylesheet_in_pages(client):
    """The one <style> is our stylesheet, allowed by its hash alone (no 'unsafe-inline')."""
    import base64
    import hashlib

    response = client.get("/")
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and not re.search(r"\son[a-z]+=", html)  # no inline handlers
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    style_src = next(part for part in policy.split("; ") if part.startswith("style-src"))
    assert f"'sha256-{digest}'" in style_src and "unsafe-inline" not in policy


def test_signed_in_pages_are_not_stored(app, client):
    office = Office.create(
        code="01000",
        name="BHXH Thành phố Hà Nội",
        kind="province",
        province_code=1,
        phone="024 3936 1234",
        latitude=21.0,
        longitude=105.8,
    )
    staff = StaffUser.create(
        office=office,
        username="canbo",
        full_name="Trần Văn An",
        role="reviewer",
        password_hash=hash_password("x" * 12),
    )
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    with client.session_transaction() as session:
        session["_user_id"] = staff.get_id()
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_start_page_within_budget(client):
    response = get_gzip(client, "/")
    assert response.headers["Content-Encoding"] == "gzip"
    assert wire_size(response) <= 12 * 1024
    assert "Bảo hiểm xã hội số" in html_of(response)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
