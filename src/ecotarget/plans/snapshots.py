"""A task reduced to plain, comparable values, from a parsed document or from the database.

Import compares the two to tell "nothing changed" from "these fields of these tasks changed", and
the history stores the same values, so both sides must produce exactly the same shape.
"""

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from ecotarget.plandoc import Task as ParsedTask

from .models import Assignment, Target, Task

TaskSnapshot = dict[str, Any]
FIELDS_ZH = {
    "text": "任务内容",
    "section": "章节",
    "subsection": "小节",
    "units": "责任单位",
    "targets": "指标",
    "deadlines": "时限",
    "binding": "监测指标",  # written by monitoring's binding actions, already in words
    "reason": "调整理由",  # the reason of a granted change request
    "review": "需核对",  # the parser's doubts about the task, cleared by the coordinator's save in the editor
}
REASON = "reason"
# The section of tasks above the first heading, or of a plan without headings.
UNSECTIONED = "未分章节"
REVIEW = "review"


def _value(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def target_row(metric, op, value, measure_unit, baseline, reduction) -> list:
    return [metric, op, _value(value), measure_unit or "", baseline or "", bool(reduction)]


def snapshot_task(task: Task) -> TaskSnapshot:
    """Needs the task's section, subsection, assignments__unit, targets and milestones prefetched."""
    return {
        "text": task.text,
        "section": task.section.title,
        "subsection": task.subsection.title if task.subsection else None,
        "units": [[a.unit.name, a.role] for a in task.assignments.all()],
        "targets": [
            target_row(t.metric, t.op, t.value, t.measure_unit, t.baseline, t.reduction) for t in task.targets.all()
        ],
        "deadlines": [[m.due_on.isoformat(), m.what] for m in task.milestones.all()],
    }


def snapshot_parsed(task: ParsedTask, units: list[tuple[str, str]]) -> TaskSnapshot:
    """`units` are the (unit name, role) pairs after resolving the parsed names against the region."""
    return {
        "text": task.text,
        "section": task.section or UNSECTIONED,
        "subsection": task.subsection,
        "units": [list(pair) for pair in units],
        "targets": [target_row(t.metric, t.op, t.value, t.measure_unit, t.baseline, t.reduction) for t in task.targets],
        "deadlines": sorted([[d.date.isoformat(), d.what] for d in task.deadlines]),
    }


def diff(old: TaskSnapshot | None, new: TaskSnapshot | None) -> dict[str, list]:
    """{field: [old, new]} for every field that differs; a missing side is None."""
    keys = (old or new or {}).keys()
    return {
        key: [(old or {}).get(key), (new or {}).get(key)]
        for key in keys
        if (old or {}).get(key) != (new or {}).get(key)
    }


def long_date(iso: str) -> str:
    """2022-09-30 → 2022年9月30日, as the documents and pages write dates."""
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def target_words(metric, op, value, measure_unit, baseline, reduction) -> str:
    """A target given by its parts (a history row, a parsed target) as the task page states a stored one."""
    target = Target(
        metric=metric,
        op=op,
        value=None if value is None else Decimal(value),
        measure_unit=measure_unit or "",
        baseline=baseline or "",
        reduction=bool(reduction),
    )
    return target.describe()


def _readable(field: str, value: Any) -> str:
    if value is None:
        return "（无）"
    if field == "units":
        roles = dict(Assignment.Role.choices)
        return "、".join(f"{name}（{roles.get(role, role)}）" for name, role in value) or "（无）"
    if field == "targets":
        return "；".join(target_words(*row) for row in value) or "（无）"
    if field == "deadlines":
        return "；".join(f"{long_date(d)} {what}".strip() for d, what in value) or "（无）"
    if field == REVIEW:
        return "；".join(value) or "（已核对）"
    return str(value)


def _blank(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def readable_changes(changes: dict[str, list]) -> list[tuple[str, str, str]]:
    """(field in Chinese, old, new) for a history row, in a fixed field order and in a coordinator's words.

    The old side is empty for a note that only has a new side (the reason of a granted change request)."""
    known = [
        (
            FIELDS_ZH[field],
            "" if field == REASON else _readable(field, changes[field][0]),
            _readable(field, changes[field][1]),
        )
        for field in FIELDS_ZH
        if field in changes
    ]
    # Other actions of the log name what changed in the page's words already ({"扣除原因": [old, new]}).
    # A field empty before and after (a first report's blank 存在问题) says nothing and is left out.
    others = [
        (field, "" if old is None else str(old), "（无）" if new is None else str(new))
        for field, (old, new) in changes.items()
        if field not in FIELDS_ZH and not (_blank(old) and _blank(new))
    ]
    return known + others


def task_fingerprint(snapshot: TaskSnapshot) -> str:
    """A short digest of what a task says: the editor sends back the one it showed, so a save made on a task that
    changed in the meantime (another coordinator's edit, a granted change request) is refused, not laid over it."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
