"""Small factories for tests that need a row or two (the seed makes the big data)."""

import datetime as dt
import itertools
import re

from vss.registry.directory import Office
from vss.registry.registry import Person

_counter = itertools.count(1)


def make_person(**fields):
    """A registry person in Hà Nội (Phường Hoàn Kiếm)."""
    n = next(_counter)
    values = {
        "bhxh_code": f"01{n:08d}",
        "full_name": "Nguyễn Văn An",
        "birth_date": dt.date(1990, 5, 17),
        "sex": 1,
        "cccd": f"0010900{n:05d}",
        "province_code": 1,
        "ward_code": 70,
        "street": "Số 1 Tràng Tiền",
    }
    values.update(fields)
    return Person.create(**values)


def in_registry(bhxh_code, full_name, id_number=None, **fields):
    """The registry person a registration declares (registration checks the code and name
    against the registry): created when the code is free and the name one a form accepts; its
    birth year is the one a CCCD given carries. Returns the person, or None."""
    from vss.core import validators
    from vss.registry.codes import cccd_birth_year

    try:
        code, name = validators.bhxh_code(bhxh_code), validators.full_name(full_name)
    except validators.Invalid:
        return None
    person = Person.by_code(code)
    if person is None:
        year = cccd_birth_year(re.sub(r"[\s.\-]", "", id_number or "")) or 1990
        person = make_person(
            bhxh_code=code, full_name=name, birth_date=dt.date(year, 5, 17), cccd=None, **fields
        )
    return person


def make_office(code="001", **fields):
    """A provincial office of Hà Nội unless told otherwise."""
    values = {
        "code": code,
        "name": "Bảo hiểm xã hội Thành phố Hà Nội",
        "kind": Office.PROVINCE,
        "province_code": 1,
        "ward_code": 70,
        "street": "Số 86 Trần Hưng Đạo",
        "phone": "024 3942 1234",
        "latitude": 21.0285,
        "longitude": 105.8542,
    }
    values.update(fields)
    return Office.create(**values)


def make_card(person=None, **fields):
    """A BHYT card (DN, level 4, Hà Nội) with its primary-care facility."""
    from vss.registry.directory import Facility
    from vss.registry.registry import HealthCard

    person = person or make_person()
    facility = Facility.get_or_none(Facility.code == "01065") or Facility.create(
        code="01065", name="Trạm Y tế phường Hoàn Kiếm", province_code=1, ward_code=70, level="cơ sở"
    )
    values = {
        "person": person,
        "number": f"DN401{person.bhxh_code}",
        "group_code": "DN",
        "benefit_level": 4,
        "province_code": "01",
        "facility": facility,
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2026, 12, 31),
        "five_years_on": dt.date(2021, 3, 1),
        "issued_on": dt.date(2025, 12, 20),
    }
    values.update(fields)
    return HealthCard.create(**values)
