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

It restates no rule of its own: the path is the route's (`me.card_image` in the URL map), the session
cookie is read with Flask's own serializer, the session's liveness is `sessions.why_ended` (the rule
`sessions.citizen_session` applies on every signed-in page), the signed-in user id is
`Account.user_id`, which views are stored and answered is `storable` (also what `vss.views.me` stores
by), and the headers are `security.apply_policy` (what every Flask response gets after its request).

Both answers tell the phone how long it may keep the card for offline use (`OFFLINE_HEADER`,
seconds): until its session would end. The offline copy stands in for the signed-in page, so it
must not outlive it; the card's own validity is printed on it (an expired card still shows the
BHXH code the counter can look up), so it does not shorten the copy's life."""

import datetime as dt
import gzip
from types import SimpleNamespace

from peewee import DatabaseError
from werkzeug.datastructures import Headers
from werkzeug.sansio.http import parse_cookie

from vss.cards import stored_page
from vss.core.clock import utcnow
from vss.core.db import connect, db
from vss.identity import sessions
from vss.identity.accounts import Account
from vss.web import security
from vss.web.i18n import LANG_COOKIE, cookie_language

ENDPOINT = "me.card_image"  # the route whose plain views this layer answers
OFFLINE_HEADER = "VSS-Offline-Max-Age"  # read by the service worker (templates/sw.js)


def offline_max_age(created_at):
    """Seconds left, on the server's clock, until a bound session opened at `created_at` ends."""
    return max(0, int((created_at + sessions.BOUND_SESSION - utcnow()).total_seconds()))


def storable(shared, query_string, htmx, flashes):
    """Whether a view of the card page is the one stored and answered here: the plain page (no
    query string, not an htmx swap, no flashed message waiting to be shown) on a bound device
    (a shared computer never keeps the card). `vss.views.me.card_image` stores by it, and this
    layer answers by it."""
    return not (shared or query_string or htmx or flashes)


def _datetime(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value  # SQLite: its text


class StoredCardPage:
    """WSGI middleware: serves the stored card page, or passes the request on to `wrapped`."""

    def __init__(self, app, wrapped):
        self.wrapped = wrapped
        self.path = next(app.url_map.iter_rules(ENDPOINT)).rule
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.max_age = int(app.permanent_session_lifetime.total_seconds())
        self.config = app.config
        self.build = app.extensions["vss_build"]
        # What Flask sends: the one header policy (a signed-in page), then Flask-Compress's Vary.
        self.headers = {secure: self.policy(secure) for secure in (False, True)}

    @staticmethod
    def policy(secure):
        headers = security.apply_policy(Headers(), secure=secure, personal=True)
        headers["Vary"] += ", Accept-Encoding"
        return list(headers)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == self.path and environ.get("REQUEST_METHOD") == "GET":
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
        if not isinstance(key, str):
            return None
        lang = cookie_language(cookies.get(LANG_COOKIE), self.config)
        try:
            connect()
            row = stored_page.stored_card_page(db.obj, key, lang, self.build)
        except DatabaseError:
            return None  # e.g. a connection the server dropped: Flask reconnects, or shows its error page
        if row is None:
            return None
        account_id, ended_at, end_reason, shared, created_at, last_seen_at, page = row
        created_at = _datetime(created_at)
        if (
            page is None
            or not storable(
                shared, environ.get("QUERY_STRING"), "HTTP_HX_REQUEST" in environ, "_flashes" in state
            )
            or state.get("_user_id") != Account.user_id(account_id)
            or sessions.why_ended(
                SimpleNamespace(
                    ended_at=ended_at,
                    end_reason=end_reason,
                    shared=shared,
                    created_at=created_at,
                    last_seen_at=_datetime(last_seen_at),
                ),
                utcnow(),
            )
        ):
            return None
        return page, created_at

    def respond(self, environ, start_response, page, created_at):
        headers = [
            *self.headers[environ.get("wsgi.url_scheme") == "https"],
            (OFFLINE_HEADER, str(offline_max_age(created_at))),
        ]
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers.append(("Content-Encoding", "gzip"))
        else:
            page = gzip.decompress(page)
        headers += [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))]
        start_response("200 OK", headers)
        return [page]
