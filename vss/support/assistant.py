"""The assistant: a question in, the best FAQ answer out — or an honest "no answer yet".

1. The question is read like the index (vss/support/wording.py): folded, short forms respelled.
2. Its syllables are looked up in the stored vocabulary; one the FAQ never uses is repaired if
   it is Telex typed with the keyboard off or one slip away from a FAQ word (ties go to the
   word that makes a known pair with its neighbour, then the commoner one).
3. The database's own full-text search ranks the entries holding any of the terms: FTS5's bm25
   (question ×8, other wordings ×4, answer ×1) on SQLite; on PostgreSQL the sum over terms of
   ts_rank (question A, wordings B, answer C) times the term's rarity, since ts_rank alone knows
   no rarity. Only letters and digits reach the query: no FTS syntax can be injected.
4. The best entry answers if it covers enough of what was asked: the rarity-weighted share of the
   question's words it holds (a word only in its answer counts half; a word the FAQ never uses
   counts against it). Below that, "no answer yet", with the closest questions offered.

The reader's language is searched first, then the other (an English reader may type Vietnamese)."""

import math
from typing import NamedTuple

from peewee import fn

from vss.core.db import db, is_postgres
from vss.support import faq, wording

CANDIDATES = 5
ANSWER_COVERAGE = 0.5  # share of the question an entry must cover to answer it
RELATED_COVERAGE = 0.25  # …to be offered as a close question
QUESTION_MAX = 300


class Answer(NamedTuple):
    """What the assistant says: `entry` (None: no answer yet), close questions, and how sure."""

    entry: object
    related: list
    coverage: float


class _Query(NamedTuple):
    words: list  # syllables (and typed pairs) after repair, without stop words
    pairs: list
    weights: dict  # term → rarity (idf)
    unknown: int  # words the FAQ never uses
    rarest: float  # the weight of a term only one entry holds (an unknown word weighs that)


def ask(question, lang):
    """The best answer to `question` for a reader of `lang` ('vi' or 'en')."""
    question = (question or "")[:QUESTION_MAX]
    total = faq.ensure_current()
    best = Answer(None, [], 0.0)
    for search_lang in (lang, "en" if lang == "vi" else "vi"):
        answer = _answer(question, search_lang, total)
        if answer.entry is not None:
            return answer
        if not best.related:
            best = answer
    return best


def _answer(question, lang, total):
    query = _read(question, lang, total)
    if not any(t in query.weights for t in query.words):
        return Answer(None, [], 0.0)
    rows = _search(query, lang)
    scored = [(_coverage(query, row), entry_id) for entry_id, *row in rows]
    if not scored:
        return Answer(None, [], 0.0)
    entries = {e.id: e for e in faq.FaqEntry.select().where(faq.FaqEntry.id.in_([i for _c, i in scored]))}
    coverage, first = scored[0]
    if coverage >= ANSWER_COVERAGE:
        related = [entries[i] for c, i in scored[1:] if c >= ANSWER_COVERAGE][:2]
        return Answer(entries[first], related, coverage)
    related = [entries[i] for c, i in scored if c >= RELATED_COVERAGE][:3]
    return Answer(None, related, coverage)


def _read(question, lang, total):
    """The question's terms, repaired against the stored vocabulary, with their weights."""
    phrases = wording.phrases(question, lang)
    syllables = {w for phrase in phrases for w in phrase}
    known = _vocabulary(lang, syllables)
    unknown = {w for w in syllables if w not in known and not wording.is_stop(w, lang) and not w.isdigit()}
    if unknown:
        fixes = _repairs(unknown, phrases, lang)
        phrases = [[fixes.get(w, w) for w in phrase] for phrase in phrases]
        known.update(_vocabulary(lang, set(fixes.values())))
    words, pairs = wording.terms_of(phrases, lang)
    known.update(_vocabulary(lang, set(pairs) - set(known)))
    weights = {t: math.log(1 + total / known[t]) for t in words + pairs if t in known}
    unknown = sum(w not in known and not w.isdigit() for w in words)  # a number says nothing of the topic
    return _Query(words, [p for p in pairs if p in known], weights, unknown, math.log(1 + total))


def _vocabulary(lang, terms):
    """{term: entries holding it} for those of `terms` in the index."""
    terms = [t for t in terms if len(t) <= 64]
    if not terms:
        return {}
    rows = faq.FaqVocab.select(faq.FaqVocab.term, faq.FaqVocab.df).where(
        (faq.FaqVocab.lang == lang) & faq.FaqVocab.term.in_(terms)
    )
    return dict(rows.tuples())


def _repairs(words, phrases, lang):
    """{word: the FAQ word it was meant to be} for those of `words` that can be repaired: Telex
    typed with the keyboard off, or a slip away from an indexed term. A short syllable is a slip
    away from many others, so a slip is taken only when the repaired word makes an indexed pair
    with a neighbour that is not a stop word (or the word is long and one slip away)."""
    low, high = max(1, min(map(len, words)) - 2), max(map(len, words)) + 2
    vocabulary = dict(
        faq.FaqVocab.select(faq.FaqVocab.term, faq.FaqVocab.df)
        .where((faq.FaqVocab.lang == lang) & fn.LENGTH(faq.FaqVocab.term).between(low, high))
        .tuples()
    )
    fixes, candidates = {}, {}
    for word in words:
        telex = sorted(f for f in wording.telex_forms(word) if f in vocabulary)
        if telex:
            fixes[word] = telex[0]
            continue
        limit = wording.typo_limit(word)
        near = [(wording.distance(word, t, limit), t) for t in vocabulary] if limit else []
        candidates[word] = [(d, t) for d, t in near if 0 < d <= limit]
    neighbours = {word: set() for word in candidates}
    for phrase in phrases:
        for i, w in enumerate(phrase):
            if w in neighbours:
                neighbours[w].update(n for n in phrase[max(0, i - 1) : i + 2] if n != w)
    for word in neighbours:
        neighbours[word] = {n for n in neighbours[word] if not wording.is_stop(n, lang)}
    pairs = {
        p for w, near in candidates.items() for _d, t in near for n in neighbours[w] for p in (n + t, t + n)
    }
    known_pairs = _vocabulary(lang, pairs)
    for word, near in candidates.items():
        ranked = []
        for d, term in near:
            paired = any(n + term in known_pairs or term + n in known_pairs for n in neighbours[word])
            if paired or (d == 1 and len(word) >= 6):
                ranked.append((d, not paired, term[0] != word[0], -vocabulary[term], term))
        if ranked:
            fixes[word] = min(ranked)[-1]
    return fixes


def _search(query, lang):
    """[(entry id, title, keywords, body)] of the best entries, best first, by the database's own
    full-text ranking."""
    terms = [t for t in query.words + query.pairs if t in query.weights]
    if is_postgres():
        ranks = " + ".join(["ts_rank(vector, to_tsquery('simple', %s)) * %s"] * len(terms))
        params = [v for t in terms for v in (t, query.weights[t])]
        sql = (
            f"SELECT entry, title, keywords, body, {ranks} AS score FROM faq_text"  # noqa: S608 - fixed SQL, values bound
            " WHERE lang = %s AND vector @@ to_tsquery('simple', %s) ORDER BY score DESC, entry LIMIT %s"
        )
        cursor = db.execute_sql(sql, [*params, lang, " | ".join(terms), CANDIDATES])
    else:
        sql = (
            "SELECT t.entry, t.title, t.keywords, t.body FROM faq_fts JOIN faq_text t ON t.id = faq_fts.rowid"
            " WHERE faq_fts MATCH ? AND t.lang = ? ORDER BY bm25(faq_fts, 8.0, 4.0, 1.0), t.entry LIMIT ?"
        )
        cursor = db.execute_sql(sql, [" OR ".join(f'"{t}"' for t in terms), lang, CANDIDATES])
    return [row[:4] for row in cursor.fetchall()]


def _coverage(query, row):
    """The rarity-weighted share of the question's words that an entry holds."""
    title, keywords, body = (set(text.split()) for text in row)
    asked = [w for w in query.words if w in query.weights]
    total = sum(query.weights[w] for w in asked) + query.rarest * query.unknown
    held = sum(
        query.weights[w] * (1.0 if w in title or w in keywords else 0.5 if w in body else 0.0) for w in asked
    )
    return held / total if total else 0.0
