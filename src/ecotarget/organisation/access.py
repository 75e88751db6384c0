"""Who may see and change what, in one place: views go through these decorators, and views, services and templates
ask the policy functions (`may_…`) below."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Membership, Unit

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


# --- Who may do what in plans, monitoring, the written reports and the dashboard -------------------------------
# Each takes the member's Membership and the objects concerned (read through their attributes: organisation sits
# below the apps that own them). Views, the services behind them and templates (the `access` template filters)
# ask these; nothing else compares roles.

COORDINATORS_ONLY = "只有管理员（督查）可以进行此操作"


def may_import_plan(membership: Membership) -> bool:
    """Upload a plan document and import (or replace) it for the member's region."""
    return membership.is_coordinator


def may_edit_task(membership: Membership, task) -> bool:
    """Change a plan task's text, units, targets and deadlines (`task`: a plans Task, with its plan)."""
    return membership.is_coordinator and task.plan.region_id == membership.region_id


def may_import_data(membership: Membership) -> bool:
    """Import monitoring data (air hours, water samples) for the member's region."""
    return membership.is_coordinator


def may_configure_monitoring(membership: Membership, plan) -> bool:
    """Deduct days, record past years' figures, bind the plan's targets to indicators and choose their editions:
    what the plan's measured and official (考核) figures are computed from (`plan`: a plans Plan)."""
    return membership.is_coordinator and plan.region_id == membership.region_id


def may_see_dashboard(membership: Membership) -> bool:
    """The leaders' dashboard and the task lists behind its figures; a reporter has its own unit's page instead."""
    return not membership.is_reporter


def may_write_reports(membership: Membership) -> bool:
    """Draft, edit and export the written reports (书面报告)."""
    return membership.is_coordinator


def ledger_limited_to(membership: Membership) -> Unit | None:
    """The one unit whose ledger (台账) the member may export — a reporter's own unit — or None when the member
    may export the whole plan's and any unit's of the region."""
    return membership.unit if membership.is_reporter else None


def requires(policy: Callable[[Membership], bool], refusal: str = COORDINATORS_ONLY) -> Callable[[View], View]:
    """A view for the members `policy` lets in (a policy of the membership alone); the others are refused."""

    def decorate(view: View) -> View:
        @member_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not policy(request.membership):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
