"""The record pages' short way: a signed-in citizen's read-only pages (Thẻ BHYT, Quá trình tham gia
and each period, Thông tin hưởng, Sổ khám chữa bệnh, Thông báo, Quản lý cá nhân) change only when
their records do, so a plain view drawn by Flask is stored (`stored`, around the view) and the next
ones are answered by a WSGI layer in front of Flask (`StoredRecordPages`) from one query that also
checks the session — as the card picture is (vss.views.card_page).

The layer answers only when everything Flask would check and draw holds: a plain GET of a stored
route's path (no query string, not an htmx swap), a valid signed session cookie naming the same
citizen as a live, bound server-side session, no flashed message waiting, a CSRF token in the
cookie (the one the stored page carries), nothing Flask-Login would rewrite in the cookie, and a
page stored for this account, path and language by this build from the person's records as they
are now (vss.web.record_pages: revisions raised by database triggers), before its expiry (the next
midnight in Vietnam at the latest). Anything else goes on to Flask, which draws the page again."""

import datetime as dt
import functools
import gzip
from hashlib import sha512
from types import SimpleNamespace

from flask import current_app, g, request, session
from flask_babel import get_locale
from peewee import DatabaseError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.sansio.http import parse_cookie

from vss.core.clock import utcnow
from vss.core.db import connect, db
from vss.identity import sessions
from vss.identity.accounts import Account
from vss.web import record_pages, security
from vss.web.i18n import LANG_COOKIE, cookie_language

CSRF_KEY = "csrf_token"  # Flask-WTF's raw token in the session


def _path(environ):
    return environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")


def _plain(environ):
    """A plain view: GET, no query string, not an htmx swap (both ways ask this)."""
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and not environ.get("QUERY_STRING")
        and "HTTP_HX_REQUEST" not in environ
    )


def stored(view):
    """Around a citizen page (outside `citizen_required`): read the person's revisions, let the
    view draw the page, and keep a plain 200 view on a bound device for the short way."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = session.get("citizen_sid")
        plain = _plain(request.environ) and isinstance(key, str) and "_flashes" not in session
        stamp = record_pages.revisions(db.obj, key) if plain else None
        response = current_app.make_response(view(*args, **kwargs))
        row = g.get("citizen_session")
        if (
            stamp is not None
            and response.status_code == 200
            and row is not None
            and not row.shared
            and row.account.person_id == stamp[0]
            and CSRF_KEY in session
        ):
            record_pages.store(
                row.account_id,
                _path(request.environ),
                str(get_locale()),
                current_app.extensions["vss_build"],
                stamp,
                session[CSRF_KEY],
                gzip.compress(response.get_data(), compresslevel=9),
            )
        return response

    wrapper.record_page = True  # read by StoredRecordPages
    return wrapper


def _datetime(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value  # SQLite: its text


class StoredRecordPages:
    """WSGI middleware: serves a stored record page, or passes the request on to `wrapped`."""

    def __init__(self, app, wrapped):
        self.wrapped = wrapped
        self.endpoints = {
            name for name, view in app.view_functions.items() if getattr(view, "record_page", 0)
        }
        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in self.endpoints]
        self.paths = {rule.rule for rule in rules if not rule.arguments}
        self.prefixes = tuple(rule.rule.partition("<")[0] for rule in rules if rule.arguments)
        self.adapter = app.url_map.bind("localhost")
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.max_age = int(app.permanent_session_lifetime.total_seconds())
        self.config = app.config
        self.protection = app.config.get("SESSION_PROTECTION", app.login_manager.session_protection)
        self.build = app.extensions["vss_build"]
        # What Flask sends: the one header policy (a signed-in page), then Flask-Compress's Vary.
        self.headers = {secure: self.policy(secure) for secure in (False, True)}

    @staticmethod
    def policy(secure):
        headers = security.apply_policy(Headers(), secure=secure, personal=True)
        headers["Vary"] += ", Accept-Encoding"
        return list(headers)

    def route(self, path):
        """Whether `path` is a stored route's (its own path, or one its rule matches)."""
        if path in self.paths:
            return True
        if not self.prefixes or not path.startswith(self.prefixes):
            return False
        try:
            endpoint, _values = self.adapter.match(path, method="GET")
        except (HTTPException, RequestRedirect):
            return False
        return endpoint in self.endpoints

    def __call__(self, environ, start_response):
        if _plain(environ) and not environ.get("SCRIPT_NAME") and self.route(environ.get("PATH_INFO", "")):
            found = self.stored_page(environ)
            if found is not None:
                return self.respond(environ, start_response, found)
        return self.wrapped(environ, start_response)

    def rewritten(self, state, environ):
        """Whether Flask-Login's session protection would rewrite this cookie (another client:
        it marks the session not fresh), so Flask must answer."""
        if self.protection not in ("basic", "strong") or state.get("_fresh") is False:
            return False
        address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
        if address is not None:
            address = address.encode().split(b",")[0].strip()
        agent = environ.get("HTTP_USER_AGENT")
        base = f"{address}|{agent.encode() if agent is not None else None}"  # as Flask-Login writes it
        return state.get("_id") != sha512(base.encode()).hexdigest()

    def stored_page(self, environ):
        """The gzipped page when this request may have it, else None."""
        cookies = parse_cookie(environ.get("HTTP_COOKIE"))
        try:
            state = self.serializer.loads(cookies.get(self.cookie_name, ""), max_age=self.max_age)
        except Exception:  # noqa: BLE001 - any bad cookie is Flask's to answer (it starts a new session)
            return None
        key = state.get("citizen_sid")
        if not isinstance(key, str) or "_flashes" in state or CSRF_KEY not in state:
            return None
        if self.rewritten(state, environ):
            return None
        lang = cookie_language(cookies.get(LANG_COOKIE), self.config)
        try:
            connect()
            row = record_pages.stored(db.obj, key, _path(environ), lang, self.build)
        except DatabaseError:
            return None  # e.g. a connection the server dropped: Flask reconnects, or shows its error page
        if row is None:
            return None
        account_id, ended_at, end_reason, shared, created_at, last_seen_at, csrf, expires_at, page = row
        now = utcnow()
        if (
            page is None
            or shared
            or state.get("_user_id") != Account.user_id(account_id)
            or csrf != record_pages.csrf_digest(state[CSRF_KEY])
            or _datetime(expires_at) <= now
            or sessions.why_ended(
                SimpleNamespace(
                    ended_at=ended_at,
                    end_reason=end_reason,
                    shared=shared,
                    created_at=_datetime(created_at),
                    last_seen_at=_datetime(last_seen_at),
                ),
                now,
            )
        ):
            return None
        return page

    def respond(self, environ, start_response, page):
        headers = list(self.headers[environ.get("wsgi.url_scheme") == "https"])
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers.append(("Content-Encoding", "gzip"))
        else:
            page = gzip.decompress(page)
        headers += [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))]
        start_response("200 OK", headers)
        return [page]
