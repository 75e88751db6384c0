"""Change requests (调整申请): a unit asks to change a task's wording, deadline or owners; the coordinator decides."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment, Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update

from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import ChangeRequest


@transaction.atomic
def change_request_create(
    *,
    task: Task,
    unit: Unit,
    user: User,
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
    request = ChangeRequest.objects.create(
        task=task,
        unit=unit,
        kind=kind,
        proposal=proposal.strip(),
        reason=reason.strip(),
        new_due_on=new_due_on,
        requested_by=user,
    )
    record(
        user,
        "change_request.create",
        request,
        f"{unit.name}申请调整任务{task.number}的{request.get_kind_display()}：{request.proposal}（理由：{request.reason}）",
        label=f"任务{task.number}调整申请",
        plan=task.plan_id,
        region=unit.region_id,
    )
    return request


@transaction.atomic
def change_request_decide(*, change_request: ChangeRequest, user: User, grant: bool, note: str = "") -> ChangeRequest:
    """Grant or refuse. A granted wording or deadline change is applied to the task (and so lands in its
    history); a granted change of owners is applied by the coordinator in the task editor."""
    request = (
        ChangeRequest.objects.select_for_update(of=("self",)).select_related("task", "unit").get(pk=change_request.pk)
    )
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
            if request.new_due_on is None:  # refused at creation; a request from before that rule cannot apply
                raise ProgressError("该申请未填写新的时限，无法按申请调整")
            deadlines = sorted(edit.deadlines)
            what = deadlines[-1][1] if deadlines else "完成"
            edit.deadlines = [*deadlines[:-1], (request.new_due_on, what)]
        task_update(task=task, user=user, edit=edit, request_reason=request.reason)
    request.state = ChangeRequest.State.GRANTED if grant else ChangeRequest.State.REFUSED
    request.decided_by, request.decided_at, request.decision_note = user, clock.now(), note.strip()
    request.save()
    record(
        user,
        "change_request.grant" if grant else "change_request.refuse",
        request,
        f"{'同意' if grant else '不同意'}{request.unit.name}调整任务{request.task.number}"
        f"{request.get_kind_display()}的申请" + (f"：{request.decision_note}" if request.decision_note else ""),
        {"状态": [ChangeRequest.State.PENDING.label, request.get_state_display()]},
        label=f"任务{request.task.number}调整申请",
        plan=request.task.plan_id,
        region=request.unit.region_id,
    )
    return request
