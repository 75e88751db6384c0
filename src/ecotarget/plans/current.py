"""The plan a member is working on: the header's switcher, and the plan every landing page opens."""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from ecotarget.core.clock import today
from ecotarget.organisation.access import membership_of

from .models import Assignment, Plan
from .selectors import plans_visible_to

PLAN_SESSION_KEY = "ecotarget.plan"


def plans_menu(request: HttpRequest) -> list[Plan]:
    """Every plan the member may see, newest year first, with its region (one query, once per request).

    Each carries `unit_has_tasks`: for a reporter, whether its unit answers for a task of the plan."""
    # Kept in the request's own namespace: HttpRequest declares no such attribute.
    cache = vars(request)
    if "_plans_menu" not in cache:
        membership = membership_of(request)
        plans = plans_visible_to(membership).select_related("region")
        # A reporter always has a unit (constraint membership_reporter_has_unit).
        unit_id = membership.unit_id if membership is not None and membership.is_reporter else None
        if unit_id is not None:
            plans = plans.annotate(
                unit_has_tasks=Exists(Assignment.objects.filter(task__plan=OuterRef("pk"), unit_id=unit_id))
            )
        cache["_plans_menu"] = list(plans)
    return cache["_plans_menu"]


def current_plan(request: HttpRequest) -> Plan | None:
    """The plan every landing page opens: the one the member chose in the header's switcher, else the plan whose
    year contains today, else the latest. A reporter lands only on plans its unit has tasks in, when there are any.
    """
    plans = plans_menu(request)
    chosen = request.session.get(PLAN_SESSION_KEY) if hasattr(request, "session") else None
    for plan in plans:
        if plan.pk == chosen:
            return plan
    candidates = [p for p in plans if getattr(p, "unit_has_tasks", True)] or plans
    year = today().year
    return next((p for p in candidates if p.year == year), candidates[0] if candidates else None)


def plan_choose(request: HttpRequest, plan: Plan) -> None:
    """Remember the member's choice of plan for the rest of its session."""
    request.session[PLAN_SESSION_KEY] = plan.pk
