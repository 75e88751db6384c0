from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ecotarget.plans.models import Plan

from .access import current_plan, membership_of, plans_menu
from .clock import today


@dataclass
class PlanMenu:
    """What the header's plan switcher shows: the plans by region, the current one, and for a reporter the
    periods open today in every plan its unit has tasks in."""

    regions: list[tuple[str, list[Plan]]]
    current: Plan | None
    open_periods: list = field(default_factory=list)


def _plan_menu(request: HttpRequest) -> PlanMenu | None:
    membership = membership_of(request)
    if membership is None:
        return None
    plans = plans_menu(request)
    regions: dict[str, list[Plan]] = {}
    for plan in plans:
        regions.setdefault(plan.region.name, []).append(plan)
    open_periods = []
    if membership.is_reporter:
        from ecotarget.progress.models import Period  # progress builds on core, not the other way round

        own = {p.pk: p for p in plans if p.unit_has_tasks}
        day = today()
        for period in Period.objects.filter(Period.open_on(day), plan_id__in=own).order_by("due_on"):
            period.plan = own[period.plan_id]
            open_periods.append(period)
    return PlanMenu(regions=list(regions.items()), current=current_plan(request), open_periods=open_periods)


def membership(request: HttpRequest) -> dict:
    # The menu is read only when a page's header shows it (its queries run once, at render time).
    return {"membership": membership_of(request), "plan_menu": SimpleLazyObject(lambda: _plan_menu(request))}
