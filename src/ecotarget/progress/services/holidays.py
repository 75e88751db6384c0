"""The working-day calendar's coordinator-entered years, and the periods dated by it."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.actions import entry, record_all
from ecotarget.organisation.models import Region

from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import HolidayDay, HolidayYear, Period, PlanSetup
from ..periods import build_periods
from ..selectors import work_calendar
from ..workdays import WorkCalendar, library_knows
from .permits import require_reviewer


@transaction.atomic
def holiday_year_save(
    *, region: Region, year: int, user: User, notice: str, holidays: list[tuple[date, str]], workdays: list[date]
) -> HolidayYear:
    """Store, for the region, the State Council's announced arrangement for a year the library does not know, then
    re-date the region's periods (another region's are its own coordinators' business).

    The days decide the plans' due dates, so the days added and taken off are logged, once on each plan of the
    region's year that is set up for reporting (its timeline shows why its dates moved), or once unscoped if there
    is none."""
    require_reviewer(user, region.pk, "录入节假日安排")
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
    region_setups = PlanSetup.objects.filter(plan__year=year, plan__region=region).select_related("plan")
    for setup in region_setups:
        periods_close_due(plan=setup.plan)  # re-dating periods must not change the ones already closed
    stored = HolidayYear.objects.filter(region=region, year=year).first()
    before, entered = _days(stored), stored is not None
    stored, _ = HolidayYear.objects.update_or_create(
        region=region, year=year, defaults={"notice": notice, "entered_by": user, "entered_at": clock.now()}
    )
    stored.days.all().delete()
    HolidayDay.objects.bulk_create(
        [HolidayDay(year=stored, day=d, name=name, is_workday=False) for d, name in holidays]
        + [HolidayDay(year=stored, day=d, name="调休上班", is_workday=True) for d in workdays]
    )
    after = _days(stored)
    calendar = work_calendar(region.pk)
    setups = list(region_setups.all())
    for setup in setups:
        _sync_periods(setup, calendar)
    added, dropped = after - before, before - after
    summary = f"{'修改' if entered else '录入'}{year}年节假日安排" + (f"（{notice}）" if notice else "")
    summary += f"：新增{len(added)}天" + (f"，取消{len(dropped)}天" if dropped else "")
    # The old side names the days taken off, the new side the days added.
    changes = {
        what: [_words(dropped, workday), _words(added, workday)]
        for what, workday in (("放假", False), ("调休上班", True))
        if _words(dropped, workday) or _words(added, workday)
    }
    verb = "holiday_year.save"
    record_all(
        [entry(user, verb, stored, summary, changes, plan=setup.plan) for setup in setups]
        or [entry(user, verb, stored, summary, changes)]
    )
    return stored


def _days(stored: HolidayYear | None) -> set[tuple[date, bool, str]]:
    return {(d.day, d.is_workday, d.name) for d in stored.days.all()} if stored is not None else set()


def _words(days: set[tuple[date, bool, str]], workday: bool) -> str | None:
    """The days off (with their holiday's name) or the weekend workdays among `days`, in words."""
    picked = sorted((day, name) for day, is_workday, name in days if is_workday == workday)
    return "、".join(f"{day:%-m月%-d日}" + ("" if workday else name) for day, name in picked) or None


# Private to the services: the set-up (handout.plan_setup_save) re-dates periods too, within its own logged action.
def _sync_periods(setup: PlanSetup, calendar: WorkCalendar) -> list[Period]:
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
