"""Business actions on plans: import a parsed document, edit a task. Each writes its history row."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ecotarget.organisation.models import Region, Unit
from ecotarget.organisation.services import RELEVANT_TOWNSHIPS, unit_index
from ecotarget.plandoc import PlanDocument
from ecotarget.plandoc import Task as ParsedTask

from .models import Assignment, Milestone, Plan, Section, Target, Task, TaskChange
from .selectors import tasks_with_details
from .snapshots import TaskSnapshot, diff, snapshot_parsed, snapshot_task


class PlanImportError(ValueError):
    pass


@dataclass
class ImportResult:
    plan: Plan | None
    created: bool
    dry_run: bool
    tasks_added: list[int] = field(default_factory=list)
    tasks_removed: list[int] = field(default_factory=list)
    tasks_changed: dict[int, dict[str, list]] = field(default_factory=dict)
    new_units: list[str] = field(default_factory=list)
    conflict: bool = False

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.tasks_added or self.tasks_removed or self.tasks_changed)

    def summary(self) -> str:
        if self.created:
            head = f"{'将新建' if self.dry_run else '已新建'}方案，共 {len(self.tasks_added)} 项任务"
        elif self.unchanged:
            return "与已导入的方案相同，未作任何修改"
        else:
            verb = "未替换：加 --replace 以替换" if self.conflict else ("将" if self.dry_run else "已")
            head = (
                f"{verb} 新增 {len(self.tasks_added)} 项、删除 {len(self.tasks_removed)} 项、"
                f"修改 {len(self.tasks_changed)} 项任务"
            )
        if self.new_units:
            head += f"；新增责任单位：{'、'.join(self.new_units)}"
        return head


class _RollBack(Exception):
    """Raised inside the import transaction to undo everything it wrote (dry run, or a refused change)."""

    def __init__(self, result: ImportResult):
        self.result = result


def _find_region(document: PlanDocument, region: Region | None) -> Region:
    if region is not None:
        return region
    name = document.meta.region
    found = Region.objects.filter(name=name).first() if name else None
    if found is None:
        raise PlanImportError(f"未找到行政区“{name or '（文件未写明）'}”：请先用 load-region 载入，或用 --region 指定")
    return found


class _UnitResolver:
    """Turns parsed unit names into the region's units, creating those the region does not know yet."""

    def __init__(self, region: Region):
        self.region = region
        self.index = unit_index(region)
        self.townships = [u for u in dict.fromkeys(self.index.values()) if u.kind == Unit.Kind.TOWNSHIP]
        self.townships.sort(key=lambda u: u.order)
        self.new_units: list[str] = []

    def _get(self, name: str, kind: str) -> Unit:
        unit = self.index.get(name)
        if unit is None:
            unit = Unit.objects.create(region=self.region, name=name, kind=kind, order=1000 + len(self.index))
            self.index[name] = unit
            self.new_units.append(name)
        return unit

    def resolve(self, task: ParsedTask) -> list[tuple[Unit, str]]:
        pairs: dict[int, tuple[Unit, str]] = {}
        for ref in task.units:
            if ref.kind == "township_group" and ref.group == "all" and self.townships:
                members = self.townships
            elif ref.kind == "township_group" and ref.group == "relevant":
                members = [self._get(RELEVANT_TOWNSHIPS, Unit.Kind.GROUP)]
            else:
                members = [self._get(ref.name, ref.kind)]
            for unit in members:
                pairs.setdefault(unit.pk, (unit, ref.role))
        return list(pairs.values())


def _sections(plan: Plan, document: PlanDocument) -> dict[tuple[str, str | None], Section]:
    """Create or reuse the plan's sections; keyed by (section title, subsection title or None)."""
    existing = {(s.parent.title if s.parent_id else None, s.title): s for s in plan.sections.select_related("parent")}
    keyed: dict[tuple[str, str | None], Section] = {}
    order = 0
    for parsed in document.sections:
        order += 1
        section = existing.get((None, parsed.title)) or Section(plan=plan, title=parsed.title)
        section.number, section.order, section.parent = parsed.number, order, None
        section.save()
        keyed[(parsed.title, None)] = section
        for sub in parsed.subsections:
            order += 1
            child = existing.get((parsed.title, sub.title)) or Section(plan=plan, title=sub.title)
            child.number, child.order, child.parent = sub.number, order, section
            child.save()
            keyed[(parsed.title, sub.title)] = child
    return keyed


@dataclass
class _Details:
    task: Task
    units: list[tuple[Unit, str]]
    targets: list[dict]
    deadlines: list[tuple[date, str]]


def _write_details(rows: list[_Details]) -> None:
    """Replace the owners, targets and milestones of many tasks in six queries, however many tasks."""
    task_ids = [row.task.pk for row in rows]
    for model in (Assignment, Target, Milestone):
        model.objects.filter(task_id__in=task_ids).delete()
    Assignment.objects.bulk_create(
        Assignment(task=row.task, unit=unit, role=role, order=i)
        for row in rows
        for i, (unit, role) in enumerate(row.units)
    )
    Target.objects.bulk_create(Target(task=row.task, order=i, **t) for row in rows for i, t in enumerate(row.targets))
    Milestone.objects.bulk_create(
        Milestone(task=row.task, due_on=d, what=w) for row in rows for d, w in sorted(row.deadlines)
    )


def _parsed_targets(task: ParsedTask) -> list[dict]:
    return [
        {
            "metric": t.metric,
            "op": t.op,
            "value": t.value,
            "unit": t.unit or "",
            "baseline": t.baseline or "",
            "reduction": t.reduction,
            "source_text": (t.text or "")[:300],
        }
        for t in task.targets
    ]


@transaction.atomic
def _import(
    document: PlanDocument,
    *,
    region: Region,
    user: AbstractBaseUser | None,
    source_name: str,
    source_sha256: str,
    replace: bool,
    dry_run: bool,
) -> ImportResult:
    meta = document.meta
    if not meta.title or not meta.year:
        raise PlanImportError("文件中未找到方案标题或年度，无法导入")
    resolver = _UnitResolver(region)
    resolved = {t.number: resolver.resolve(t) for t in document.tasks}
    incoming = {
        t.number: snapshot_parsed(t, [(u.name, role) for u, role in resolved[t.number]]) for t in document.tasks
    }

    plan = Plan.objects.select_for_update().filter(region=region, year=meta.year, title=meta.title).first()
    created = plan is None
    stored: dict[int, TaskSnapshot] = {}
    tasks: dict[int, Task] = {}
    if plan is not None:
        tasks = {t.number: t for t in tasks_with_details(plan.tasks.all())}
        stored = {number: snapshot_task(t) for number, t in tasks.items()}

    result = ImportResult(plan=plan, created=created, dry_run=dry_run)
    result.tasks_added = [n for n in incoming if n not in stored]
    result.tasks_removed = [n for n in stored if n not in incoming]
    result.tasks_changed = {n: changes for n in incoming if n in stored and (changes := diff(stored[n], incoming[n]))}
    result.new_units = resolver.new_units
    if result.unchanged:
        result.new_units = []
        return result
    if not created and not replace:
        result.conflict = True
        raise _RollBack(result)

    if plan is None:
        plan = Plan(region=region, title=meta.title, year=meta.year, created_by=user)
        result.plan = plan
    plan.doc_number, plan.issuer, plan.issued_on = meta.doc_number, meta.issuer, meta.issued_on
    plan.source_name, plan.source_sha256 = source_name[:255], source_sha256
    plan.save()
    sections = _sections(plan, document)

    action = TaskChange.Action.IMPORT if created else TaskChange.Action.REIMPORT
    written = [t for t in document.tasks if t.number in result.tasks_changed or t.number in result.tasks_added]
    for parsed in written:
        task = tasks.setdefault(parsed.number, Task(plan=plan, number=parsed.number))
        task.text = parsed.text
        task.section = sections[(parsed.section, None)]
        task.subsection = sections[(parsed.section, parsed.subsection)] if parsed.subsection else None
    Task.objects.bulk_create([tasks[n] for n in result.tasks_added])
    Task.objects.bulk_update([tasks[n] for n in result.tasks_changed], ["text", "section", "subsection"])
    _write_details(
        [
            _Details(tasks[t.number], resolved[t.number], _parsed_targets(t), [(d.date, d.what) for d in t.deadlines])
            for t in written
        ]
    )
    history = [
        TaskChange(
            plan=plan,
            task=tasks[t.number],
            task_number=t.number,
            action=action,
            changes={} if created else diff(stored.get(t.number), incoming[t.number]),
            user=user,
        )
        for t in written
    ]
    for number in result.tasks_removed:
        history.append(
            TaskChange(
                plan=plan,
                task=None,
                task_number=number,
                action=action,
                changes=diff(stored[number], None),
                user=user,
            )
        )
    Task.objects.filter(pk__in=[tasks[n].pk for n in result.tasks_removed]).delete()
    TaskChange.objects.bulk_create(history)
    plan.sections.filter(tasks__isnull=True, subtasks__isnull=True, children__isnull=True).delete()
    if dry_run:
        raise _RollBack(result)
    return result


def plan_import(
    document: PlanDocument,
    *,
    user: AbstractBaseUser | None = None,
    region: Region | None = None,
    source_name: str = "",
    source_sha256: str = "",
    replace: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Store a parsed plan in one transaction.

    Importing the same document again changes nothing. A changed document is refused (the result says
    what would change) unless `replace` is given; then tasks are updated in place so that whatever
    hangs off them later stays attached, and every change is kept in the task history. `dry_run`
    does all the work and rolls it back.
    """
    region = _find_region(document, region)
    try:
        return _import(
            document,
            region=region,
            user=user,
            source_name=source_name,
            source_sha256=source_sha256,
            replace=replace,
            dry_run=dry_run,
        )
    except _RollBack as rollback:
        return rollback.result


@dataclass
class TaskEdit:
    text: str
    units: list[tuple[Unit, str]]
    targets: list[dict]
    deadlines: list[tuple[date, str]]


@transaction.atomic
def task_update(*, task: Task, user: AbstractBaseUser, edit: TaskEdit) -> TaskChange | None:
    """Replace a task's text, owners, targets and deadlines; returns the history row, or None if unchanged."""
    from ecotarget.progress.services import periods_close_due  # progress builds on plans: imported late

    periods_close_due(plan=task.plan)  # an edit changes what comes next, never a period already closed
    task = tasks_with_details(Task.objects.select_for_update(of=("self",)).filter(pk=task.pk))[0]
    before = snapshot_task(task)
    if not edit.text.strip():
        raise ValueError("任务内容不能为空")
    if not any(role == Assignment.Role.LEAD for _, role in edit.units):
        raise ValueError("至少要有一个牵头单位")
    if any(unit.region_id != task.plan.region_id for unit, _ in edit.units):
        raise ValueError("责任单位必须属于本行政区")
    task.text = edit.text.strip()
    task.save(update_fields=["text"])
    _write_details([_Details(task, edit.units, edit.targets, edit.deadlines)])
    after = snapshot_task(tasks_with_details(Task.objects.filter(pk=task.pk))[0])
    changes = diff(before, after)
    if not changes:
        return None
    return TaskChange.objects.create(
        plan=task.plan,
        task=task,
        task_number=task.number,
        action=TaskChange.Action.EDIT,
        changes=changes,
        user=user,
    )
