"""Small helpers the plandoc tests share: compact views of parsed tasks for readable assertions."""

from ecotarget.plandoc import PlanDocument, Task


def units(task: Task) -> list[tuple[str, str]]:
    """[(name, "lead" | "co")] in the order the plan lists them."""
    return [(u.name, u.role) for u in task.units]


def targets(task: Task) -> list[tuple]:
    """[(metric, op, value as str or None, measure unit)]."""
    return [(t.metric, t.op, None if t.value is None else str(t.value), t.measure_unit) for t in task.targets]


def without_lines(document: PlanDocument) -> dict:
    """to_dict() minus line numbers, which differ between a .txt and the same plan as .docx or .html."""
    data = document.to_dict()
    for task in data["tasks"]:
        task.pop("line")
    return data
