"""The working-day calendar's coordinator-entered years, and the periods dated by it."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ecotarget.core import clock

from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import HolidayDay, HolidayYear, Period, PlanSetup
from ..periods import build_periods
from ..selectors import work_calendar
from ..workdays import WorkCalendar, library_knows


@transaction.atomic
def holiday_year_save(
    *, year: int, user: AbstractBaseUser, notice: str, holidays: list[tuple[date, str]], workdays: list[date]
) -> HolidayYear:
    """Store the State Council's announced arrangement for a year the library does not know, then re-date periods."""
    if library_knows(year):
        raise ProgressError(f"{year}年的节假日安排已由日历库提供，无需录入")
    for day, _ in holidays:
        if day.year != year:
            raise ProgressError(f"{day:%Y-%m-%d} 不在 {year} 年")
    for day in workdays:
        if day.year != year:
            raise ProgressError(f"{day:%Y-%m-%d} 不在 {year} 年")
        if day.weekday() < 5:
            raise ProgressError(f"{day:%Y-%m-%d} 本就是工作日，调休上班日应为周末")
    if {d for d, _ in holidays} & set(workdays):
        raise ProgressError("同一天不能既放假又上班")
    for setup in PlanSetup.objects.filter(plan__year=year).select_related("plan"):
        periods_close_due(plan=setup.plan)  # re-dating periods must not change the ones already closed
    record, _ = HolidayYear.objects.update_or_create(
        year=year, defaults={"notice": notice, "entered_by": user, "entered_at": clock.now()}
    )
    record.days.all().delete()
    HolidayDay.objects.bulk_create(
        [HolidayDay(year=record, day=d, name=name, is_workday=False) for d, name in holidays]
        + [HolidayDay(year=record, day=d, name="调休上班", is_workday=True) for d in workdays]
    )
    calendar = work_calendar()
    for setup in PlanSetup.objects.filter(plan__year=year).select_related("plan"):
        sync_periods(setup, calendar)
    return record


def sync_periods(setup: PlanSetup, calendar: WorkCalendar) -> list[Period]:
    specs = build_periods(year=setup.plan.year, frequency=setup.frequency, due_day=setup.due_day, workdays=calendar)
    existing = {p.number: p for p in Period.objects.filter(plan=setup.plan)}
    kept = []
    for spec in specs:
        period = existing.pop(spec.number, None) or Period(plan=setup.plan, number=spec.number)
        for name in ("kind", "label", "starts_on", "ends_on", "opens_on", "due_on"):
            setattr(period, name, getattr(spec, name))
        period.save()
        kept.append(period)
    Period.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    return kept
