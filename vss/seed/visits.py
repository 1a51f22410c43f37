"""A person's medical visits of the last three years, drawn for the synthetic registry."""

from bisect import bisect


def add_visits(ctx, rng, visits, person_id, number, level, sex, age, birth_ord, province, facility):
    """Visits of the last three years: few for most people, many for toddlers and the old."""
    rnd = rng.random
    band = 0 if age < 6 else 1 if age < 18 else 2 if age < 40 else 3 if age < 60 else 4
    table = ctx.visit_counts[band]
    count = table.items[bisect(table.cum, rnd())]
    if not count:
        return
    span = min(1095, ctx.as_of_ord - birth_ord - 1)
    if span <= 0:
        return
    icd_out = ctx.icd_out[0 if age < 16 else 2 if age >= 60 else 1]
    inpatient_share = 0.15 if age >= 60 else 0.08
    percent = ctx.fund_percent[level]
    day_str, times, ord0 = ctx.day_str, ctx.times, ctx.ord0
    days = sorted(ctx.as_of_ord - 1 - int(rnd() * span) for _ in range(count))
    for day in days:
        if sex == 2 and 18 <= age < 45 and rnd() < 0.08:
            code, diagnosis, _w, (low, high), inpatient = ctx.icd_obstetric.pick(rng)
        elif rnd() < inpatient_share:
            code, diagnosis, _w, (low, high) = ctx.icd_in.pick(rng)
            inpatient = True
        else:
            code, diagnosis, _w, (low, high) = icd_out.items[bisect(icd_out.cum, rnd())]
            inpatient = False
        roll = rnd()
        if roll < 0.55:
            place = facility
        elif roll < 0.96 or not ctx.central:
            place = ctx.visit[province].pick(rng)
        else:
            place = ctx.central[int(rnd() * len(ctx.central))]
        if inpatient:
            slot = int(rnd() * 288)
            out_day = min(day + 1 + int(rnd() * 10), ctx.as_of_ord)
            out_slot = 96 + int(rnd() * 48)
            result = ctx.results_in.pick(rng)
        else:
            slot = 84 + int(rnd() * 114)
            out_day, out_slot = day, min(287, slot + 6 + int(rnd() * 30))
            result = ctx.results_out.pick(rng)
        r = rnd()
        total = int((low + (high - low) * r * r) * 10) * 100
        fund = total * percent // 100
        visits.append(
            (
                person_id,
                number,
                place,
                day_str[day - ord0] + times[slot],
                day_str[out_day - ord0] + times[out_slot],
                code,
                diagnosis,
                result,
                total,
                fund,
                total - fund,
            )
        )
