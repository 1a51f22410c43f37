"""The FAQ and help guides the assistant answers from.

Where they live: `faq.toml` beside this module is the source — each entry in Vietnamese and
English side by side, reviewed and versioned with the code (an answer names pages and rules of
this code, so it changes with them). The database holds the copy that is searched: the entries,
their folded text per language (indexed by SQLite FTS5 or a PostgreSQL tsvector) and the
vocabulary with each term's document frequency. `ensure_current()` reloads that copy whenever
the file or the way words are folded changed (a content hash stored in `faq_state`), so a deploy
updates it on the first question, in one transaction, once across all workers.

Why not the message catalog: the English reader must be able to *ask* in English, so the English
text has to be in the database's index, not only in a .mo file; and answers are content, edited
as whole paragraphs beside their Vietnamese, not UI strings."""

import hashlib
import re
import tomllib
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from peewee import CharField, IntegerField, TextField

from vss.core.db import BaseModel, db, is_postgres, serialize, transaction
from vss.support import wording

# An entry's name in its link: lowercase ASCII words joined by hyphens (faq.toml).
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)

SOURCE = Path(__file__).with_name("faq.toml")
LANGS = ("vi", "en")
FEEDBACK = "feedback"  # an entry's link to the feedback page (its URL is made by the view)
# Where an answer comes from (shown as its source).
ORIGINS = {
    "000": _l("Công văn 3717/BHXH-CNTT của BHXH Việt Nam"),
    "002": _l("Hướng dẫn đăng ký của BHXH TP. Hồ Chí Minh"),
    "003": _l("Tài liệu hướng dẫn VssID (LĐLĐ tỉnh Lai Châu)"),
    "004": _l("Thông báo của BHXH Việt Nam về thẻ BHYT trên ứng dụng (2021)"),
    "vss": _l("Hướng dẫn sử dụng VSS"),
    "guide": _l("Hướng dẫn sử dụng VSS"),
}
TOPICS = {
    "register": _l("Đăng ký tài khoản"),
    "signin": _l("Đăng nhập và mật khẩu"),
    "account": _l("Tài khoản"),
    "card": _l("Thẻ BHYT"),
    "records": _l("Quá trình tham gia và quyền lợi"),
    "lookup": _l("Tra cứu"),
    "about": _l("Về dịch vụ"),
}


class FaqEntry(BaseModel):
    """One question with its answer in both languages."""

    slug = CharField(max_length=64, unique=True)
    position = IntegerField()
    topic = CharField(max_length=16)
    kind = CharField(max_length=8)  # faq / guide
    origin = CharField(max_length=8)
    link = CharField(max_length=128, default="")
    q_vi = TextField()
    a_vi = TextField()
    q_en = TextField()
    a_en = TextField()

    def question(self, lang):
        """The question in `lang` (Vietnamese for any other)."""
        return self.q_en if lang == "en" else self.q_vi

    def answer(self, lang):
        """The answer in `lang` (Vietnamese for any other)."""
        return self.a_en if lang == "en" else self.a_vi

    @property
    def origin_label(self):
        """Where the answer comes from, for people."""
        return ORIGINS.get(self.origin, ORIGINS["vss"])


class FaqText(BaseModel):
    """An entry's searchable text in one language, folded (wording.index_terms): the question,
    the other ways of asking it, the answer. Indexed by `faq_fts` (SQLite) or `vector` (PostgreSQL,
    a column the migration adds)."""

    entry = IntegerField(index=True)
    lang = CharField(max_length=2)
    title = TextField()
    keywords = TextField()
    body = TextField()


class FaqVocab(BaseModel):
    """Every term of the index with the number of entries holding it (its rarity weighs it)."""

    lang = CharField(max_length=2)
    term = CharField(max_length=64)
    df = IntegerField()

    class Meta:
        indexes = ((("lang", "term"), True),)


class FaqState(BaseModel):
    """The version of the FAQ the database holds (one row)."""

    version = CharField(max_length=64)
    entries = IntegerField()


MODELS = [FaqEntry, FaqText, FaqVocab, FaqState]


@cache
def source_entries():
    """The entries of faq.toml (immutable data read once per process)."""
    with SOURCE.open("rb") as handle:
        entries = tomllib.load(handle)["entry"]
    return tuple(entries)


@cache
def version():
    """A hash of the FAQ and of the folding code: when either changes, the index is rebuilt."""
    digest = hashlib.sha256(SOURCE.read_bytes())
    digest.update(Path(wording.__file__).read_bytes())
    return digest.hexdigest()[:32]


def ensure_current():
    """Load the FAQ into the database if the stored copy is not this version (one query when
    it is). Concurrent first questions load it once: the loser of the race finds it current."""
    state = FaqState.get_or_none()
    if state is not None and state.version == version():
        return state.entries
    with transaction():
        serialize("vss-faq-load")
        state = FaqState.get_or_none()
        if state is not None and state.version == version():
            return state.entries
        count = _load(source_entries())
        FaqState.delete().execute()
        FaqState.create(version=version(), entries=count)
    return count


def _load(entries):
    """Replace the stored copy with `entries` (inside the caller's transaction). Entries keep
    their ids by slug, so links and votes stay meaningful across versions."""
    slugs = [e["slug"] for e in entries]
    FaqEntry.delete().where(FaqEntry.slug.not_in(slugs)).execute()
    for position, e in enumerate(entries):
        fields = {k: e[k] for k in ("topic", "kind", "origin", "q_vi", "a_vi", "q_en", "a_en")}
        fields["link"] = e.get("link", "")
        FaqEntry.insert(slug=e["slug"], position=position, **fields).on_conflict(
            conflict_target=[FaqEntry.slug], update={**fields, "position": position}
        ).execute()
    ids = dict(FaqEntry.select(FaqEntry.slug, FaqEntry.id).tuples())
    FaqText.delete().execute()
    FaqVocab.delete().execute()
    rows, frequency = [], {lang: {} for lang in LANGS}
    for e in entries:
        for lang in LANGS:
            text = {
                "title": wording.index_terms(e[f"q_{lang}"], lang),
                "keywords": wording.index_terms(e.get(f"kw_{lang}", ""), lang),
                "body": wording.index_terms(e[f"a_{lang}"], lang),
            }
            rows.append({"entry": ids[e["slug"]], "lang": lang, **text})
            for term in set(" ".join(text.values()).split()):
                frequency[lang][term] = frequency[lang].get(term, 0) + 1
    FaqText.insert_many(rows).execute()
    vocab = [
        {"lang": lang, "term": term[:64], "df": df} for lang in LANGS for term, df in frequency[lang].items()
    ]
    for start in range(0, len(vocab), 500):
        FaqVocab.insert_many(vocab[start : start + 500]).on_conflict_ignore().execute()
    _reindex()
    return len(entries)


def _reindex():
    """Rebuild the database's full-text index of faq_text."""
    if is_postgres():
        db.execute_sql(
            "UPDATE faq_text SET vector = setweight(to_tsvector('simple', title), 'A')"
            " || setweight(to_tsvector('simple', keywords), 'B')"
            " || setweight(to_tsvector('simple', body), 'C')"
        )
    else:
        db.execute_sql("INSERT INTO faq_fts(faq_fts) VALUES ('rebuild')")


def entries_by_topic():
    """[(topic label, [entries])] in the file's order, for the list of questions."""
    ensure_current()
    groups = {}
    for entry in FaqEntry.select().order_by(FaqEntry.position):
        groups.setdefault(entry.topic, []).append(entry)
    return [(TOPICS.get(topic, topic), items) for topic, items in groups.items()]


def by_slug(slug):
    """The entry named `slug`, or None."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        return None
    ensure_current()
    return FaqEntry.get_or_none(FaqEntry.slug == slug)
