"""What the progress pages share: looking up a plan or a task the member may see, the unit a reporter reports
for, and the calendar warning."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ecotarget.organisation.access import may_report
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import plans_visible_to

from ..selectors import visible_tasks, work_calendar
from ..workdays import WorkCalendar

ACCEPT_FILES = ".png,.jpg,.jpeg,.pdf,.doc,.docx,.xls,.xlsx"
REPORTERS_ONLY = "只有单位填报员可以进行此操作"
TIMELINE_ROWS = 500  # the newest actions of the log a page shows, as on the plans' pages


def plan_of(request: MemberRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def task_of(request: MemberRequest, pk: int) -> Task:
    return get_object_or_404(visible_tasks(request.membership).select_related("plan"), pk=pk)


def refuse_unless(allowed: bool, message: str) -> None:
    """Forbid the request (403, with the policy's refusal in words) unless the access policy allowed it."""
    if not allowed:
        raise PermissionDenied(message)


def reporting_unit(request: MemberRequest) -> Unit:
    """The unit the member reports for (`may_report`); anyone else is forbidden."""
    unit = request.membership.unit
    if unit is None or not may_report(request.membership, unit.pk):
        raise PermissionDenied(REPORTERS_ONLY)
    return unit


def calendar_warning(plan: Plan, calendar: WorkCalendar | None = None) -> str:
    calendar = calendar or work_calendar(plan.region_id)
    years = calendar.assumed_years(date(plan.year, 12, 31))
    if not years:
        return ""
    return (
        f"{'、'.join(map(str, years))}年的节假日和调休安排尚未公布或尚未录入：报送日暂按周末和法定节日推算，"
        "请在国务院办公厅公布后由管理员录入。"
    )
