"""Leaders' oversight: watching a task (关注), instructions (批示), and a leader's own page of both."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.organisation.access import may_oversee, member_required
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.models import Task

from .. import selectors
from ..services import oversight
from .common import refuse_unless, task_of


def _overseen_task(request: MemberRequest, pk: int) -> Task:
    task = task_of(request, pk)
    refuse_unless(may_oversee(request.membership, task.plan.region_id), "只有领导可以关注任务或作出批示")
    return task


@member_required
@require_POST
def task_watch(request: MemberRequest, pk: int) -> HttpResponse:
    task = _overseen_task(request, pk)
    watch = request.POST.get("watch") == "1"
    oversight.task_watch(task=task, user=request.user, watch=watch)
    messages.success(request, "已关注该任务" if watch else "已取消关注")
    return redirect("progress:task", pk=task.pk)


@member_required
@require_POST
def task_instruct(request: MemberRequest, pk: int) -> HttpResponse:
    task = _overseen_task(request, pk)
    try:
        _, new = oversight.instruction_give(task=task, user=request.user, text=request.POST.get("text", ""))
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "批示已发出，牵头单位须在下次报告中答复" if new else "这条批示已经发出，未重复发送")
    return redirect("progress:task", pk=task.pk)


@member_required
def leader_desk(request: MemberRequest) -> HttpResponse:
    """A leader's own page: the tasks it watches with their status, and the instructions it gave with the lead
    unit's answer from its report (or 待答复)."""
    region_id = request.membership.region_id
    refuse_unless(may_oversee(request.membership, region_id), "此页面仅供领导查看")
    day = today()
    context = {
        "watched": selectors.watched_progress(request.user, region_id, day),
        "instructions": selectors.instructions_given(request.user, region_id),
        "today": day,
    }
    return render(request, "progress/leader.html", context)
