"""Leaders' oversight: watching a task (关注) and instructions (批示)."""

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.plans.models import Task

from ..errors import ProgressError
from ..models import Instruction, Watch
from .permits import require_overseer


@transaction.atomic
def task_watch(*, task: Task, user: User, watch: bool) -> Watch | None:
    """A leader watches a task (关注) or stops; one request at a time per task, so a double click watches once."""
    require_overseer(user, task.plan.region_id)
    Task.objects.select_for_update().filter(pk=task.pk).first()
    current = Watch.objects.filter(task=task, user=user, until__isnull=True).first()
    if watch and current is None:
        current = Watch.objects.create(task=task, user=user)
        record(user, "task.watch", current, f"关注任务{task.number}", label=f"任务{task.number}", plan=task.plan_id)
        return current
    if not watch and current is not None:
        current.until = clock.now()
        current.save(update_fields=["until"])
        record(
            user, "task.unwatch", current, f"取消关注任务{task.number}", label=f"任务{task.number}", plan=task.plan_id
        )
    return current if watch else None


@transaction.atomic
def instruction_give(*, task: Task, user: User, text: str) -> tuple[Instruction, bool]:
    """A leader's instruction, given once: the same words from the same leader on the same task, still unanswered,
    are the instruction already given (a double click, a form sent again), not a second one. Returns it and
    whether it is new. The leader watches the task from then on."""
    require_overseer(user, task.plan.region_id)
    if not text.strip():
        raise ProgressError("请填写批示内容")
    Task.objects.select_for_update().filter(pk=task.pk).first()
    same = Instruction.objects.filter(task=task, author=user, text=text.strip(), answered_by__isnull=True).first()
    if same is not None:
        return same, False
    instruction = Instruction.objects.create(task=task, author=user, text=text.strip())
    record(
        user,
        "instruction.give",
        instruction,
        f"对任务{task.number}作出批示：{instruction.text}",
        label=f"任务{task.number}批示",
        plan=task.plan_id,
    )
    Watch.objects.get_or_create(task=task, user=user, until=None)
    return instruction, True
