"""The parsed plan as plain dataclasses, and the one error the parser raises.

Nothing here knows how a document is read; the Django side codes against these shapes only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

UnitKind = Literal["department", "township", "township_group"]
Role = Literal["lead", "co"]
Group = Literal["all", "relevant"]
Op = Literal["<=", ">=", "==", "<", ">"]
Baseline = Literal["previous_year", "three_year_average"]


class PlanParseError(ValueError):
    """A document that cannot be read as a plan. ``str(e)`` is ``source:line: reason`` like a compiler's."""

    def __init__(self, source: str, line: int | None, reason: str):
        self.source = source
        self.line = line
        self.reason = reason
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.source}: {self.reason}"
        return f"{self.source}:{self.line}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        # ValueError pickles through args, which hold the formatted message, not our three fields.
        return (type(self), (self.source, self.line, self.reason))


@dataclass(frozen=True)
class Meta:
    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    year: int | None = None
    region: str = ""


@dataclass
class Subsection:
    number: str
    title: str


@dataclass
class Section:
    number: str
    title: str
    subsections: list[Subsection] = field(default_factory=list)


@dataclass(frozen=True)
class UnitRef:
    name: str
    kind: UnitKind
    role: Role
    group: Group | None = None
    # Which wording or rule of the document gave this unit this role ("标注“牵头单位”", "动词“配合”",
    # "表格列“参与单位”", "规定：列第一位者为牵头单位", "规定：以下各项均需…落实"), so a reader can check it.
    source: str = ""


@dataclass(frozen=True)
class Target:
    metric: str
    op: Op
    value: Decimal | None
    measure_unit: str | None
    baseline: Baseline | None
    reduction: bool
    text: str


@dataclass(frozen=True)
class Deadline:
    date: date
    what: str


@dataclass
class Task:
    number: int
    section: str
    subsection: str | None
    text: str
    units: list[UnitRef]
    targets: list[Target]
    deadlines: list[Deadline]
    line: int
    # The number as printed ("5", "(五)", "措施五"); differs from `number` when numbering restarts per section.
    label: str = ""
    # Why the task needs a person's check (需核对) before it is relied on: its units could not be read, the file
    # was cut off inside it, its number repeated another's. Empty for a task read without doubt.
    review_reasons: list[str] = field(default_factory=list)


@dataclass
class Goal:
    """A target paragraph (目标任务 / 主要目标 / 工作目标) or a heading's own targets: the plan's, not a task's."""

    section: str
    subsection: str | None
    text: str
    targets: list[Target]
    deadlines: list[Deadline]
    line: int


@dataclass
class PlanDocument:
    meta: Meta
    sections: list[Section]
    tasks: list[Task]
    goals: list[Goal] = field(default_factory=list)

    @property
    def flagged(self) -> list[Task]:
        return [task for task in self.tasks if task.review_reasons]

    def to_dict(self) -> dict[str, Any]:
        meta = self.meta
        return {
            "meta": {
                "title": meta.title,
                "doc_number": meta.doc_number,
                "issuer": meta.issuer,
                "issued_on": meta.issued_on.isoformat() if meta.issued_on else None,
                "year": meta.year,
                "region": meta.region,
            },
            "sections": [
                {
                    "number": s.number,
                    "title": s.title,
                    "subsections": [{"number": sub.number, "title": sub.title} for sub in s.subsections],
                }
                for s in self.sections
            ],
            "tasks": [_task_dict(t) for t in self.tasks],
            "goals": [
                {
                    "line": g.line,
                    "section": g.section,
                    "subsection": g.subsection,
                    "text": g.text,
                    "targets": [_target_dict(t) for t in g.targets],
                    "deadlines": [{"date": d.date.isoformat(), "what": d.what} for d in g.deadlines],
                }
                for g in self.goals
            ],
        }


def json_number(value: Decimal | None) -> int | float | None:
    """Decimal as JSON wants it: an int when integral, else a float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _task_dict(task: Task) -> dict[str, Any]:
    return {
        "number": task.number,
        "label": task.label,
        "line": task.line,
        "section": task.section,
        "subsection": task.subsection,
        "text": task.text,
        "units": [
            {"name": u.name, "kind": u.kind, "role": u.role, "group": u.group, "source": u.source} for u in task.units
        ],
        "targets": [_target_dict(t) for t in task.targets],
        "deadlines": [{"date": d.date.isoformat(), "what": d.what} for d in task.deadlines],
        "review_reasons": list(task.review_reasons),
    }


def _target_dict(t: Target) -> dict[str, Any]:
    return {
        "metric": t.metric,
        "op": t.op,
        "value": json_number(t.value),
        "measure_unit": t.measure_unit,
        "baseline": t.baseline,
        "reduction": t.reduction,
        "text": t.text,
    }
