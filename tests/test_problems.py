"""vss/views/problems.py: a UserError shown the one way — on its field, as the page's error, or flashed."""

from flask import get_flashed_messages
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from vss.core.errors import UserError
from vss.views import problems
from vss.web.forms import CodeForm


def test_an_error_with_a_field_goes_on_that_field(app):
    with app.test_request_context("/", method="POST"):
        form = CodeForm()
        assert problems.shown(UserError("Mã không đúng.", field="code"), form) is None
        assert form.code.errors == ["Mã không đúng."]


def test_an_error_without_a_field_is_the_page_s(app):
    with app.test_request_context("/", method="POST"):
        form = CodeForm()
        assert problems.shown(UserError("Quá nhiều yêu cầu.", field="nowhere"), form) == "Quá nhiều yêu cầu."
        assert not form.code.errors


def test_without_a_form_it_is_flashed_as_plain_text(app):
    quoted = '<script>alert("x")</script>'
    with app.test_request_context("/"):
        problems.shown(UserError(_l("Không tìm thấy %(what)s.", what=quoted)))
        (message,) = get_flashed_messages()
        assert not isinstance(message, Markup) and quoted in message  # the template escapes it


def test_waiting_is_a_429_with_retry_after():
    wait = UserError("Vui lòng đợi.", code="budget", retry_after=60)
    assert problems.status(wait) == 429 and problems.retry_headers(wait) == {"Retry-After": "60"}
    assert problems.status(UserError("Sai.")) == 200 and problems.retry_headers(UserError("Sai.")) == {}
