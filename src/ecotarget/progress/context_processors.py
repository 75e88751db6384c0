from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ecotarget.core.clock import today
from ecotarget.organisation.access import membership_of
from ecotarget.plans.current import plans_menu

from .models import Period


def _open_periods(request: HttpRequest) -> list[Period]:
    """For a reporter, the periods open today in every plan its unit has tasks in (the header's reminder)."""
    membership = membership_of(request)
    if membership is None or not membership.is_reporter:
        return []
    # `unit_has_tasks` is annotated by plans_menu for a reporter's plans only, so the model does not declare it.
    own = {p.pk: p for p in plans_menu(request) if getattr(p, "unit_has_tasks", False)}
    periods = list(Period.objects.filter(Period.open_on(today()), plan_id__in=own).order_by("due_on"))
    for period in periods:
        period.plan = own[period.plan_id]
    return periods


def open_periods(request: HttpRequest) -> dict[str, object]:
    return {"open_periods": SimpleLazyObject(lambda: _open_periods(request))}
