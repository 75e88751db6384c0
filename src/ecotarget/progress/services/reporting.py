"""A unit's reports and their review: save, submit, withdraw, return, accept (one or many), evidence files,
and reopening a task accepted as done."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.core.clock import today
from ecotarget.core.people import display_name
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Target, Task

from .. import evidence as evidence_check
from ..closing import periods_close_due
from ..errors import ProgressError, StaleReport
from ..measured import reported_by_hand
from ..models import Evidence, Instruction, Period, PeriodState, ProgressReport, ReportEvent, TargetValue
from ..obligations import report_refusal
from ..rules import lead_unit_ids
from ..selectors import open_instruction
from .permits import require_reporter, require_reviewer


@dataclass
class ReportData:
    progress: str = ProgressReport.Progress.NOT_STARTED
    percent: int = 0
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    instruction_answer: str = ""
    values: dict[int, tuple[Decimal, date]] = field(default_factory=dict)  # target id -> (value, as of)


CONTENT_FIELDS = ("progress", "percent", "work_done", "problems", "next_steps", "instruction_answer")


def report_content(report: ProgressReport, values: list[TargetValue]) -> dict:
    content = {name: getattr(report, name) for name in CONTENT_FIELDS}
    content["values"] = {
        str(v.target_id): [f"{Decimal(v.value).normalize():f}", v.as_of.isoformat()]
        for v in sorted(values, key=lambda v: v.target_id)
    }
    content["state"] = report.state
    return content


def _changes(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


# A report's content in the page's words, for the action log (the ReportEvent keeps the raw content).
CONTENT_WORDS = {
    "progress": "推进情况",
    "percent": "完成比例",
    "work_done": "工作进展",
    "problems": "存在问题",
    "next_steps": "下步打算",
    "instruction_answer": "批示落实情况",
    "values": "指标当前值",
    "state": "状态",
}
VERBS: dict[str, str] = {
    ReportEvent.Action.SAVE: "report.save",
    ReportEvent.Action.SUBMIT: "report.submit",
    ReportEvent.Action.WITHDRAW: "report.withdraw",
    ReportEvent.Action.RETURN: "report.return",
    ReportEvent.Action.ACCEPT: "report.accept",
    ReportEvent.Action.EVIDENCE_ADD: "evidence.add",
    ReportEvent.Action.EVIDENCE_REMOVE: "evidence.remove",
}


def _value_words(values: dict | None, metrics: dict[int, str]) -> str | None:
    if not values:
        return None
    return "；".join(f"{metrics.get(int(pk), pk)} {value}（截至{as_of}）" for pk, (value, as_of) in values.items())


def _readable(changes: dict) -> dict[str, list]:
    metrics: dict[int, str] = {}
    if "values" in changes:
        ids = {int(pk) for side in changes["values"] if side for pk in side}
        metrics = dict(Target.objects.filter(pk__in=ids).values_list("pk", "metric"))
    words: dict[str, list] = {}
    for name, (old, new) in changes.items():
        if name == "progress":
            old, new = (ProgressReport.Progress(v).label if v else None for v in (old, new))
        elif name == "state":
            old, new = (ProgressReport.State(v).label if v else None for v in (old, new))
        elif name == "values":
            old, new = _value_words(old, metrics), _value_words(new, metrics)
        elif name == "percent":
            old, new = (None if v is None else f"{v}%" for v in (old, new))
        words[CONTENT_WORDS[name]] = [old or None, new]
    return words


def _event(
    report: ProgressReport,
    action: str,
    user: User,
    *,
    comment: str = "",
    before: dict | None = None,
    obj: Evidence | None = None,
    log: bool = True,
) -> ReportEvent:
    """Keep the report's content as it now is (ReportEvent) and, unless `log` is off, log the action in words."""
    content = report_content(report, list(report.values.all()))
    event = ReportEvent.objects.create(
        report=report,
        task_id=report.task_id,
        action=action,
        user=user,
        version=report.version,
        comment=comment,
        content=content,
        changes=_changes(before or {}, content) if before is not None else {},
    )
    if log:
        what = event.get_action_display()
        _log(report, VERBS[action], user, what, comment=comment, changes=_readable(event.changes), obj=obj)
    return event


def _log(
    report: ProgressReport,
    verb: str,
    user: User,
    what: str,
    *,
    comment: str = "",
    changes: dict[str, list] | None = None,
    obj: Evidence | None = None,
) -> None:
    """The log's row for an action on a report (or on one of its files, `obj`): on the task, the unit and the plan."""
    label = f"{report.unit.name} {report.period.label}报告"
    record(
        user,
        verb,
        obj or report,
        f"{label} {what}（第{report.version}版）" + (f"：{comment}" if comment else ""),
        changes,
        label=label if obj is None else f"{label}材料 {obj}",
        plan=report.period.plan_id,
        region=report.unit.region_id,
        unit=report.unit_id,
        task=report.task_id,
    )


def _validate(task: Task, period: Period, data: ReportData, *, submit: bool, instruction: Instruction | None) -> None:
    if data.progress not in ProgressReport.Progress.values:
        raise ProgressError("请选择推进情况")
    if not 0 <= data.percent <= 100:
        raise ProgressError("完成比例须在 0 到 100 之间")
    if data.progress == ProgressReport.Progress.DONE and data.percent != 100:
        raise ProgressError("标为“已完成”时完成比例应为 100%")
    if data.progress == ProgressReport.Progress.NOT_STARTED and data.percent != 0:
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
    user: User,
    data: ReportData,
    version: int,
    submit: bool = False,
    files: Sequence[tuple[str, bytes]] = (),
) -> ProgressReport:
    """Save a unit's report as a draft, or submit it, with any new evidence files. `version` is the version the
    user's form was built from (0 for a new report); if someone saved in between, nothing is written and
    StaleReport says so. A rejected file rejects the whole save."""
    require_reporter(user, unit.pk)
    day = today()
    refusal = report_refusal(task=task, unit=unit, period=period, day=day)
    if refusal:
        raise ProgressError(refusal)
    state = period.state_on(day)
    is_lead = unit.pk in lead_unit_ids(task)
    instruction = open_instruction(task) if is_lead else None

    report = ProgressReport.objects.filter(period=period, task=task, unit=unit).first()
    before = report_content(report, list(report.values.all())) if report else {}
    if report is None:
        if version != 0:
            raise StaleReport("该报告已被删除或不存在，请刷新页面")
        report = ProgressReport(period=period, task=task, unit=unit, is_lead=is_lead, created_by=user, version=0)
    elif report.version != version:
        raise StaleReport(_stale_message(report))
    elif not report.editable:
        raise ProgressError(
            f"该报告{report.get_state_display()}，不能修改"
            + ("（可先撤回）" if report.state == ProgressReport.State.SUBMITTED else "")
        )
    _validate(task, period, data, submit=submit, instruction=instruction)
    kinds = [_check_file(name, content) for name, content in files]
    _check_quota(unit.pk, files)

    fields = {name: getattr(data, name) for name in CONTENT_FIELDS}
    fields["work_done"], fields["problems"] = data.work_done.strip(), data.problems.strip()
    fields["next_steps"], fields["instruction_answer"] = data.next_steps.strip(), data.instruction_answer.strip()
    fields["updated_by"] = user
    answering = instruction if instruction and data.instruction_answer.strip() else None
    fields["instruction"] = answering
    now = clock.now()
    if submit:
        fields.update(
            state=ProgressReport.State.SUBMITTED, submitted_at=now, submitted_by=user, late=state == PeriodState.CLOSED
        )
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
        updated = ProgressReport.objects.filter(pk=report.pk, version=version).update(
            **fields, version=F("version") + 1, updated_at=now
        )
        if updated == 0:
            raise StaleReport(_stale_message(ProgressReport.objects.get(pk=report.pk)))
        report.refresh_from_db()
    for target_id, (value, as_of) in data.values.items():
        TargetValue.objects.update_or_create(
            report=report, target_id=target_id, defaults={"value": value, "as_of": as_of}
        )
    if submit and answering is not None:
        Instruction.objects.filter(pk=answering.pk, answered_by__isnull=True).update(
            answered_by=report, answered_at=now
        )
    for (name, content), kind in zip(files, kinds, strict=True):
        _store_evidence(report, user, name, content, kind)
    _event(report, ReportEvent.Action.SUBMIT if submit else ReportEvent.Action.SAVE, user, before=before)
    return report


def _stale_message(report: ProgressReport) -> str:
    who = display_name(report.updated_by, "他人")
    at = timezone.localtime(report.updated_at).strftime("%H:%M")
    return (
        f"该报告已于 {at} 被{who}修改（当前为第 {report.version} 版），您的修改未保存。"
        "请刷新页面，在最新内容上重新修改。"
    )


def _transition(
    report: ProgressReport, *, version: int, to: str, user, action: str, comment: str = "", **extra
) -> ProgressReport:
    before = report_content(report, list(report.values.all()))
    updated = ProgressReport.objects.filter(pk=report.pk, version=version, state=report.state).update(
        state=to, version=F("version") + 1, updated_at=clock.now(), **extra
    )
    if updated == 0:
        raise StaleReport(_stale_message(ProgressReport.objects.select_related("updated_by").get(pk=report.pk)))
    report.refresh_from_db()
    _event(report, action, user, comment=comment, before=before)
    return report


def _unanswer(report: ProgressReport) -> None:
    # A report taken back or sent back no longer answers the leader's instruction: it waits for the next one.
    if report.instruction_id:
        Instruction.objects.filter(pk=report.instruction_id, answered_by=report).update(
            answered_by=None, answered_at=None
        )


def _review(report: ProgressReport, *, user: User, version: int, to: str, action: str, comment: str):
    return _transition(
        report,
        version=version,
        to=to,
        user=user,
        action=action,
        comment=comment.strip(),
        reviewed_at=clock.now(),
        reviewed_by=user,
        review_comment=comment.strip(),
    )


@transaction.atomic
def report_withdraw(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """A unit takes back a submitted report before it is reviewed; the submitted content stays in the history."""
    require_reporter(user, report.unit_id)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ProgressError("只有已报送、尚未审核的报告可以撤回")
    _unanswer(report)
    return _transition(
        report,
        version=version,
        to=ProgressReport.State.DRAFT,
        user=user,
        action=ReportEvent.Action.WITHDRAW,
        updated_by=user,
    )


@transaction.atomic
def report_return(*, report: ProgressReport, user: User, version: int, comment: str) -> ProgressReport:
    """Send a report back to its unit with what to fix; the unit edits and submits again."""
    require_reviewer(user, report.unit.region_id)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ProgressError("只有已报送的报告可以退回")
    if not comment.strip():
        raise ProgressError("退回时请填写意见，告诉单位需要修改什么")
    _unanswer(report)
    return _review(
        report,
        user=user,
        version=version,
        to=ProgressReport.State.RETURNED,
        action=ReportEvent.Action.RETURN,
        comment=comment,
    )


@transaction.atomic
def report_accept(*, report: ProgressReport, user: User, version: int, comment: str = "") -> ProgressReport:
    require_reviewer(user, report.unit.region_id)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ProgressError("只有已报送的报告可以审核通过")
    return _review(
        report,
        user=user,
        version=version,
        to=ProgressReport.State.ACCEPTED,
        action=ReportEvent.Action.ACCEPT,
        comment=comment,
    )


@transaction.atomic
def reports_review(
    *, reports: list[tuple[ProgressReport, int]], user: User, accept: bool, comment: str = ""
) -> list[ProgressReport]:
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


def _check_file(name: str, data: bytes) -> str:
    try:
        return evidence_check.check(name, data, limit=settings.ECOTARGET_MAX_EVIDENCE_BYTES)
    except evidence_check.EvidenceRejected as exc:
        raise ProgressError(str(exc)) from None


def _check_quota(unit_id: int, files: Sequence[tuple[str, bytes]]) -> None:
    if not files:
        return
    used = Evidence.objects.filter(report__unit_id=unit_id, removed_at__isnull=True).aggregate(total=Sum("size"))
    adding = sum(len(data) for _, data in files)
    if refusal := evidence_check.quota_refusal(used["total"] or 0, adding, settings.ECOTARGET_EVIDENCE_QUOTA_BYTES):
        raise ProgressError(refusal)


def _store_evidence(report: ProgressReport, user, name: str, data: bytes, kind: str) -> Evidence:
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
    _log(report, "evidence.add", user, "上传材料", comment=item.original_name, obj=item)
    return item


@transaction.atomic
def evidence_add(*, report: ProgressReport, user: User, name: str, data: bytes) -> Evidence:
    """Check an uploaded file by its content and size and store it under a generated name."""
    require_reporter(user, report.unit_id)
    if not report.editable:
        raise ProgressError("报告已报送，不能再添加材料（可先撤回）")
    kind = _check_file(name, data)
    _check_quota(report.unit_id, [(name, data)])
    return _store_evidence(report, user, name, data, kind)


@transaction.atomic
def evidence_remove(*, item: Evidence, user: User) -> Evidence:
    """Take a file off a draft; the file and its record are kept for the history."""
    require_reporter(user, item.report.unit_id)
    if not item.report.editable:
        raise ProgressError("报告已报送，不能移除材料（可先撤回）")
    if item.removed_at is None:
        item.removed_at, item.removed_by = clock.now(), user
        item.save(update_fields=["removed_at", "removed_by"])
        _event(item.report, ReportEvent.Action.EVIDENCE_REMOVE, user, comment=item.original_name, obj=item)
    return item


@transaction.atomic
def task_reopen(*, task: Task, user: User, reason: str) -> list[ProgressReport]:
    """The coordinator reopens a task accepted as 已完成 so that its units report on it again (from the current
    period on). The accepted reports stay as they were; each gets a history entry with the reason."""
    require_reviewer(user, task.plan.region_id, "重新打开任务")
    if not reason.strip():
        raise ProgressError("请说明重新打开任务的理由")
    reports = list(
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(
            task=task,
            state=ProgressReport.State.ACCEPTED,
            progress=ProgressReport.Progress.DONE,
            reopened_at__isnull=True,
        )
    )
    if not reports:
        raise ProgressError("该任务没有已审核确认完成的报告，无需重新打开")
    periods_close_due(plan=task.plan)
    now = clock.now()
    for report in reports:
        report.reopened_at = now
        report.save(update_fields=["reopened_at"])
        _event(report, ReportEvent.Action.REOPEN, user, comment=reason.strip(), log=False)
    # One action for the task (the reports' own histories keep one event each).
    record(
        user,
        "task.reopen",
        task,
        f"重新打开任务{task.number}：{reason.strip()}",
        {"重新填报的单位": [None, "、".join(r.unit.name for r in reports)]},
        label=f"任务{task.number}",
        plan=task.plan,
        task=task,
    )
    return reports
