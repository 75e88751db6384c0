"""The leaders' dashboard and the task lists behind its figures. Reporters are sent to their own unit's page."""

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_POST

from ecotarget.core.clock import today
from ecotarget.core.htmx import partial_or_page
from ecotarget.core.params import whole_number
from ecotarget.monitoring.models import Indicator
from ecotarget.organisation.access import may_see_dashboard, member_required, next_on_this_site
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.current import current_plan, plan_choose
from ecotarget.plans.models import Plan
from ecotarget.plans.selectors import plan_units, plans_visible_to
from ecotarget.progress.rules import Status

from . import charts
from .selectors import BEHIND, TaskQuery, dashboard, filtered_progress

STATUS_FILTERS = {BEHIND: "滞后（含严重滞后、逾期）", **{s.value: s.label for s in Status}}


def _plan(request: MemberRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


@member_required
def home(request: MemberRequest) -> HttpResponse:
    """Where a member starts: leaders and coordinators on the dashboard, reporters on their unit's page."""
    plan = current_plan(request)
    if plan is None:
        return redirect("plans:list")
    if not may_see_dashboard(request.membership):
        return redirect("progress:my_unit", pk=plan.pk)
    return redirect("dashboard:plan", pk=plan.pk)


PLAN_PAGE = re.compile(r"^(/(?:[a-z]+/)?plans/)(\d+)(/.*)$")


def _same_page_of(plan: Plan, next_url: str) -> str:
    """The page the member was on, for the newly chosen plan: a page of a plan becomes the same page of the new
    plan; a page of one task or report of the old plan, the landing page; any other page stays."""
    path = next_url.split("?", 1)[0].split("#", 1)[0]
    match = PLAN_PAGE.match(path)
    if match:
        path = f"{match[1]}{plan.pk}{match[3]}"
    try:
        found = resolve(path)
    except Resolver404:
        return reverse("home")
    if not match and "pk" in found.kwargs:
        return reverse("home")
    return path


@member_required
@require_POST
def switch_plan(request: MemberRequest) -> HttpResponse:
    """The header's plan switcher: remember the choice, then show the same page for the chosen plan."""
    plan = _plan(request, whole_number(request.POST.get("plan", "")) or 0)
    plan_choose(request, plan)
    return redirect(_same_page_of(plan, next_on_this_site(request, reverse("home"))))


@member_required
def plan_dashboard(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not may_see_dashboard(request.membership):
        return redirect("progress:my_unit", pk=plan.pk)
    board = dashboard(plan, today())
    tasks_url = reverse("dashboard:tasks", args=[plan.pk])
    context = {
        "plan": plan,
        "board": board,
        "tasks_url": tasks_url,
        "charts": charts.all_charts(board, tasks_url),
        "behind": BEHIND,
    }
    return render(request, "dashboard/dashboard.html", context)


@member_required
def task_list(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not may_see_dashboard(request.membership):
        return redirect("progress:my_unit", pk=plan.pk)
    status = request.GET.get("status", "")
    indicator = request.GET.get("indicator", "")
    query = TaskQuery(
        status=status if status in STATUS_FILTERS else "",
        section_id=whole_number(request.GET.get("section", "")),
        unit_id=whole_number(request.GET.get("unit", "")),
        lead_only=request.GET.get("lead") == "1",
        indicator=indicator if indicator == "water" or indicator in Indicator.values else "",
        target_id=whole_number(request.GET.get("target", "")),
    )
    sections = list(plan.sections.filter(parent=None).order_by("order"))
    units = plan_units(plan)
    described = []
    if query.status:
        described.append(STATUS_FILTERS[query.status])
    if query.section_id:
        described += [f"{s.number}、{s.title}" for s in sections if s.pk == query.section_id]
    if query.unit_id:
        described += [u.name + ("（牵头）" if query.lead_only else "") for u in units if u.pk == query.unit_id]
    if query.indicator:
        described.append("水质断面相关指标" if query.indicator == "water" else Indicator(query.indicator).label)
    if query.target_id:
        described.append("所选指标")
    context = {
        "plan": plan,
        "progress": filtered_progress(plan, today(), query),
        "query": query,
        "described": described,
        "sections": sections,
        "units": units,
        "statuses": STATUS_FILTERS,
        "clear_url": reverse("dashboard:tasks", args=[plan.pk]),
    }
    return partial_or_page(request, "dashboard/task_list.html", context, partial="task-rows")
