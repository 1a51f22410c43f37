"""Working days in Vietnam, for answer deadlines: Monday to Friday, less the public holidays this
module can compute on its own — the fixed solar ones of the Labour Code 2019 (art. 112): Tết
Dương lịch 1/1, Ngày Chiến thắng 30/4, Quốc tế Lao động 1/5, Quốc khánh 2/9 — each followed by a
day off in lieu (nghỉ bù) when it falls on a Saturday or Sunday.

Not counted: Tết Nguyên đán and Giỗ Tổ Hùng Vương (they follow the lunar calendar) and the day
next to 2/9, whose dates the Prime Minister sets each year; a deadline across them is short
by those days, which errs on the side of the citizen."""

import datetime as dt

SOLAR_HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 2))


def holidays(year):
    """The days off of `year` this module knows: the solar holidays and their days in lieu."""
    days = set()
    for month, day in SOLAR_HOLIDAYS:
        holiday = dt.date(year, month, day)
        days.add(holiday)
        if holiday.weekday() >= 5:  # a weekend holiday gives the next working day off
            extra = holiday + dt.timedelta(days=1)
            while extra.weekday() >= 5 or extra in days:
                extra += dt.timedelta(days=1)
            days.add(extra)
    return days


def is_working_day(day):
    """Monday to Friday, and not a holiday (nor a day off in lieu of one)."""
    return day.weekday() < 5 and day not in holidays(day.year) and day not in holidays(day.year - 1)


def add_working_days(start, count):
    """The day `count` working days after `start` (start itself is not counted)."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
