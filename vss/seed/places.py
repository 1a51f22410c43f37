"""The synthetic directory: BHXH offices, health facilities, employers and collection agents.

Offices, facilities and agents are the same for every seed (demo accounts and kiosks can
name them); employers depend on the seed and on the number of people. Rows are plain tuples
in the column order of `COLUMNS`, with explicit ids, ready for `executemany`.
"""

import re
from dataclasses import dataclass, field

from vss.registry import directory
from vss.seed import catalog, names
from vss.seed.rand import Choice, rng_for

COLUMNS = {
    "office": (
        "id",
        "code",
        "name",
        "kind",
        "parent_id",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "latitude",
        "longitude",
    ),
    "facility": (
        "id",
        "code",
        "name",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "level",
        "contracted_bhyt",
        "issues_sick_leave",
    ),
    "employer": ("id", "code", "name", "tax_code", "province_code", "ward_code", "street"),
    "collection_agent": ("id", "code", "name", "province_code", "ward_code", "street", "phone"),
}
MOUNTAIN = frozenset({4, 8, 11, 12, 14, 15, 20})
# People per ward kind: urban wards (phường) are denser than communes; Hoàng Sa has nobody.
WARD_WEIGHT = {"Phường": 2.5, "Xã": 1.0, "Đặc khu": 0.3}
EMPTY_WARDS = frozenset({"Hoàng Sa"})
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


@dataclass
class Ward:
    """A 2025 commune-level unit as the generator sees it."""

    code: int
    province: int
    prefix: str  # Phường / Xã / Đặc khu
    short: str  # name without the prefix
    weight: float

    @property
    def titled(self):
        """'phường Hoàn Kiếm', as inside an institution's name."""
        return f"{self.prefix.lower()} {self.short}"


@dataclass
class Province:
    """A province with its generated directory entries."""

    code: int
    name: str
    label: str  # 'tỉnh Cao Bằng' / 'thành phố Hà Nội'
    region: str  # north / south / mountain
    wards: list
    office_name: str = ""
    primary: list = field(default_factory=list)  # [(facility id, weight)] for cards
    visit: list = field(default_factory=list)  # [(facility id, weight)] for visits
    employers: list = field(default_factory=list)  # employer ids


@dataclass
class Directory:
    """Rows of the four directory tables plus what the people generator needs to refer to them."""

    rows: dict
    provinces: dict
    wards: list
    employers: list  # per employer id - 1: (kind, name, workplace, province)
    central: list  # facility ids of the central-level hospitals


def _short(ward_name):
    """('Phường', 'Buôn Ma Thuột') from 'Phường  Buôn Ma Thuột' (the data has double spaces)."""
    prefix = "Đặc khu" if ward_name.startswith("Đặc khu") else ward_name.split(" ", 1)[0]
    return prefix, re.sub(r"\s+", " ", ward_name[len(prefix) :]).strip()


def _phone(rng, province_code):
    """A landline: 0 + area code + subscriber digits, 11 digits in all ('024 3825 1234')."""
    area = f"0{directory.province_phone_code(province_code)}"
    digits = "3" + "".join(str(rng.randrange(10)) for _ in range(10 - len(area)))
    return f"{area} {digits[:4]} {digits[4:]}"


def _street(rng, ward):
    """An institution's street address: a numbered street in towns, a village in communes."""
    if ward.prefix == "Xã":
        return f"Thôn {names.VILLAGE_WORDS[rng.randrange(len(names.VILLAGE_WORDS))][0]}"
    return f"Số {rng.randint(1, 320)} đường {names.STREETS[rng.randrange(len(names.STREETS))][0]}"


def _spread(items, count, offset=0):
    """`count` items evenly spaced through `items` (deterministic)."""
    return [items[(offset + i * len(items) // count) % len(items)] for i in range(count)]


def _provinces():
    """The 34 provinces with their wards, name label ('tỉnh …') and naming region."""
    result = {}
    for code, name, _phone_code in directory.provinces():
        wards = []
        for ward_code, ward_name in directory.wards(code):
            prefix, short = _short(ward_name)
            weight = 0.0 if short in EMPTY_WARDS else WARD_WEIGHT[prefix]
            wards.append(Ward(ward_code, code, prefix, short, weight))
        city = name.startswith("Thành phố ")
        bare = name.removeprefix("Thành phố ")
        label = f"thành phố {bare}" if city else f"tỉnh {bare}"
        region = "mountain" if code in MOUNTAIN else "north" if code <= 46 else "south"
        result[code] = Province(code, bare, label, region, wards)
    return result


def _offices(provinces):
    """Each provincial BHXH office at the provincial seat, then its base offices (BHXH cơ sở)."""
    rng = rng_for("offices")
    rows = []
    for code, province in provinces.items():
        seat = next((w for w in province.wards if w.prefix == "Phường"), province.wards[0])
        lat, lon = directory.PROVINCE_SEATS[code]
        province.office_name = f"Bảo hiểm xã hội {province.label}"
        parent_id = len(rows) + 1
        # Codes as the BHXH office picker shows them: [001] for a province, [00101] for its base offices.
        rows.append(
            (
                parent_id,
                f"{code:03d}",
                province.office_name,
                "province",
                None,
                code,
                seat.code,
                _street(rng, seat),
                _phone(rng, code),
                lat,
                lon,
            )
        )
        count = min(20, max(3, len(province.wards) // 12))
        for n, ward in enumerate(_spread(province.wards, count), start=1):
            rows.append(
                (
                    len(rows) + 1,
                    f"{code:03d}{n:02d}",
                    f"Bảo hiểm xã hội cơ sở {ward.short}",
                    "base",
                    parent_id,
                    code,
                    ward.code,
                    _street(rng, ward),
                    _phone(rng, code),
                    round(lat + rng.uniform(-0.12, 0.12), 5),
                    round(lon + rng.uniform(-0.12, 0.12), 5),
                )
            )
    return rows


def _facilities(provinces):
    """Hospitals, district-area health centres, ward health stations and private clinics."""
    rng = rng_for("facilities")
    rows, central = [], []
    for code, province in provinces.items():
        k = len(province.wards)
        number = 0
        plan = [(name, "trung ương", "central", None) for name in catalog.CENTRAL_HOSPITALS.get(code, [])]
        plan.append((f"Bệnh viện Đa khoa {province.label}", "tỉnh", "general", None))
        first = code % len(catalog.SPECIALIST_HOSPITALS)
        specialists = catalog.SPECIALIST_HOSPITALS[first:] + catalog.SPECIALIST_HOSPITALS[:first]
        plan += [
            (f"{name} {province.label}", "tỉnh", "specialist", None)
            for name in specialists[: min(8, max(2, k // 20))]
        ]
        plan += [
            (f"Trung tâm Y tế khu vực {w.short}", "cơ sở", "centre", w)
            for w in _spread(province.wards, min(12, max(3, k // 10)))
        ]
        plan += [
            (f"Trạm Y tế {w.titled}", "cơ sở", "station", w)
            for w in _spread(province.wards, min(26, max(10, k // 6)), offset=1)
        ]
        trade = rng.sample(names.TRADE_NAMES, min(14, max(3, k // 12)))
        plan += [(f"Phòng khám đa khoa {name}", "cơ sở", "private", None) for name, _ in trade]
        private_number = 0
        for name, level, kind, ward in plan:
            if kind == "private":
                private_number += rng.randint(1, 6)
                facility_code = f"{code:02d}C{private_number:02d}"
            else:
                number += rng.randint(1, 9)
                facility_code = f"{code:02d}{number:03d}"
            ward = ward or province.wards[rng.randrange(k)]
            contracted = kind != "private" or rng.random() < 0.75
            sick_leave = kind in ("central", "general", "specialist", "centre") or (
                kind == "private" and rng.random() < 0.5
            )
            facility_id = len(rows) + 1
            rows.append(
                (
                    facility_id,
                    facility_code,
                    name,
                    code,
                    ward.code,
                    _street(rng, ward),
                    _phone(rng, code),
                    level,
                    contracted,
                    sick_leave,
                )
            )
            if not contracted:
                continue
            if kind == "central":
                central.append(facility_id)
            province.primary.append(
                (facility_id, {"station": 3, "centre": 3, "general": 1, "private": 1}.get(kind, 0))
            )
            province.visit.append(
                (
                    facility_id,
                    {
                        "central": 3,
                        "general": 4,
                        "specialist": 1.5,
                        "centre": 3,
                        "station": 1,
                        "private": 1.5,
                    }[kind],
                )
            )
    return rows, central


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
        return f"Công ty {form} {pick(catalog.COMPANY_FIELDS)} {_trade_name(rng)}"
    if kind == "fdi":
        head, tail = (pick(part)[0] for part in names.FOREIGN_PARTS)
        return f"Công ty TNHH {pick(catalog.FDI_FIELDS)} {head}{tail} {pick(('Việt Nam', 'Vina'))}"
    if kind == "school":
        if rng.random() < 0.25:
            return f"Trường Trung học phổ thông {pick(catalog.SCHOOL_PATRONS)}"
        return f"{pick(catalog.SCHOOL_KINDS)} {ward.short}"
    if kind == "commune":
        return f"Ủy ban nhân dân {ward.titled}"
    if kind == "hospital":
        return (
            f"Trung tâm Y tế khu vực {ward.short}"
            if rng.random() < 0.5
            else (f"{pick(catalog.SPECIALIST_HOSPITALS)} {province.label}")
        )
    if kind == "agency":
        return pick(catalog.AGENCIES).format(p=province.label)
    return f"Hợp tác xã {pick(catalog.COOP_FIELDS)} {ward.short}"


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
        return rng.choice(names.TRADE_NAMES)[0]
    return f"{rng.choice(names.TRADE_FIRST)[0]} {rng.choice(names.TRADE_SECOND)[0]}"


def _employers(provinces, wards, seed, people):
    rng = rng_for("employers", seed)
    kinds = Choice((kind, spec[0]) for kind, spec in catalog.EMPLOYER_KINDS.items())
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
        street = _street(rng, ward)
        employer_id = len(rows) + 1
        rows.append(
            (employer_id, code, name, _tax_code(rng, province.code, taxes), province.code, ward.code, street)
        )
        meta.append((kind, name, directory.format_address(street, ward.code), province.code))
        province.employers.append(employer_id)
    return rows, meta


def _agents(provinces):
    """Collection points: the provincial post office, cultural post offices, agents of communes."""
    rng = rng_for("agents")
    rows = []
    for code, province in provinces.items():
        count = min(30, max(5, len(province.wards) // 5))
        serial = {"BD": 0, "DL": 0}
        for i, ward in enumerate(_spread(province.wards, count)):
            roll = rng.random()
            if i == 0:
                prefix, name = "BD", f"Bưu điện {province.label}"
            elif roll < 0.45:
                prefix, name = "BD", f"Bưu điện văn hóa {ward.titled}"
            elif roll < 0.8:
                prefix, name = "DL", f"Đại lý thu Ủy ban nhân dân {ward.titled}"
            elif roll < 0.9:
                prefix, name = "DL", f"Đại lý thu Hội Liên hiệp Phụ nữ {ward.titled}"
            else:
                prefix, name = "DL", f"Đại lý thu Hợp tác xã Dịch vụ {ward.short}"
            serial[prefix] += 1
            rows.append(
                (
                    len(rows) + 1,
                    f"{code:02d}{prefix}{serial[prefix]:03d}",
                    name,
                    code,
                    ward.code,
                    _street(rng, ward),
                    _phone(rng, code),
                )
            )
    return rows


def build(seed, people):
    """The whole directory for a seed and a people count (pure: no database)."""
    provinces = _provinces()
    wards = [w for p in provinces.values() for w in p.wards]
    offices = _offices(provinces)
    facilities, central = _facilities(provinces)
    employers, meta = _employers(provinces, wards, seed, people)
    rows = {
        "office": offices,
        "facility": facilities,
        "employer": employers,
        "collection_agent": _agents(provinces),
    }
    return Directory(rows, provinces, wards, meta, central)
