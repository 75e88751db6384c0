"""A plan year's reporting periods (填报周期), without Django.

Monthly by default, quarterly on request; either way the period ending 30 June is the half-year report and
the one ending 31 December the year-end report. Each period is due on a set day of its last month (the 25th
by default), moved to the next working day when that is a holiday. A period opens the day after the previous
one's due date, so on any day of the year exactly one period is open.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import WorkCalendar

MONTHLY, QUARTERLY = "monthly", "quarterly"
MONTH, QUARTER, HALF_YEAR, YEAR_END = "month", "quarter", "half_year", "year_end"
KIND_LABELS = {MONTH: "月报", QUARTER: "季报", HALF_YEAR: "半年报", YEAR_END: "年报"}
_QUARTERS = "一二三四"


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    kind: str
    label: str
    starts_on: date
    ends_on: date
    due_on: date
    opens_on: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def build_periods(*, year: int, frequency: str, due_day: int, workdays: WorkCalendar) -> list[PeriodSpec]:
    if frequency not in (MONTHLY, QUARTERLY):
        raise ValueError(f"未知的填报频次：{frequency}")
    if not 1 <= due_day <= 28:
        raise ValueError("报送日须在每月 1 日至 28 日之间")
    months = list(range(1, 13)) if frequency == MONTHLY else [3, 6, 9, 12]
    specs: list[PeriodSpec] = []
    opens_on = date(year, 1, 1)
    for number, last_month in enumerate(months, start=1):
        first_month = last_month if frequency == MONTHLY else last_month - 2
        if last_month == 6:
            kind, label = HALF_YEAR, f"{year}年上半年"
        elif last_month == 12:
            kind, label = YEAR_END, f"{year}年全年"
        elif frequency == MONTHLY:
            kind, label = MONTH, f"{year}年{last_month}月"
        else:
            kind, label = QUARTER, f"{year}年第{_QUARTERS[last_month // 3 - 1]}季度"
        due_on = workdays.on_or_after(date(year, last_month, due_day))
        specs.append(
            PeriodSpec(
                number=number,
                kind=kind,
                label=label,
                starts_on=date(year, first_month, 1),
                ends_on=_month_end(year, last_month),
                due_on=due_on,
                opens_on=opens_on,
            )
        )
        opens_on = due_on + timedelta(days=1)
    return specs
