"""The stored card page: "Xem thẻ Bảo hiểm y tế" drawn once per issuance, language, build and card
revision, kept gzip-compressed, and found again with the session in one query (the hot path of
vss.views.card_page)."""

import weakref

from peewee import BlobField, CharField, CompositeKey, ForeignKeyField, IntegerField

from vss.cards.cards import CardIssuance
from vss.core.db import BaseModel


class CardPage(BaseModel):
    """The card page of an issuance in one language, gzip (kept in its row on PostgreSQL: see
    migration 0007), with what it was drawn from: the build and the card's revision."""

    issuance = ForeignKeyField(CardIssuance, on_delete="CASCADE")
    lang = CharField(max_length=2)
    build = CharField(max_length=16, default="")
    revision = IntegerField(default=0)
    page = BlobField()

    class Meta:
        primary_key = CompositeKey("issuance", "lang")


MODELS = [CardPage]

# The card page, the hot path: one query finds the session and the stored page (in one
# language) of the latest card's current issuance, drawn by this build from the card's
# current revision.
CARD_PAGE_SQL = """
SELECT s.account_id, s.ended_at, s.end_reason, s.shared, s.created_at, s.last_seen_at, p.page
FROM citizen_session s
JOIN account a ON a.id = s.account_id
LEFT JOIN health_card c ON c.id = (SELECT h.id FROM health_card h WHERE h.person_id = a.person_id
                                   ORDER BY h.valid_from DESC, h.id DESC LIMIT 1)
LEFT JOIN card_issuance ci ON ci.card_id = c.id AND ci.version = c.version
LEFT JOIN card_page p ON p.issuance_id = ci.id AND p.lang = {lang} AND p.build = {build}
                     AND p.revision = c.revision
WHERE s.key = {key}
"""

_prepared = weakref.WeakSet()  # PostgreSQL connections that have the statement


def stored_card_page(database, session_key, lang, build):
    """(account_id, ended_at, end_reason, shared, created_at, last_seen_at, gzipped page or None)
    of a session, or None.
    On PostgreSQL the statement is prepared once per connection: planning it costs more than
    running it."""
    if database.param != "%s":
        # Positional markers, in the order they appear in the statement.
        sql = CARD_PAGE_SQL.format(key="?", lang="?", build="?")
        row = database.execute_sql(sql, (lang, build, session_key)).fetchone()
    else:
        connection = database.connection()
        if connection not in _prepared:
            database.execute_sql(
                "PREPARE vss_card_page(text, text, text) AS "
                + CARD_PAGE_SQL.format(key="$1", lang="$2", build="$3")
            )
            _prepared.add(connection)
        row = database.execute_sql("EXECUTE vss_card_page(%s, %s, %s)", (session_key, lang, build)).fetchone()
    if row is None or row[-1] is None:
        return row
    return (*row[:-1], bytes(row[-1]))  # psycopg2 gives a memoryview


def store_card_page(issued, card, lang, build, gzipped):
    """Keep the page drawn by `build` from `card` (as read before drawing) for one language, in
    place of any other build's or revision's (two first views at once: either)."""
    (
        CardPage.insert(issuance=issued.id, lang=lang, build=build, revision=card.revision, page=gzipped)
        .on_conflict(
            conflict_target=[CardPage.issuance, CardPage.lang],
            preserve=[CardPage.build, CardPage.revision, CardPage.page],
        )
        .execute()
    )
