"""Tra cứu mã số BHXH, and the one rule for "these typed facts are this registry person", which
registration (and the assisted desk) apply to the BHXH code a person declares.

The look-up answers only when the facts fit exactly one person, and says the same neutral thing
whenever they do not (nobody, several people, a wrong fact, a malformed one that got this far):
it never tells which fact was wrong. Every asking client has a budget, and so has the whole
service (vss/core/limits: one count for every worker); both are spent before anything is
compared, so parallel guesses cannot outrun them. The work does not depend on the answer: one
indexed query whose shape depends only on which facts were given, then the same comparison of
every candidate, found or not."""

import datetime as dt
import re
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from vss.core import limits
from vss.core.errors import UserError
from vss.core.settings import settings
from vss.registry.names import masked, name_key
from vss.registry.registry import Person

NOT_FOUND = _l(
    "Không tìm thấy mã số BHXH phù hợp với thông tin đã nhập. Hãy kiểm tra lại họ tên (có dấu, như "
    "trên CCCD), ngày sinh, tỉnh, thành phố và số CCCD, hoặc liên hệ cơ quan BHXH nơi cư trú."
)
LOOKUPS_BUSY = _l("Hệ thống đang nhận quá nhiều yêu cầu tra cứu. Vui lòng thử lại sau ít phút.")
NOT_IN_REGISTRY = _l(
    "Mã số BHXH không khớp với họ tên (hoặc năm sinh trong số CCCD) đã đăng ký trong cơ sở dữ liệu "
    "BHXH, hoặc chưa có trong cơ sở dữ liệu. Hãy kiểm tra mã số trên thẻ BHYT và họ tên có dấu như "
    "trên CCCD, hoặc tra cứu mã số BHXH của bạn."
)
# name: (budget, the setting that may change it as "count/seconds")
_BUDGETS = {
    "client": (limits.Budget("bhxh-lookup", 20, 3600, limits.TOO_MANY_TRIES), "BHXH_LOOKUP_BUDGET_CLIENT"),
    "all": (limits.Budget("bhxh-lookup-all", 600, 60, LOOKUPS_BUSY), "BHXH_LOOKUP_BUDGET_ALL"),
    "check": (limits.Budget("registry-check", 30, 3600, limits.TOO_MANY_TRIES), "REGISTRY_CHECK_BUDGET"),
}


class Found(NamedTuple):
    """The answer of a look-up that fits one person: the code, and the name masked."""

    bhxh_code: str
    masked_name: str


class Birth(NamedTuple):
    """A date of birth as typed: the date, or the year alone (`day` is then 1 January)."""

    day: dt.date
    year_only: bool


def budget(name):
    """A budget as configured (BHXH_LOOKUP_BUDGET_CLIENT, _ALL, REGISTRY_CHECK_BUDGET)."""
    default, setting = _BUDGETS[name]
    limit, seconds = limits.parse(settings.get(setting), f"{default.limit}/{default.seconds}")
    return default._replace(limit=limit, seconds=seconds)


def born_as(person, birth):
    """Whether a typed birth is the registry's. A full date must be the person's date; a year
    alone fits only a person the registry knows by the year alone (else a year would stand for
    365 guesses), and a person known by the year alone fits any date of that year (they cannot
    know the registry lacks the day)."""
    if person.birth_year_only:
        return person.birth_date.year == birth.day.year
    return not birth.year_only and person.birth_date == birth.day


def _candidates(province_code, birth, cccd):
    if province_code is None:  # the CCCD alone
        return list(Person.select().where(Person.cccd == cccd))
    # One shape whatever was typed: the day as typed and 1 January of its year (where a person
    # known by the year alone is kept), in the province — one probe of (province_code, birth_date).
    days = [birth.day, dt.date(birth.day.year, 1, 1)]
    return list(Person.select().where((Person.province_code == province_code) & Person.birth_date.in_(days)))


def find_code(*, full_name=None, birth=None, province_code=None, cccd=None, client):
    """Tra cứu mã số BHXH by name + birth (a Birth) + province (+ the CCCD if given), or by the
    CCCD alone (no name, birth or province). Found when exactly one person fits; else None.
    UserError (code 'budget') when the client's or the service's budget is spent."""
    limits.spend(budget("client"), client)
    limits.spend(budget("all"), "all")
    by_facts = province_code is not None
    key = name_key(full_name) if by_facts else None
    cccd = re.sub(r"\s", "", cccd or "") or None
    fitting = [
        person
        for person in _candidates(province_code, birth, cccd)
        # Every fact of every candidate is compared (no short cut): the same work either way.
        if all(
            [
                not by_facts or name_key(person.full_name) == key,
                not by_facts or born_as(person, birth),
                cccd is None or person.cccd == cccd,
            ]
        )
    ]
    if len(fitting) != 1:
        return None
    return Found(fitting[0].bhxh_code, masked(fitting[0].full_name))


def cccd_birth_year(cccd):
    """The year of birth a CCCD number carries (digits 4–6), or None for another document."""
    if not re.fullmatch(r"[0-9]{12}", cccd or ""):
        return None
    return 1900 + 100 * (int(cccd[3]) // 2) + int(cccd[4:6])


def check_declared(bhxh_code, full_name, id_number=None, *, client=None):
    """Registration's rule (and the desk's): the declared BHXH code is in the registry under the
    declared name (compared like the look-up: case, spaces and Unicode form aside, marks kept),
    and a CCCD given carries the person's year of birth. Raises UserError (field 'bhxh_code',
    code 'not_in_registry') naming no fact, so the code's owner's name is not revealed; a client
    (None at the desk, where staff sign in) spends one check of its budget first."""
    if client is not None:
        try:
            limits.spend(budget("check"), client)
            limits.spend(budget("all"), "all")  # the service's registry questions, as the look-up's
        except UserError as error:
            raise UserError(
                error.message, field="bhxh_code", code="budget", retry_after=error.retry_after
            ) from None
    person = Person.by_code(bhxh_code)
    year = cccd_birth_year(id_number)
    fits = (
        person is not None
        and name_key(person.full_name) == name_key(full_name)
        and (year is None or year == person.birth_date.year)
    )
    if not fits:
        raise UserError(NOT_IN_REGISTRY, field="bhxh_code", code="not_in_registry")
    return person
