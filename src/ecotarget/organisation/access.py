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
