"""Reads the assessment pages share: a scheme's tree, and every assessed party's score sheet computed from what is
stored — monitoring readings for measured items, the tasks' statuses for work items, the reviewer's findings for
the rest — in a fixed number of queries however many units and items there are.

Before the plan year is over the scores are provisional ("if the year ended today"): measured items use the value
so far, work items the progress reported so far. A page says so wherever it shows them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from ecotarget.core import clock
from ecotarget.monitoring.readings import Reading, measured_readings
from ecotarget.organisation.models import Membership, Unit
from ecotarget.plans.targets import target_met
from ecotarget.progress.models import Evidence
from ecotarget.progress.rules import Status
from ecotarget.progress.selectors import plan_progress
from ecotarget.progress.status import TaskProgress
from ecotarget.scoring import items as facts_of
from ecotarget.scoring import rules
from ecotarget.scoring.items import ItemResult, score_item
from ecotarget.scoring.numbers import plain
from ecotarget.scoring.totals import Standing, Total, standings, total_of

from .models import Assessment, ItemScore, Scheme, SchemeItem, SchemePart

GROUP_LABELS = {Unit.Kind.DEPARTMENT: "县直部门", Unit.Kind.TOWNSHIP: "乡(镇)", "region": "县(市、区)"}


def schemes_of(membership: Membership | None):
    if membership is None:
        return Scheme.objects.none()
    return Scheme.objects.filter(plan__region_id=membership.region_id).select_related("plan")


def scheme_tree(scheme: Scheme) -> list[SchemePart]:
    """The scheme's parts with their items, units, tasks and targets (five queries)."""
    items = SchemeItem.objects.order_by("order", "id").prefetch_related("lead_units", "units", "tasks", "targets__task")
    return list(scheme.parts.order_by("order", "id").prefetch_related(Prefetch("items", queryset=items)))


def year_end(scheme: Scheme) -> date:
    return date(scheme.plan.year, 12, 31)


def as_of(scheme: Scheme, day: date | None = None) -> date:
    """The day the scores are computed for: today, but never after the plan year."""
    return min(day or clock.today(), year_end(scheme))


def is_provisional(scheme: Scheme, day: date) -> bool:
    return day < year_end(scheme) or clock.today() <= year_end(scheme)


@dataclass
class Line:
    """One item on a sheet: the item, its stored score row (if any) and the result computed now."""

    item: SchemeItem
    part: SchemePart
    result: ItemResult
    row: ItemScore | None = None
    evidence: list[Evidence] = field(default_factory=list)
    error: str = ""

    @property
    def lost(self) -> Decimal:
        return self.result.lost if self.result.counts_in_base else Decimal(0)


@dataclass
class Sheet:
    assessment: Assessment
    lines: list[Line]
    total: Total
    standing: Standing | None = None

    @property
    def parts(self) -> list[tuple[SchemePart, list[Line]]]:
        grouped: dict[int, tuple[SchemePart, list[Line]]] = {}
        for line in self.lines:
            grouped.setdefault(line.part.pk, (line.part, []))[1].append(line)
        return list(grouped.values())


@dataclass
class Results:
    scheme: Scheme
    day: date
    provisional: bool
    sheets: list[Sheet]

    def sheet_of(self, assessment_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.assessment.pk == assessment_id), None)

    def groups(self) -> list[tuple[str, list[Sheet]]]:
        grouped: dict[str, list[Sheet]] = defaultdict(list)
        for sheet in sorted(self.sheets, key=lambda s: s.standing.rank if s.standing else 0):
            grouped[sheet.assessment.group].append(sheet)
        order = [Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP, "region"]
        return [(GROUP_LABELS.get(g, g), grouped[g]) for g in order if g in grouped]


def _applies(item: SchemeItem, assessment: Assessment, unit_ids: dict[int, set[int]]) -> bool:
    named = unit_ids[item.pk]
    return assessment.unit_id is None or not named or assessment.unit_id in named


def _measured(item: SchemeItem, readings: dict[int, Reading]) -> Reading | None:
    for target in item.targets.all():
        reading = readings.get(target.pk)
        if reading is not None and reading.value is not None:
            return reading
    return None


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        return None


def facts_for(
    item: SchemeItem,
    rule: rules.Rule,
    row: ItemScore | None,
    readings: dict[int, Reading],
    progress: dict[int, TaskProgress],
    day: date,
) -> facts_of.Facts | None:
    """What the item is scored on: the reviewer's score when there is one, else the reviewer's findings, else
    what the system knows (readings, task statuses); None when nothing is known yet."""
    found = row.facts if row is not None else {}
    if found.get("not_applicable"):
        return facts_of.NotApplicable(str(found.get("reason", "")))
    if row is not None and row.reviewed_score is not None:
        return facts_of.Judged(row.reviewed_score, row.review_reason)
    kind = rules.Kind(item.kind)
    if kind == rules.Kind.VETO:
        return facts_of.Vetoed(bool(found.get("vetoed")), str(found.get("reason", "")))
    if kind in (rules.Kind.BONUS, rules.Kind.PENALTY):
        entries = [
            facts_of.Entry(str(e.get("reason", "")), _decimal(e.get("points"))) for e in found.get("entries", [])
        ]
        return facts_of.Entries(entries)
    if kind == rules.Kind.EVENTS:
        if "counts" in found:
            return facts_of.Counted(
                {str(k): int(v) for k, v in found["counts"].items()}, annual_met=found.get("annual_met")
            )
        reading = _measured(item, readings)
        if reading is None or reading.threshold is None or not isinstance(rule, rules.Events):
            return None
        op = reading.binding.target.op
        months = sum(1 for v in reading.monthly if v is not None and not target_met(op, reading.threshold, v))
        assert reading.value is not None
        return facts_of.Counted(
            {rule.categories[0].name: months},
            annual_met=target_met(op, reading.threshold, reading.value),
            source=f"按月度监测值计，截至{reading.as_of.month}月{reading.as_of.day}日",
        )
    if kind == rules.Kind.GAP:
        if "value" in found:
            return facts_of.Measured(_decimal(found["value"]), target=_decimal(found.get("target")))
        reading = _measured(item, readings)
        if reading is None:
            # Mapped to a target without data yet: the working says so; not mapped: nothing to go by.
            return facts_of.Measured(None) if item.targets.all() else None
        return facts_of.Measured(
            reading.value,
            target=reading.threshold,
            monthly=reading.monthly,
            source=f"监测数据截至{reading.as_of.month}月{reading.as_of.day}日",
        )
    if kind == rules.Kind.COMPLETION:
        if "state" in found:
            return facts_of.Done(str(found["state"]), _decimal(found.get("percent")), bool(found.get("late")))
        statuses = [progress[t.pk] for t in item.tasks.all() if t.pk in progress]
        if not statuses:
            return None
        return _completion(statuses, day)
    return None


def _completion(statuses: list[TaskProgress], day: date) -> facts_of.Done:
    """Work items from their tasks' statuses: all finished → full; else in proportion to the progress reported
    (a task not reported counts 0); nothing reported → none."""
    numbers = ", ".join(str(s.task.number) for s in statuses)
    source = f"任务{numbers}，截至{day.month}月{day.day}日"
    if all(s.status == Status.DONE for s in statuses):
        return facts_of.Done(facts_of.State.FULL, source=source)
    percents = [100 if s.status == Status.DONE else (s.reported or 0) for s in statuses]
    if not any(percents):
        return facts_of.Done(facts_of.State.NONE, source=source)
    share = Decimal(sum(percents)) / len(percents)
    return facts_of.Done(facts_of.State.PART, percent=share.quantize(Decimal("0.1")), source=source)


@dataclass
class Inputs:
    """Everything scoring reads, gathered in a fixed number of queries (`gather`); `score` then only computes."""

    scheme: Scheme
    day: date
    items: list[tuple[SchemePart, SchemeItem]]
    unit_ids: dict[int, set[int]]
    assessments: list[Assessment]
    rows: dict[tuple[int, int], ItemScore]
    readings: dict[int, Reading]
    progress: dict[int, TaskProgress]


def gather(scheme: Scheme, day: date | None = None) -> Inputs:
    """The scheme's items, assessments and findings, the plan's monitoring readings (when an item is measured)
    and its tasks' statuses (when an item is scored by completion), as of `day`."""
    day = as_of(scheme, day)
    plan = scheme.plan
    parts = scheme_tree(scheme)
    items = [(part, item) for part in parts for item in part.items.all()]
    rows: dict[tuple[int, int], ItemScore] = {}
    score_rows = ItemScore.objects.filter(assessment__scheme=scheme).prefetch_related("evidence")
    for stored in score_rows:
        rows[(stored.assessment_id, stored.item_id)] = stored
    needs_readings = any(i.kind in ("gap", "events") for _, i in items)
    needs_progress = any(i.kind == "completion" for _, i in items)
    # The statuses need the readings too (a missed measured target makes a task 未达标): computed once, shared.
    readings = measured_readings(plan, day) if needs_readings or needs_progress else {}
    progress = {p.task.pk: p for p in plan_progress(plan, day, measured=readings)} if needs_progress else {}
    return Inputs(
        scheme=scheme,
        day=day,
        items=items,
        unit_ids={item.pk: {u.pk for u in item.units.all()} for _, item in items},
        assessments=list(scheme.assessments.select_related("unit", "scheme__plan__region")),
        rows=rows,
        readings=readings,
        progress=progress,
    )


def results(scheme: Scheme, day: date | None = None, *, only: Assessment | None = None) -> Results:
    """Every assessment of the scheme scored as of `day` (today by default), ranked and graded; `only` limits
    the sheets returned (the ranks still need every unit's total)."""
    return score(gather(scheme, day), only=only)


def score(inputs: Inputs, *, only: Assessment | None = None) -> Results:
    """Score, total, rank and grade every assessment from what `gather` read (no queries)."""
    scheme, day, items, unit_ids = inputs.scheme, inputs.day, inputs.items, inputs.unit_ids
    assessments, rows, readings, progress = inputs.assessments, inputs.rows, inputs.readings, inputs.progress
    parsed: dict[int, rules.Rule | rules.RuleError] = {}
    for _, item in items:
        try:
            parsed[item.pk] = item.rule()
        except rules.RuleError as refused:
            parsed[item.pk] = refused
    sheets = []
    for assessment in assessments:
        lines = []
        for part, item in items:
            if not _applies(item, assessment, unit_ids):
                continue
            row = rows.get((assessment.pk, item.pk))
            rule = parsed[item.pk]
            error = ""
            if isinstance(rule, rules.RuleError):
                error = f"{rule}"
                result = facts_of.pending(rules.Kind(item.kind), item.points, f"评分规则有误：{rule}")
            else:
                try:
                    found = facts_for(item, rule, row, readings, progress, day)
                    result = score_item(rule, item.points, found, places=scheme.places)
                except rules.RuleError as problem:
                    error = f"{problem}"
                    result = facts_of.pending(rule.kind, item.points, f"无法计分：{problem}")
            evidence = list(row.evidence.all()) if row is not None else []
            lines.append(Line(item=item, part=part, result=result, row=row, evidence=evidence, error=error))
        total = total_of([line.result for line in lines], full=scheme.full, places=scheme.places)
        sheets.append(Sheet(assessment=assessment, lines=lines, total=total))
    ranked = standings([(s.assessment.pk, s.assessment.group, s.total) for s in sheets], scheme.grading())
    by_key = {s.key: s for s in ranked}
    for sheet in sheets:
        sheet.standing = by_key[sheet.assessment.pk]
    if only is not None:
        sheets = [s for s in sheets if s.assessment.pk == only.pk]
    return Results(scheme=scheme, day=day, provisional=is_provisional(scheme, day), sheets=sheets)


def assessment_of(membership: Membership, scheme: Scheme) -> Assessment | None:
    """The member's own unit's assessment in the scheme, if it is assessed."""
    if membership.unit_id is None:
        return None
    return scheme.assessments.filter(unit_id=membership.unit_id).first()


def points_text(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)
