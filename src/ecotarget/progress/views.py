"""Progress pages: a unit's reports, the coordinator's review and reminders, the status of every task, people.

Every view checks the role through the core decorators and scopes every lookup to the user's region (another
region's objects are 404); a reporter reaches only its own unit's tasks and reports.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core.errors import Refusal
from ecotarget.core.htmx import form_fragment, partial_or_page
from ecotarget.core.numbers import plain_number
from ecotarget.core.params import whole_number
from ecotarget.monitoring.readings import readings_for
from ecotarget.organisation.access import coordinator_required, member_required
from ecotarget.organisation.models import Membership, Unit
from ecotarget.organisation.services import Person, posts_of, tenure_hand_over
from ecotarget.plans.current import current_plan
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import plans_visible_to, tasks_with_details

from . import selectors, services
from .evidence import CONTENT_TYPES
from .forms import (
    ChangeRequestForm,
    ChannelForm,
    DecisionForm,
    HandOverForm,
    HolidayForm,
    ReportForm,
    ReviewForm,
    SetupForm,
)
from .measured import measured_bindings, measured_target_ids
from .models import ChangeRequest, Evidence, HolidayYear, Period, Receipt, Report, UnitChannel
from .schedule import Status
from .services import StaleReport
from .workdays import library_knows

ACCEPT_FILES = ".png,.jpg,.jpeg,.pdf,.doc,.docx,.xls,.xlsx"


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(selectors.visible_tasks(request.membership).select_related("plan"), pk=pk)


def _is_leader(request: HttpRequest) -> bool:
    return request.membership.role == Membership.Role.LEADER


def _reporter_required(request: HttpRequest) -> None:
    if not request.membership.is_reporter:
        raise PermissionDenied("只有单位填报员可以进行此操作")


def _not_reporter(request: HttpRequest) -> None:
    if request.membership.is_reporter:
        raise PermissionDenied("此页面仅供管理员和领导查看")


def _calendar_warning(plan: Plan, calendar=None) -> str:
    calendar = calendar or services.work_calendar()
    years = calendar.assumed_years(services.date(plan.year, 12, 31))
    if not years:
        return ""
    return (
        f"{'、'.join(map(str, years))}年的节假日和调休安排尚未公布或尚未录入：报送日暂按周末和法定节日推算，"
        "请在国务院办公厅公布后由管理员录入。"
    )


@member_required
def home(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return redirect("plans:list")
    if request.membership.is_reporter:
        return redirect("progress:my_unit", pk=plan.pk)
    return redirect("progress:dashboard", pk=plan.pk)


# --- status of the plan -------------------------------------------------------------------------------------------


@member_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if request.membership.is_reporter:
        return redirect("progress:my_unit", pk=plan.pk)
    day = services.today()
    progress = selectors.plan_progress(plan, day)
    wanted = request.GET.get("status", "")
    shown = [p for p in progress if not wanted or p.status == wanted or (wanted == "escalated" and p.escalated)]
    context = {
        "plan": plan,
        "setup": selectors.setup_of(plan),
        "today": day,
        "period": selectors.current_period(plan, day),
        "progress": shown,
        "counts": selectors.status_counts(progress),
        "escalated": [p for p in progress if p.escalated],
        "watched": [p for p in progress if p.watched],
        "wanted": wanted,
        "calendar_warning": _calendar_warning(plan),
        "Status": Status,
    }
    return partial_or_page(request, "progress/dashboard.html", context, partial="status-table")


@coordinator_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    current = selectors.setup_of(plan)
    form = SetupForm(
        request.POST or None, instance=current if current.pk else None, initial={"starts_on": current.starts_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_setup_save(plan=plan, user=request.user, data=form.setup_data())
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
        "today": services.today(),
        "calendar_warning": _calendar_warning(plan),
        "year_known": library_knows(plan.year),
    }
    return render(request, "progress/setup.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """交办 in two steps: a page listing who gets which list and any 有关乡(镇) group nobody answers for yet
    (name its townships in the task editor, or keep it with an owner here); then the coordinator confirms."""
    plan = _plan(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                receipts = services.plan_publish(plan=plan, user=request.user)
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
                services.plan_group_keep(task=task, group=group, owner=owner, user=request.user)
                messages.success(request, f"任务 {task.number}：保留“{group.name}”，由{owner.name}负责落实")
            elif action == "keep_leads":
                kept = services.plan_groups_keep_with_leads(plan=plan, user=request.user)
                messages.success(request, f"已保留 {len(kept)} 处乡镇组，由各任务的牵头单位负责落实")
        except Refusal as exc:
            messages.error(request, str(exc))
        return redirect("progress:publish", pk=plan.pk)
    groups = services.plan_groups(plan)
    summary = services.publish_summary(plan)
    context = {
        "plan": plan,
        "setup": selectors.setup_of(plan),
        "summary": summary,
        "new_units": [h for h in summary if not h.handed],
        "groups": groups,
        "unresolved": [g for g in groups if g.owner is None],
        "refusal": services.publish_refusal(plan, groups),
    }
    return render(request, "progress/publish.html", context)


@member_required
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _not_reporter(request)
    items = selectors.receipts_of(plan)
    unsigned = [r for r in items if r.signed_at is None]
    return render(
        request,
        "progress/receipts.html",
        {"plan": plan, "receipts": items, "unsigned": unsigned, "setup": selectors.setup_of(plan)},
    )


@member_required
@require_POST
def receipt_sign(request: HttpRequest, pk: int) -> HttpResponse:
    _reporter_required(request)
    receipt = get_object_or_404(Receipt, pk=pk, unit_id=request.membership.unit_id)
    services.receipt_sign(receipt=receipt, user=request.user)
    messages.success(request, "已签收本单位责任清单")
    return redirect("progress:my_unit", pk=receipt.plan_id)


# --- a unit's reports ----------------------------------------------------------------------------------------------


def _report_form(row: selectors.ReportRow, day, measured: set[int], data=None, files=None) -> ReportForm:
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


def _decorate(rows, *, editable_by_viewer: bool, period: Period | None, day) -> None:
    """Give each row its form (when the viewer may edit it) and the readings of its measured targets."""
    opened = period is not None and period.state_on(day) != "upcoming"
    bindings = measured_bindings(row.task for row in rows)
    readings = {b.target_id: r for b, r in zip(bindings, readings_for(bindings, day), strict=True)}
    for row in rows:
        row.editable = (
            editable_by_viewer and opened and not row.finished and (row.report is None or row.report.editable)
        )
        row.form = _report_form(row, day, set(readings)) if row.editable else None
        # Measured targets show the monitoring value; a value typed for one earlier is not shown as current.
        row.measured = [readings[t.pk] for t in row.task.targets.all() if t.pk in readings]
        row.typed_values = [v for v in (row.report.values.all() if row.report else []) if v.target_id not in readings]


def _unit_page(request: HttpRequest, plan: Plan, unit: Unit, *, editable: bool) -> HttpResponse:
    day = services.today()
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
        "calendar_warning": _calendar_warning(plan),
    }
    return render(request, "progress/unit_page.html", context)


@member_required
def my_unit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not request.membership.is_reporter:
        return redirect("progress:dashboard", pk=plan.pk)
    return _unit_page(request, plan, request.membership.unit, editable=True)


@member_required
def unit_reports(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk, region_id=plan.region_id)
    if request.membership.is_reporter and request.membership.unit_id != unit.pk:
        raise Http404
    return _unit_page(request, plan, unit, editable=request.membership.is_reporter)


def _card(request: HttpRequest, plan: Plan, unit: Unit, period: Period, task: Task, *, error: str = "", form=None):
    day = services.today()
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
    _reporter_required(request)
    plan = _plan(request, pk)
    period = get_object_or_404(Period, plan=plan, number=number)
    task = _task(request, task_pk)
    if task.plan_id != plan.pk:
        raise Http404
    unit = request.membership.unit
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    measured = measured_target_ids([task])
    form = ReportForm(request.POST, task=task, today=services.today(), measured=measured, prefix=f"t{task.pk}")
    error, status = "", 200
    if form.is_valid():
        files = [(f.name, f.read()) for f in request.FILES.getlist(f"t{task.pk}-evidence")]
        try:
            report = services.report_save(
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
        except Refusal as exc:
            error, status = str(exc), 400
        else:
            done = "已报送" if report.state == Report.State.SUBMITTED else "已保存草稿"
            if not request.htmx:
                messages.success(request, f"任务 {task.number}：{done}")
                return redirect(reverse("progress:my_unit", args=[plan.pk]) + f"?period={period.number}#task-{task.pk}")
            context = _card(request, plan, unit, period, task)
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
    context = _card(request, plan, unit, period, task, error=error, form=None if status == 409 else form)
    return form_fragment(request, "progress/unit_page.html#task-card", context, status=status)


def _own_report(request: HttpRequest, pk: int) -> Report:
    _reporter_required(request)
    return get_object_or_404(Report.objects.select_related("unit", "period"), pk=pk, unit_id=request.membership.unit_id)


@member_required
@require_POST
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request, pk)
    try:
        services.report_withdraw(report=report, user=request.user, version=int(request.POST.get("version", 0)))
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤回任务 {report.task.number} 的报告，可修改后重新报送")
    url = reverse("progress:my_unit", args=[report.period.plan_id]) + f"?period={report.period.number}"
    return redirect(url)


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    item = get_object_or_404(Evidence.objects.select_related("report__unit", "report__task", "report__period"), pk=pk)
    if not selectors.visible_tasks(request.membership).filter(pk=item.report.task_id).exists():
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
    _reporter_required(request)
    if item.report.unit_id != request.membership.unit_id:
        raise PermissionDenied("只能移除本单位上传的材料")
    try:
        services.evidence_remove(item=item, user=request.user)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已移除“{item.original_name}”（记录保留）")
    url = reverse("progress:my_unit", args=[item.report.period.plan_id]) + f"?period={item.report.period.number}"
    return redirect(url)


# --- review -------------------------------------------------------------------------------------------------------


@coordinator_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    day = services.today()
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
    plan = _plan(request, pk)
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
        done = services.reports_review(
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
        try:
            if data["decision"] == "accept":
                services.report_accept(
                    report=report, user=request.user, version=data["version"], comment=data["comment"]
                )
            else:
                services.report_return(
                    report=report, user=request.user, version=data["version"], comment=data["comment"]
                )
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


# --- reminders ----------------------------------------------------------------------------------------------------


@coordinator_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    day = services.today()
    period = selectors.period_or_current(plan, day, request.GET.get("period") or request.POST.get("period"))
    chases = selectors.chase_list(plan, period, day) if period else []
    if request.method == "POST" and period is not None:
        chosen = set(request.POST.getlist("unit"))
        sent = []
        for chase in chases:
            if str(chase.unit.pk) in chosen:
                sent += services.reminder_send(period=period, chase=chase, user=request.user)
        failed = [r for r in sent if r.result != "sent"]
        if not sent:
            messages.warning(request, "请先勾选要催办的单位")
        elif failed:
            messages.error(
                request,
                f"已发送 {len(sent) - len(failed)} 条；{len(failed)} 条未送达："
                + "；".join(f"{r.unit.name}（{r.get_channel_display()}）{r.get_result_display()}" for r in failed),
            )
        else:
            messages.success(request, f"已发送 {len(sent)} 条催办")
        return redirect(reverse("progress:reminders", args=[plan.pk]) + f"?period={period.number}")
    context = {
        "plan": plan,
        "period": period,
        "periods": list(plan.periods.all()),
        "chases": chases,
        "log": selectors.reminder_log(period)[:200] if period else [],
        "today": day,
    }
    return render(request, "progress/reminders.html", context)


# --- a task -------------------------------------------------------------------------------------------------------


@member_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    day = services.today()
    status = selectors.plan_progress(task.plan, day, tasks=[task])[0]
    membership = request.membership
    own_unit = membership.unit if request.membership.is_reporter else None
    context = {
        "task": task,
        "plan": task.plan,
        "status": status,
        "reports": selectors.task_reports(task),
        "timeline": selectors.task_timeline(task),
        "requests": ChangeRequest.objects.filter(task=task).select_related("unit", "requested_by", "decided_by"),
        "instructions": task.instructions.select_related("author", "answered_by__unit"),
        "is_leader": _is_leader(request),
        "own_unit": own_unit,
        "change_form": ChangeRequestForm() if own_unit else None,
        "today": day,
    }
    return render(request, "progress/task.html", context)


def _leader_task(request: HttpRequest, pk: int) -> Task:
    task = _task(request, pk)
    if not _is_leader(request):
        raise PermissionDenied("只有领导可以关注任务或作出批示")
    return task


@member_required
@require_POST
def task_watch(request: HttpRequest, pk: int) -> HttpResponse:
    task = _leader_task(request, pk)
    watch = request.POST.get("watch") == "1"
    services.task_watch(task=task, user=request.user, watch=watch)
    messages.success(request, "已关注该任务" if watch else "已取消关注")
    return redirect("progress:task", pk=task.pk)


@coordinator_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator reopens a task accepted as done, so that its units report on it again."""
    task = _task(request, pk)
    try:
        services.task_reopen(task=task, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已重新打开任务，各责任单位可继续填报")
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect("progress:task", pk=task.pk)


@member_required
@require_POST
def task_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    task = _leader_task(request, pk)
    try:
        _, new = services.instruction_give(task=task, user=request.user, text=request.POST.get("text", ""))
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "批示已发出，牵头单位须在下次报告中答复" if new else "这条批示已经发出，未重复发送")
    return redirect("progress:task", pk=task.pk)


@member_required
def leader_desk(request: HttpRequest) -> HttpResponse:
    """A leader's own page: the tasks it watches with their status, and the instructions it gave with the lead
    unit's answer from its report (or 待答复)."""
    if not _is_leader(request):
        raise PermissionDenied("此页面仅供领导查看")
    day = services.today()
    region_id = request.membership.region_id
    context = {
        "watched": selectors.watched_progress(request.user, region_id, day),
        "instructions": selectors.instructions_given(request.user, region_id),
        "today": day,
    }
    return render(request, "progress/leader.html", context)


@member_required
@require_POST
def change_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    _reporter_required(request)
    task = _task(request, pk)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写调整事项和理由")
        return redirect("progress:task", pk=task.pk)
    try:
        services.change_request_create(task=task, unit=request.membership.unit, user=request.user, **form.cleaned_data)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "调整申请已提交，等待管理员审批")
    return redirect("progress:task", pk=task.pk)


@coordinator_required
def change_requests(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    items = selectors.change_requests_of(plan)
    return render(request, "progress/change_requests.html", {"plan": plan, "requests": items})


@coordinator_required
@require_POST
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ChangeRequest.objects.select_related("task"), pk=pk, task__plan__region_id=request.membership.region_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意")
    else:
        try:
            services.change_request_decide(
                change_request=item,
                user=request.user,
                grant=form.cleaned_data["decision"] == "grant",
                note=form.cleaned_data["note"],
            )
        except Refusal as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "已处理调整申请" + ("，请在任务编辑中调整责任单位" if item.kind == "owners" else "")
            )
    return redirect(request.POST.get("next") or reverse("progress:change_requests", args=[item.task.plan_id]))


# --- people and channels -------------------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    unit = get_object_or_404(Unit, pk=pk, region_id=membership.region_id)
    if request.membership.is_reporter and membership.unit_id != unit.pk:
        raise Http404
    if request.method == "POST" and not membership.is_coordinator:
        raise PermissionDenied("只有管理员可以登记人员交接")
    form = HandOverForm(request.POST or None) if membership.is_coordinator else None
    channel = UnitChannel.objects.filter(unit=unit).first()
    channel_form = ChannelForm(
        request.POST if request.POST.get("form") == "channel" else None,
        initial={"webhook_kind": channel.webhook_kind, "webhook_url": channel.webhook_url} if channel else None,
    )
    if request.method == "POST" and request.POST.get("form") == "channel":
        if channel_form.is_valid():
            kind, url = channel_form.cleaned_data["webhook_kind"], channel_form.cleaned_data["webhook_url"]
            with transaction.atomic():
                if kind and url:
                    UnitChannel.objects.update_or_create(unit=unit, defaults={"webhook_kind": kind, "webhook_url": url})
                else:
                    UnitChannel.objects.filter(unit=unit).delete()
            messages.success(request, "已保存群机器人设置")
            return redirect("progress:people", pk=unit.pk)
    elif request.method == "POST":
        post = next((p for p in posts_of(unit) if p.kind == request.POST.get("post")), None)
        if post is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            user = None
            if data["username"]:
                user = get_user_model().objects.filter(username=data["username"]).first()
                if user is None:
                    form.add_error("username", "没有这个账号")
            if form.is_valid():
                try:
                    tenure_hand_over(
                        post=post,
                        successor=Person(name=data["name"], user=user, phone=data["phone"], email=data["email"]),
                        on=data["on"],
                        by=request.user,
                        note=data["note"],
                    )
                except Refusal as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"{post.get_kind_display()}已交接给{data['name']}")
                    return redirect("progress:people", pk=unit.pk)
    context = {
        "unit": unit,
        "posts": selectors.unit_people(unit),
        "form": form,
        "channel_form": channel_form if membership.is_coordinator else None,
        "plan": current_plan(request),
    }
    return render(request, "progress/people.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest, year: int) -> HttpResponse:
    record = HolidayYear.objects.filter(year=year).prefetch_related("days").first()
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
            services.holiday_year_save(
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
