"""Reads that the plan pages share. Each returns everything its page needs in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ecotarget.organisation.models import Membership, Unit

from .models import Assignment, Plan, Task


def plans_visible_to(membership: Membership | None) -> QuerySet[Plan]:
    if membership is None:
        return Plan.objects.none()
    return Plan.objects.filter(region_id=membership.region_id)


def tasks_with_details(tasks: QuerySet[Task]) -> list[Task]:
    return list(
        tasks.select_related("section", "subsection", "plan").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("order")),
            "targets",
            "milestones",
        )
    )


@dataclass
class TaskFilter:
    unit: Unit | None = None
    section_id: int | None = None
    text: str = ""


def plan_tasks(plan: Plan, task_filter: TaskFilter | None = None) -> list[Task]:
    task_filter = task_filter or TaskFilter()
    tasks = plan.tasks.order_by("number")
    if task_filter.unit is not None:
        tasks = tasks.filter(assignments__unit=task_filter.unit)
    if task_filter.section_id:
        tasks = tasks.filter(Q(section_id=task_filter.section_id) | Q(subsection_id=task_filter.section_id))
    if task_filter.text:
        tasks = tasks.filter(
            Q(text__icontains=task_filter.text)
            | Q(targets__metric__icontains=task_filter.text)
            | Q(assignments__unit__name__icontains=task_filter.text)
        ).distinct()
    return tasks_with_details(tasks)


def plan_units(plan: Plan) -> list[Unit]:
    """The units that hold at least one task of the plan, departments first, in the region's order."""
    return list(Unit.objects.filter(assignments__task__plan=plan).distinct().order_by("kind", "order", "name"))


@dataclass
class UnitTasks:
    unit: Unit
    lead: list[Task]
    co: list[Task]


def unit_tasks(plan: Plan, unit: Unit) -> UnitTasks:
    tasks = plan_tasks(plan, TaskFilter(unit=unit))
    roles = {a.task_id: a.role for t in tasks for a in t.assignments.all() if a.unit_id == unit.pk}
    return UnitTasks(
        unit=unit,
        lead=[t for t in tasks if roles.get(t.pk) == Assignment.Role.LEAD],
        co=[t for t in tasks if roles.get(t.pk) == Assignment.Role.CO],
    )


@dataclass
class MatrixRow:
    task: Task
    marks: list[str]  # per unit column: "lead", "co" or ""


@dataclass
class Matrix:
    units: list[Unit]
    rows: list[MatrixRow]
    lead_counts: list[int]
    co_counts: list[int]


def responsibility_matrix(plan: Plan) -> Matrix:
    """Units × tasks with lead/co marks, and per unit how many it leads and supports (three queries)."""
    tasks = list(plan.tasks.select_related("section").order_by("number"))
    assignments = list(Assignment.objects.filter(task__plan=plan).select_related("unit"))
    units = sorted({a.unit for a in assignments}, key=lambda u: (u.kind, u.order, u.name))
    role_of = {(a.task_id, a.unit_id): a.role for a in assignments}
    rows = [MatrixRow(task=t, marks=[role_of.get((t.pk, u.pk), "") for u in units]) for t in tasks]
    counts = Counter((a.unit_id, a.role) for a in assignments)
    return Matrix(
        units=units,
        rows=rows,
        lead_counts=[counts[(u.pk, Assignment.Role.LEAD)] for u in units],
        co_counts=[counts[(u.pk, Assignment.Role.CO)] for u in units],
    )
