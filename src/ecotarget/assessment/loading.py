"""Loading the demo scheme into a plan: the same import an office's upload goes through, then the demo's
findings (a bonus, a penalty, events counted, satisfaction scores) and a computation of the year so far."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Target, Task

from . import demo, services
from .models import Assessment, Scheme, SchemeItem
from .workbook import read_scheme

# (unit, item number, score, reason, facts): what the assessing office had found by the demo's day.
FINDINGS: list[tuple[str, str, Decimal | None, str, dict]] = [
    ("生态环境局", "18", None, "", {"entries": [{"reason": "获评省级生态环境保护工作先进集体", "points": "1"}]}),
    ("住建局", "19", None, "", {"entries": [{"reason": "省生态环境保护督察通报城区污水直排问题"}]}),
    ("住建局", "14", None, "", {"counts": {"扬尘问题": 2}}),
    ("生态环境局", "17", Decimal("4.6"), "第三方调查满意度 92%", {}),
    ("住建局", "17", Decimal("4.2"), "第三方调查满意度 84%，城区噪声投诉较多", {}),
    ("古镛镇", "17", Decimal("4.5"), "第三方调查满意度 90%", {}),
]


@transaction.atomic
def demo_scheme_load(*, plan: Plan, user: User | None) -> tuple[Scheme, bool]:
    """The demo scheme of the plan, imported unless it is there already; returns it and whether it is new."""
    existing = Scheme.objects.filter(plan=plan, level=Scheme.Level.COUNTY).first()
    if existing is not None:
        return existing, False
    parsed = read_scheme(demo.demo_workbook(), "演示评分细则.xlsx")
    scheme = services.scheme_import(
        plan=plan,
        parsed=parsed,
        title=demo.TITLE,
        level=Scheme.Level.COUNTY,
        user=user,
        source_name="演示评分细则.xlsx",
    )
    items = {i.number: i for i in SchemeItem.objects.filter(part__scheme=scheme)}
    tasks = {t.number: t.pk for t in Task.objects.filter(plan=plan)}
    targets = {(t.task.number, t.metric): t.pk for t in Target.objects.filter(task__plan=plan).select_related("task")}
    for number, item in items.items():
        wanted_targets = [targets[demo.TARGETS[number]]] if demo.TARGETS.get(number) in targets else None
        wanted_tasks = [tasks[n] for n in demo.TASKS.get(number, []) if n in tasks] or None
        if number in demo.TARGETS:
            wanted_tasks = [tasks[demo.TARGETS[number][0]]]
        if wanted_targets is None and wanted_tasks is None:
            continue
        services.scheme_item_update(
            item=item,
            user=user,
            points=item.points,
            kind=item.kind,
            params=item.params,
            task_ids=wanted_tasks,
            target_ids=wanted_targets,
        )
    units = {u.name: u for u in Unit.objects.filter(region_id=plan.region_id)}
    assessments = {a.unit_id: a for a in Assessment.objects.filter(scheme=scheme).select_related("unit")}
    # Every other unit's satisfaction survey result, so that the demo ranking is not led by units whose only
    # item still waits for its score.
    surveyed = {units[name].pk for name, number, *_ in FINDINGS if number == "17"}
    for assessment in assessments.values():
        if assessment.unit_id in surveyed or assessment.unit is None:
            continue
        share = 80 + (assessment.unit.order * 7 + len(assessment.unit.name)) % 16
        services.item_review(
            assessment=assessment,
            item=items["17"],
            user=user,
            score=Decimal(share) / 20,
            reason=f"第三方调查满意度 {share}%",
        )
    for unit_name, number, score, reason, facts in FINDINGS:
        found = assessments.get(units[unit_name].pk)
        if found is None:
            continue
        services.item_review(assessment=found, item=items[number], user=user, score=score, reason=reason, facts=facts)
    return scheme, True
