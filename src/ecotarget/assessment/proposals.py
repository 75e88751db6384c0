"""What the import of a 评分细则 proposes for each row: its rule (from the 评分标准 wording), its units (from the
牵头单位 and 责任单位 columns) and the plan tasks and targets it is about (from the wording). Reads only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Target, Task
from ecotarget.scoring import rules, wording

from .workbook import ParsedScheme, Row, points_of

_SPLIT = re.compile(r"[、，,；;/\s]+")
ALL_TOWNSHIPS = ("各乡(镇)", "各乡（镇）", "各乡镇", "各乡(镇)人民政府", "各乡（镇）人民政府", "各乡镇人民政府")
SUFFIXES = ("人民政府", "管委会")


@dataclass
class ItemProposal:
    row: Row
    points: Decimal
    kind: str
    params: dict[str, object]
    because: str
    rule_text: str
    lead_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    target_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def kind_label(self) -> str:
        return rules.Kind(self.kind).label


class UnitNames:
    """The region's units by every name they go by (one query)."""

    def __init__(self, region_id: int):
        self.units = list(Unit.objects.filter(region_id=region_id).order_by("kind", "order", "name"))
        self.by_name: dict[str, Unit] = {}
        for unit in self.units:
            for name in [unit.name, unit.full_name, *unit.aliases]:
                if name:
                    self.by_name.setdefault(name, unit)
        self.townships = [u for u in self.units if u.kind == Unit.Kind.TOWNSHIP]

    def resolve(self, text: str) -> tuple[list[Unit], list[str]]:
        """The units a cell names, and the names it could not find."""
        found: dict[int, Unit] = {}
        unknown = []
        for name in (n.strip() for n in _SPLIT.split(text or "")):
            if not name:
                continue
            if name in ALL_TOWNSHIPS:
                found.update((u.pk, u) for u in self.townships)
                continue
            unit = self.by_name.get(name)
            for suffix in SUFFIXES:
                if unit is None and name.endswith(suffix):
                    unit = self.by_name.get(name.removesuffix(suffix))
            if unit is None:
                unknown.append(name)
            else:
                found[unit.pk] = unit
        return list(found.values()), unknown


def _candidates(plan: Plan) -> tuple[list[tuple[int, str]], list[tuple[int, str]], dict[int, int]]:
    """The plan's tasks (id, text) and targets (id, metric), and each target's task (two queries)."""
    tasks = [(t.pk, t.text) for t in Task.objects.filter(plan=plan).order_by("number")]
    found = list(Target.objects.filter(task__plan=plan).order_by("task__number", "order"))
    return tasks, [(t.pk, t.metric) for t in found], {t.pk: t.task_id for t in found}


def propose(parsed: ParsedScheme, plan: Plan) -> list[list[ItemProposal]]:
    """Each part's items with what the import would write; a row whose rule cannot be made carries `error`."""
    names = UnitNames(plan.region_id)
    tasks, targets, task_of = _candidates(plan)
    result = []
    for part in parsed.parts:
        proposals = []
        for row in part.items:
            points = points_of(row.points) or Decimal(0)
            proposal = wording.propose_rule(row.content, row.standard, points)
            item = ItemProposal(
                row=row,
                points=points,
                kind=proposal.kind.value,
                params=proposal.params,
                because=proposal.because,
                rule_text="",
            )
            try:
                rule = rules.parse_rule(proposal.kind, proposal.params, points=points)
                item.rule_text = rules.describe(rule, points)
            except rules.RuleError as error:
                item.error = f"第{row.line}行：{error}"
            leads, unknown_leads = names.resolve(row.lead)
            units, unknown_units = names.resolve(row.units)
            item.lead_ids = [u.pk for u in leads]
            item.unit_ids = list(dict.fromkeys([u.pk for u in leads] + [u.pk for u in units]))
            unknown = list(dict.fromkeys(unknown_leads + unknown_units))
            if unknown:
                item.notes.append(f"第{row.line}行：未找到单位“{'、'.join(unknown)}”，导入时不列入")
            if proposal.kind in (rules.Kind.GAP, rules.Kind.EVENTS):
                # A measured item is about one target: found by its metric among all the plan's targets.
                found = wording.propose_links(row.content, targets, at_least=0.5, limit=1)
                item.target_ids = [int(m.key) for m in found]  # type: ignore[call-overload]
                item.task_ids = list(dict.fromkeys(task_of[t] for t in item.target_ids))
            elif proposal.kind in (rules.Kind.COMPLETION, rules.Kind.MANUAL):
                # The 评分标准 of work items is generic ("全面完成…"): the content names the task.
                found = wording.propose_links(row.content, tasks, limit=2)
                item.task_ids = [int(m.key) for m in found]  # type: ignore[call-overload]
            proposals.append(item)
        result.append(proposals)
    return result
