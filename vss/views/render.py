"""Rendering helpers shared by the blueprints."""

from urllib.parse import urlsplit

from flask import make_response, render_template
from htmx_flask import request
from jinja2_fragments.flask import render_block


def page(template, block="content", **context):
    """The full page, or only `block` of it when htmx asks (one template, two uses)."""
    # A history restore (back/forward with an empty htmx cache) needs the whole page.
    if request.htmx and not request.htmx.boosted and not request.headers.get("HX-History-Restore-Request"):
        return render_block(template, block, **context)
    return render_template(template, **context)


def safe_next(target, default="/"):
    """A same-site path to go back to after an action, never another host."""
    if not target:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):  # no header can carry a newline
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def jpeg(content):
    """A stored photo as a response (callers check who may see it)."""
    response = make_response(bytes(content))
    response.mimetype = "image/jpeg"
    return response
