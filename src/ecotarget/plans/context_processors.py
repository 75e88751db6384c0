from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ecotarget.organisation.access import membership_of

from .current import current_plan, plans_menu
from .models import Plan


@dataclass
class PlanMenu:
    """What the header's plan switcher shows: the plans by region and the current one."""

    regions: list[tuple[str, list[Plan]]]
    current: Plan | None


def _plan_menu(request: HttpRequest) -> PlanMenu | None:
    if membership_of(request) is None:
        return None
    regions: dict[str, list[Plan]] = {}
    for plan in plans_menu(request):
        regions.setdefault(plan.region.name, []).append(plan)
    return PlanMenu(regions=list(regions.items()), current=current_plan(request))


def plan_menu(request: HttpRequest) -> dict:
    # Read only when a page's header shows it (its queries run once, at render time).
    return {"plan_menu": SimpleLazyObject(lambda: _plan_menu(request))}
