"""The card page's short way: "Xem thẻ Bảo hiểm y tế" is what a citizen opens at the hospital
counter, again and again, and its page never changes within an issuance. After its first view
(drawn by `vss.views.me.card_image` and stored gzip-compressed with the issuance), this WSGI layer
in front of Flask answers it from one query that also checks the session, without Flask's request
machinery — as WhiteNoise does for static files.

It answers only when everything Flask's route would check holds: a plain GET of the page (no query
string, not an htmx swap), a valid signed session cookie naming the same citizen as a live, bound
(not shared) server-side session younger than its 30 days, no flashed message waiting, and a stored
page for the card's current issuance in the reader's language, drawn by this build from the card's
current revision (see vss.cards.cards). Anything else — signed out, taken over, expired, first view,
another language not yet drawn, rotate, a deploy, a registry change — goes on to Flask unchanged.

Both answers tell the phone how long it may keep the card for offline use (`OFFLINE_HEADER`,
seconds): until its session would end. The offline copy stands in for the signed-in page, so it
must not outlive it; the card's own validity is printed on it (an expired card still shows the
BHXH code the counter can look up), so it does not shorten the copy's life."""

import datetime as dt
import gzip

from peewee import DatabaseError
from werkzeug.sansio.http import parse_cookie

from vss.cards import cards
from vss.core.clock import utcnow
from vss.core.db import connect, db
from vss.identity import signin
from vss.web import security
from vss.web.i18n import LANG_COOKIE, cookie_language

PATH = "/tai-khoan/the-bhyt/xem"
BOUND_SESSION = dt.timedelta(days=signin.BOUND_SESSION_DAYS)
OFFLINE_HEADER = "VSS-Offline-Max-Age"  # read by the service worker (templates/sw.js)


def offline_max_age(created_at):
    """Seconds left, on the server's clock, until a bound session opened at `created_at` ends."""
    return max(0, int((created_at + BOUND_SESSION - utcnow()).total_seconds()))


class StoredCardPage:
    """WSGI middleware: serves the stored card page, or passes the request on to `wrapped`."""

    def __init__(self, app, wrapped):
        self.wrapped = wrapped
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.max_age = int(app.permanent_session_lifetime.total_seconds())
        self.config = app.config
        self.build = app.extensions["vss_build"]
        self.headers = [
            *security.ALWAYS,
            ("Cache-Control", "no-store"),
            ("Vary", "Accept-Encoding, Cookie, HX-Request"),
        ]
        self.hsts = [security.HSTS]

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") == PATH
            and environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
            and "HTTP_HX_REQUEST" not in environ
        ):
            found = self.stored_page(environ)
            if found is not None:
                return self.respond(environ, start_response, *found)
        return self.wrapped(environ, start_response)

    def stored_page(self, environ):
        """(gzipped page, session's start) when this request may have the page, else None."""
        cookies = parse_cookie(environ.get("HTTP_COOKIE"))
        try:
            state = self.serializer.loads(cookies.get(self.cookie_name, ""), max_age=self.max_age)
        except Exception:  # noqa: BLE001 - any bad cookie is Flask's to answer (it starts a new session)
            return None
        key = state.get("citizen_sid")
        if not isinstance(key, str) or "_flashes" in state:
            return None
        lang = cookie_language(cookies.get(LANG_COOKIE), self.config)
        try:
            connect()
            row = cards.stored_card_page(db.obj, key, lang, self.build)
        except (
            DatabaseError
        ):  # e.g. a connection the server dropped: Flask reconnects, or shows its error page
            return None
        if row is None:
            return None
        account_id, ended_at, shared, created_at, page = row
        if isinstance(created_at, str):  # SQLite returns the text it stored
            created_at = dt.datetime.fromisoformat(created_at)
        if (
            page is None
            or ended_at is not None
            or shared
            or state.get("_user_id") != f"citizen:{account_id}"
            or utcnow() - created_at > BOUND_SESSION
        ):
            return None
        return page, created_at

    def respond(self, environ, start_response, page, created_at):
        headers = [*self.headers, (OFFLINE_HEADER, str(offline_max_age(created_at)))]
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers.append(("Content-Encoding", "gzip"))
        else:
            page = gzip.decompress(page)
        headers += [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))]
        if environ.get("wsgi.url_scheme") == "https":
            headers += self.hsts
        start_response("200 OK", headers)
        return [page]
