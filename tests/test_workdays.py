"""Working days: weekends, the solar public holidays and their days in lieu."""

import datetime as dt

import pytest

from vss.support.workdays import add_working_days, holidays, is_working_day


@pytest.mark.parametrize(
    "start,count,expected",
    [
        (dt.date(2026, 3, 6), 1, dt.date(2026, 3, 9)),  # Friday → Monday
        (dt.date(2026, 3, 7), 1, dt.date(2026, 3, 9)),  # Saturday → Monday
        (dt.date(2026, 3, 2), 10, dt.date(2026, 3, 16)),  # two weeks
        (dt.date(2026, 3, 6), 10, dt.date(2026, 3, 20)),  # across two weekends
        (dt.date(2026, 4, 29), 1, dt.date(2026, 5, 4)),  # 30/4 Thursday and 1/5 Friday are off
        (dt.date(2026, 8, 31), 2, dt.date(2026, 9, 3)),  # 2/9 Wednesday is off
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # 1/1/2027 Friday, then the weekend
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_a_holiday_on_a_weekend_gives_the_next_working_day_off():
    assert dt.date(2022, 1, 1).weekday() == 5  # Saturday
    assert not is_working_day(dt.date(2022, 1, 3))  # Monday in lieu
    assert is_working_day(dt.date(2022, 1, 4))


def test_30_4_and_1_5_on_a_weekend_give_two_days_in_lieu():
    assert dt.date(2021, 5, 1).weekday() == 5 and dt.date(2027, 5, 1).weekday() == 5
    # 2027: 30/4 Friday, 1/5 Saturday → Monday 3/5 off.
    assert dt.date(2027, 5, 3) in holidays(2027) and is_working_day(dt.date(2027, 5, 4))
    # 2022: 30/4 Saturday, 1/5 Sunday → Monday 2/5 and Tuesday 3/5 off.
    assert {dt.date(2022, 5, 2), dt.date(2022, 5, 3)} <= holidays(2022)
    assert is_working_day(dt.date(2022, 5, 4))
