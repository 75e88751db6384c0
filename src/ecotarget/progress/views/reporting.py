"""A unit's reports: its page, saving and submitting a task's report, withdrawing it, its evidence files; and the
coordinator's review of the reports, one at a time or in a batch."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ecotarget.core import actions
from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.core.htmx import form_fragment, partial_or_page
from ecotarget.core.numbers import plain_number
from ecotarget.core.params import whole_number
from ecotarget.monitoring.readings import Reading, readings_for
from ecotarget.organisation.access import (
    coordinator_required,
    may_report,
    may_see_report,
    may_see_task,
    may_see_unit,
    member_required,
    timeline_seen_by,
)
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details

from .. import selectors
from ..errors import StaleReport
from ..evidence import CONTENT_TYPES, EvidenceRejected, read_within
from ..forms import ReportForm, ReviewForm
from ..measured import measured_bindings, measured_target_ids
from ..models import Evidence, Period, PeriodState, ProgressReport, TargetValue
from ..services import reporting
from .common import ACCEPT_FILES, TIMELINE_ROWS, calendar_warning, plan_of, refuse_unless, reporting_unit, task_of

# --- a unit's page ------------------------------------------------------------------------------------------------


def _report_form(row: selectors.ReportRow, day: date, measured: set[int]) -> ReportForm:
    source = row.report or row.previous
    initial: dict[str, object] = {"version": row.report.version if row.report else 0}
    if source is not None:
        initial |= {"progress": source.progress, "percent": source.percent}
    else:
        initial |= {"progress": ProgressReport.Progress.NOT_STARTED, "percent": 0}
    if row.report is not None:
        initial |= {
            name: getattr(row.report, name) for name in ("work_done", "problems", "next_steps", "instruction_answer")
        }
    for target_id, value in row.values.items():
        initial[f"value_{target_id}"] = plain_number(value.value)  # "100", never "1E+2"
        initial[f"as_of_{target_id}"] = value.as_of
    return ReportForm(task=row.task, today=day, measured=measured, initial=initial, prefix=f"t{row.task.pk}")


@dataclass
class TaskCard:
    """A row of the unit's page as the viewer sees it: the form when the viewer may edit the report, the readings
    of the task's measured targets, and the values typed by hand for the others."""

    row: selectors.ReportRow
    editable: bool
    form: ReportForm | None
    measured: list[Reading]
    typed_values: list[TargetValue]


def _cards(
    rows: list[selectors.ReportRow], *, editable_by_viewer: bool, period: Period | None, day: date
) -> list[TaskCard]:
    """A row takes a report only when the unit may report on it now (`row.refusal`, the rule `report_save`
    refuses by)."""
    opened = period is not None and period.state_on(day) != PeriodState.UPCOMING
    bindings = measured_bindings(row.task for row in rows)
    readings = {b.target_id: r for b, r in zip(bindings, readings_for(bindings, day), strict=True)}
    cards = []
    for row in rows:
        editable = editable_by_viewer and opened and not row.refusal and (row.report is None or row.report.editable)
        cards.append(
            TaskCard(
                row=row,
                editable=editable,
                form=_report_form(row, day, set(readings)) if editable else None,
                # Measured targets show the monitoring value; a value typed for one earlier is not shown as current.
                measured=[readings[t.pk] for t in row.task.targets.all() if t.pk in readings],
                typed_values=[
                    v for v in (row.report.values.all() if row.report else []) if v.target_id not in readings
                ],
            )
        )
    return cards


def _unit_page(request: MemberRequest, plan: Plan, unit: Unit, *, editable: bool) -> HttpResponse:
    day = today()
    period = selectors.period_or_current(plan, day, request.GET.get("period"))
    page = selectors.unit_page(plan, unit, period, day, with_drafts=may_report(request.membership, unit.pk))
    context = {
        "plan": plan,
        "page": page,
        "cards": _cards(page.rows, editable_by_viewer=editable, period=period, day=day),
        "period": period,
        "periods": list(plan.periods.all()),
        "today": day,
        "editable": editable,
        "accept_files": ACCEPT_FILES,
        "calendar_warning": calendar_warning(plan),
        "timeline": timeline_seen_by(request.membership, actions.unit_timeline(unit.pk, plan.pk))[:TIMELINE_ROWS],
    }
    return render(request, "progress/unit_page.html", context)


@member_required
def my_unit(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    unit = request.membership.unit
    if unit is None or not may_report(request.membership, unit.pk):
        return redirect("progress:dashboard", pk=plan.pk)
    return _unit_page(request, plan, unit, editable=True)


@member_required
def unit_reports(request: MemberRequest, pk: int, unit_pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk, region_id=plan.region_id)
    if not may_see_unit(request.membership, unit):
        raise Http404
    return _unit_page(request, plan, unit, editable=may_report(request.membership, unit.pk))


def _card(
    plan: Plan, unit: Unit, period: Period, task: Task, *, error: str = "", form: ReportForm | None = None
) -> dict[str, object]:
    day = today()
    page = selectors.unit_page(plan, unit, period, day, with_drafts=True)  # the unit's own card, for its reporter
    row = next(r for r in page.rows if r.task.pk == task.pk)
    [card] = _cards([row], editable_by_viewer=True, period=period, day=day)
    if form is not None and card.editable:
        card.form = form
    context: dict[str, object] = {"plan": plan, "page": page, "period": period, "card": card, "row": row}
    context |= {"today": day, "editable": True, "card_error": error, "accept_files": ACCEPT_FILES}
    return context


@member_required
@require_POST
def report_edit(request: MemberRequest, pk: int, number: int, task_pk: int) -> HttpResponse:
    """Save or submit one task's report from the unit page; an htmx request gets the task's card back."""
    unit = reporting_unit(request)
    plan = plan_of(request, pk)
    period = get_object_or_404(Period, plan=plan, number=number)
    task = task_of(request, task_pk)
    if task.plan_id != plan.pk:
        raise Http404
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    measured = measured_target_ids([task])
    form = ReportForm(request.POST, task=task, today=today(), measured=measured, prefix=f"t{task.pk}")
    error, status = "", 200
    uploads: list[UploadedFile] = request.FILES.getlist(f"t{task.pk}-evidence")
    if form.is_valid():
        try:
            files = [
                (_file_name(f), read_within(_file_name(f), f.chunks(), limit=settings.ECOTARGET_MAX_EVIDENCE_BYTES))
                for f in uploads
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
            done = "已报送" if report.state == ProgressReport.State.SUBMITTED else "已保存草稿"
            if not request.htmx:
                messages.success(request, f"任务 {task.number}：{done}")
                return redirect(reverse("progress:my_unit", args=[plan.pk]) + f"?period={period.number}#task-{task.pk}")
            context = _card(plan, unit, period, task)
            context["card_message"] = done
            return render(request, "progress/unit_page.html#task-card", context)
    else:
        error, status = "请检查填写的内容", 400
    if dropped := [_file_name(f) for f in uploads]:
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
def report_withdraw(request: MemberRequest, pk: int) -> HttpResponse:
    unit = reporting_unit(request)
    report = get_object_or_404(ProgressReport.objects.select_related("unit", "period"), pk=pk, unit=unit)
    try:
        reporting.report_withdraw(report=report, user=request.user, version=int(request.POST.get("version", 0)))
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤回任务 {report.task.number} 的报告，可修改后重新报送")
    url = reverse("progress:my_unit", args=[report.period.plan_id]) + f"?period={report.period.number}"
    return redirect(url)


def _file_name(upload: UploadedFile) -> str:
    return upload.name or ""  # the multipart parser always names a file; the type allows none


# --- evidence -----------------------------------------------------------------------------------------------------


def _evidence(request: MemberRequest, pk: int) -> Evidence:
    item = get_object_or_404(
        Evidence.objects.select_related("report__unit", "report__task__plan", "report__period"), pk=pk
    )
    task = item.report.task
    if not may_see_task(request.membership, task.plan.region_id, set(task.assignments.values_list("unit", flat=True))):
        raise Http404
    if not may_see_report(request.membership, item.report.unit_id, item.report.is_draft):
        raise Http404  # another unit's draft: not there for this member
    return item


@member_required
def evidence_download(request: MemberRequest, pk: int) -> FileResponse:
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
def evidence_remove(request: MemberRequest, pk: int) -> HttpResponse:
    item = _evidence(request, pk)
    reporting_unit(request)
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
def review(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    day = today()
    period = selectors.period_or_current(plan, day, request.GET.get("period"))
    state = request.GET.get("state", ProgressReport.State.SUBMITTED)
    if state not in ProgressReport.State.values:
        state = ""
    units = selectors.region_units(request.membership)
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    reports = selectors.review_list(plan, period, state=state, unit=unit) if period else []
    context = {
        "plan": plan,
        "period": period,
        "periods": list(plan.periods.all()),
        "reports": reports,
        "items": selectors.with_previous(reports, period) if period else [],
        "submitted": [r for r in reports if r.state == ProgressReport.State.SUBMITTED],
        "state": state,
        "states": ProgressReport.State.choices[1:],
        "units": units,
        "unit": unit,
        "today": day,
    }
    return partial_or_page(request, "progress/review.html", context, partial="review-list")


@coordinator_required
@require_POST
def review_batch(request: MemberRequest, pk: int) -> HttpResponse:
    """Accept (or return) the ticked reports with one comment; each is checked against the version shown."""
    plan = plan_of(request, pk)
    chosen: dict[int, int] = {}
    for value in request.POST.getlist("report"):
        report_pk, version = (whole_number(part) for part in value.partition(":")[::2])
        if report_pk is not None and version is not None:
            chosen[report_pk] = version
    found = ProgressReport.objects.select_related("unit", "task", "period").filter(
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
def report_review(request: MemberRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ProgressReport.objects.select_related("unit", "period", "task"),
        pk=pk,
        unit__region_id=request.membership.region_id,
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
    [item] = selectors.with_previous([fresh], fresh.period)
    context: dict[str, object] = {"r": item.report, "previous": item.previous, "review_error": error}
    context |= {"plan": report.period.plan, "period": report.period}
    return form_fragment(request, "progress/review.html#review-item", context, status=status)


@coordinator_required
@require_POST
def task_reopen(request: MemberRequest, pk: int) -> HttpResponse:
    """The coordinator reopens a task accepted as done, so that its units report on it again."""
    task = task_of(request, pk)
    try:
        reporting.task_reopen(task=task, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已重新打开任务，各责任单位可继续填报")
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("progress:task", pk=task.pk)
