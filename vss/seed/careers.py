"""Working lives: participation periods (BHXH, BHTN, BHTNLĐ-BNN, BHYT) and the benefits they earn."""

from bisect import bisect

from vss.seed import catalog
from vss.seed.rand import Choice

MIN_JOB_MONTHS = 4
LONG_JOB_MONTHS = 120  # a job this long shows a pay rise half-way (a second period)
JOB_COUNT = Choice([(1, 40), (2, 30), (3, 20), (4, 10)])  # employers in a working life


class Career:
    """What the rest of a person's record needs to know about their working life."""

    __slots__ = ("employer", "salary", "first_month", "job_start", "months")

    def __init__(self, employer, salary, first_month, job_start, months):
        self.employer = employer  # employer id of the last job
        self.salary = salary  # last monthly salary
        self.first_month = first_month  # first insured month (continuity for the card)
        self.job_start = job_start  # first month of the last job
        self.months = months  # insured months in all


def build(ctx, rng, periods, person_id, province, start, end):
    """Periods from month `start` to month `end` (inclusive) over 1-4 jobs; None if too short."""
    start = max(start, ctx.records_start)
    if end - start < MIN_JOB_MONTHS:
        return None
    rnd = rng.random
    jobs = JOB_COUNT.items[bisect(JOB_COUNT.cum, rnd())]
    jobs = max(1, min(jobs, (end - start) // 18))
    # Split the span at sorted random points; each later job starts after a short gap.
    cuts = sorted(start + int((end - start) * rnd()) for _ in range(jobs - 1))
    bounds = [start, *cuts, end + 1]
    local = ctx.local_employers[province]
    month_str, base_salary, month0 = ctx.month_str, ctx.base_salary, ctx.month0
    bhtn_start, bhtnld_start = ctx.bhtn_start, ctx.bhtnld_start
    employers, coefficients = ctx.employers, catalog.COEFFICIENTS
    first_month = total = None
    salary = employer = job_start = 0
    months_so_far = 0
    for j in range(jobs):
        job_from = bounds[j] + (int(rnd() * 7) if j else 0)
        job_to = bounds[j + 1] - 1
        if job_to - job_from < MIN_JOB_MONTHS:
            continue
        # Three in four jobs are in the home province; the rest anywhere (migrant workers).
        if local and rnd() < 0.75:
            employer = local[int(rnd() * len(local))]
        else:
            employer = 1 + int(rnd() * ctx.employer_count)
        _name, workplace, public, _group, bhtn, positions = employers[employer]
        position = positions.items[bisect(positions.cum, rnd())]
        factor = 2.1 + 2.6 * rnd() ** 2
        segments = [(job_from, job_to)]
        if job_to - job_from >= LONG_JOB_MONTHS:
            middle = (job_from + job_to) // 2
            segments = [(job_from, middle), (middle + 1, job_to)]
        for seg_from, seg_to in segments:
            base = base_salary[seg_from - month0]
            if public:
                step = min(
                    len(coefficients) - 1, (months_so_far + seg_from - job_from) // 36 + int(rnd() * 2)
                )
                coefficient = coefficients[step]
                salary = coefficient * base // 10_000 * 100
                coefficient_text = f"{coefficient // 100}.{coefficient % 100:02d}"
            else:
                salary = int(base * factor / 100) * 100
                coefficient_text = None
                factor *= 1.15
            frm, to = month_str[seg_from - month0], month_str[seg_to - month0]
            periods.append(
                (person_id, "BHXH", frm, to, employer, position, workplace, "VND", salary, coefficient_text)
            )
            if bhtn and seg_to >= bhtn_start:
                periods.append(
                    (
                        person_id,
                        "BHTN",
                        month_str[max(seg_from, bhtn_start) - month0],
                        to,
                        employer,
                        position,
                        workplace,
                        "VND",
                        salary,
                        coefficient_text,
                    )
                )
            if seg_to >= bhtnld_start:
                periods.append(
                    (
                        person_id,
                        "BHTNLD",
                        month_str[max(seg_from, bhtnld_start) - month0],
                        to,
                        employer,
                        position,
                        workplace,
                        "VND",
                        salary,
                        coefficient_text,
                    )
                )
            periods.append(
                (person_id, "BHYT", frm, to, employer, position, workplace, "VND", salary, coefficient_text)
            )
        months_so_far += job_to - job_from + 1
        job_start = job_from
        if first_month is None:
            first_month = job_from
        total = months_so_far
    if first_month is None:
        return None
    return Career(employer, salary, first_month, job_start, total)


def unemployment(ctx, rng, benefits, person_id, province, career, end_month):
    """Trợ cấp thất nghiệp after a job ended: 60 % of pay for 3 months + 1 per extra year."""
    months = min(12, 3 + max(0, career.months - 36) // 12)
    first = end_month + 1 + int(rng.random() * 2)
    frm = ctx.month_first_ord[first - ctx.month0]
    to = ctx.month_first_ord[first + months - ctx.month0] - 1
    amount = int(career.salary * 0.6 / 100) * 100
    benefits.append(
        (
            person_id,
            "that_nghiep",
            catalog.REGIME_UNEMPLOYMENT,
            ctx.day_str[frm - ctx.ord0],
            ctx.day_str[to - ctx.ord0],
            amount,
            ctx.office_name[province],
        )
    )
    return frm, to


def one_off(ctx, rng, benefits, person_id, province, career, end_month):
    """BHXH một lần, a year after leaving work: about 2 months' pay per year insured."""
    month = min(ctx.as_of_month - 1, end_month + 12 + int(rng.random() * 12))
    day = ctx.month_first_ord[month - ctx.month0] + int(rng.random() * 27)
    amount = int(career.salary * career.months / 12 * 1.9 / 100) * 100
    benefits.append(
        (
            person_id,
            "mot_lan",
            catalog.REGIME_ONE_OFF,
            ctx.day_str[day - ctx.ord0],
            None,
            amount,
            ctx.office_name[province],
        )
    )


def pension(ctx, rng, benefits, person_id, province, retire_ord):
    """Lương hưu hằng tháng from the month after retirement, open-ended."""
    day = ctx.month_first_ord[ctx.day_month[retire_ord - ctx.ord0] + 1 - ctx.month0]
    amount = int(ctx.base_now * (1.3 + 2.9 * rng.random() ** 1.6) / 100) * 100
    benefits.append(
        (
            person_id,
            "hang_thang",
            catalog.REGIME_PENSION,
            ctx.day_str[day - ctx.ord0],
            None,
            amount,
            ctx.office_name[province],
        )
    )


def short_term(ctx, rng, benefits, person_id, sex, age, career):
    """Ốm đau, Sinh con (+ Dưỡng sức) paid through the employer in the last two years."""
    rnd = rng.random
    earliest = max(ctx.month_first_ord[career.job_start - ctx.month0], ctx.as_of_ord - 730)
    if earliest >= ctx.as_of_ord - 30:
        return
    day = earliest + int((ctx.as_of_ord - 30 - earliest) * rnd())
    unit = ctx.employers[career.employer][0]
    day_str, ord0 = ctx.day_str, ctx.ord0
    if sex == 2 and 20 <= age < 42 and rnd() < 0.5:
        end = min(day + 181, ctx.as_of_ord + 150)
        amount = 6 * career.salary + 2 * ctx.base_now
        benefits.append(
            (person_id, "ods", catalog.REGIME_BIRTH, day_str[day - ord0], day_str[end - ord0], amount, unit)
        )
        if rnd() < 0.3 and end + 10 < ctx.as_of_ord:
            days = 5 + int(rnd() * 6)
            benefits.append(
                (
                    person_id,
                    "ods",
                    catalog.REGIME_RECOVERY,
                    day_str[end + 1 - ord0],
                    day_str[end + days - ord0],
                    int(days * ctx.base_now * 0.3),
                    unit,
                )
            )
        return
    days = 2 + int(rnd() * 13)
    amount = int(career.salary * 0.75 / 24 * days / 100) * 100
    benefits.append(
        (
            person_id,
            "ods",
            catalog.REGIME_SICK,
            day_str[day - ord0],
            day_str[day + days - 1 - ord0],
            amount,
            unit,
        )
    )
