"""CSRF on every POST (htmx sends the token in a header), with a clear Vietnamese message."""

import re

import pytest

from vss import create_app


@pytest.fixture
def app_with_form(database_url):
    app = create_app("test", DATABASE_URL=database_url, WTF_CSRF_ENABLED=True)

    @app.post("/_form")
    def form():
        return "ghi nhận"

    return app


def _token(client):
    html = client.get("/").get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def test_post_without_token_is_refused_in_vietnamese(app_with_form):
    client = app_with_form.test_client()
    response = client.post("/_form")
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)


def test_post_with_the_htmx_header_token_passes(app_with_form):
    client = app_with_form.test_client()
    token = _token(client)
    assert client.post("/_form", headers={"X-CSRFToken": token}).status_code == 200
    assert client.post("/_form", data={"csrf_token": token}).status_code == 200


def test_token_from_another_session_is_refused(app_with_form):
    token = _token(app_with_form.test_client())
    other = app_with_form.test_client()
    other.get("/")
    assert other.post("/_form", headers={"X-CSRFToken": token}).status_code == 400
