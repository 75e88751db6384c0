"""The status of every task of a plan, and of one task with its whole history."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from ecotarget.core import actions
from ecotarget.core.clock import today
from ecotarget.core.htmx import partial_or_page
from ecotarget.organisation.access import (
    may_oversee,
    may_report,
    may_review,
    may_see_report,
    member_required,
    timeline_seen_by,
)
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.models import Task
from ecotarget.plans.selectors import tasks_with_details

from .. import selectors
from ..forms import ChangeRequestForm
from ..models import ChangeRequest
from ..rules import Status
from ..status import setup_of
from .common import TIMELINE_ROWS, calendar_warning, plan_of, task_of


@member_required
def dashboard(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    if request.membership.is_reporter:
        return redirect("progress:my_unit", pk=plan.pk)
    day = today()
    progress = selectors.plan_progress(plan, day)
    wanted = request.GET.get("status", "")
    shown = [p for p in progress if not wanted or p.status == wanted or (wanted == "escalated" and p.escalated)]
    context = {
        "plan": plan,
        "setup": setup_of(plan),
        "today": day,
        "period": selectors.current_period(plan, day),
        "progress": shown,
        "counts": selectors.status_counts(progress),
        "escalated": [p for p in progress if p.escalated],
        "watched": [p for p in progress if p.watched],
        "wanted": wanted,
        "calendar_warning": calendar_warning(plan),
        "Status": Status,
    }
    return partial_or_page(request, "progress/dashboard.html", context, partial="status-table")


@member_required
def task_progress(request: MemberRequest, pk: int) -> HttpResponse:
    task = task_of(request, pk)
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    day = today()
    status = selectors.plan_progress(task.plan, day, tasks=[task])[0]
    membership = request.membership
    own_unit = membership.unit if may_report(membership, membership.unit_id) else None
    context = {
        "task": task,
        "plan": task.plan,
        "status": status,
        "reports": [r for r in selectors.task_reports(task) if may_see_report(membership, r.unit_id, r.is_draft)],
        "timeline": timeline_seen_by(request.membership, actions.task_timeline(task.pk))[:TIMELINE_ROWS],
        "requests": ChangeRequest.objects.filter(task=task).select_related("unit", "requested_by", "decided_by"),
        "instructions": task.instructions.select_related("author", "answered_by__unit"),
        "is_leader": may_oversee(membership, task.plan.region_id),
        "may_reopen": may_review(membership, task.plan.region_id) and status.status == Status.DONE,
        "own_unit": own_unit,
        "change_form": ChangeRequestForm() if own_unit else None,
        "today": day,
    }
    return render(request, "progress/task.html", context)
