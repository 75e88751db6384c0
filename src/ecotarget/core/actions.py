"""Writing and reading the one action log (`core.models.Action`).

Every service that changes data calls `record` (or `record_all` for many rows at once) inside the transaction of
the change, so the change and its record commit or roll back together. The task, unit and plan pages read their
timelines with `task_timeline`, `unit_timeline` and `plan_timeline`: one query each, however long the log.
"""

from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection, models
from django.db.models import Q, QuerySet

from . import clock
from .models import Action
from .people import display_name

SYSTEM = "系统"
Ref = models.Model | int | None


def _id(ref: Ref) -> int | None:
    return ref.pk if isinstance(ref, models.Model) else ref


def _scope(obj: models.Model | None, name: str, given: Ref) -> int | None:
    """An explicit scope, else the object's own `<name>_id` (a report's task, a tenure's…), else none."""
    if given is not None:
        return _id(given)
    return getattr(obj, f"{name}_id", None) if obj is not None else None


def entry(
    actor: Any,
    verb: str,
    obj: models.Model | None,
    summary: str,
    changes: dict[str, list] | None = None,
    *,
    label: str = "",
    object_type: str = "",
    region: Ref = None,
    plan: Ref = None,
    unit: Ref = None,
    task: Ref = None,
) -> Action:
    """An unsaved log row (for `record_all`). `actor` is the user who acted, or None for the system.

    `obj` is what was acted on; when it is gone by now (a removed task), pass None with `object_type` and `label`.
    The scopes are taken from the object's own fields when not given; a plan given as an object brings its region.
    """
    if region is None and isinstance(plan, models.Model):
        region = getattr(plan, "region_id", None)
    return Action(
        at=clock.now(),
        actor=actor,
        actor_name=display_name(actor, SYSTEM),
        by_system=actor is None,
        verb=verb,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=obj.pk if obj is not None else None,
        object_label=(label or str(obj))[:200],
        summary=summary[:500],
        changes=changes or {},
        region_id=_scope(obj, "region", region),
        plan_id=_scope(obj, "plan", plan),
        unit_id=_scope(obj, "unit", unit),
        task_id=_scope(obj, "task", task),
    )


def _check_atomic() -> None:
    # The record must commit or roll back with the change it describes.
    if not connection.in_atomic_block:
        raise RuntimeError("record the action inside the transaction of the change it describes")


def record(
    actor: Any,
    verb: str,
    obj: models.Model | None,
    summary: str,
    changes: dict[str, list] | None = None,
    **scope: Any,
) -> Action:
    """Write one action (see `entry` for the arguments)."""
    _check_atomic()
    action = entry(actor, verb, obj, summary, changes, **scope)
    action.save()
    return action


def record_all(actions: Iterable[Action]) -> list[Action]:
    """Write many actions built with `entry`, in one query (an import of a whole plan)."""
    _check_atomic()
    return Action.objects.bulk_create(list(actions))


def for_object(obj: models.Model) -> QuerySet[Action]:
    return Action.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk)


def leave_out(actions: QuerySet[Action], verbs: Collection[str], unless_unit: int | None) -> QuerySet[Action]:
    """The actions without those of `verbs`, except the ones of `unless_unit` (work a unit keeps to itself)."""
    hidden = Q(verb__in=verbs)
    if unless_unit is not None:
        hidden &= ~Q(unit_id=unless_unit)
    return actions.exclude(hidden)


def task_timeline(task_id: int) -> QuerySet[Action]:
    """Everything done to a task or to what hangs off it (its targets' bindings, its reports…), newest first."""
    return Action.objects.filter(task_id=task_id)


def unit_timeline(unit_id: int, plan_id: int) -> QuerySet[Action]:
    """What was done by or to a unit under the plan, and to the unit itself (its posts' hand-overs)."""
    return Action.objects.filter(Q(plan_id=plan_id) | Q(plan_id=None), unit_id=unit_id)


def plan_timeline(plan_id: int, region_id: int) -> QuerySet[Action]:
    """The plan's own actions and the region's that bear on every plan (deducted days, past figures, data)."""
    return Action.objects.filter(Q(plan_id=plan_id) | Q(plan_id=None, region_id=region_id))
