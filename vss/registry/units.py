"""Tra cứu đơn vị tham gia BHXH (employers) and điểm thu, đại lý thu (collection agents): the
directory's public look-ups. Every answer is one bounded query: a page of PAGE_SIZE rows (one
more is read to know whether there is a next page), and at most MAX_PAGES pages — a search that
matches more is narrowed by typing more, never paged through whole."""

import re

from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError
from vss.registry.directory import CollectionAgent, Employer
from vss.registry.names import fold

PAGE_SIZE = 20
MAX_PAGES = 50
SHORTEST = 2  # folded characters a name search needs (one letter would match nearly every row)
TOO_SHORT = _l("Vui lòng nhập ít nhất 2 ký tự của tên đơn vị, hoặc mã số thuế, mã đơn vị.")
TAX_CODE = re.compile(r"[0-9]{10}(?:[0-9]{3})?")  # 10 digits, or 13 for a branch (…-001)
UNIT_CODE = re.compile(r"[A-Z]{2}[0-9]{4}[A-Z]")  # the BHXH code of a unit, e.g. TA1234B


class Page:
    """A page of rows, its number and whether another follows."""

    def __init__(self, rows, number):
        self.rows, self.number = rows[:PAGE_SIZE], number
        self.more = len(rows) > PAGE_SIZE and number < MAX_PAGES


def _page(query, number):
    """Page `number` of `query`; a page past the last is the last (its links then lead back)."""
    number = max(1, min(number, MAX_PAGES))
    rows = list(query.limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE))
    if not rows and number > 1:
        total = query.limit(MAX_PAGES * PAGE_SIZE).count()
        number = max(1, -(-total // PAGE_SIZE))
        rows = list(query.limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE))
    return Page(rows, number)


def employers(province_code, text, number=1):
    """Employers of a province found by tax code, unit code or name (marks and case folded:
    'cong ty' finds 'Công ty'), by name. UserError when a name search is too short to mean
    anything."""
    compact = re.sub(r"[\s.\-]", "", text or "").upper()
    where = Employer.province_code == province_code
    if TAX_CODE.fullmatch(compact):
        where &= Employer.tax_code == compact
    elif UNIT_CODE.fullmatch(compact):
        where &= Employer.code == compact
    else:
        folded = fold(text)
        if len(folded) < SHORTEST:
            raise UserError(TOO_SHORT, field="q", code="too_short")
        where &= Employer.search_name.contains(folded)
    return _page(Employer.select().where(where).order_by(Employer.search_name, Employer.id), number)


def agents(province_code, ward_code=None, number=1):
    """Collection points and agents of a ward (or of the whole province), post offices first."""
    where = CollectionAgent.province_code == province_code
    if ward_code:
        where &= CollectionAgent.ward_code == ward_code
    return _page(CollectionAgent.select().where(where).order_by(CollectionAgent.code), number)
