"""The signed-in citizen's own records, read from the registry: participation periods with
their merged totals, benefits, medical visits. Every query is bound to the person."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from peewee import JOIN, SQL, NodeList, fn

from vss.core.db import FixedQuery, db, is_postgres
from vss.registry.directory import Employer, Facility
from vss.registry.registry import Benefit, HealthCard, MedicalVisit, ParticipationPeriod

PAGE = 20
BENEFIT_TABS = {
    "mot_lan": _l("Một lần"),
    "ods": _l("Ốm đau, thai sản, dưỡng sức"),  # VssID's tab says "ODS": plain words instead
    "hang_thang": _l("Hàng tháng"),
    "that_nghiep": _l("Thất nghiệp"),
}
BENEFIT_TITLES = {
    "mot_lan": _l("Thông tin hưởng BHXH 1 lần"),
    "ods": _l("Thông tin hưởng ốm đau, thai sản, dưỡng sức phục hồi sức khỏe"),
    "hang_thang": _l("Thông tin hưởng BHXH hàng tháng"),
    "that_nghiep": _l("Thông tin hưởng bảo hiểm thất nghiệp"),
}


def _month_index(day):
    return day.year * 12 + day.month - 1


def total_months(ranges):
    """Months covered by [(from_month, to_month)] (inclusive), overlaps counted once."""
    spans = sorted((_month_index(a), _month_index(b)) for a, b in ranges if a and b and a <= b)
    total, current = 0, None
    for start, end in spans:
        if current is None or start > current[1] + 1:
            if current:
                total += current[1] - current[0] + 1
            current = [start, end]
        else:
            current[1] = max(current[1], end)
    if current:
        total += current[1] - current[0] + 1
    return total


def years_months(months):
    """146 → '12 năm 2 tháng' ('12 years 2 months'): each part with the language's plural rule."""
    years, rest = divmod(months, 12)
    return " ".join(
        (ngettext("%(num)d năm", "%(num)d năm", years), ngettext("%(num)d tháng", "%(num)d tháng", rest))
    )


def periods(person, scheme, page=1):
    """One page (20 rows, newest first) of a scheme's periods, whether there is a next page,
    and the merged total of the whole scheme."""
    rows = _PERIODS.rows(person.id, scheme, PAGE + 1, (page - 1) * PAGE)
    ranges = [(row.from_month, row.to_month) for row in _RANGES.rows(person.id, scheme)]
    return rows[:PAGE], len(rows) > PAGE, total_months(ranges)


# The SQL of the queries below is made once (vss.core.db.FixedQuery): a signed-in page asks one
# of them on every view, and peewee would write it anew each time (more than running it costs).
_PERIODS = FixedQuery(
    # The page's size and start are parameters too: one SQL for every page.
    lambda person_id, scheme, limit, offset: (
        # With the employer: the page names it on every row (no query per row).
        ParticipationPeriod.select(ParticipationPeriod, Employer)
        .join(Employer, JOIN.LEFT_OUTER)
        .where((ParticipationPeriod.person == person_id) & (ParticipationPeriod.scheme == scheme))
        .order_by(ParticipationPeriod.from_month.desc(), ParticipationPeriod.id.desc())
        .limit(limit)
        .offset(offset)
    )
)
_RANGES = FixedQuery(
    lambda person_id, scheme: ParticipationPeriod.select(
        ParticipationPeriod.from_month, ParticipationPeriod.to_month
    ).where((ParticipationPeriod.person == person_id) & (ParticipationPeriod.scheme == scheme))
)
_PERIOD = FixedQuery(
    lambda person_id, period_id: (
        ParticipationPeriod.select(ParticipationPeriod, Employer)
        .join(Employer, JOIN.LEFT_OUTER)
        .where((ParticipationPeriod.person == person_id) & (ParticipationPeriod.id == period_id))
        .limit(1)
    )
)
_BENEFITS = FixedQuery(
    lambda person_id, kind: (
        Benefit.select()
        .where((Benefit.person == person_id) & (Benefit.kind == kind))
        .order_by(Benefit.from_date.desc())
    )
)


def _year(field):
    # A datetime's year written without a parameter (FixedQuery's values must come first; peewee
    # would pass 'year' as one on SQLite). SQLite keeps datetimes as ISO text.
    if is_postgres(db.obj):
        return fn.EXTRACT(NodeList((SQL("YEAR"), SQL("FROM"), field)))
    return fn.strftime(SQL("'%Y'"), field)


_VISIT_YEARS = FixedQuery(
    # Only the years, one row each (not every visit's time).
    lambda person_id: (
        MedicalVisit.select(_year(MedicalVisit.admitted_at))
        .where(MedicalVisit.person == person_id)
        .distinct()
        .tuples()
    )
)
_VISITS = FixedQuery(
    lambda person_id, start, end: (
        # With its facility: the page names it on every row (no query per row).
        MedicalVisit.select(MedicalVisit, Facility)
        .join(Facility)
        .where(
            (MedicalVisit.person == person_id)
            & (MedicalVisit.admitted_at >= start)
            & (MedicalVisit.admitted_at < end)
        )
        .order_by(MedicalVisit.admitted_at.desc())
    )
)


def period(person, period_id):
    """One of the person's periods, or None (another person's id is not found)."""
    rows = _PERIOD.rows(person.id, period_id)
    return rows[0] if rows else None


def benefits(person, kind):
    return _BENEFITS.rows(person.id, kind)


def visit_years(person):
    """Years that have visits, newest first."""
    return sorted((int(year) for (year,) in _VISIT_YEARS.rows(person.id)), reverse=True)


def visits(person, year):
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    rows = _VISITS.rows(person.id, start, end)
    totals = {
        "total": sum(v.total_cost for v in rows),
        "fund": sum(v.fund_paid for v in rows),
        "patient": sum(v.patient_paid for v in rows),
    }
    return rows, totals


# Its SQL made once (vss.core.db.FixedQuery): the card pages ask it on every view.
_CURRENT_CARD = FixedQuery(
    lambda person_id: (
        HealthCard.select(HealthCard, Facility)
        .join(Facility)
        .where(HealthCard.person == person_id)
        .order_by(HealthCard.valid_from.desc(), HealthCard.id.desc())
        .limit(1)
    )
)


def current_card(person):
    """The person's latest card, with its primary-care facility (one query)."""
    rows = _CURRENT_CARD.rows(person.id)
    return rows[0] if rows else None
