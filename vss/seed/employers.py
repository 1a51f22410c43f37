"""The directory's employers: how many in each province, their kinds, names and tax codes, and
whether they are paid up (some owe months of contributions; `tally` counts their workers).

They depend on the seed and on the number of people."""

import datetime as dt

from vss.registry import directory
from vss.registry.names import fold
from vss.seed import land, medical, words, workplaces
from vss.seed.rand import Choice, rng_for

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# Share of employers in arrears (nợ đóng), and how many months they owe: mostly a few, some long.
IN_ARREARS = 0.14
OWED_MONTHS = ((1, 3, 0.6), (4, 12, 0.3), (13, 36, 0.1))
# Employer's and worker's shares of BHXH, BHYT, BHTN and BHTNLĐ-BNN together, in % of salary.
CONTRIBUTION_PERCENT = 32


def _tax_code(rng, province_code, taken):
    while True:
        body = f"{province_code:02d}{rng.randrange(1, 10**7):07d}"
        remainder = sum(int(d) * w for d, w in zip(body, TAX_WEIGHTS, strict=True)) % 11
        code = f"{body}{10 - remainder}"
        # The mod-11 check digit of a Vietnamese tax code cannot be 10: skip those bodies.
        if remainder and code not in taken:
            taken.add(code)
            return code


def _employer_name(rng, kind, province, ward):
    pick = rng.choice
    if kind == "company":
        form = pick(("TNHH", "TNHH", "Cổ phần", "TNHH Một thành viên"))
        return f"Công ty {form} {pick(workplaces.COMPANY_FIELDS)} {_trade_name(rng)}"
    if kind == "fdi":
        head, tail = (pick(part)[0] for part in words.FOREIGN_PARTS)
        return f"Công ty TNHH {pick(workplaces.FDI_FIELDS)} {head}{tail} {pick(('Việt Nam', 'Vina'))}"
    if kind == "school":
        if rng.random() < 0.25:
            return f"Trường Trung học phổ thông {pick(workplaces.SCHOOL_PATRONS)}"
        return f"{pick(workplaces.SCHOOL_KINDS)} {ward.short}"
    if kind == "commune":
        return f"Ủy ban nhân dân {ward.titled}"
    if kind == "hospital":
        return (
            f"Trung tâm Y tế khu vực {ward.short}"
            if rng.random() < 0.5
            else (f"{pick(medical.SPECIALIST_HOSPITALS)} {province.label}")
        )
    if kind == "agency":
        return pick(workplaces.AGENCIES).format(p=province.label)
    return f"Hợp tác xã {pick(workplaces.COOP_FIELDS)} {ward.short}"


def _unique_employer_name(rng, kind, province, ward, used):
    """Enterprise names are unique nationally; one UBND per ward, one Sở per province."""
    name = _employer_name(rng, kind, province, ward)
    for attempt in range(6):
        if name not in used:
            break
        # Public bodies are exhausted quickly: fall back to a company, then brand it locally.
        kind = kind if attempt < 2 else "company"
        name = _employer_name(rng, kind, province, ward)
        if attempt >= 4:
            name = f"{name} {ward.short}"
    serial = 1
    while name in used:
        serial += 1
        name = f"{name.rsplit(' ', 1)[0] if serial > 2 else name} {serial}"
    used.add(name)
    return kind, name


def _trade_name(rng):
    if rng.random() < 0.4:
        return rng.choice(words.TRADE_NAMES)[0]
    return f"{rng.choice(words.TRADE_FIRST)[0]} {rng.choice(words.TRADE_SECOND)[0]}"


def employers(provinces, wards, seed, people):
    rng = rng_for("employers", seed)
    arrears = rng_for("arrears", seed)  # its own stream: the employers are the same as before
    kinds = Choice((kind, spec[0]) for kind, spec in workplaces.EMPLOYER_KINDS.items())
    ward_choice = Choice((w, w.weight) for w in wards)
    rows, meta, codes, taxes, used = [], [], set(), set(), set()
    letters = "ABCDEGHKLMNPQSTVXY"
    for _ in range(max(50, people // 40)):
        ward = ward_choice.pick(rng)
        province = provinces[ward.province]
        kind = kinds.pick(rng)
        kind, name = _unique_employer_name(rng, kind, province, ward, used)
        code = None
        while code is None or code in codes:
            code = (
                f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10000):04d}{rng.choice(letters)}"
            )
        codes.add(code)
        street = land.street(rng, ward)
        employer_id = len(rows) + 1
        rows.append(
            (
                employer_id,
                code,
                name,
                _tax_code(rng, province.code, taxes),
                province.code,
                ward.code,
                street,
                fold(name),
                _owed_months(arrears),
            )
        )
        meta.append((kind, name, directory.format_address(street, ward.code), province.code))
        province.employers.append(employer_id)
    return rows, meta


def _owed_months(rng):
    if rng.random() >= IN_ARREARS:
        return 0
    roll = rng.random()
    for low, high, share in OWED_MONTHS:
        if roll < share:
            return rng.randint(low, high)
        roll -= share
    return OWED_MONTHS[-1][1]


def tally(database, as_of):
    """After the people: each employer's workers contributing to BHXH in the month of `as_of`
    (or the month before, not yet closed), and what its owed months come to; the figures are
    dated `as_of`. An employer nobody works for now owes nothing."""
    month = as_of.replace(day=1)
    since = (month - dt.timedelta(days=1)).replace(day=1)
    current = (
        "FROM participation_period p WHERE p.employer_id = employer.id AND p.scheme = 'BHXH'"
        f" AND p.to_month >= {database.param}"
    )
    database.execute_sql(
        f"UPDATE employer SET status_on = {database.param},"  # noqa: S608 - markers only
        f" workers = (SELECT COUNT(DISTINCT p.person_id) {current}),"
        f" owed_amount = owed_months * COALESCE((SELECT SUM(p.salary) {current}), 0)"
        f" * {CONTRIBUTION_PERCENT} / 100",
        (as_of, since, since),
    )
    database.execute_sql("UPDATE employer SET owed_months = 0, owed_amount = 0 WHERE workers = 0")
