"""Response headers on every response; no-store on anything personal."""

import functools

from flask import g, request, session
from flask.sessions import SecureCookieSessionInterface

from vss.web.assets import style_hashes

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' " + " ".join(style_hashes()),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# On every response (static files have their own, stricter policy).
ALWAYS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(self), geolocation=(), microphone=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def no_store(view):
    """Mark a view's responses as never to be stored (signed-in pages, codes, personal data)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.no_store = True
        return view(*args, **kwargs)

    return wrapper


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per app instead
    of once per request (it depends only on configuration)."""

    def get_signing_serializer(self, app):
        cached = app.extensions.get("vss_session_serializer")
        if cached is None or cached[0] != app.secret_key:
            cached = (app.secret_key, super().get_signing_serializer(app))
            app.extensions["vss_session_serializer"] = cached
        return cached[1]


def apply_policy(headers, *, secure, personal):
    """The one header policy, applied to a response's `headers` (werkzeug Headers) in place:
    ALWAYS (unless the view set its own), HSTS over HTTPS, no-store on anything personal (no
    ETag or Last-Modified either) and no-cache on public HTML that has no caching of its own,
    and Vary on Cookie and HX-Request. Flask's responses get it after each request; the stored
    card page (vss.views.card_page) is answered with the same headers, made by this function."""
    present = {key.lower() for key, _ in headers}
    headers.extend([(key, value) for key, value in ALWAYS if key.lower() not in present])
    if secure:
        headers.setdefault(*HSTS)
    if personal:
        headers["Cache-Control"] = "no-store"
        headers.pop("ETag", None)
        headers.pop("Last-Modified", None)
    elif "cache-control" not in present:  # `present` is lower-cased
        # Public HTML: let the browser keep it but check back each time (cheap 304s).
        headers["Cache-Control"] = "no-cache"
    # Cookie: pages differ per session; HX-Request: the same URL answers a page or a fragment.
    vary = headers.get("Vary")
    headers["Vary"] = f"{vary}, Cookie, HX-Request" if vary else "Cookie, HX-Request"
    return headers


def init_app(app):
    """Install the security headers and the session interface."""
    app.session_interface = SessionInterface()

    @app.after_request
    def _headers(response):
        # Anyone signed in (the session names a user) gets no-store; checked without a query.
        # A shared file (a news picture or video, the same for everyone) keeps its own caching.
        personal = bool(g.get("no_store") or session.get("_user_id")) and not g.get("shared_file")
        apply_policy(response.headers, secure=request.is_secure, personal=personal)
        return response
