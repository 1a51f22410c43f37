"""The signed-in citizen's own records, read from the registry: participation periods with
their merged totals, benefits, medical visits. Every query is bound to the person."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from vss.registry.directory import Facility
from vss.registry.registry import Benefit, HealthCard, MedicalVisit, ParticipationPeriod

PAGE = 20
BENEFIT_TABS = {
    "mot_lan": _l("Một lần"),
    "ods": _l("ODS"),  # ốm đau, thai sản, dưỡng sức: VssID's own tab name
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
    query = (
        ParticipationPeriod.select()
        .where((ParticipationPeriod.person == person) & (ParticipationPeriod.scheme == scheme))
        .order_by(ParticipationPeriod.from_month.desc(), ParticipationPeriod.id.desc())
    )
    rows = list(query.limit(PAGE + 1).offset((page - 1) * PAGE))
    ranges = (
        ParticipationPeriod.select(ParticipationPeriod.from_month, ParticipationPeriod.to_month)
        .where((ParticipationPeriod.person == person) & (ParticipationPeriod.scheme == scheme))
        .tuples()
    )
    return rows[:PAGE], len(rows) > PAGE, total_months(ranges)


def period(person, period_id):
    """One of the person's periods, or None (another person's id is not found)."""
    return (
        ParticipationPeriod.select()
        .where((ParticipationPeriod.person == person) & (ParticipationPeriod.id == period_id))
        .first()
    )


def benefits(person, kind):
    return list(
        Benefit.select()
        .where((Benefit.person == person) & (Benefit.kind == kind))
        .order_by(Benefit.from_date.desc())
    )


def visit_years(person):
    """Years that have visits, newest first."""
    rows = (
        MedicalVisit.select(MedicalVisit.admitted_at)
        .where(MedicalVisit.person == person)
        .order_by(MedicalVisit.admitted_at.desc())
    )
    return sorted({row.admitted_at.year for row in rows}, reverse=True)


def visits(person, year):
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    rows = list(
        MedicalVisit.select()
        .where(
            (MedicalVisit.person == person)
            & (MedicalVisit.admitted_at >= start)
            & (MedicalVisit.admitted_at < end)
        )
        .order_by(MedicalVisit.admitted_at.desc())
    )
    totals = {
        "total": sum(v.total_cost for v in rows),
        "fund": sum(v.fund_paid for v in rows),
        "patient": sum(v.patient_paid for v in rows),
    }
    return rows, totals


def current_card(person):
    """The person's latest card, with its primary-care facility (one query)."""
    return (
        HealthCard.select(HealthCard, Facility)
        .join(Facility)
        .where(HealthCard.person == person)
        .order_by(HealthCard.valid_from.desc(), HealthCard.id.desc())
        .first()
    )
