"""Setting a plan up for reporting, the working-day calendar, handing the plan out (交办) and the receipts."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.core.params import whole_number
from ecotarget.organisation.access import coordinator_required, may_follow_region, member_required
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest

from .. import selectors
from ..forms import HolidayForm, SetupForm
from ..models import HolidayYear, Receipt
from ..services import handout
from ..services import holidays as holiday_services
from ..status import setup_of
from ..workdays import library_knows
from .common import calendar_warning, plan_of, refuse_unless, reporting_unit


@coordinator_required
@require_http_methods(["GET", "POST"])
def setup(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    current = setup_of(plan)
    form = SetupForm(
        request.POST or None, instance=current if current.pk else None, initial={"starts_on": current.starts_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            handout.plan_setup_save(plan=plan, user=request.user, data=form.setup_data())
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存填报设置，填报周期已按新设置计算")
            return redirect("progress:setup", pk=plan.pk)
    context = {
        "plan": plan,
        "setup": current,
        "form": form,
        "periods": list(plan.periods.all()),
        "today": today(),
        "calendar_warning": calendar_warning(plan),
        "year_known": library_knows(plan.year),
    }
    return render(request, "progress/setup.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def publish(request: MemberRequest, pk: int) -> HttpResponse:
    """交办 in two steps: a page listing who gets which list and any 有关乡(镇) group nobody answers for yet
    (name its townships in the task editor, or keep it with an owner here); then the coordinator confirms."""
    plan = plan_of(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                receipts = handout.plan_publish(plan=plan, user=request.user)
                messages.success(request, f"已交办 {len(receipts)} 个责任单位，等待各单位签收")
                return redirect("progress:receipts", pk=plan.pk)
            if action == "keep":
                task = get_object_or_404(plan.tasks, pk=whole_number(request.POST.get("task")) or 0)
                group = get_object_or_404(
                    Unit, pk=whole_number(request.POST.get("group")) or 0, region_id=plan.region_id
                )
                owner = get_object_or_404(
                    Unit, pk=whole_number(request.POST.get("owner")) or 0, region_id=plan.region_id
                )
                handout.plan_group_keep(task=task, group=group, owner=owner, user=request.user)
                messages.success(request, f"任务 {task.number}：保留“{group.name}”，由{owner.name}负责落实")
            elif action == "keep_leads":
                kept = handout.plan_groups_keep_with_leads(plan=plan, user=request.user)
                messages.success(request, f"已保留 {len(kept)} 处乡镇组，由各任务的牵头单位负责落实")
        except Refusal as exc:
            messages.error(request, str(exc))
        return redirect("progress:publish", pk=plan.pk)
    groups = selectors.plan_groups(plan)
    summary = selectors.publish_summary(plan)
    context = {
        "plan": plan,
        "setup": setup_of(plan),
        "summary": summary,
        "new_units": [h for h in summary if not h.handed],
        "groups": groups,
        "unresolved": [g for g in groups if g.owner is None],
        "refusal": selectors.publish_refusal(plan, groups),
    }
    return render(request, "progress/publish.html", context)


@member_required
def receipts(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    refuse_unless(may_follow_region(request.membership, plan.region_id), "此页面仅供管理员和领导查看")
    items = selectors.receipts_of(plan)
    unsigned = [r for r in items if r.signed_at is None]
    return render(
        request,
        "progress/receipts.html",
        {"plan": plan, "receipts": items, "unsigned": unsigned, "setup": setup_of(plan)},
    )


@member_required
@require_POST
def receipt_sign(request: MemberRequest, pk: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt, pk=pk, unit=reporting_unit(request))
    handout.receipt_sign(receipt=receipt, user=request.user)
    messages.success(request, "已签收本单位责任清单")
    return redirect("progress:my_unit", pk=receipt.plan_id)


@coordinator_required
@require_http_methods(["GET", "POST"])
def holidays(request: MemberRequest, year: int) -> HttpResponse:
    record = (
        HolidayYear.objects.filter(region_id=request.membership.region_id, year=year).prefetch_related("days").first()
    )
    initial = None
    if record is not None:
        days = list(record.days.all())
        initial = {
            "notice": record.notice,
            "holidays": "\n".join(f"{d.day:%Y-%m-%d} {d.name}" for d in days if not d.is_workday),
            "workdays": "\n".join(f"{d.day:%Y-%m-%d}" for d in days if d.is_workday),
        }
    form = HolidayForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            holiday_services.holiday_year_save(
                region=request.membership.region,
                year=year,
                user=request.user,
                notice=form.cleaned_data["notice"],
                holidays=form.cleaned_data["holidays"],
                workdays=form.cleaned_data["workdays"],
            )
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存 {year} 年节假日安排，相关填报周期的报送日已重新计算")
            return redirect("progress:holidays", year=year)
    context = {"year": year, "form": form, "record": record, "known": library_knows(year)}
    return render(request, "progress/holidays.html", context)
