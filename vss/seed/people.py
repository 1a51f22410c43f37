"""One chunk of the synthetic population: people, their cards, careers, benefits and visits.

`generate` is pure: the rows depend only on the context (seed, directory, as_of), the chunk
index and the range of people, never on timing or on which process runs it.
"""

from bisect import bisect

from vss.seed import careers
from vss.seed.context import MAX_CHUNKS
from vss.seed.rand import rng_for
from vss.seed.visits import add_visits

# Children under 6 are always insured (TE); everyone else may lack a card.
LIFELONG_GROUPS = frozenset({"HT", "CC", "CK", "CB", "BT", "KC", "TS", "CT"})
WORKER_GROUPS = frozenset({"DN", "HC", "HX", "QN", "CA"})
DAYS_PER_YEAR = 365.2425


def retirement_age(sex, birth_year):
    """Statutory retirement age: 60/55 until 2020, then rising to 62 (men) and 60 (women)."""
    if sex == 1:
        return 60 + min(2.0, max(0.0, (birth_year - 1960) * 0.25))
    return 55 + min(5.0, max(0.0, (birth_year - 1965) * 0.33))


def generate(ctx, chunk_index, start, count):
    """Rows for people `start` … `start + count − 1` as {table: [tuple]} (child ids left to the DB)."""
    if not 0 <= chunk_index < MAX_CHUNKS:
        raise ValueError(f"chunk index {chunk_index} outside 0…{MAX_CHUNKS - 1} (CCCD scheme)")
    rng = rng_for("people", ctx.seed, chunk_index)
    rnd = rng.random
    persons, cards, periods, benefits, visits = [], [], [], [], []
    counters = {}
    ward_items, ward_cum = ctx.ward_choice.items, ctx.ward_choice.cum
    age_items, age_cum = ctx.age_choice.items, ctx.age_choice.cum
    prov_items, prov_cum = ctx.province_choice.items, ctx.province_choice.cum
    family, middle, given, extra = ctx.family, ctx.middle, ctx.given, ctx.extra_middle
    extra_share = ctx.extra_middle_share
    day_str, day_year, ord0 = ctx.day_str, ctx.day_year, ctx.ord0
    as_of_ord, ord_1940 = ctx.as_of_ord, ctx.ord_1940
    mul, add, scramble = ctx.bhxh_mul, ctx.bhxh_add, ctx.cccd_scramble
    level_of, primary = ctx.level, ctx.primary
    for j in range(count):
        index = start + j
        person_id = index + 1
        ward_code, province, region, prefix = ward_items[bisect(ward_cum, rnd())]
        low, high = age_items[bisect(age_cum, rnd())]
        age = low + (high - low) * rnd()
        birth_ord = max(ord_1940 + int(rnd() * 300), as_of_ord - 1 - int(age * DAYS_PER_YEAR))
        age = (as_of_ord - birth_ord) / DAYS_PER_YEAR
        birth_year = day_year[birth_ord - ord0]
        sex = 1 if rnd() < (0.51 if age < 45 else 0.47 if age < 65 else 0.42) else 2
        era = 0 if birth_year < 1975 else 1 if birth_year < 2000 else 2
        # Mountain provinces: minority family names for about half, northern ones otherwise.
        table = family[2 if region == 2 and rnd() < 0.45 else 0 if region == 2 else region]
        names = [table.items[bisect(table.cum, rnd())]]
        table = middle[sex][era]
        names.append(table.items[bisect(table.cum, rnd())])
        if rnd() < extra_share[era]:
            table = extra[sex]
            names.append(table.items[bisect(table.cum, rnd())])
        table = given[sex][era]
        names.append(table.items[bisect(table.cum, rnd())])
        full_name = " ".join(names)
        street = _street(ctx, rnd, prefix, region)
        # CCCD: birth-registration province, sex + century, year, then 6 digits that are a
        # scrambled (per-chunk counter, chunk id): unique without ever looking at the table.
        cccd = None
        if rnd() >= 0.015:
            birth_province = province if rnd() < 0.82 else prov_items[bisect(prov_cum, rnd())]
            digit = (sex - 1) + (2 if birth_year >= 2000 else 0)
            key = (birth_province, digit, birth_year)
            entry = counters.get(key)
            if entry is None:  # a per-group offset, so equal counters differ between groups
                entry = counters[key] = [
                    scramble(digit * 100_000 + birth_year % 100 * 1000 + birth_province) % 1000,
                    0,
                ]
            n = entry[1]
            if n >= 1000:
                raise OverflowError("more than 1,000 CCCDs of one group in a chunk")
            entry[1] = n + 1
            raw = (entry[0] + n) % 1000 * 1000 + chunk_index  # distinct for distinct (n, chunk)
            cccd = f"{birth_province:03d}{digit}{birth_year % 100:02d}{scramble(raw):06d}"
        bhxh = f"{province:02d}{(index * mul + add) % 100_000_000:08d}"
        persons.append(
            (person_id, bhxh, full_name, day_str[birth_ord - ord0], sex, cccd, province, ward_code, street)
        )

        # Life situation → career, benefits and the card's beneficiary group.
        group, career, cover_from, cover_to = _situation(
            ctx, rng, periods, benefits, person_id, sex, age, birth_ord, birth_year, province, region
        )
        if not group:
            continue
        level = level_of[group]
        number = f"{group}{level}{province:02d}{bhxh}"
        valid_from, valid_to = _validity(ctx, rnd, group, birth_ord, cover_from, cover_to)
        facility = primary[province].items[bisect(primary[province].cum, rnd())]
        since = (
            birth_ord
            if group == "TE"
            else ctx.month_first_ord[career.first_month - ctx.month0]
            if career
            else max(birth_ord, as_of_ord - int(rnd() * 7300))
        )
        five_years = None if rnd() < 0.08 else day_str[since + 1826 - ord0]
        issued = max(birth_ord, valid_from - int(rnd() * 20))
        cards.append(
            (
                person_id,
                number,
                group,
                level,
                f"{province:02d}",
                facility,
                day_str[valid_from - ord0],
                day_str[valid_to - ord0] if valid_to else None,
                five_years,
                day_str[issued - ord0],
                1,
            )
        )
        add_visits(ctx, rng, visits, person_id, number, level, sex, age, birth_ord, province, facility)
    return {
        "person": persons,
        "health_card": cards,
        "participation_period": periods,
        "benefit": benefits,
        "medical_visit": visits,
    }


def _street(ctx, rnd, prefix, region):
    """House and street: 'Số 12, ngõ 45, phố …' in towns, 'Thôn …' / 'Ấp …' / 'Bản …' outside."""
    if prefix == "Xã":
        if region == 2 and rnd() < 0.5:
            return f"Bản {ctx.mountain_villages[int(rnd() * len(ctx.mountain_villages))]}"
        if rnd() < 0.3:
            return f"{'Xóm' if region == 0 else 'Ấp' if region == 1 else 'Thôn'} {1 + int(rnd() * 15)}"
        village = ctx.villages[int(rnd() * len(ctx.villages))]
        return f"{'Ấp' if region == 1 else 'Thôn'} {village}"
    roll = rnd()
    street = ctx.streets[int(rnd() * len(ctx.streets))]
    if roll < 0.3:
        return f"Tổ dân phố {1 + int(rnd() * 30)}" if region != 1 else f"Khu phố {1 + int(rnd() * 12)}"
    if roll < 0.55 and region != 1:
        return f"Số {1 + int(rnd() * 80)}, ngõ {1 + int(rnd() * 300)} phố {street}"
    if roll < 0.55:
        return f"Số {1 + int(rnd() * 400)}/{1 + int(rnd() * 60)} đường {street}"
    return f"Số {1 + int(rnd() * 400)} đường {street}"


def _situation(ctx, rng, periods, benefits, person_id, sex, age, birth_ord, birth_year, province, region):
    """(card group or '', career or None, coverage from, coverage to) by age and luck."""
    rnd = rng.random
    groups = ctx.groups
    if age < 6:
        return "TE", None, None, None
    if age < 18:
        return _informal(ctx, rnd, groups["PUPIL_GROUPS"], region), None, None, None
    retire = retirement_age(sex, birth_year)
    birth_month = ctx.day_month[birth_ord - ctx.ord0]
    first = birth_month + int((18 + rnd() * 8) * 12)
    if age >= retire:
        retire_ord = birth_ord + int(retire * 365.2425)
        retire_month = ctx.day_month[retire_ord - ctx.ord0]
        if rnd() < 0.26:
            career = careers.build(ctx, rng, periods, person_id, province, first, retire_month - 1)
            careers.pension(ctx, rng, benefits, person_id, province, retire_ord)
            return "HT", career, None, None
        table = groups["OLDEST_GROUPS" if age >= 80 else "ELDER_GROUPS"]
        return _informal(ctx, rnd, table, region), None, None, None
    roll = rnd()
    formal = 0.15 if age < 22 else 0.46 if age < 50 else 0.36
    if roll < 0.008 * (1.6 if sex == 1 else 0.4):
        return ("QN" if rnd() < 0.55 else "CA"), None, None, None
    if roll < formal:
        career = careers.build(ctx, rng, periods, person_id, province, first, ctx.as_of_month)
        if career:
            if rnd() < 0.14:
                careers.short_term(ctx, rng, benefits, person_id, sex, age, career)
            return ctx.employers[career.employer][3], career, None, None
    elif roll < formal + 0.16 and first < ctx.as_of_month - 8:
        end = first + int((ctx.as_of_month - 2 - first) * (0.3 + 0.7 * rnd()))
        career = careers.build(ctx, rng, periods, person_id, province, first, end)
        if career:
            ago = ctx.as_of_month - end
            # TCTN needs 12 months of unemployment insurance (civil servants have none).
            insured = career.months >= 12 and ctx.employers[career.employer][4]
            if ago <= 24 and insured and rnd() < 0.5:
                frm, to = careers.unemployment(ctx, rng, benefits, person_id, province, career, end)
                if to >= ctx.as_of_ord:
                    return "TN", career, frm, to
            elif ago > 13 and rnd() < 0.3:
                careers.one_off(ctx, rng, benefits, person_id, province, career, end)
    if age < 23 and rnd() < 0.55:
        return _informal(ctx, rnd, groups["STUDENT_GROUPS"], region), None, None, None
    group = _informal(ctx, rnd, groups["INFORMAL_GROUPS"], region)
    if group == "GD":
        # Household BHYT shows in the participation history too (no employer).
        month = ctx.as_of_month - int(rnd() * 12)
        periods.append(
            (
                person_id,
                "BHYT",
                ctx.month_str[month - ctx.month0],
                ctx.month_str[min(month + 11, ctx.as_of_month) - ctx.month0],
                None,
                "",
                "Tham gia BHYT theo hộ gia đình",
                "VND",
                ctx.base_now,
                None,
            )
        )
        return (
            group,
            None,
            ctx.month_first_ord[month - ctx.month0],
            (ctx.month_first_ord[month + 12 - ctx.month0] - 1),
        )
    return group, None, None, None


def _informal(ctx, rnd, table, region):
    """A group for someone outside formal work; many in the mountains hold DT cards instead."""
    group = table.items[bisect(table.cum, rnd())]
    if group and region == 2 and group not in ("HS", "SV") and rnd() < ctx.mountain_dt_share:
        return "DT"
    return group


def _validity(ctx, rnd, group, birth_ord, cover_from, cover_to):
    """(valid from, valid to or None) as day numbers; some cards have lapsed."""
    if group == "TE":
        return birth_ord, birth_ord + 2191 - 1  # until the day before the 6th birthday
    if cover_from is not None:
        start, end = cover_from, cover_to
    elif group in LIFELONG_GROUPS and rnd() < 0.4:
        start, end = ctx.year_start_ord, None
    else:
        start, end = ctx.year_start_ord, ctx.year_end_ord
    if group not in WORKER_GROUPS and rnd() < 0.06:
        start -= 365
        end = (end or ctx.year_end_ord) - 365
    return max(start, birth_ord), end
