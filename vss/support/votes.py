"""“Câu trả lời có giúp ích không?”: one yes or no per answer shown, kept so staff can see which
answers fail. No account is needed. Each answer shown carries a signed ticket (the entry, a random
nonce, the question with its digits masked); a vote stores the ticket's nonce once, so a double
submit or a change of mind updates the same row, and votes are bounded per client."""

import secrets

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from peewee import BooleanField, CharField, DateTimeField

from vss.core import limits
from vss.core.clock import utcnow
from vss.core.db import BaseModel, transaction
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.support import faq, wording

TICKET_SECONDS = 24 * 3600  # a vote must come within a day of the answer
QUESTION_KEPT = 200
VOTE_BUDGET = limits.Budget(
    "faq-vote", 60, 3600, _l("Bạn đã gửi quá nhiều đánh giá. Vui lòng thử lại sau một giờ.")
)
STALE = _l("Phiếu đánh giá này đã hết hạn. Vui lòng hỏi lại rồi đánh giá câu trả lời mới.")


class FaqVote(BaseModel):
    """Was this answer, shown for this question, helpful? (slug, not a key: votes outlive entries)"""

    nonce = CharField(max_length=32, unique=True)
    slug = CharField(max_length=64, index=True)
    lang = CharField(max_length=2)
    question = CharField(max_length=QUESTION_KEPT)
    helpful = BooleanField()
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


MODELS = [FaqVote]


def _serializer():
    return URLSafeTimedSerializer(settings.SECRET_KEY, salt="vss-faq-vote")


def ticket(entry, question, lang):
    """The signed ticket an answer's vote form carries."""
    kept = wording.mask_digits(" ".join(question.split()))[:QUESTION_KEPT]
    return _serializer().dumps([entry.slug, secrets.token_hex(16), lang, kept])


def record(signed, helpful, client):
    """Store (or change) the vote of the answer `signed` names; returns the entry's slug."""
    try:
        slug, nonce, lang, question = _serializer().loads(signed, max_age=TICKET_SECONDS)
    except (BadSignature, ValueError, TypeError):
        raise UserError(STALE, code="stale") from None
    if faq.by_slug(slug) is None:
        raise UserError(STALE, code="stale")
    with transaction():
        limits.spend(VOTE_BUDGET, client)
        FaqVote.insert(nonce=nonce, slug=slug, lang=lang, question=question, helpful=helpful).on_conflict(
            conflict_target=[FaqVote.nonce], update={FaqVote.helpful: helpful, FaqVote.updated_at: utcnow()}
        ).execute()
    return slug


def tally():
    """{slug: (helpful, not helpful)} — what staff would look at first."""
    counts = {}
    for vote in FaqVote.select(FaqVote.slug, FaqVote.helpful):
        yes, no = counts.get(vote.slug, (0, 0))
        counts[vote.slug] = (yes + vote.helpful, no + (not vote.helpful))
    return counts
