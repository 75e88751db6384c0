"""Who may see and change what: every view goes through one of these decorators."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Membership

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


# --- the access policy: may this member do this to that ------------------------------------------------------------
# Views, services and templates ask these; nothing else decides. They take a membership and plain facts (ids, or
# objects read by attribute), so organisation needs no model of the apps above it.


def member_of(user: object) -> Membership | None:
    """The user's membership (one query), for services that are given a user rather than a request."""
    return Membership.objects.select_related("region", "unit").filter(user_id=getattr(user, "pk", None)).first()


def is_leader(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Membership.Role.LEADER


def may_report(membership: Membership | None, unit_id: int | None) -> bool:
    """Write the reports of this unit (and sign for its list, ask for changes, manage its files)."""
    return membership is not None and membership.is_reporter and unit_id is not None and membership.unit_id == unit_id


def may_review(membership: Membership | None, region_id: int) -> bool:
    """Review reports and run reporting (set-up, hand-out, reminders, reopening) in this region."""
    return membership is not None and membership.is_coordinator and membership.region_id == region_id


def may_oversee(membership: Membership | None, region_id: int) -> bool:
    """Watch tasks and give instructions (批示) in this region: its leaders."""
    return is_leader(membership) and membership.region_id == region_id


def may_follow_region(membership: Membership | None, region_id: int) -> bool:
    """See the region-wide pages (status of every task, receipts): its coordinators and leaders, not reporters."""
    return membership is not None and not membership.is_reporter and membership.region_id == region_id


def may_see_unit(membership: Membership | None, unit: object) -> bool:
    """See a unit's reports and people: anyone in its region, a reporter only its own unit."""
    if membership is None or getattr(unit, "region_id", None) != membership.region_id:
        return False
    return not membership.is_reporter or membership.unit_id == getattr(unit, "pk", None)


def may_see_task(membership: Membership | None, region_id: int, unit_ids: set[int]) -> bool:
    """See a task (of a plan in `region_id`, held by `unit_ids`): anyone in the region, a reporter only its
    own unit's tasks."""
    if membership is None or membership.region_id != region_id:
        return False
    return not membership.is_reporter or membership.unit_id in unit_ids
