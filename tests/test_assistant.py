"""The assistant's parts: folding and reading words (vss/support/wording.py), the FAQ's stored
copy (vss/support/faq.py: complete in both languages, reloaded when it changes, once under a race)
and the search (vss/support/assistant.py) on inputs that must never break it."""

import pytest

from tests.conftest import PG_URL, run_concurrently
from vss.core.db import db
from vss.support import assistant, faq, wording


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Quên mật khẩu", "quen mat khau"),
        ("ĐĂNG KÝ Đà Nẵng", "dang ky da nang"),
        ("Thẻ BHYT", "the bhyt"),
        ("Quê\u0302n", "quen"),  # decomposed marks (a phone keyboard's NFD)
    ],
)
def test_fold(text, folded):
    assert wording.fold(text) == folded


def test_short_forms_and_regional_words_become_the_faq_words():
    assert wording.phrases("ko nhận đc mk", "vi") == [["khong", "nhan", "duoc", "mat", "khau"]]
    assert wording.phrases("dk cho ba má", "vi") == [["dang", "ky", "cho", "bo", "me"]]
    assert wording.phrases("bảo hiểm y tế", "vi") == [["bhyt"]]
    assert wording.telex_forms("khaaur") >= {"khau"}
    assert wording.distance("khua", "khau") == 1 and wording.distance("abc", "xyzw") == 3


def test_the_faq_has_at_least_30_entries_complete_in_both_languages(app):
    entries = faq.source_entries()
    assert len(entries) >= 30
    assert len({e["slug"] for e in entries}) == len(entries)
    for e in entries:
        for key in ("q_vi", "a_vi", "q_en", "a_en", "kw_vi", "kw_en"):
            assert e.get(key, "").strip(), (e["slug"], key)
        assert e["topic"] in faq.TOPICS and e["origin"] in faq.ORIGINS
        assert not wording.VIETNAMESE_LETTER.search(e["q_en"] + e["a_en"]), e["slug"]


def test_every_link_of_the_faq_is_a_page_of_vss(app):
    adapter = app.url_map.bind("localhost")
    for e in faq.source_entries():
        if e.get("link") and e["link"] != faq.FEEDBACK:
            adapter.match(e["link"], method="GET")  # raises NotFound for a page that does not exist


def test_the_stored_copy_is_loaded_once_and_reloaded_when_the_faq_changes(app):
    with app.app_context():
        count = faq.ensure_current()
        assert count == len(faq.source_entries()) == faq.FaqEntry.select().count()
        ids = dict(faq.FaqEntry.select(faq.FaqEntry.slug, faq.FaqEntry.id).tuples())
        faq.FaqState.update(version="older").execute()
        faq.FaqEntry.update(a_vi="cũ").where(faq.FaqEntry.slug == "quen-mat-khau").execute()
        faq.ensure_current()
        assert faq.by_slug("quen-mat-khau").a_vi.startswith("Chọn")
        assert dict(faq.FaqEntry.select(faq.FaqEntry.slug, faq.FaqEntry.id).tuples()) == ids  # ids kept
        assert faq.FaqState.select().count() == 1


def test_first_questions_at_once_load_the_faq_once(app):
    answers = []

    def first_question(_n):
        with app.app_context():
            answers.append(assistant.ask("quen mat khau", "vi").entry.slug)

    run_concurrently(8, first_question)
    assert answers == ["quen-mat-khau"] * 8
    with app.app_context():
        assert faq.FaqEntry.select().count() == len(faq.source_entries())
        assert faq.FaqText.select().count() == 2 * len(faq.source_entries())


def test_models_match_the_migrated_schema(app):
    with app.app_context():
        for model in faq.MODELS + [assistant_votes()]:
            table = model._meta.table_name
            columns = {c.name for c in db.obj.get_columns(table)}
            fields = {f.column_name for f in model._meta.sorted_fields}
            extra = {"vector"} if PG_URL and table == "faq_text" else set()
            assert columns == fields | extra, table


def assistant_votes():
    from vss.support.votes import FaqVote

    return FaqVote


@pytest.mark.parametrize(
    "question",
    [
        "",
        " ",
        "\x00",
        "a" * 10_000,
        '"',
        "*",
        "NEAR(a b)",
        "-",
        ":",
        "()",
        "OR",
        "AND",
        "NOT x",
        "^",
        "đ" * 300,
        "١٢٣",
        "²",
        "\u202e",
        "🙂",
        "quen mat khau " * 100,
    ],
)
def test_any_text_gets_an_answer_or_none_never_an_error(app, question):
    with app.app_context():
        for lang in ("vi", "en"):
            answer = assistant.ask(question, lang)
            assert answer.entry is None or answer.entry.slug


def test_a_long_question_sends_a_bounded_query(app):
    words, pairs = wording.terms_of(wording.phrases(" ".join(f"tu{n}" for n in range(500)), "vi"), "vi")
    assert len(words) + len(pairs) <= wording.MAX_TERMS
