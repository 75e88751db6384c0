"""Which targets a unit reports by hand. A target bound to a monitoring indicator is measured, never typed:
its value is read from the data (`monitoring.readings`), so no form asks for it and the service refuses one."""

from collections.abc import Iterable

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.plans.models import Target, Task


def measured_bindings(tasks: Iterable[Task]) -> list[IndicatorBinding]:
    """The bindings of the tasks' measured targets, ready for `monitoring.readings.readings_for` (one query)."""
    return list(
        IndicatorBinding.objects.in_force().filter(target__task__in=list(tasks)).select_related("target__task__plan")
    )


def measured_target_ids(tasks: Iterable[Task]) -> set[int]:
    """The ids of the tasks' targets that monitoring measures (one query for any number of tasks)."""
    return set(
        IndicatorBinding.objects.in_force().filter(target__task__in=list(tasks)).values_list("target_id", flat=True)
    )


def reported_by_hand(task: Task, measured: set[int] | None = None) -> list[Target]:
    """The task's targets a unit reports by hand; `measured` (from `measured_target_ids`) saves the query."""
    if measured is None:
        measured = measured_target_ids([task])
    return [target for target in task.targets.all() if target.pk not in measured]
