"""Leaders' oversight: watching a task (关注) and instructions (批示)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ecotarget.core import clock
from ecotarget.plans.models import Task

from ..errors import ProgressError
from ..models import Instruction, Watch
from .permits import require_overseer


@transaction.atomic
def task_watch(*, task: Task, user: AbstractBaseUser, watch: bool) -> Watch | None:
    """A leader watches a task (关注) or stops; one request at a time per task, so a double click watches once."""
    require_overseer(user, task.plan.region_id)
    Task.objects.select_for_update().filter(pk=task.pk).first()
    current = Watch.objects.filter(task=task, user=user, until__isnull=True).first()
    if watch and current is None:
        return Watch.objects.create(task=task, user=user)
    if not watch and current is not None:
        current.until = clock.now()
        current.save(update_fields=["until"])
    return current if watch else None


@transaction.atomic
def instruction_give(*, task: Task, user: AbstractBaseUser, text: str) -> tuple[Instruction, bool]:
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
    Watch.objects.get_or_create(task=task, user=user, until=None)
    return instruction, True
