"""Stored renderings of the signed-in citizen's read-only pages (the card's data, participation
history and its periods, benefits, medical visits, messages, the account's home), stamped with
what they were drawn from, so a repeat view is answered without drawing it (by
vss.views.record_pages, before Flask, as the card picture is).

A page is kept per account, path and language, with:
- the build (templates, catalogs, static names, code: `app.extensions["vss_build"]`);
- the person's revision and the shared revision (row 0) of `record_revision`, read before the page
  is drawn and raised by database triggers on every write to a table the pages read (migration
  0019; tests/test_record_pages.py checks that each stored page reads only watched tables);
- the digest of the session's CSRF token, which the page carries in its forms and htmx headers;
- when it stops being valid: the next midnight in Vietnam at the latest (a page may show
  something that depends on the day), sooner when the view says so (`valid_until`).
Nothing is kept in process memory: the store is the database's."""

import datetime as dt
import hashlib
import weakref

from flask import g
from peewee import (
    BigIntegerField,
    BlobField,
    CharField,
    CompositeKey,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from vss.core.clock import VN, utcnow
from vss.core.db import BaseModel
from vss.identity.accounts import Account


class RecordRevision(BaseModel):
    """How many writes a person's records have had (row 0: the shared reference data)."""

    person_id = IntegerField(primary_key=True)
    revision = BigIntegerField(default=0)


class RecordPage(BaseModel):
    """One stored page, gzip (kept in its row on PostgreSQL), with what it was drawn from."""

    account = ForeignKeyField(Account, on_delete="CASCADE", index=False)
    path = CharField(max_length=200)
    lang = CharField(max_length=2)
    build = CharField(max_length=16)
    revision = BigIntegerField()
    shared_revision = BigIntegerField()
    csrf = CharField(max_length=64)
    expires_at = DateTimeField()
    page = BlobField()

    class Meta:
        primary_key = CompositeKey("account", "path", "lang")


MODELS = [RecordRevision, RecordPage]

_REVISIONS = """
SELECT a.person_id,
       COALESCE((SELECT r.revision FROM record_revision r WHERE r.person_id = a.person_id), 0),
       COALESCE((SELECT r.revision FROM record_revision r WHERE r.person_id = 0), 0)
FROM citizen_session s JOIN account a ON a.id = s.account_id
WHERE s.key = {key}
"""

# The hot path: the session and, when it is still what Flask would draw, the stored page.
_PAGE = """
SELECT s.account_id, s.ended_at, s.end_reason, s.shared, s.created_at, s.last_seen_at,
       p.csrf, p.expires_at, p.page
FROM citizen_session s
JOIN account a ON a.id = s.account_id
LEFT JOIN record_page p ON p.account_id = s.account_id AND p.path = {path} AND p.lang = {lang}
     AND p.build = {build}
     AND p.revision = COALESCE((SELECT r.revision FROM record_revision r WHERE r.person_id = a.person_id), 0)
     AND p.shared_revision = COALESCE((SELECT r.revision FROM record_revision r WHERE r.person_id = 0), 0)
WHERE s.key = {key}
"""

_prepared = weakref.WeakKeyDictionary()  # PostgreSQL connection → the statements it has prepared


def _run(database, name, sql, values):
    """Run `sql` with `values` (in the order of its markers); prepared once per connection on
    PostgreSQL, where planning costs more than running."""
    markers = sorted(values)  # the names, in the order the markers appear below
    if database.param != "%s":
        order = sorted(markers, key=lambda marker: sql.index("{" + marker + "}"))
        text = sql.format(**{marker: "?" for marker in markers})
        return database.execute_sql(text, [values[marker] for marker in order]).fetchone()
    connection = database.connection()
    done = _prepared.setdefault(connection, set())
    if name not in done:
        numbered = {marker: f"${number}" for number, marker in enumerate(markers, 1)}
        types = ", ".join("text" for _ in markers)
        database.execute_sql(f"PREPARE vss_{name}({types}) AS {sql.format(**numbered)}")
        done.add(name)
    marks = ", ".join("%s" for _ in markers)
    return database.execute_sql(f"EXECUTE vss_{name}({marks})", [values[m] for m in markers]).fetchone()


def revisions(database, session_key):
    """(person id, person's revision, shared revision) of a session's citizen, or None: read
    before the page is drawn, so a write during the drawing leaves a stamp older than the page."""
    return _run(database, "record_revisions", _REVISIONS, {"key": session_key})


def stored(database, session_key, path, lang, build):
    """(account_id, ended_at, end_reason, shared, created_at, last_seen_at, csrf, expires_at,
    gzipped page or None) of a session, or None."""
    row = _run(
        database, "record_page", _PAGE, {"key": session_key, "path": path, "lang": lang, "build": build}
    )
    if row is None or row[-1] is None:
        return row
    return (*row[:-1], bytes(row[-1]))  # psycopg2 gives a memoryview


def csrf_digest(token):
    """What a page is stamped with for the session's raw CSRF token (the token is not stored)."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def next_midnight(now):
    """The next midnight in Vietnam after `now` (UTC, naive), as UTC naive."""
    local = now.replace(tzinfo=dt.UTC).astimezone(VN)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=VN)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def minute_end(moment):
    """The end of `moment`'s minute (an aware datetime, as vn_now gives), as UTC naive."""
    start = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def valid_until(moment):
    """Called by a view whose page changes by itself at `moment` (UTC, naive): it is not
    answered from the store from then on."""
    g.record_page_until = min(moment, g.get("record_page_until", moment))


def expiry(now):
    """When the page being drawn stops being valid: the view's `valid_until`, or midnight."""
    return min(next_midnight(now), g.get("record_page_until", dt.datetime.max))


def store(account_id, path, lang, build, stamp, csrf, gzipped):
    """Keep a page drawn from `stamp` (person's and shared revisions), in place of any other."""
    _person, revision, shared_revision = stamp
    fields = {
        "build": build,
        "revision": revision,
        "shared_revision": shared_revision,
        "csrf": csrf_digest(csrf),
        "expires_at": expiry(utcnow()),
        "page": gzipped,
    }
    RecordPage.insert(account=account_id, path=path, lang=lang, **fields).on_conflict(
        conflict_target=[RecordPage.account, RecordPage.path, RecordPage.lang],
        preserve=[getattr(RecordPage, name) for name in fields],
    ).execute()
