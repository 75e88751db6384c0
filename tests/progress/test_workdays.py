"""Working days on the Chinese calendar: holidays, the working weekends (调休), and years not announced yet."""

import itertools
from datetime import date

from ecotarget.progress.periods import build_periods
from ecotarget.progress.workdays import Arrangement, WorkCalendar, assumed_holidays, library_knows

CALENDAR = WorkCalendar()


def test_the_national_day_week_is_off_and_the_working_saturday_after_it_is_on():
    assert not CALENDAR.is_workday(date(2022, 10, 3))
    assert not CALENDAR.is_workday(date(2022, 10, 7))
    assert CALENDAR.is_workday(date(2022, 10, 8))  # Saturday, 调休上班
    assert CALENDAR.is_workday(date(2022, 10, 9))  # Sunday, 调休上班


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day():
    assert CALENDAR.on_or_after(date(2022, 10, 1)) == date(2022, 10, 8)
    assert CALENDAR.on_or_after(date(2022, 9, 25)) == date(2022, 9, 26)  # a Sunday
    assert CALENDAR.on_or_after(date(2022, 5, 25)) == date(2022, 5, 25)  # a Wednesday


def test_counting_working_days_back_skips_the_spring_festival_and_counts_its_working_weekend():
    # 2022 春节: 31 Jan – 6 Feb off; Saturday 29 and Sunday 30 January were working days.
    assert CALENDAR.add(date(2022, 2, 7), -1) == date(2022, 1, 30)
    assert CALENDAR.add(date(2022, 2, 7), -2) == date(2022, 1, 29)
    assert CALENDAR.add(date(2022, 1, 28), 3) == date(2022, 2, 7)
    assert CALENDAR.between(date(2022, 1, 28), date(2022, 2, 7)) == 3


def test_a_year_the_library_does_not_know_assumes_weekends_and_statutory_festivals_and_says_so():
    assert library_knows(2022) and not library_knows(2031)
    assert CALENDAR.source(2031) == "assumed"
    assert CALENDAR.assumed_years(date(2031, 5, 1), date(2022, 5, 1)) == [2031]
    assert not CALENDAR.is_workday(date(2031, 10, 2))  # 国庆
    assert not CALENDAR.is_workday(date(2031, 5, 1))  # 劳动节
    assert CALENDAR.is_workday(date(2031, 10, 6))  # a Monday after 国庆: nothing assumed beyond the festival
    assert date(2031, 4, 5) in assumed_holidays(2031)  # 清明 from the solar terms


def test_a_coordinator_entered_arrangement_replaces_the_assumption():
    arrangement = Arrangement(
        year=2031,
        holidays=frozenset({date(2031, 10, d) for d in range(1, 8)}),
        workdays=frozenset({date(2031, 9, 28)}),  # a Sunday
    )
    calendar = WorkCalendar.of([arrangement])
    assert calendar.source(2031) == "entered"
    assert calendar.assumed_years(date(2031, 1, 1)) == []
    assert calendar.is_workday(date(2031, 9, 28))
    assert not calendar.is_workday(date(2031, 10, 6))
    assert calendar.on_or_after(date(2031, 10, 1)) == date(2031, 10, 8)


def test_monthly_periods_fall_due_on_the_25th_or_the_next_working_day_and_include_half_year_and_year_end():
    periods = build_periods(year=2022, frequency="monthly", due_day=25, workdays=CALENDAR)
    assert len(periods) == 12
    assert [p.kind for p in periods].count("half_year") == 1 and periods[5].label == "2022年上半年"
    assert periods[11].kind == "year_end" and periods[11].label == "2022年全年"
    assert periods[8].due_on == date(2022, 9, 26)  # the 25th is a Sunday
    assert periods[4].due_on == date(2022, 5, 25)
    assert periods[0].opens_on == date(2022, 1, 1)
    # Every day of the year belongs to exactly one period's window.
    for before, after in itertools.pairwise(periods):
        assert (after.opens_on - before.due_on).days == 1


def test_quarterly_periods_are_four_with_the_second_the_half_year_report():
    periods = build_periods(year=2022, frequency="quarterly", due_day=20, workdays=CALENDAR)
    assert [p.label for p in periods] == ["2022年第一季度", "2022年上半年", "2022年第三季度", "2022年全年"]
    assert periods[0].starts_on == date(2022, 1, 1) and periods[0].ends_on == date(2022, 3, 31)
    assert periods[0].due_on == date(2022, 3, 21)  # the 20th is a Sunday
