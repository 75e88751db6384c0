"""A unit's reports: its page, saving and submitting a task's report, withdrawing it, its evidence files; and the
coordinator's review of the reports, one at a time or in a batch."""

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.core.htmx import form_fragment, partial_or_page
from ecotarget.core.numbers import plain_number
from ecotarget.core.params import whole_number
from ecotarget.monitoring.readings import readings_for
from ecotarget.organisation.access import (
    coordinator_required,
    may_report,
    may_see_task,
    may_see_unit,
    member_required,
)
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details

from .. import selectors
from ..errors import StaleReport
from ..evidence import CONTENT_TYPES, EvidenceRejected, read_within
from ..forms import ReportForm, ReviewForm
from ..measured import measured_bindings, measured_target_ids
from ..models import Evidence, Period, PeriodState, Report
from ..services import reporting
from .common import ACCEPT_FILES, calendar_warning, plan_of, refuse_unless, task_of

REPORTERS_ONLY = "只有单位填报员可以进行此操作"


def _own_unit_only(request: HttpRequest) -> None:
    membership = request.membership
    refuse_unless(may_report(membership, membership.unit_id), REPORTERS_ONLY)


# --- a unit's page ------------------------------------------------------------------------------------------------


def _report_form(row: selectors.ReportRow, day: date, measured: set[int], data=None, files=None) -> ReportForm:
    source = row.report or row.previous
    initial = {"version": row.report.version if row.report else 0}
    if source is not None:
        initial |= {"progress": source.progress, "percent": source.percent}
    else:
        initial |= {"progress": Report.Progress.NOT_STARTED, "percent": 0}
    if row.report is not None:
        initial |= {
            name: getattr(row.report, name) for name in ("work_done", "problems", "next_steps", "instruction_answer")
        }
    for target_id, value in row.values.items():
        initial[f"value_{target_id}"] = plain_number(value.value)  # "100", never "1E+2"
        initial[f"as_of_{target_id}"] = value.as_of
    return ReportForm(
        data, files, task=row.task, today=day, measured=measured, initial=initial, prefix=f"t{row.task.pk}"
    )


def _decorate(rows, *, editable_by_viewer: bool, period: Period | None, day: date) -> None:
    """Give each row its form (when the viewer may edit it) and the readings of its measured targets. A row takes
    a report only when the unit may report on it now (`row.refusal`, the rule `report_save` refuses by)."""
    opened = period is not None and period.state_on(day) != PeriodState.UPCOMING
    bindings = measured_bindings(row.task for row in rows)
    readings = {b.target_id: r for b, r in zip(bindings, readings_for(bindings, day), strict=True)}
    for row in rows:
        row.editable = editable_by_viewer and opened and not row.refusal and (row.report is None or row.report.editable)
        row.form = _report_form(row, day, set(readings)) if row.editable else None
        # Measured targets show the monitoring value; a value typed for one earlier is not shown as current.
        row.measured = [readings[t.pk] for t in row.task.targets.all() if t.pk in readings]
        row.typed_values = [v for v in (row.report.values.all() if row.report else []) if v.target_id not in readings]


def _unit_page(request: HttpRequest, plan: Plan, unit: Unit, *, editable: bool) -> HttpResponse:
    day = today()
    period = selectors.period_or_current(plan, day, request.GET.get("period"))
    page = selectors.unit_page(plan, unit, period, day)
    _decorate(page.rows, editable_by_viewer=editable, period=period, day=day)
    context = {
        "plan": plan,
        "page": page,
        "period": period,
        "periods": list(plan.periods.all()),
        "today": day,
        "editable": editable,
        "accept_files": ACCEPT_FILES,
        "calendar_warning": calendar_warning(plan),
    }
    return render(request, "progress/unit_page.html", context)


@member_required
def my_unit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    membership = request.membership
    if not may_report(membership, membership.unit_id):
        return redirect("progress:dashboard", pk=plan.pk)
    return _unit_page(request, plan, membership.unit, editable=True)


@member_required
def unit_reports(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk, region_id=plan.region_id)
    if not may_see_unit(request.membership, unit):
        raise Http404
    return _unit_page(request, plan, unit, editable=may_report(request.membership, unit.pk))


def _card(plan: Plan, unit: Unit, period: Period, task: Task, *, error: str = "", form=None) -> dict:
    day = today()
    page = selectors.unit_page(plan, unit, period, day)
    row = next(r for r in page.rows if r.task.pk == task.pk)
    _decorate([row], editable_by_viewer=True, period=period, day=day)
    if form is not None and row.editable:
        row.form = form
    context = {"plan": plan, "page": page, "period": period, "row": row, "today": day, "editable": True}
    context |= {"card_error": error, "accept_files": ACCEPT_FILES}
    return context


@member_required
@require_POST
def report_edit(request: HttpRequest, pk: int, number: int, task_pk: int) -> HttpResponse:
    """Save or submit one task's report from the unit page; an htmx request gets the task's card back."""
    _own_unit_only(request)
    plan = plan_of(request, pk)
    period = get_object_or_404(Period, plan=plan, number=number)
    task = task_of(request, task_pk)
    if task.plan_id != plan.pk:
        raise Http404
    unit = request.membership.unit
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    measured = measured_target_ids([task])
    form = ReportForm(request.POST, task=task, today=today(), measured=measured, prefix=f"t{task.pk}")
    error, status = "", 200
    if form.is_valid():
        try:
            files = [
                (f.name, read_within(f.name, f.chunks(), limit=settings.ECOTARGET_MAX_EVIDENCE_BYTES))
                for f in request.FILES.getlist(f"t{task.pk}-evidence")
            ]
            report = reporting.report_save(
                period=period,
                task=task,
                unit=unit,
                user=request.user,
                data=form.report_data(),
                version=form.cleaned_data["version"],
                submit=request.POST.get("action") == "submit",
                files=files,
            )
        except StaleReport as exc:
            error, status = str(exc), 409
        except (Refusal, EvidenceRejected) as exc:
            error, status = str(exc), 400
        else:
            done = "已报送" if report.state == Report.State.SUBMITTED else "已保存草稿"
            if not request.htmx:
                messages.success(request, f"任务 {task.number}：{done}")
                return redirect(reverse("progress:my_unit", args=[plan.pk]) + f"?period={period.number}#task-{task.pk}")
            context = _card(plan, unit, period, task)
            context["card_message"] = done
            return render(request, "progress/unit_page.html#task-card", context)
    else:
        error, status = "请检查填写的内容", 400
    if dropped := [f.name for f in request.FILES.getlist(f"t{task.pk}-evidence")]:
        # A refused form stores nothing and no browser refills a file input: say so, or the photo is lost unseen.
        error += f"。所选佐证材料未上传，请重新选择：{'、'.join(dropped)}"
    if not request.htmx:
        messages.error(request, f"任务 {task.number}：{error}")
        return redirect(reverse("progress:my_unit", args=[plan.pk]) + f"?period={period.number}#task-{task.pk}")
    # Keep what the user typed (unless someone else saved in between: then show the latest version).
    context = _card(plan, unit, period, task, error=error, form=None if status == 409 else form)
    return form_fragment(request, "progress/unit_page.html#task-card", context, status=status)


@member_required
@require_POST
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _own_unit_only(request)
    report = get_object_or_404(
        Report.objects.select_related("unit", "period"), pk=pk, unit_id=request.membership.unit_id
    )
    try:
        reporting.report_withdraw(report=report, user=request.user, version=int(request.POST.get("version", 0)))
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤回任务 {report.task.number} 的报告，可修改后重新报送")
    url = reverse("progress:my_unit", args=[report.period.plan_id]) + f"?period={report.period.number}"
    return redirect(url)


# --- evidence -----------------------------------------------------------------------------------------------------


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    item = get_object_or_404(
        Evidence.objects.select_related("report__unit", "report__task__plan", "report__period"), pk=pk
    )
    task = item.report.task
    if not may_see_task(request.membership, task.plan.region_id, set(task.assignments.values_list("unit", flat=True))):
        raise Http404
    return item


@member_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = _evidence(request, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在") from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[item.extension])
    # Pictures and PDFs may be shown in the review page (?inline=1); anything else is always a download.
    disposition = "inline" if request.GET.get("inline") == "1" and item.preview else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(item.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _evidence(request, pk)
    _own_unit_only(request)
    refuse_unless(may_report(request.membership, item.report.unit_id), "只能移除本单位上传的材料")
    try:
        reporting.evidence_remove(item=item, user=request.user)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已移除“{item.original_name}”（记录保留）")
    url = reverse("progress:my_unit", args=[item.report.period.plan_id]) + f"?period={item.report.period.number}"
    return redirect(url)


# --- review -------------------------------------------------------------------------------------------------------


@coordinator_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    day = today()
    period = selectors.period_or_current(plan, day, request.GET.get("period"))
    state = request.GET.get("state", Report.State.SUBMITTED)
    if state not in Report.State.values:
        state = ""
    units = selectors.region_units(request.membership)
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    reports = selectors.review_list(plan, period, state=state, unit=unit) if period else []
    selectors.with_previous(reports, period)
    context = {
        "plan": plan,
        "period": period,
        "periods": list(plan.periods.all()),
        "reports": reports,
        "submitted": [r for r in reports if r.state == Report.State.SUBMITTED],
        "state": state,
        "states": Report.State.choices[1:],
        "units": units,
        "unit": unit,
        "today": day,
    }
    return partial_or_page(request, "progress/review.html", context, partial="review-list")


@coordinator_required
@require_POST
def review_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept (or return) the ticked reports with one comment; each is checked against the version shown."""
    plan = plan_of(request, pk)
    chosen = {}
    for value in request.POST.getlist("report"):
        report_pk, version = (whole_number(part) for part in value.partition(":")[::2])
        if report_pk is not None and version is not None:
            chosen[report_pk] = version
    found = Report.objects.select_related("unit", "task", "period").filter(
        pk__in=chosen, period__plan=plan, unit__region_id=request.membership.region_id
    )
    items = [(report, chosen[report.pk]) for report in found.order_by("task__number", "unit__order")]
    accept = request.POST.get("decision") != "return"
    try:
        done = reporting.reports_review(
            reports=items, user=request.user, accept=accept, comment=request.POST.get("comment", "")
        )
    except Refusal as exc:
        messages.error(request, f"未审核任何报告。{exc}")
    else:
        messages.success(request, f"已{'审核通过' if accept else '退回'} {len(done)} 份报告")
    query = request.POST.get("query", "")
    return redirect(reverse("progress:review", args=[plan.pk]) + (f"?{query}" if query else ""))


@coordinator_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("unit", "period", "task"), pk=pk, unit__region_id=request.membership.region_id
    )
    form = ReviewForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = "请选择审核结果", 400
    else:
        data = form.cleaned_data
        act = reporting.report_accept if data["decision"] == "accept" else reporting.report_return
        try:
            act(report=report, user=request.user, version=data["version"], comment=data["comment"])
        except Refusal as exc:
            error, status = str(exc), 409 if isinstance(exc, StaleReport) else 400
    if not request.htmx:
        (messages.error if error else messages.success)(
            request, error or f"任务 {report.task.number}（{report.unit.name}）已审核"
        )
        return redirect(reverse("progress:review", args=[report.period.plan_id]) + f"?period={report.period.number}")
    fresh = selectors.report_with_details(report.pk)
    selectors.with_previous([fresh], fresh.period)
    context = {"r": fresh, "review_error": error, "plan": report.period.plan, "period": report.period}
    return form_fragment(request, "progress/review.html#review-item", context, status=status)


@coordinator_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator reopens a task accepted as done, so that its units report on it again."""
    task = task_of(request, pk)
    try:
        reporting.task_reopen(task=task, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已重新打开任务，各责任单位可继续填报")
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("progress:task", pk=task.pk)
