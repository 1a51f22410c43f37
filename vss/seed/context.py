"""Lookup tables the people generator draws from, precomputed once per process.

Dates are handled as day numbers (ordinals) and month numbers (year·12 + month − 1) and turned
into the ISO strings the database stores through prebuilt tables: formatting a date is then
a list lookup, which matters a million times over.
"""

import datetime as dt

from vss.seed import catalog, medical, names, words, workplaces
from vss.seed.rand import Choice, Feistel, affine_scrambler, rng_for

FIRST_DAY = dt.date(1939, 1, 1)
# People per chunk: one transaction, one task for a worker process. Chunks are numbered into
# the CCCD's random digits, which leave room for 1,000 of them: beyond 20 million people the
# chunks grow instead.
PEOPLE_PER_CHUNK = 20_000
MAX_CHUNKS = 1000
REGIONS = ("north", "south", "mountain")


def month_number(year, month):
    """Months since year 0: consecutive months are consecutive integers."""
    return year * 12 + month - 1


class Context:
    """Everything `people.generate` needs, derived from the seed, the directory and `as_of`."""

    def __init__(self, directory, seed, as_of):
        self.seed = seed
        self.as_of = as_of
        self._dates(as_of)
        self._places(directory)
        self._names()
        self._tables()
        rng = rng_for("identifiers", seed)
        self.bhxh_mul, self.bhxh_add = affine_scrambler(rng, 10**8)
        self.cccd_scramble = Feistel(rng)

    def _dates(self, as_of):
        self.ord0 = FIRST_DAY.toordinal()
        last = dt.date(as_of.year + 9, 12, 31).toordinal()
        days = [dt.date.fromordinal(o) for o in range(self.ord0, last + 1)]
        self.day_str = [d.isoformat() for d in days]
        self.day_year = [d.year for d in days]
        self.day_month = [month_number(d.year, d.month) for d in days]
        self.month0 = month_number(FIRST_DAY.year, 1)
        last_month = month_number(as_of.year + 8, 12)
        self.month_first_ord = [
            dt.date(m // 12, m % 12 + 1, 1).toordinal() for m in range(self.month0, last_month + 2)
        ]
        self.month_str = [self.day_str[o - self.ord0] for o in self.month_first_ord]
        self.as_of_ord = as_of.toordinal()
        self.as_of_month = month_number(as_of.year, as_of.month)
        self.ord_1940 = dt.date(1940, 1, 1).toordinal()
        self.year_start_ord = dt.date(as_of.year, 1, 1).toordinal()
        self.year_end_ord = dt.date(as_of.year, 12, 31).toordinal()
        self.times = [f" {h:02d}:{m:02d}:00" for h in range(24) for m in range(0, 60, 5)]
        # Lương cơ sở in force in each month since FIRST_DAY (0 before the 1995 table starts).
        base, steps = [], [(month_number(y, m), amount) for (y, m), amount in catalog.BASE_SALARY]
        current = 0
        for m in range(self.month0, last_month + 1):
            while steps and steps[0][0] <= m:
                current = steps.pop(0)[1]
            base.append(current)
        self.base_salary = base
        self.base_now = base[self.as_of_month - self.month0]
        self.records_start = month_number(*catalog.RECORDS_START)
        self.bhtn_start = month_number(*catalog.BHTN_START)
        self.bhtnld_start = month_number(*catalog.BHTNLD_START)

    def _places(self, directory):
        self.ward_choice = Choice(
            ((w.code, w.province, REGIONS.index(directory.provinces[w.province].region), w.prefix), w.weight)
            for w in directory.wards
        )
        totals = {}
        for w in directory.wards:
            totals[w.province] = totals.get(w.province, 0) + w.weight
        self.province_choice = Choice(totals.items())
        self.office_name = {c: p.office_name for c, p in directory.provinces.items()}
        self.primary = {c: Choice(p.primary) for c, p in directory.provinces.items()}
        self.visit = {c: Choice(p.visit) for c, p in directory.provinces.items()}
        self.central = directory.central
        self.local_employers = {c: p.employers for c, p in directory.provinces.items()}
        self.employer_count = len(directory.employers)
        kinds = workplaces.EMPLOYER_KINDS
        positions = {kind: Choice(spec[3]) for kind, spec in kinds.items()}
        # Per employer id: (name, workplace, public?, card group, BHTN?, positions)
        self.employers = [None] + [
            (
                name,
                workplace,
                kinds[kind][1],
                kinds[kind][2],
                kind not in workplaces.NO_BHTN_KINDS,
                positions[kind],
            )
            for kind, name, workplace, _province in directory.employers
        ]

    def _names(self):
        self.family = (Choice(names.FAMILY_NORTH), Choice(names.FAMILY_SOUTH), Choice(names.FAMILY_MINORITY))
        self.middle = {1: [Choice(t) for t in names.MIDDLE_MALE], 2: [Choice(t) for t in names.MIDDLE_FEMALE]}
        self.given = {1: [Choice(t) for t in names.GIVEN_MALE], 2: [Choice(t) for t in names.GIVEN_FEMALE]}
        self.extra_middle = {1: Choice(names.EXTRA_MIDDLE_MALE), 2: Choice(names.EXTRA_MIDDLE_FEMALE)}
        self.extra_middle_share = names.EXTRA_MIDDLE_SHARE
        self.streets = [s for s, _ in words.STREETS]
        self.villages = [v for v, _ in words.VILLAGE_WORDS]
        self.mountain_villages = [v for v, _ in words.MOUNTAIN_VILLAGES]

    def _tables(self):
        self.age_choice = Choice(catalog.AGE_BANDS)
        self.groups = {
            name: Choice(getattr(catalog, name))
            for name in ("PUPIL_GROUPS", "STUDENT_GROUPS", "INFORMAL_GROUPS", "ELDER_GROUPS", "OLDEST_GROUPS")
        }
        self.level = catalog.GROUP_LEVEL
        self.mountain_dt_share = catalog.MOUNTAIN_DT_SHARE
        self.fund_percent = catalog.FUND_PERCENT
        self.icd_out = [
            Choice((e, e[2]) for e in table)
            for table in (medical.ICD_OUT_CHILD, medical.ICD_OUT_ADULT, medical.ICD_OUT_ELDER)
        ]
        self.icd_in = Choice((e, e[2]) for e in medical.ICD_INPATIENT)
        self.icd_obstetric = Choice((e, e[2]) for e in medical.ICD_OBSTETRIC)
        self.results_out = Choice(medical.RESULTS_OUTPATIENT)
        self.results_in = Choice(medical.RESULTS_INPATIENT)
        # Visits per person and year of age: geometric (most people few, some many) with a
        # mean that is high for toddlers and the elderly.
        self.visit_counts = [Choice(_geometric(mean)) for mean in (2.0, 0.6, 0.6, 1.1, 2.4)]


def _geometric(mean, limit=24):
    p = 1 / (1 + mean)
    return [(k, p * (1 - p) ** k) for k in range(limit)]
