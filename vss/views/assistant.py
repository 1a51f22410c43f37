"""Trợ lý ảo: ask a question, get the best FAQ answer with its source, say whether it helped.

Without JavaScript the form posts and redirects to /tro-ly?hoi=…, which shows the answer (the
latest exchange only). With htmx the answer is appended below the earlier ones (a conversation
in the page) and the question box comes back empty."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from htmx_flask import request
from jinja2_fragments.flask import render_block

from vss.core.errors import UserError
from vss.support import assistant, faq, votes
from vss.views.render import page
from vss.web.forms import AskForm, VoteForm

bp = Blueprint("assistant", __name__, url_prefix="/tro-ly")
PAGE = "support/assistant.html"


def feedback_url(question=""):
    """The feedback form with `question` filled in."""
    return url_for("feedback.new", **({"noi_dung": question} if question else {}))


def entry_link(entry):
    """Where an entry's "go there" link leads."""
    return feedback_url() if entry.link == faq.FEEDBACK else entry.link


def _lang():
    return "en" if str(get_locale()) == "en" else "vi"


def _exchange(question):
    """The question, the assistant's answer, and what the page offers with it."""
    lang = _lang()
    answer = assistant.ask(question, lang)
    return {
        "question": question,
        "answer": answer,
        "ticket": votes.ticket(answer.entry, question, lang) if answer.entry else None,
        "feedback": feedback_url(question),
    }


def _context(**context):
    return {"lang": _lang(), "entry_link": entry_link, "feedback_url": feedback_url, **context}


@bp.get("")
def ask_page():
    """The question box, the answer to `hoi` if given, and the list of questions."""
    form, exchange = AskForm(formdata=None), None
    if "hoi" in request.args:
        asked = AskForm(formdata=request.args, meta={"csrf": False})
        if asked.validate():
            exchange = _exchange(asked.hoi.data)
        else:
            form = asked
    return page(PAGE, form=form, exchange=exchange, topics=faq.entries_by_topic(), **_context())


@bp.post("")
def ask():
    """A question: plain, redirect to the page that answers it; htmx, the exchange to append."""
    form = AskForm()
    if not form.validate():
        if request.htmx:  # the question box again, with its message, where it was
            html = render_block(PAGE, "ask_form", form=form, **_context())
            return html, 200, {"HX-Retarget": "#hoi-khung", "HX-Reswap": "outerHTML"}
        return page(PAGE, form=form, exchange=None, topics=faq.entries_by_topic(), **_context())
    if request.htmx:
        return render_template(
            "support/_exchange.html",
            exchange=_exchange(form.hoi.data),
            form=AskForm(formdata=None),
            oob=True,
            **_context(),
        )
    return redirect(url_for(".ask_page", hoi=form.hoi.data, _anchor="hoi-dap"), 303)


@bp.post("/danh-gia")
def vote():
    """“Câu trả lời có giúp ích không?” — yes or no, once per answer shown (a second press
    changes it)."""
    form = VoteForm()
    helpful = form.giup_ich.data == "co"
    question = form.hoi.data if not form.hoi.errors else ""
    if form.validate():
        try:
            votes.record(form.phieu.data, helpful, client=request.remote_addr)
            message, ok = _("Cảm ơn bạn đã cho biết."), True
        except UserError as error:
            message, ok = str(error.message), False
    else:
        message, ok = _("Phiếu đánh giá không hợp lệ."), False
    if request.htmx:
        return render_template(
            "support/_voted.html", message=message, ok=ok, helpful=helpful, question=question, **_context()
        )
    flash(message, "message" if ok else "error")
    if question and not form.errors:
        return redirect(url_for(".ask_page", hoi=question, _anchor="hoi-dap"), 303)
    return redirect(url_for(".ask_page"), 303)


@bp.get("/cau-hoi/<slug>")
def entry(slug):
    """One question with its answer (the source an answer names)."""
    found = faq.by_slug(slug)
    if found is None:
        abort(404)
    return page("support/entry.html", entry=found, **_context())
