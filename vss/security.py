"""Response headers on every response; no-store on anything personal."""

import functools

from flask import g, request, session

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def no_store(view):
    """Mark a view's responses as never to be stored (signed-in pages, codes, personal data)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.no_store = True
        return view(*args, **kwargs)

    return wrapper


def init_app(app):
    """Install the security headers."""

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Anyone signed in (the session names a user) gets no-store; checked without a query.
        if g.get("no_store") or session.get("_user_id"):
            headers["Cache-Control"] = "no-store"
            headers.pop("ETag", None)
            headers.pop("Last-Modified", None)
        elif "Cache-Control" not in headers:
            # Public HTML: let the browser keep it but check back each time (cheap 304s).
            headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
        response.vary.add("HX-Request")  # the same URL answers a page or a fragment
        return response
