"""What the progress pages share: looking up a plan or a task the member may see, and the calendar warning."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import plans_visible_to

from ..selectors import visible_tasks, work_calendar
from ..workdays import WorkCalendar

ACCEPT_FILES = ".png,.jpg,.jpeg,.pdf,.doc,.docx,.xls,.xlsx"
TIMELINE_ROWS = 500  # the newest actions of the log a page shows, as on the plans' pages


def plan_of(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def task_of(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(visible_tasks(request.membership).select_related("plan"), pk=pk)


def refuse_unless(allowed: bool, message: str) -> None:
    """Forbid the request (403, with the policy's refusal in words) unless the access policy allowed it."""
    if not allowed:
        raise PermissionDenied(message)


def calendar_warning(plan: Plan, calendar: WorkCalendar | None = None) -> str:
    calendar = calendar or work_calendar()
    years = calendar.assumed_years(date(plan.year, 12, 31))
    if not years:
        return ""
    return (
        f"{'、'.join(map(str, years))}年的节假日和调休安排尚未公布或尚未录入：报送日暂按周末和法定节日推算，"
        "请在国务院办公厅公布后由管理员录入。"
    )
