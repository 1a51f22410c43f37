"""The land as the synthetic directory sees it: the 34 provinces and their wards (2025 units),
and the small helpers every directory table draws addresses and phone numbers with."""

import re
from dataclasses import dataclass, field

from vss.registry import directory
from vss.seed import words

MOUNTAIN = frozenset({4, 8, 11, 12, 14, 15, 20})
# People per ward kind: urban wards (phường) are denser than communes; Hoàng Sa has nobody.
WARD_WEIGHT = {"Phường": 2.5, "Xã": 1.0, "Đặc khu": 0.3}
EMPTY_WARDS = frozenset({"Hoàng Sa"})


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


def short_name(ward_name):
    """('Phường', 'Buôn Ma Thuột') from 'Phường  Buôn Ma Thuột' (the data has double spaces)."""
    prefix = "Đặc khu" if ward_name.startswith("Đặc khu") else ward_name.split(" ", 1)[0]
    return prefix, re.sub(r"\s+", " ", ward_name[len(prefix) :]).strip()


def phone(rng, province_code):
    """A landline: 0 + area code + subscriber digits, 11 digits in all ('024 3825 1234')."""
    area = f"0{directory.province_phone_code(province_code)}"
    digits = "3" + "".join(str(rng.randrange(10)) for _ in range(10 - len(area)))
    return f"{area} {digits[:4]} {digits[4:]}"


def street(rng, ward):
    """An institution's street address: a numbered street in towns, a village in communes."""
    if ward.prefix == "Xã":
        return f"Thôn {words.VILLAGE_WORDS[rng.randrange(len(words.VILLAGE_WORDS))][0]}"
    return f"Số {rng.randint(1, 320)} đường {words.STREETS[rng.randrange(len(words.STREETS))][0]}"


def spread(items, count, offset=0):
    """`count` items evenly spaced through `items` (deterministic)."""
    return [items[(offset + i * len(items) // count) % len(items)] for i in range(count)]


def all_provinces():
    """The 34 provinces with their wards, name label ('tỉnh …') and naming region."""
    result = {}
    for code, name, _phone_code in directory.provinces():
        wards = []
        for ward_code, ward_name in directory.wards(code):
            prefix, short = short_name(ward_name)
            weight = 0.0 if short in EMPTY_WARDS else WARD_WEIGHT[prefix]
            wards.append(Ward(ward_code, code, prefix, short, weight))
        city = name.startswith("Thành phố ")
        bare = name.removeprefix("Thành phố ")
        label = f"thành phố {bare}" if city else f"tỉnh {bare}"
        region = "mountain" if code in MOUNTAIN else "north" if code <= 46 else "south"
        result[code] = Province(code, bare, label, region, wards)
    return result
