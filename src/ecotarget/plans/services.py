"""Business actions on plans: import a parsed document, edit a task. Each writes its history row."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ecotarget.core.actions import entry, record, record_all
from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.core.people import display_name
from ecotarget.organisation.models import Region, Unit
from ecotarget.organisation.services import RELEVANT_TOWNSHIPS, unit_index
from ecotarget.plandoc import PlanDocument
from ecotarget.plandoc import Task as ParsedTask

from .models import Assignment, Milestone, Plan, Section, Target, Task, TaskChange
from .selectors import tasks_with_details
from .signals import plan_changing, plan_imported
from .snapshots import (
    FIELDS_ZH,
    REASON,
    REVIEW,
    UNSECTIONED,
    TaskSnapshot,
    diff,
    snapshot_parsed,
    snapshot_task,
    task_fingerprint,
)


class PlanImportError(Refusal):
    pass


class TaskEditError(Refusal):
    """An edit of a task that would leave it without text, without a lead unit or with units of another region."""


class StaleTaskEdit(TaskEditError):
    """The task changed after the editor showed it: saving would undo the other change unseen."""


@dataclass
class ImportResult:
    plan: Plan
    created: bool
    dry_run: bool
    tasks_added: list[int] = field(default_factory=list)
    tasks_removed: list[int] = field(default_factory=list)
    tasks_changed: dict[int, dict[str, list]] = field(default_factory=dict)
    new_units: list[str] = field(default_factory=list)
    conflict: bool = False
    # Numbers of the tasks imported flagged 需核对 (the document's, whether or not this import wrote them).
    flagged: list[int] = field(default_factory=list)
    # The plan's targets measured from monitoring data (IndicatorBinding), new ones bound by this import included.
    measured: list = field(default_factory=list)

    # The plan's own targets (目标任务 / 主要目标) differ from those stored.
    goals_changed: bool = False

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.tasks_added or self.tasks_removed or self.tasks_changed or self.goals_changed)

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
            if self.goals_changed:
                head += "，更新方案总体目标"
        if self.new_units:
            head += f"；新增责任单位：{'、'.join(self.new_units)}"
        if self.flagged and not self.conflict:
            head += f"；{len(self.flagged)} 项任务需核对（任务{'、'.join(map(str, self.flagged))}），请在任务编辑页补全"
        return head


class _RollBack(Exception):
    """Raised inside the import transaction to undo everything it wrote (dry run, or a refused change)."""

    def __init__(self, result: ImportResult):
        self.result = result


def _changed_fields(changes: dict) -> str:
    """'：任务内容、指标' — which parts of a task a change touched, for the log's summary."""
    names = [FIELDS_ZH[key] for key in FIELDS_ZH if key in changes and key not in (REASON, REVIEW)]
    if REVIEW in changes:
        names.append("已核对")
    return f"：{'、'.join(names)}" if names else ""


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
        return [(unit, role) for unit, role, _ in self.resolve_with_sources(task)]

    def resolve_with_sources(self, task: ParsedTask) -> list[tuple[Unit, str, str]]:
        """(unit, role, what in the document gave it) for each of the task's units; a group becomes its members."""
        pairs: dict[int, tuple[Unit, str, str]] = {}
        for ref in task.units:
            if ref.kind == "township_group" and ref.group == "all" and self.townships:
                members = self.townships
            elif ref.kind == "township_group" and ref.group == "relevant":
                members = [self._get(RELEVANT_TOWNSHIPS, Unit.Kind.GROUP)]
            else:
                members = [self._get(ref.name, ref.kind)]
            for unit in members:
                pairs.setdefault(unit.pk, (unit, ref.role, ref.source))
        return list(pairs.values())


def _sections(plan: Plan, document: PlanDocument) -> dict[tuple[str, str | None], Section]:
    """Create or reuse the plan's sections; keyed by (section title, subsection title or None)."""
    existing = {(s.parent.title if s.parent else None, s.title): s for s in plan.sections.select_related("parent")}
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
    # Tasks above the first heading, or in a plan without headings, sit in a section of their own.
    for task in document.tasks:
        if (task.section, None) not in keyed:
            order += 1
            title = task.section or UNSECTIONED
            section = existing.get((None, title)) or Section(plan=plan, title=title)
            section.number, section.order, section.parent = "", order, None
            section.save()
            keyed[(task.section, None)] = section
        if task.subsection and (task.section, task.subsection) not in keyed:
            order += 1
            parent = keyed[(task.section, None)]
            child = existing.get((parent.title, task.subsection)) or Section(plan=plan, title=task.subsection)
            child.number, child.order, child.parent = "", order, parent
            child.save()
            keyed[(task.section, task.subsection)] = child
    return keyed


@dataclass
class _Details:
    task: Task
    units: list[tuple[Unit, str]]
    targets: list[dict]
    deadlines: list[tuple[date, str]]
    # What gave each unit its role, by unit id (an import); without it a new or changed owner was the editor's.
    sources: dict[int, str] | None = None


EDITOR_SOURCE = "任务编辑页指定"

TARGET_FIELDS = ("metric", "op", "value", "measure_unit", "baseline", "reduction", "source_text")


def _same_target(target: Target, row: dict) -> bool:
    return all(getattr(target, name) == row.get(name, getattr(target, name)) for name in TARGET_FIELDS)


def _match_targets(existing: list[Target], rows: list[dict]) -> list[Target | None]:
    """Which stored target each row is, so that it keeps its id and whatever hangs off it (its monitoring binding,
    the values units reported for it). A row naming its target's id is that target whatever its wording now says;
    a row without one (a re-imported document) is the stored target worded exactly like it, else the one with the
    same metric; anything left is a new target."""
    left = {t.pk: t for t in existing}
    matched: list[Target | None] = [left.pop(row["id"], None) if row.get("id") else None for row in rows]
    for same in (_same_target, lambda target, row: target.metric == row.get("metric")):
        for i, row in enumerate(rows):
            if matched[i] is None and not row.get("id"):
                found = next((t for t in left.values() if same(t, row)), None)
                if found is not None:
                    matched[i] = left.pop(found.pk)
    return matched


def _write_details(rows: list[_Details], *, starts_on: date | None) -> list[Target]:
    """Bring the owners, targets and milestones of many tasks to what `rows` say, in a fixed number of queries.

    Rows that did not change are left alone, so that what hangs off them survives an edit or a re-import: an
    assignment keeps the day it started, a target its binding to monitoring and the values reported for it.
    A unit that is new to a task starts on `starts_on` (None = from the hand-out). Returns the new targets.
    """
    task_ids = [row.task.pk for row in rows]
    assignments: dict[int, dict[int, Assignment]] = {pk: {} for pk in task_ids}
    for a in Assignment.objects.filter(task_id__in=task_ids):
        assignments[a.task_id][a.unit_id] = a
    targets: dict[int, list[Target]] = {pk: [] for pk in task_ids}
    for t in Target.objects.filter(task_id__in=task_ids).order_by("order", "pk"):
        targets[t.task_id].append(t)
    milestones: dict[int, list[Milestone]] = {pk: [] for pk in task_ids}
    for m in Milestone.objects.filter(task_id__in=task_ids).order_by("due_on", "pk"):
        milestones[m.task_id].append(m)

    gone: dict[type[Assignment | Target | Milestone], list[int]] = {Assignment: [], Target: [], Milestone: []}
    new_assignments, changed_assignments = [], []
    new_targets, changed_targets = [], []
    new_milestones = []
    for row in rows:
        stored = assignments[row.task.pk]
        for order, (unit, role) in enumerate(row.units):
            kept = stored.pop(unit.pk, None)
            if row.sources is not None:
                source = row.sources.get(unit.pk, "")
            else:
                source = kept.source if kept is not None and kept.role == role else EDITOR_SOURCE
            if kept is None:
                new_assignments.append(
                    Assignment(task=row.task, unit=unit, role=role, order=order, starts_on=starts_on, source=source)
                )
            elif (kept.role, kept.order, kept.source) != (role, order, source):
                kept.role, kept.order, kept.source = role, order, source
                changed_assignments.append(kept)
        gone[Assignment] += [a.pk for a in stored.values()]

        matched = _match_targets(targets[row.task.pk], row.targets)
        for order, (fields, target) in enumerate(zip(row.targets, matched, strict=True)):
            values = {name: fields[name] for name in TARGET_FIELDS if name in fields}
            if target is None:
                new_targets.append(Target(task=row.task, order=order, **values))
            elif not _same_target(target, values) or target.order != order:
                for name, value in values.items():
                    setattr(target, name, value)
                target.order = order
                changed_targets.append(target)
        taken = {t.pk for t in matched if t is not None}
        gone[Target] += [t.pk for t in targets[row.task.pk] if t.pk not in taken]

        stored_milestones = {(m.due_on, m.what): m for m in milestones[row.task.pk]}
        for due_on, what in sorted(row.deadlines):
            if stored_milestones.pop((due_on, what), None) is None:
                new_milestones.append(Milestone(task=row.task, due_on=due_on, what=what))
        gone[Milestone] += [m.pk for m in stored_milestones.values()]

    for model, pks in gone.items():
        if pks:
            model.objects.filter(pk__in=pks).delete()
    Assignment.objects.bulk_update(changed_assignments, ["role", "order", "source"])
    Assignment.objects.bulk_create(new_assignments)
    Target.objects.bulk_update(changed_targets, [*TARGET_FIELDS, "order"])
    Milestone.objects.bulk_create(new_milestones)
    return Target.objects.bulk_create(new_targets)


def _goals(document: PlanDocument) -> list[dict]:
    """The plan's own targets (目标任务 / 主要目标) as the plan stores them."""
    return [
        {
            "section": goal.section,
            "text": goal.text,
            "targets": [
                {
                    "metric": t.metric,
                    "op": t.op,
                    "value": None if t.value is None else f"{t.value.normalize():f}",
                    "measure_unit": t.measure_unit or "",
                    "baseline": t.baseline or "",
                    "reduction": t.reduction,
                }
                for t in goal.targets
            ],
            "deadlines": [[d.date.isoformat(), d.what] for d in goal.deadlines],
        }
        for goal in document.goals
    ]


def _parsed_targets(task: ParsedTask) -> list[dict]:
    return [
        {
            "metric": t.metric,
            "op": t.op,
            "value": t.value,
            "measure_unit": t.measure_unit or "",
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
    user: User | None,
    source_name: str,
    source_sha256: str,
    replace: bool,
    dry_run: bool,
) -> ImportResult:
    meta = document.meta
    # A document that does not state its title (it only cites others') is named by its file.
    title = meta.title or PurePath(source_name).stem[:200]
    if not title or not meta.year:
        raise PlanImportError("文件中未找到方案标题或年度，无法导入")
    resolver = _UnitResolver(region)
    with_sources = {t.number: resolver.resolve_with_sources(t) for t in document.tasks}
    resolved = {number: [(u, role) for u, role, _ in found] for number, found in with_sources.items()}
    sources = {number: {u.pk: source for u, _, source in found} for number, found in with_sources.items()}
    incoming = {
        t.number: snapshot_parsed(t, [(u.name, role) for u, role in resolved[t.number]]) for t in document.tasks
    }

    plan = Plan.objects.select_for_update().filter(region=region, year=meta.year, title=title).first()
    created = plan is None
    stored: dict[int, TaskSnapshot] = {}
    tasks: dict[int, Task] = {}
    if plan is None:
        plan = Plan(region=region, title=title, year=meta.year, created_by=user)  # saved below
    else:
        tasks = {t.number: t for t in tasks_with_details(plan.tasks.all())}
        stored = {number: snapshot_task(t) for number, t in tasks.items()}

    result = ImportResult(plan=plan, created=created, dry_run=dry_run)
    result.tasks_added = [n for n in incoming if n not in stored]
    result.tasks_removed = [n for n in stored if n not in incoming]
    result.tasks_changed = {n: changes for n in incoming if n in stored and (changes := diff(stored[n], incoming[n]))}
    result.new_units = resolver.new_units
    result.flagged = [t.number for t in document.tasks if t.review_reasons]
    result.goals_changed = not created and plan.goals != _goals(document)
    if result.unchanged:
        result.new_units = []
        return result
    if not created and not replace:
        result.conflict = True
        raise _RollBack(result)

    plan.doc_number, plan.issuer, plan.issued_on = meta.doc_number, meta.issuer, meta.issued_on
    plan.source_name, plan.source_sha256 = source_name[:255], source_sha256
    plan.goals = _goals(document)
    plan.save()
    sections = _sections(plan, document)

    action = TaskChange.Action.IMPORT if created else TaskChange.Action.REIMPORT
    written = [t for t in document.tasks if t.number in result.tasks_changed or t.number in result.tasks_added]
    for parsed in written:
        task = tasks.setdefault(parsed.number, Task(plan=plan, number=parsed.number))
        task.text = parsed.text
        task.review_reasons = list(parsed.review_reasons)
        task.section = sections[(parsed.section, None)]
        task.subsection = sections[(parsed.section, parsed.subsection)] if parsed.subsection else None
    Task.objects.bulk_create([tasks[n] for n in result.tasks_added])
    Task.objects.bulk_update(
        [tasks[n] for n in result.tasks_changed], ["text", "section", "subsection", "review_reasons"]
    )
    new_targets = _write_details(
        [
            _Details(
                tasks[t.number],
                resolved[t.number],
                _parsed_targets(t),
                [(d.date, d.what) for d in t.deadlines],
                sources[t.number],
            )
            for t in written
        ],
        starts_on=None,  # units the document names answer for the task from the hand-out on
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
    verb, words = ("task.import", "导入") if created else ("task.reimport", "重新导入")
    record_all(
        [
            *(
                entry(
                    user,
                    verb,
                    tasks[t.number],
                    f"{words}任务{t.number}" + _changed_fields(history_row.changes),
                    history_row.changes,
                    label=f"任务{t.number}",
                    plan=plan,
                    task=tasks[t.number],
                )
                for t, history_row in zip(written, history[: len(written)], strict=True)
            ),
            *(
                entry(
                    user,
                    "task.remove",
                    tasks[number],
                    f"重新导入删除任务{number}",
                    diff(stored[number], None),
                    label=f"任务{number}",
                    plan=plan,
                    task=tasks[number],
                )
                for number in result.tasks_removed
            ),
        ]
    )
    record(user, "plan.import", plan, f"{words}方案《{plan.title}》：{result.summary()}", plan=plan)
    Task.objects.filter(pk__in=[tasks[n].pk for n in result.tasks_removed]).delete()
    TaskChange.objects.bulk_create(history)
    plan.sections.filter(tasks__isnull=True, subtasks__isnull=True, children__isnull=True).delete()
    answers = plan_imported.send(sender=Plan, plan=plan, targets=new_targets, user=user)
    result.measured = [measured for _, found in answers for measured in found or []]
    if dry_run:
        raise _RollBack(result)
    return result


def plan_import(
    document: PlanDocument,
    *,
    user: User | None = None,
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

    @classmethod
    def of(cls, task: Task) -> "TaskEdit":
        """The task as it stands (each target row with its id), for an edit to start from."""
        return cls(
            text=task.text,
            units=[(a.unit, a.role) for a in task.assignments.all()],
            targets=[{"id": t.pk, **{name: getattr(t, name) for name in TARGET_FIELDS}} for t in task.targets.all()],
            deadlines=[(m.due_on, m.what) for m in task.milestones.all()],
        )


def _stale_message(task: Task) -> str:
    last = TaskChange.objects.filter(task=task).select_related("user").order_by("-at", "-pk").first()
    if last is None:
        return "该任务在您打开编辑页之后已被修改，您的修改未保存。"
    who = display_name(last.user, "他人")
    at = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M")
    return (
        f"该任务已于 {at} 被{who}修改，您的修改未保存。下面保留了您填写的内容；"
        "请打开任务页核对对方的修改，确认后再次保存将以您的内容为准。"
    )


@transaction.atomic
def task_update(
    *, task: Task, user: User, edit: TaskEdit, request_reason: str | None = None, seen: str | None = None
) -> TaskChange | None:
    """Bring a task's text, owners, targets and deadlines to `edit`; returns the history row, or None if unchanged.

    `seen` is the fingerprint (`task_fingerprint`) of the task as the editor showed it: when the task has changed
    since, the edit is refused (StaleTaskEdit, naming who changed it and when) and nothing is written.

    What did not change is kept as it is (see `_write_details`); a unit added now owes reports from today on.
    `request_reason` is given when the edit carries out a granted change request (调整申请): the history then
    says so, with the request's reason, instead of showing a plain edit.
    """
    plan_changing.send(sender=Plan, plan=task.plan)  # an edit changes what comes next, never a closed period
    task = tasks_with_details(Task.objects.select_for_update(of=("self",)).filter(pk=task.pk))[0]
    before = snapshot_task(task)
    if seen is not None and seen != task_fingerprint(before):
        raise StaleTaskEdit(_stale_message(task))
    if not edit.text.strip():
        raise TaskEditError("任务内容不能为空")
    if not any(role == Assignment.Role.LEAD for _, role in edit.units):
        raise TaskEditError("至少要有一个牵头单位")
    if any(unit.region_id != task.plan.region_id for unit, _ in edit.units):
        raise TaskEditError("责任单位必须属于本行政区")
    task.text = edit.text.strip()
    # Saving the task in the editor is the coordinator's check of what the parser could not read.
    reviewed = list(task.review_reasons)
    task.review_reasons = []
    task.save(update_fields=["text", "review_reasons"])
    _write_details([_Details(task, edit.units, edit.targets, edit.deadlines)], starts_on=today())
    after = snapshot_task(tasks_with_details(Task.objects.filter(pk=task.pk))[0])
    changes = diff(before, after)
    if reviewed:
        changes[REVIEW] = [reviewed, []]
    if not changes:
        return None
    action = TaskChange.Action.EDIT
    if request_reason is not None:
        action = TaskChange.Action.REQUEST
        changes[REASON] = [None, request_reason.strip()]
    record(
        user,
        "task.request" if request_reason is not None else "task.update",
        task,
        ("按批准的调整申请修改" if request_reason is not None else "修改")
        + f"任务{task.number}{_changed_fields(changes)}",
        changes,
        label=f"任务{task.number}",
        plan=task.plan,
        task=task,
    )
    return TaskChange.objects.create(
        plan=task.plan,
        task=task,
        task_number=task.number,
        action=action,
        changes=changes,
        user=user,
    )
