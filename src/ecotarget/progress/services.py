"""Business actions on progress: set up and hand out a plan, sign for it, ask for changes, report, review,
instruct, remind. Each validates, writes inside one transaction and leaves a history row with the acting user."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ecotarget.core import clock
from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.organisation.models import Membership, Tenure, Unit
from ecotarget.plans.models import Assignment, Plan, Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update

from . import evidence as evidence_check
from . import webhooks
from .measured import reported_by_hand
from .models import (
    ChangeRequest,
    Evidence,
    GroupOwner,
    HolidayDay,
    HolidayYear,
    Instruction,
    Period,
    PeriodStatus,
    PlanSetup,
    Receipt,
    Reminder,
    Report,
    ReportEvent,
    TargetValue,
    UnitChannel,
    Watch,
)
from .obligations import lead_unit_ids, may_report
from .periods import build_periods
from .schedule import Thresholds
from .workdays import Arrangement, WorkCalendar, library_knows


class ProgressError(Refusal):
    """A refusal with a message meant for the user."""


class StaleReport(ProgressError):
    pass


# --- working days -------------------------------------------------------------------------------------------


def work_calendar() -> WorkCalendar:
    """The calendar with every coordinator-entered arrangement (two queries)."""
    arrangements = []
    for year in HolidayYear.objects.prefetch_related("days"):
        days = list(year.days.all())
        arrangements.append(
            Arrangement(
                year=year.year,
                holidays=frozenset(d.day for d in days if not d.is_workday),
                workdays=frozenset(d.day for d in days if d.is_workday),
            )
        )
    return WorkCalendar.of(arrangements)


@transaction.atomic
def holiday_year_save(
    *, year: int, user: AbstractBaseUser, notice: str, holidays: list[tuple[date, str]], workdays: list[date]
) -> HolidayYear:
    """Store the State Council's announced arrangement for a year the library does not know, then re-date periods."""
    if library_knows(year):
        raise ProgressError(f"{year}年的节假日安排已由日历库提供，无需录入")
    for day, _ in holidays:
        if day.year != year:
            raise ProgressError(f"{day:%Y-%m-%d} 不在 {year} 年")
    for day in workdays:
        if day.year != year:
            raise ProgressError(f"{day:%Y-%m-%d} 不在 {year} 年")
        if day.weekday() < 5:
            raise ProgressError(f"{day:%Y-%m-%d} 本就是工作日，调休上班日应为周末")
    if {d for d, _ in holidays} & set(workdays):
        raise ProgressError("同一天不能既放假又上班")
    for setup in PlanSetup.objects.filter(plan__year=year).select_related("plan"):
        periods_close_due(plan=setup.plan)  # re-dating periods must not change the ones already closed
    record, _ = HolidayYear.objects.update_or_create(
        year=year, defaults={"notice": notice, "entered_by": user, "entered_at": clock.now()}
    )
    record.days.all().delete()
    HolidayDay.objects.bulk_create(
        [HolidayDay(year=record, day=d, name=name, is_workday=False) for d, name in holidays]
        + [HolidayDay(year=record, day=d, name="调休上班", is_workday=True) for d in workdays]
    )
    calendar = work_calendar()
    for setup in PlanSetup.objects.filter(plan__year=year).select_related("plan"):
        _sync_periods(setup, calendar)
    return record


# --- set-up and hand-over --------------------------------------------------------------------------------------


def setup_defaults(plan: Plan) -> PlanSetup:
    return PlanSetup(plan=plan, starts_on=date(plan.year, 1, 1))


def _sync_periods(setup: PlanSetup, calendar: WorkCalendar) -> list[Period]:
    specs = build_periods(year=setup.plan.year, frequency=setup.frequency, due_day=setup.due_day, workdays=calendar)
    existing = {p.number: p for p in Period.objects.filter(plan=setup.plan)}
    kept = []
    for spec in specs:
        period = existing.pop(spec.number, None) or Period(plan=setup.plan, number=spec.number)
        for name in ("kind", "label", "starts_on", "ends_on", "opens_on", "due_on"):
            setattr(period, name, getattr(spec, name))
        period.save()
        kept.append(period)
    Period.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    return kept


@dataclass
class SetupData:
    frequency: str = PlanSetup.Frequency.MONTHLY
    due_day: int = 25
    starts_on: date | None = None
    lagging_threshold: int = 10
    serious_threshold: int = 25
    risk_margin: int = 5
    reminder_lead_days: int = 3
    webhook_kind: str = ""
    webhook_url: str = ""


@transaction.atomic
def plan_setup_save(*, plan: Plan, user: AbstractBaseUser | None, data: SetupData) -> PlanSetup:
    try:
        Thresholds(lagging=data.lagging_threshold, serious=data.serious_threshold)
    except ValueError as exc:
        raise ProgressError(str(exc)) from None
    if bool(data.webhook_kind) != bool(data.webhook_url):
        raise ProgressError("群机器人类型和地址须同时填写")
    if data.starts_on and data.starts_on.year != plan.year:
        raise ProgressError(f"序时起点须在 {plan.year} 年内")
    setup = PlanSetup.objects.select_for_update().filter(plan=plan).first() or setup_defaults(plan)
    periods_close_due(plan=plan)  # thresholds and due dates decide statuses: closed periods keep theirs
    if setup.pk and data.frequency != setup.frequency and Report.objects.filter(period__plan=plan).exists():
        raise ProgressError("已有单位填报，不能再更改填报频次")
    for name, value in vars(data).items():
        if name == "starts_on":
            value = value or setup.starts_on
        setattr(setup, name, value)
    setup.updated_by, setup.updated_at = user, clock.now()
    setup.save()
    _sync_periods(setup, work_calendar())
    return setup


def reporting_units(plan: Plan) -> list[Unit]:
    """Units that hold tasks and can report: 有关乡(镇) and other placeholders cannot sign or report."""
    return list(
        Unit.objects.filter(assignments__task__plan=plan)
        .exclude(kind=Unit.Kind.GROUP)
        .distinct()
        .order_by("kind", "order", "name")
    )


@transaction.atomic
def plan_publish(*, plan: Plan, user: AbstractBaseUser) -> list[Receipt]:
    """Hand every unit its list (交办): each must sign for it. Publishing again adds receipts for new units only.
    Refused while a 有关乡(镇)-style group on a task has no townships named and no unit answering for it."""
    refusal = publish_refusal(plan)
    if refusal:
        raise ProgressError(refusal)
    setup = PlanSetup.objects.select_for_update().filter(plan=plan).first()
    if setup is None:
        setup = plan_setup_save(plan=plan, user=user, data=SetupData())
    now = clock.now()
    if setup.published_at is None:
        setup.published_at, setup.published_by = now, user
        setup.save(update_fields=["published_at", "published_by"])
    have = set(Receipt.objects.filter(plan=plan).values_list("unit_id", flat=True))
    Receipt.objects.bulk_create(
        Receipt(plan=plan, unit=unit, handed_at=now) for unit in reporting_units(plan) if unit.pk not in have
    )
    return list(Receipt.objects.filter(plan=plan).select_related("unit"))


def _reporter_unit(user: AbstractBaseUser) -> Membership:
    membership = Membership.objects.filter(user=user).first()
    if membership is None or membership.role != Membership.Role.REPORTER:
        raise ProgressError("只有本单位填报员可以进行此操作")
    return membership


@transaction.atomic
def receipt_sign(*, receipt: Receipt, user: AbstractBaseUser) -> Receipt:
    membership = _reporter_unit(user)
    if membership.unit_id != receipt.unit_id:
        raise ProgressError("只能签收本单位的责任清单")
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.signed_at is None:
        receipt.signed_at, receipt.signed_by = clock.now(), user
        receipt.save(update_fields=["signed_at", "signed_by"])
    return receipt


# --- closing a period -------------------------------------------------------------------------------------------


def period_close(*, period: Period, day: date | None = None) -> int:
    """Keep every task's status as it stood when `period` closed (its due date passed): status, expected and
    reported percent, lag, missed targets, from what was known on the due date. Written once: tasks already
    frozen keep theirs, so calling it again changes nothing. Returns how many tasks were frozen now."""
    if period.state_on(day or today()) != "closed":
        raise ProgressError(f"{period.label}尚未截止，不能定格")
    have = PeriodStatus.objects.filter(period=period).values_list("task_id", flat=True)
    return _freeze(period, tasks_with_details(period.plan.tasks.exclude(pk__in=have).order_by("number")))


def _freeze(period: Period, tasks: list[Task], reports: list[Report] | None = None) -> int:
    from .selectors import live_progress

    if not tasks:
        return 0
    progress = live_progress(period.plan, period.due_on, tasks=tasks, reports=reports)
    PeriodStatus.objects.bulk_create(
        [
            PeriodStatus(
                period=period,
                task=item.task,
                status=item.status.value,
                expected=Decimal(str(item.expected)),
                reported=item.reported,
                lag=None if item.lag is None else Decimal(str(item.lag)),
                report=item.report,
                missed_targets=item.missed_targets,
                escalated=item.escalated,
            )
            for item in progress
        ],
        ignore_conflicts=True,  # two first readers at once: the first write wins, both wrote the same
    )
    return len(progress)


def periods_close_due(*, plan: Plan, day: date | None = None) -> int:
    """Freeze every period of the plan that has closed by `day` (default today) and has no snapshot yet.

    Called on the first read after a due date, by the daily reminder run, and before any action that changes
    what decides a status (task edit, change-request grant, set-up save, binding change), so that the change
    reaches only what comes next. One query when there is nothing to do."""
    closing = list(
        Period.objects.filter(plan=plan, due_on__lt=day or today(), statuses__isnull=True)
        .select_related("plan")
        .order_by("number")
    )
    if not closing:
        return 0
    from .selectors import lead_reports

    # None of these periods has any task frozen: read the tasks and the reports once for all of them.
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    reports = lead_reports(plan) if len(closing) > 1 else None
    frozen = 0
    for period in closing:
        with transaction.atomic():
            frozen += _freeze(period, tasks, reports)
    return frozen


@transaction.atomic
def task_reopen(*, task: Task, user: AbstractBaseUser, reason: str) -> list[Report]:
    """The coordinator reopens a task accepted as 已完成 so that its units report on it again (from the current
    period on). The accepted reports stay as they were; each gets a history entry with the reason."""
    _check_coordinator(user, task.plan.region_id, "重新打开任务")
    if not reason.strip():
        raise ProgressError("请说明重新打开任务的理由")
    reports = list(
        Report.objects.select_for_update().filter(
            task=task, state=Report.State.ACCEPTED, progress=Report.Progress.DONE, reopened_at__isnull=True
        )
    )
    if not reports:
        raise ProgressError("该任务没有已审核确认完成的报告，无需重新打开")
    periods_close_due(plan=task.plan)
    now = clock.now()
    for report in reports:
        report.reopened_at = now
        report.save(update_fields=["reopened_at"])
        _event(report, ReportEvent.Action.REOPEN, user, comment=reason.strip())
    return reports


# --- change requests -------------------------------------------------------------------------------------------


@transaction.atomic
def change_request_create(
    *,
    task: Task,
    unit: Unit,
    user: AbstractBaseUser,
    kind: str,
    proposal: str,
    reason: str,
    new_due_on: date | None = None,
) -> ChangeRequest:
    if not Assignment.objects.filter(task=task, unit=unit).exists():
        raise ProgressError("只能申请调整本单位承担的任务")
    if kind not in ChangeRequest.Kind.values:
        raise ProgressError("请选择调整事项")
    if not reason.strip():
        raise ProgressError("请说明申请调整的理由")
    if kind == ChangeRequest.Kind.DEADLINE:
        if new_due_on is None:
            raise ProgressError("申请调整时限须填写新的时限")
        proposal = proposal.strip() or f"时限调整为 {new_due_on:%Y年%-m月%-d日}"
    if not proposal.strip():
        raise ProgressError("请填写调整内容")
    if ChangeRequest.objects.filter(task=task, unit=unit, kind=kind, state=ChangeRequest.State.PENDING).exists():
        raise ProgressError("同一事项已有待审批的申请")
    return ChangeRequest.objects.create(
        task=task,
        unit=unit,
        kind=kind,
        proposal=proposal.strip(),
        reason=reason.strip(),
        new_due_on=new_due_on,
        requested_by=user,
    )


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, user: AbstractBaseUser, grant: bool, note: str = ""
) -> ChangeRequest:
    """Grant or refuse. A granted wording or deadline change is applied to the task (and so lands in its
    history); a granted change of owners is applied by the coordinator in the task editor."""
    request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if request.state != ChangeRequest.State.PENDING:
        raise ProgressError("该申请已处理")
    if not grant and not note.strip():
        raise ProgressError("不同意时请填写意见")
    if grant and request.kind != ChangeRequest.Kind.OWNERS:
        periods_close_due(plan=request.task.plan)  # an extension changes what comes next, not a closed period
        task = tasks_with_details(Task.objects.filter(pk=request.task_id))[0]
        edit = TaskEdit.of(task)
        if request.kind == ChangeRequest.Kind.WORDING:
            edit.text = request.proposal
        else:
            deadlines = sorted(edit.deadlines)
            what = deadlines[-1][1] if deadlines else "完成"
            edit.deadlines = [*deadlines[:-1], (request.new_due_on, what)]
        task_update(task=task, user=user, edit=edit, request_reason=request.reason)
    request.state = ChangeRequest.State.GRANTED if grant else ChangeRequest.State.REFUSED
    request.decided_by, request.decided_at, request.decision_note = user, clock.now(), note.strip()
    request.save()
    return request


# --- reports ---------------------------------------------------------------------------------------------------


@dataclass
class ReportData:
    progress: str = Report.Progress.NOT_STARTED
    percent: int = 0
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    instruction_answer: str = ""
    values: dict[int, tuple[Decimal, date]] = field(default_factory=dict)  # target id -> (value, as of)


CONTENT_FIELDS = ("progress", "percent", "work_done", "problems", "next_steps", "instruction_answer")


def report_content(report: Report, values: list[TargetValue]) -> dict:
    content = {name: getattr(report, name) for name in CONTENT_FIELDS}
    content["values"] = {
        str(v.target_id): [f"{Decimal(v.value).normalize():f}", v.as_of.isoformat()]
        for v in sorted(values, key=lambda v: v.target_id)
    }
    content["state"] = report.state
    return content


def _changes(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _event(report: Report, action: str, user, *, comment: str = "", before: dict | None = None) -> ReportEvent:
    content = report_content(report, list(report.values.all()))
    return ReportEvent.objects.create(
        report=report,
        task_id=report.task_id,
        action=action,
        user=user,
        version=report.version,
        comment=comment,
        content=content,
        changes=_changes(before or {}, content) if before is not None else {},
    )


def open_instruction(task: Task) -> Instruction | None:
    return Instruction.objects.filter(task=task, answered_by__isnull=True).order_by("created_at", "id").first()


def _check_reporter(user: AbstractBaseUser, unit: Unit) -> None:
    membership = _reporter_unit(user)
    if membership.unit_id != unit.pk:
        raise ProgressError("只能填报本单位的任务")


def _validate(task: Task, period: Period, data: ReportData, *, submit: bool, instruction: Instruction | None) -> None:
    if data.progress not in Report.Progress.values:
        raise ProgressError("请选择推进情况")
    if not 0 <= data.percent <= 100:
        raise ProgressError("完成比例须在 0 到 100 之间")
    if data.progress == Report.Progress.DONE and data.percent != 100:
        raise ProgressError("标为“已完成”时完成比例应为 100%")
    if data.progress == Report.Progress.NOT_STARTED and data.percent != 0:
        raise ProgressError("标为“未启动”时完成比例应为 0")
    target_ids = set(task.targets.values_list("pk", flat=True))
    by_hand = {t.pk for t in reported_by_hand(task)} if data.values else set()
    for target_id, (_, as_of) in data.values.items():
        if target_id not in target_ids:
            raise ProgressError("指标不属于本任务")
        if target_id not in by_hand:
            raise ProgressError("该指标由监测数据计算，无需填报")
        if as_of > today():
            raise ProgressError("指标的截至日期不能晚于今天")
    if submit:
        if not data.work_done.strip():
            raise ProgressError("报送前请填写工作进展")
        if instruction is not None and not data.instruction_answer.strip():
            raise ProgressError("本任务有领导批示，报送前请填写批示落实情况")


@transaction.atomic
def report_save(
    *,
    period: Period,
    task: Task,
    unit: Unit,
    user: AbstractBaseUser,
    data: ReportData,
    version: int,
    submit: bool = False,
    files: list[tuple[str, bytes]] = (),
) -> Report:
    """Save a unit's report as a draft, or submit it, with any new evidence files. `version` is the version the
    user's form was built from (0 for a new report); if someone saved in between, nothing is written and
    StaleReport says so. A rejected file rejects the whole save."""
    _check_reporter(user, unit)
    day = today()
    refusal = may_report(task=task, unit=unit, period=period, day=day)
    if refusal:
        raise ProgressError(refusal)
    state = period.state_on(day)
    is_lead = unit.pk in lead_unit_ids(task)
    instruction = open_instruction(task) if is_lead else None

    report = Report.objects.filter(period=period, task=task, unit=unit).first()
    before = report_content(report, list(report.values.all())) if report else {}
    if report is None:
        if version != 0:
            raise StaleReport("该报告已被删除或不存在，请刷新页面")
        report = Report(period=period, task=task, unit=unit, is_lead=is_lead, created_by=user, version=0)
    elif report.version != version:
        raise StaleReport(_stale_message(report))
    elif not report.editable:
        raise ProgressError(
            f"该报告{report.get_state_display()}，不能修改" + ("（可先撤回）" if report.state == "submitted" else "")
        )
    _validate(task, period, data, submit=submit, instruction=instruction)
    kinds = [_check_file(name, content) for name, content in files]

    fields = {name: getattr(data, name) for name in CONTENT_FIELDS}
    fields["work_done"], fields["problems"] = data.work_done.strip(), data.problems.strip()
    fields["next_steps"], fields["instruction_answer"] = data.next_steps.strip(), data.instruction_answer.strip()
    fields["updated_by"] = user
    fields["instruction"] = instruction if instruction and data.instruction_answer.strip() else None
    now = clock.now()
    if submit:
        fields.update(state=Report.State.SUBMITTED, submitted_at=now, submitted_by=user, late=state == "closed")
    if report.pk is None:
        for name, value in fields.items():
            setattr(report, name, value)
        report.version = 1
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise StaleReport("同一时间已有他人创建了该报告，您的内容未保存，请刷新后再填写") from None
    else:
        updated = Report.objects.filter(pk=report.pk, version=version).update(
            **fields, version=F("version") + 1, updated_at=now
        )
        if updated == 0:
            raise StaleReport(_stale_message(Report.objects.get(pk=report.pk)))
        report.refresh_from_db()
    for target_id, (value, as_of) in data.values.items():
        TargetValue.objects.update_or_create(
            report=report, target_id=target_id, defaults={"value": value, "as_of": as_of}
        )
    if submit and fields["instruction"] is not None:
        Instruction.objects.filter(pk=instruction.pk, answered_by__isnull=True).update(
            answered_by=report, answered_at=now
        )
    for (name, content), kind in zip(files, kinds, strict=True):
        _store_evidence(report, user, name, content, kind)
    _event(report, ReportEvent.Action.SUBMIT if submit else ReportEvent.Action.SAVE, user, before=before)
    return report


def _stale_message(report: Report) -> str:
    who = (report.updated_by.get_full_name() or report.updated_by.username) if report.updated_by else "他人"
    at = timezone.localtime(report.updated_at).strftime("%H:%M")
    return (
        f"该报告已于 {at} 被{who}修改（当前为第 {report.version} 版），您的修改未保存。"
        "请刷新页面，在最新内容上重新修改。"
    )


def _transition(report: Report, *, version: int, to: str, user, action: str, comment: str = "", **extra) -> Report:
    before = report_content(report, list(report.values.all()))
    updated = Report.objects.filter(pk=report.pk, version=version, state=report.state).update(
        state=to, version=F("version") + 1, updated_at=clock.now(), **extra
    )
    if updated == 0:
        raise StaleReport(_stale_message(Report.objects.select_related("updated_by").get(pk=report.pk)))
    report.refresh_from_db()
    _event(report, action, user, comment=comment, before=before)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, user: AbstractBaseUser, version: int) -> Report:
    """A unit takes back a submitted report before it is reviewed; the submitted content stays in the history."""
    _check_reporter(user, report.unit)
    if report.state != Report.State.SUBMITTED:
        raise ProgressError("只有已报送、尚未审核的报告可以撤回")
    if report.instruction_id:
        Instruction.objects.filter(pk=report.instruction_id, answered_by=report).update(
            answered_by=None, answered_at=None
        )
    return _transition(
        report, version=version, to=Report.State.DRAFT, user=user, action=ReportEvent.Action.WITHDRAW, updated_by=user
    )


def _check_coordinator(user: AbstractBaseUser, region_id: int, action: str = "审核") -> None:
    membership = Membership.objects.filter(user=user).first()
    if membership is None or not membership.is_coordinator or membership.region_id != region_id:
        raise ProgressError(f"只有本行政区的管理员（督查）可以{action}")


@transaction.atomic
def report_return(*, report: Report, user: AbstractBaseUser, version: int, comment: str) -> Report:
    """Send a report back to its unit with what to fix; the unit edits and submits again."""
    _check_coordinator(user, report.unit.region_id)
    if report.state != Report.State.SUBMITTED:
        raise ProgressError("只有已报送的报告可以退回")
    if not comment.strip():
        raise ProgressError("退回时请填写意见，告诉单位需要修改什么")
    if report.instruction_id:
        Instruction.objects.filter(pk=report.instruction_id, answered_by=report).update(
            answered_by=None, answered_at=None
        )
    return _transition(
        report,
        version=version,
        to=Report.State.RETURNED,
        user=user,
        action=ReportEvent.Action.RETURN,
        comment=comment.strip(),
        reviewed_at=clock.now(),
        reviewed_by=user,
        review_comment=comment.strip(),
    )


@transaction.atomic
def report_accept(*, report: Report, user: AbstractBaseUser, version: int, comment: str = "") -> Report:
    _check_coordinator(user, report.unit.region_id)
    if report.state != Report.State.SUBMITTED:
        raise ProgressError("只有已报送的报告可以审核通过")
    return _transition(
        report,
        version=version,
        to=Report.State.ACCEPTED,
        user=user,
        action=ReportEvent.Action.ACCEPT,
        comment=comment.strip(),
        reviewed_at=clock.now(),
        reviewed_by=user,
        review_comment=comment.strip(),
    )


def _check_file(name: str, data: bytes) -> str:
    try:
        return evidence_check.check(name, data, limit=settings.ECOTARGET_MAX_EVIDENCE_BYTES)
    except evidence_check.EvidenceRejected as exc:
        raise ProgressError(str(exc)) from None


def _store_evidence(report: Report, user, name: str, data: bytes, kind: str) -> Evidence:
    item = Evidence(
        report=report,
        original_name=name[-200:],
        extension=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    item.file.save(f"evidence.{kind}", ContentFile(data), save=False)
    item.save()
    ReportEvent.objects.create(
        report=report,
        task_id=report.task_id,
        action=ReportEvent.Action.EVIDENCE_ADD,
        user=user,
        version=report.version,
        comment=item.original_name,
        content={},
    )
    return item


@transaction.atomic
def evidence_add(*, report: Report, user: AbstractBaseUser, name: str, data: bytes) -> Evidence:
    """Check an uploaded file by its content and size and store it under a generated name."""
    _check_reporter(user, report.unit)
    if not report.editable:
        raise ProgressError("报告已报送，不能再添加材料（可先撤回）")
    return _store_evidence(report, user, name, data, _check_file(name, data))


@transaction.atomic
def evidence_remove(*, item: Evidence, user: AbstractBaseUser) -> Evidence:
    """Take a file off a draft; the file and its record are kept for the history."""
    _check_reporter(user, item.report.unit)
    if not item.report.editable:
        raise ProgressError("报告已报送，不能移除材料（可先撤回）")
    if item.removed_at is None:
        item.removed_at, item.removed_by = clock.now(), user
        item.save(update_fields=["removed_at", "removed_by"])
        _event(item.report, ReportEvent.Action.EVIDENCE_REMOVE, user, comment=item.original_name)
    return item


# --- leaders ---------------------------------------------------------------------------------------------------


def _check_leader(user: AbstractBaseUser, task: Task) -> None:
    membership = Membership.objects.filter(user=user).first()
    if membership is None or membership.role != Membership.Role.LEADER:
        raise ProgressError("只有领导可以关注任务或作出批示")
    if membership.region_id != task.plan.region_id:
        raise ProgressError("只能对本行政区的任务作出批示")


@transaction.atomic
def task_watch(*, task: Task, user: AbstractBaseUser, watch: bool) -> Watch | None:
    """A leader watches a task (关注) or stops; one request at a time per task, so a double click watches once."""
    _check_leader(user, task)
    Task.objects.select_for_update().filter(pk=task.pk).first()
    current = Watch.objects.filter(task=task, user=user, until__isnull=True).first()
    if watch and current is None:
        return Watch.objects.create(task=task, user=user)
    if not watch and current is not None:
        current.until = clock.now()
        current.save(update_fields=["until"])
    return current if watch else None


# --- reminders -------------------------------------------------------------------------------------------------


@dataclass
class Chase:
    """Why a unit is chased this period: task numbers missing, returned and lagging."""

    unit: Unit
    missing: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)
    lagging: list[int] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        parts = []
        if self.missing:
            parts.append(f"未报送任务 {_numbers(self.missing)}")
        if self.returned:
            parts.append(f"退回待修改任务 {_numbers(self.returned)}")
        if self.lagging:
            parts.append(f"进度滞后任务 {_numbers(self.lagging)}")
        return parts

    def __bool__(self) -> bool:
        return bool(self.missing or self.returned or self.lagging)


def _numbers(numbers: list[int]) -> str:
    return "、".join(str(n) for n in sorted(numbers))


def reminder_text(plan: Plan, period: Period, chase: Chase) -> tuple[str, str]:
    title = f"【催办】{chase.unit.name}：{period.label}进展填报"
    body = "\n".join(
        [
            f"{chase.unit.full_name or chase.unit.name}：",
            f"《{plan.title}》{period.label}进展应于 {period.due_on:%Y年%-m月%-d日} 前报送。",
            *[f"- {reason}" for reason in chase.reasons],
            "请登录生态环境保护目标责任管理系统及时填报。",
        ]
    )
    return title, body


def unit_emails(unit: Unit) -> list[str]:
    """The current holders of the unit's posts, and the unit's reporter accounts."""
    emails = set(
        Tenure.objects.filter(post__unit=unit, ended_on=None).exclude(email="").values_list("email", flat=True)
    )
    emails |= set(
        Membership.objects.filter(unit=unit, role=Membership.Role.REPORTER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(emails)


def unit_webhook(unit: Unit, setup: PlanSetup | None) -> tuple[str, str] | None:
    channel = UnitChannel.objects.filter(unit=unit).first()
    if channel is not None:
        return channel.webhook_kind, channel.webhook_url
    if setup is not None and setup.webhook_url:
        return setup.webhook_kind, setup.webhook_url
    return None


def _mask(url: str) -> str:
    # Robot URLs carry their secret in the query string; the log keeps only the address.
    return url.split("?", 1)[0] + ("?…" if "?" in url else "")


def _log(period, chase, channel, trigger, recipient, message, result, attempts, user) -> Reminder:
    return Reminder.objects.create(
        period=period,
        unit=chase.unit,
        channel=channel,
        trigger=trigger,
        reasons=chase.reasons,
        recipient=recipient[:500],
        message=message,
        result=result,
        attempts=attempts,
        sent_by=user,
    )


def reminder_send(
    *,
    period: Period,
    chase: Chase,
    user: AbstractBaseUser | None,
    trigger: str = Reminder.Trigger.MANUAL,
    channels: tuple[str, ...] = ("email", "webhook"),
) -> list[Reminder]:
    """Remind one unit by e-mail and by its group robot. Every attempt is logged; a failure is reported, not dropped.

    Not one transaction: each delivery's log row is committed as soon as the delivery ends.
    """
    setup = PlanSetup.objects.filter(plan_id=period.plan_id).select_related("plan").first()
    plan = setup.plan if setup else period.plan
    title, body = reminder_text(plan, period, chase)
    sent: list[Reminder] = []
    stamp = clock.now().isoformat(timespec="seconds")
    if "email" in channels:
        emails = unit_emails(chase.unit)
        if not emails:
            sent.append(_log(period, chase, "email", trigger, "", body, Reminder.Result.NO_ADDRESS, [], user))
        else:
            try:
                send_mail(title, body, None, emails, fail_silently=False)
                attempts, result = [{"at": stamp, "ok": True, "detail": "ok"}], Reminder.Result.SENT
            except Exception as exc:  # any mail backend error is a failed delivery to report
                attempts, result = [{"at": stamp, "ok": False, "detail": str(exc)[:300]}], Reminder.Result.FAILED
            sent.append(_log(period, chase, "email", trigger, ", ".join(emails), body, result, attempts, user))
    if "webhook" in channels:
        hook = unit_webhook(chase.unit, setup)
        if hook is not None:
            kind, url = hook
            delivery = webhooks.deliver(
                url,
                webhooks.payload(kind, title, body),
                retries=settings.ECOTARGET_WEBHOOK_RETRIES,
                backoff_ms=settings.ECOTARGET_WEBHOOK_BACKOFF_MS,
            )
            result = Reminder.Result.SENT if delivery.ok else Reminder.Result.FAILED
            sent.append(_log(period, chase, kind, trigger, _mask(url), body, result, delivery.attempts, user))
    return sent


def reminders_due(*, now: datetime | None = None) -> list[Reminder]:
    """What the scheduled `send_reminders` command sends; safe to run as often as cron likes.

    Within the plan's lead time before a period's due date, units with missing or returned reports get a
    reminder; the first days after the due date (until the next period is due), an overdue notice. Each
    (period, unit, channel, kind) is sent once: a delivery that failed is tried again on the next run.
    """
    from .selectors import chase_list, current_period, last_closed_period

    day = clock.local_date(now) if now else today()
    calendar = work_calendar()
    sent: list[Reminder] = []
    for setup in PlanSetup.objects.filter(published_at__isnull=False).select_related("plan"):
        plan = setup.plan
        periods_close_due(plan=plan, day=day)
        jobs = []
        period = current_period(plan, day)
        if period is not None and day >= calendar.add(period.due_on, -setup.reminder_lead_days):
            jobs.append((period, Reminder.Trigger.DUE_SOON, False))
        closed = last_closed_period(plan, day)
        if closed is not None and (period is None or period.number == closed.number + 1):
            jobs.append((closed, Reminder.Trigger.OVERDUE, True))
        for job_period, trigger, include_lagging in jobs:
            done = set(
                Reminder.objects.filter(period=job_period, trigger=trigger)
                .exclude(result=Reminder.Result.FAILED)
                .values_list("unit_id", "channel")
            )
            for chase in chase_list(plan, job_period, day):
                if not include_lagging:
                    chase.lagging = []
                if not chase:
                    continue
                channels = []
                if (chase.unit.pk, "email") not in done:
                    channels.append("email")
                hook = unit_webhook(chase.unit, setup)
                if hook is not None and (chase.unit.pk, hook[0]) not in done:
                    channels.append("webhook")
                if channels:
                    sent += reminder_send(
                        period=job_period, chase=chase, user=None, trigger=trigger, channels=tuple(channels)
                    )
    return sent


# --- hand-out checks (交办) -------------------------------------------------------------------------------------


@dataclass
class GroupOnTask:
    """A 有关乡(镇)-style group named on a task: unresolved until the coordinator names its townships (in the task
    editor, which removes the group) or keeps it with an owner, one of the task's own units."""

    task: Task
    group: Unit
    owner: Unit | None
    candidates: list[Unit]  # the task's own units that may answer for the group, lead units first


def plan_groups(plan: Plan) -> list[GroupOnTask]:
    """Every group unit on a task of the plan, in task order, with the unit that answers for it if one was named."""
    tasks = tasks_with_details(plan.tasks.filter(assignments__unit__kind=Unit.Kind.GROUP).distinct().order_by("number"))
    kept = GroupOwner.objects.filter(task__plan=plan).select_related("owner")
    owners = {(g.task_id, g.group_id): g.owner for g in kept}
    found = []
    for task in tasks:
        units = sorted(task.assignments.all(), key=lambda a: (a.role != Assignment.Role.LEAD, a.order))
        candidates = [a.unit for a in units if a.unit.kind != Unit.Kind.GROUP]
        for assignment in units:
            if assignment.unit.kind == Unit.Kind.GROUP:
                owner = owners.get((task.pk, assignment.unit_id))
                found.append(GroupOnTask(task, assignment.unit, owner if owner in candidates else None, candidates))
    return found


def publish_refusal(plan: Plan, groups: list[GroupOnTask] | None = None) -> str:
    """Why the plan cannot be handed out yet ("" when it can): the tasks whose groups nobody answers for.
    `groups` are the plan's `plan_groups` when the caller has them already."""
    unresolved = [g for g in (plan_groups(plan) if groups is None else groups) if g.owner is None]
    if not unresolved:
        return ""
    tasks = "；".join(
        f"任务 {number}（{'、'.join(dict.fromkeys(g.group.name for g in unresolved if g.task.number == number))}）"
        for number in dict.fromkeys(g.task.number for g in unresolved)
    )
    return f"尚不能交办：{tasks} 的责任单位未落实。请在任务编辑中列明具体乡(镇)，或保留并指定负责单位。"


@transaction.atomic
def plan_group_keep(*, task: Task, group: Unit, owner: Unit, user: AbstractBaseUser) -> "GroupOnTask":
    """Keep a group on a task, with one of the task's own units answering for it (recorded with who decided)."""
    task = tasks_with_details(Task.objects.select_for_update(of=("self",)).filter(pk=task.pk))[0]
    units = {a.unit_id: a.unit for a in task.assignments.all()}
    if group.pk not in units or group.kind != Unit.Kind.GROUP:
        raise ProgressError(f"“{group.name}”不是任务 {task.number} 的乡镇组")
    if owner.pk not in units or owner.kind == Unit.Kind.GROUP:
        raise ProgressError(f"负责单位须是任务 {task.number} 的责任单位")
    GroupOwner.objects.update_or_create(task=task, group=group, defaults={"owner": owner, "decided_by": user})
    return next(g for g in plan_groups(task.plan) if g.task.pk == task.pk and g.group.pk == group.pk)


def plan_groups_keep_with_leads(*, plan: Plan, user: AbstractBaseUser) -> list[GroupOnTask]:
    """Keep every unresolved group with its task's first lead unit (the 交办 page's "all by lead units")."""
    kept = []
    for item in plan_groups(plan):
        if item.owner is None and item.candidates:
            kept.append(plan_group_keep(task=item.task, group=item.group, owner=item.candidates[0], user=user))
    return kept


@dataclass
class HandOut:
    """One unit's list at 交办: how many tasks it leads and supports, and whether it already has a receipt."""

    unit: Unit
    lead: int
    co: int
    handed: bool


def publish_summary(plan: Plan) -> list[HandOut]:
    """Who gets which list when the plan is handed out, in the region's order (two queries)."""
    counts: dict[int, list[int]] = {}
    for unit_id, role in Assignment.objects.filter(task__plan=plan).values_list("unit_id", "role"):
        counts.setdefault(unit_id, [0, 0])[role != Assignment.Role.LEAD] += 1
    handed = set(Receipt.objects.filter(plan=plan).values_list("unit_id", flat=True))
    return [HandOut(u, *counts[u.pk], handed=u.pk in handed) for u in reporting_units(plan)]


# --- review in batches ------------------------------------------------------------------------------------------


@transaction.atomic
def reports_review(
    *, reports: list[tuple[Report, int]], user: AbstractBaseUser, accept: bool, comment: str = ""
) -> list[Report]:
    """Accept (or return) several submitted reports with one comment: each is checked against the version its
    reviewer saw and recorded as its own review; if any cannot be, none is (one transaction)."""
    if not reports:
        raise ProgressError("请先勾选要审核的报告")
    act = report_accept if accept else report_return
    done = []
    for report, version in reports:
        try:
            done.append(act(report=report, user=user, version=version, comment=comment))
        except ProgressError as exc:
            raise type(exc)(f"任务 {report.task.number}（{report.unit.name}）：{exc}") from None
    return done


@transaction.atomic
def instruction_give(*, task: Task, user: AbstractBaseUser, text: str) -> tuple[Instruction, bool]:
    """A leader's instruction, given once: the same words from the same leader on the same task, still unanswered,
    are the instruction already given (a double click, a form sent again), not a second one. Returns it and
    whether it is new. The leader watches the task from then on."""
    _check_leader(user, task)
    if not text.strip():
        raise ProgressError("请填写批示内容")
    Task.objects.select_for_update().filter(pk=task.pk).first()
    same = Instruction.objects.filter(task=task, author=user, text=text.strip(), answered_by__isnull=True).first()
    if same is not None:
        return same, False
    instruction = Instruction.objects.create(task=task, author=user, text=text.strip())
    Watch.objects.get_or_create(task=task, user=user, until=None)
    return instruction, True
