"""Who may see and change what (every view goes through one of these decorators), and which plan a member is on."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse

from ecotarget.organisation.models import Membership
from ecotarget.plans.models import Assignment, Plan
from ecotarget.plans.selectors import plans_visible_to

from .clock import today

View = Callable[..., HttpResponse]


def membership_of(request: HttpRequest) -> Membership | None:
    """The user's membership with its region and unit, read once per request (one query)."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_membership"):
        request._membership = (
            Membership.objects.select_related("region", "unit").filter(user_id=request.user.pk).first()
        )
    return request._membership


def member_required(view: View) -> View:
    """Logged in and a member of some region; region scoping is done where the object is looked up."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        membership = membership_of(request)
        if membership is None:
            raise PermissionDenied("您的账号尚未分配行政区和角色，请联系管理员")
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped


def coordinator_required(view: View) -> View:
    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.membership.is_coordinator:
            raise PermissionDenied("只有管理员（督查）可以进行此操作")
        return view(request, *args, **kwargs)

    return wrapped


# --- the plan a member is working on ------------------------------------------------------------------------------

PLAN_SESSION_KEY = "ecotarget.plan"


def plans_menu(request: HttpRequest) -> list[Plan]:
    """Every plan the member may see, newest year first, with its region (one query, once per request).

    Each carries `unit_has_tasks`: for a reporter, whether its unit answers for a task of the plan."""
    if not hasattr(request, "_plans_menu"):
        membership = membership_of(request)
        plans = plans_visible_to(membership).select_related("region")
        if membership is not None and membership.is_reporter:
            plans = plans.annotate(
                unit_has_tasks=Exists(Assignment.objects.filter(task__plan=OuterRef("pk"), unit_id=membership.unit_id))
            )
        request._plans_menu = list(plans)
    return request._plans_menu


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
