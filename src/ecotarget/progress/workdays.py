"""Working days on the Chinese calendar, without Django.

Years the `chinesecalendar` library knows (it is updated when the State Council announces the next year's
holidays, with every working weekend, 调休) come from the library. For a later year the coordinator enters the
announced arrangement; until then weekends and the statutory festivals are assumed, and callers show a warning
(`WorkCalendar.assumed_years`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

# Lunar festivals of the years after the library's data, as Gregorian dates: 春节 (eve + three days),
# 端午, 中秋. Only used while a year is neither in the library nor entered by a coordinator.
_LUNAR_FESTIVALS: dict[int, tuple[date, date, date]] = {
    2027: (date(2027, 2, 6), date(2027, 6, 9), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2028, 5, 28), date(2028, 10, 3)),
    2029: (date(2029, 2, 13), date(2029, 6, 16), date(2029, 9, 22)),
    2030: (date(2030, 2, 3), date(2030, 6, 5), date(2030, 9, 12)),
}


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _qingming(year: int) -> date:
    """清明 is a solar term, which the library computes for any year."""
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next((d for d, name in terms if name == "清明"), date(year, 4, 5))


def assumed_holidays(year: int) -> set[date]:
    """The statutory festivals (全体公民放假的节日) of a year whose arrangement is not announced yet.

    Without the announcement nobody knows which weekends become working days, so none are assumed.
    """
    days = {date(year, 1, 1), _qingming(year), date(year, 5, 1), date(year, 5, 2)}
    days |= {date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    if year in _LUNAR_FESTIVALS:
        spring, dragon_boat, mid_autumn = _LUNAR_FESTIVALS[year]
        days |= {spring + timedelta(days=i) for i in range(-1, 3)}
        days |= {dragon_boat, mid_autumn}
    return days


@dataclass(frozen=True)
class Arrangement:
    """A year's announced arrangement as a coordinator entered it: days off, and weekends that are working days."""

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


@dataclass
class WorkCalendar:
    arrangements: dict[int, Arrangement] = field(default_factory=dict)

    @classmethod
    def of(cls, arrangements: Iterable[Arrangement] = ()) -> "WorkCalendar":
        return cls({a.year: a for a in arrangements})

    def source(self, year: int) -> str:
        """Where a year's days come from: 'library', 'entered' or 'assumed'."""
        if library_knows(year):
            return "library"
        if year in self.arrangements:
            return "entered"
        return "assumed"

    def assumed_years(self, *dates: date) -> list[int]:
        return sorted({d.year for d in dates if self.source(d.year) == "assumed"})

    def is_workday(self, day: date) -> bool:
        source = self.source(day.year)
        if source == "library":
            return chinese_calendar.is_workday(day)
        if source == "entered":
            arrangement = self.arrangements[day.year]
            if day in arrangement.workdays:
                return True
            if day in arrangement.holidays:
                return False
            return day.weekday() < 5
        return day.weekday() < 5 and day not in assumed_holidays(day.year)

    def on_or_after(self, day: date) -> date:
        """The day itself if it is a working day, else the next one (节假日顺延)."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add(self, day: date, count: int) -> date:
        """`count` working days after `day` (before it when negative); `day` itself is not counted."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count
