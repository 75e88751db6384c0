"""Business actions on assessments, one function each: import a 评分细则 (after its preview), copy a scheme to
the next year, change an item, compute and keep the scores, record a reviewer's finding. Each validates, writes
in one transaction and records itself in the action log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.core.errors import Refusal
from ecotarget.organisation.access import (
    may_approve_assessment,
    may_run_assessment,
    may_self_assess,
    member_of,
)
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Target, Task
from ecotarget.plans.selectors import plan_units
from ecotarget.progress.models import Evidence
from ecotarget.progress.rules import is_group
from ecotarget.scoring import rules
from ecotarget.scoring.items import Judged, score_item

from . import proposals, selectors
from .models import Assessment, ItemScore, Scheme, SchemeItem, SchemePart, ScoreChange
from .workbook import ParsedScheme


class AssessmentRefused(Refusal):
    """The assessment action cannot be done as asked; the message says why."""


# Every service asks the access policy itself (not only the view in front of it): a command, a job or another
# service calling it gets the same answer as the page.


def _member(user: User | None):
    membership = member_of(user) if user is not None else None
    if membership is None:
        raise AssessmentRefused("您的账号尚未分配行政区和角色")
    return membership


def _require_own_unit(user: User | None, assessment: Assessment) -> None:
    if not may_self_assess(_member(user), assessment.unit_id):
        raise AssessmentRefused("只能由本单位填报员填写本单位的自评")


def _require_office(user: User | None, region_id: int) -> None:
    if not may_run_assessment(_member(user), region_id):
        raise AssessmentRefused("仅本行政区的考核办（管理员）可以进行此操作")


@dataclass
class ImportPreview:
    parsed: ParsedScheme
    proposals: list[list[proposals.ItemProposal]]

    @property
    def errors(self) -> list[str]:
        return self.parsed.errors + [p.error for part in self.proposals for p in part if p.error]

    @property
    def notes(self) -> list[str]:
        return [note for part in self.proposals for p in part for note in p.notes]

    @property
    def total_points(self) -> Decimal:
        kinds = {k.value for k in rules.BASE_KINDS}
        return sum((p.points for part in self.proposals for p in part if p.kind in kinds), Decimal(0))


def scheme_preview(*, parsed: ParsedScheme, plan: Plan) -> ImportPreview:
    """What importing the parsed workbook into the plan would write (nothing is written)."""
    return ImportPreview(parsed=parsed, proposals=proposals.propose(parsed, plan))


def _assessed_units(plan: Plan) -> list[Unit]:
    return [u for u in plan_units(plan) if not is_group(u)]


def _ensure_assessments(scheme: Scheme) -> int:
    """One assessment per assessed party: every unit holding tasks of the plan (county level), or the county."""
    existing = set(scheme.assessments.values_list("unit_id", flat=True))
    if scheme.level == Scheme.Level.CITY:
        wanted: list[Unit | None] = [None]
    else:
        wanted = list(_assessed_units(scheme.plan))
    new = [Assessment(scheme=scheme, unit=u) for u in wanted if (u.pk if u else None) not in existing]
    Assessment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def scheme_import(
    *, plan: Plan, parsed: ParsedScheme, title: str, level: str, user: User | None, source_name: str = ""
) -> Scheme:
    """Create the plan's scheme of `level` from a previewed 评分细则, with the proposed rules, units, tasks and
    targets, and an assessment per assessed party. Refused while the preview shows errors, or when the plan
    already has a scheme of that level (change that one, or remove it first)."""
    _require_office(user, plan.region_id)
    if level not in Scheme.Level.values:
        raise AssessmentRefused(f"未知的考核层级：{level}")
    title = title.strip()
    if not title:
        raise AssessmentRefused("请填写考核方案标题")
    preview = scheme_preview(parsed=parsed, plan=plan)
    if preview.errors:
        raise AssessmentRefused("评分细则有误，未导入：" + "；".join(preview.errors[:10]))
    if Scheme.objects.filter(plan=plan, level=level).exists():
        raise AssessmentRefused(f"{plan.year}年已有{Scheme.Level(level).label}的考核方案")
    scheme = Scheme.objects.create(plan=plan, level=level, title=title, source_name=source_name, created_by=user)
    count = 0
    for order, (part, items) in enumerate(zip(parsed.parts, preview.proposals, strict=True), start=1):
        stored = SchemePart.objects.create(scheme=scheme, number=part.number, title=part.title, order=order)
        for position, proposal in enumerate(items, start=1):
            item = SchemeItem.objects.create(
                part=stored,
                number=proposal.row.number or str(position),
                content=proposal.row.content,
                points=proposal.points,
                standard=proposal.row.standard,
                kind=proposal.kind,
                params=proposal.params,
                order=position,
            )
            item.lead_units.set(proposal.lead_ids)
            item.units.set(proposal.unit_ids)
            item.tasks.set(proposal.task_ids)
            item.targets.set(proposal.target_ids)
            count += 1
    _ensure_assessments(scheme)
    record(
        user,
        "scheme.import",
        scheme,
        f"导入考核方案“{title}”：{len(parsed.parts)} 个部分、{count} 个条目",
        plan=plan,
    )
    return scheme


@transaction.atomic
def scheme_copy(*, scheme: Scheme, plan: Plan, user: User | None) -> Scheme:
    """Copy the scheme's parts and items to another plan (next year's): rules, points and units carry over;
    tasks and targets are mapped again to the new plan's by their numbers and metrics, where they match."""
    _require_office(user, scheme.plan.region_id)
    if plan.pk == scheme.plan_id:
        raise AssessmentRefused("请选择另一年度的方案")
    if plan.region_id != scheme.plan.region_id:
        raise AssessmentRefused("只能复制到本行政区的方案")
    if Scheme.objects.filter(plan=plan, level=scheme.level).exists():
        raise AssessmentRefused(f"{plan.year}年已有{scheme.get_level_display()}的考核方案")
    title = scheme.title.replace(str(scheme.plan.year), str(plan.year))
    if title == scheme.title:
        title = f"{plan.year}年 {scheme.title}"
    copy = Scheme.objects.create(
        plan=plan,
        level=scheme.level,
        title=title,
        full=scheme.full,
        places=scheme.places,
        grades=scheme.grades,
        top_n=scheme.top_n,
        source_name=scheme.source_name,
        created_by=user,
    )
    tasks = {t.number: t for t in Task.objects.filter(plan=plan)}
    targets = {(t.task.number, t.metric): t for t in Target.objects.filter(task__plan=plan).select_related("task")}
    for part in selectors.scheme_tree(scheme):
        new_part = SchemePart.objects.create(scheme=copy, number=part.number, title=part.title, order=part.order)
        for item in part.items.all():
            new_item = SchemeItem.objects.create(
                part=new_part,
                number=item.number,
                content=item.content,
                points=item.points,
                standard=item.standard,
                kind=item.kind,
                params=item.params,
                order=item.order,
            )
            new_item.lead_units.set(item.lead_units.all())
            new_item.units.set(item.units.all())
            new_item.tasks.set([tasks[t.number] for t in item.tasks.all() if t.number in tasks])
            found = [targets.get((t.task.number, t.metric)) for t in item.targets.all()]
            new_item.targets.set([t for t in found if t is not None])
    _ensure_assessments(copy)
    record(user, "scheme.copy", copy, f"由{scheme.plan.year}年“{scheme.title}”复制", plan=plan)
    return copy


@transaction.atomic
def scheme_item_update(
    *,
    item: SchemeItem,
    user: User | None,
    points: Decimal,
    kind: str,
    params: dict,
    content: str | None = None,
    standard: str | None = None,
    task_ids: list[int] | None = None,
    target_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
) -> SchemeItem:
    """Change an item's points, rule and mappings; the rule is checked by the scoring core before it is kept."""
    plan = item.part.scheme.plan
    _require_office(user, plan.region_id)
    if item.part.scheme.approved_at is not None:
        raise AssessmentRefused("考核结果已审批发布，评分细则不能再修改")
    try:
        rule = rules.parse_rule(kind, params, points=points)
    except rules.RuleError as error:
        raise AssessmentRefused(f"第{item.number}项：{error}") from None
    before = {"分值": str(item.points), "评分方式": item.kind, "评分参数": item.params}
    item.points, item.kind, item.params = points, kind, rules.params_of(rule)
    if content is not None:
        if not content.strip():
            raise AssessmentRefused("考核内容不能为空")
        item.content = content.strip()
    if standard is not None:
        item.standard = standard.strip()
    item.save()
    if task_ids is not None:
        item.tasks.set(Task.objects.filter(plan=plan, pk__in=task_ids))
    if target_ids is not None:
        item.targets.set(Target.objects.filter(task__plan=plan, pk__in=target_ids))
    if unit_ids is not None:
        item.units.set(Unit.objects.filter(region_id=plan.region_id, pk__in=unit_ids))
    after = {"分值": str(item.points), "评分方式": item.kind, "评分参数": item.params}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    record(user, "scheme_item.update", item, f"修改考核条目 {item.number}", changes, plan=plan)
    return item


FACT_KEYS = {
    rules.Kind.GAP: {"value", "target"},
    rules.Kind.EVENTS: {"counts", "annual_met"},
    rules.Kind.COMPLETION: {"state", "percent", "late"},
    rules.Kind.MANUAL: set(),
    rules.Kind.BONUS: {"entries"},
    rules.Kind.PENALTY: {"entries"},
    rules.Kind.VETO: {"vetoed", "reason"},
}


@transaction.atomic
def item_review(
    *,
    assessment: Assessment,
    item: SchemeItem,
    user: User | None,
    score: Decimal | None = None,
    reason: str = "",
    facts: dict | None = None,
) -> ItemScore:
    """The reviewer's word on one item: a score with its reason (over whatever the system computed), and/or the
    findings the item is scored on (events counted, bonus or penalty entries, a veto, a completion judgement).
    Checked by scoring the item with them before anything is kept."""
    assessment = _locked(assessment)  # its state as stored, not as the caller last read it
    _require_office(user, assessment.scheme.plan.region_id)
    if item.part.scheme_id != assessment.scheme_id:
        raise AssessmentRefused("该条目不属于此考核方案")
    if assessment.state == Assessment.State.PUBLISHED:
        raise AssessmentRefused("考核结果已发布，如需修改请使用“发布后变更”并写明理由")
    kind = rules.Kind(item.kind)
    facts = facts or {}
    unknown = set(facts) - FACT_KEYS[kind] - {"not_applicable", "reason"}
    if unknown:
        raise AssessmentRefused(f"{kind.label}条目不接受“{'、'.join(sorted(unknown))}”")
    if score is not None and not reason.strip():
        raise AssessmentRefused("审核评分应写明理由")
    row, _ = ItemScore.objects.select_for_update().order_by("pk").get_or_create(assessment=assessment, item=item)
    before = {"审核得分": str(row.reviewed_score) if row.reviewed_score is not None else "", "核实情况": row.facts}
    row.reviewed_score = score
    row.review_reason = reason.strip()
    row.facts = facts
    try:
        rule = item.rule()
        found = selectors.facts_for(item, rule, row, {}, {}, clock.today())
        if found is not None:
            score_item(rule, item.points, found, places=assessment.scheme.places)
    except rules.RuleError as error:
        raise AssessmentRefused(f"第{item.number}项：{error}") from None
    row.reviewed_by, row.reviewed_at = user, clock.now()
    row.save()
    if assessment.state == Assessment.State.SUBMITTED:
        assessment.state = Assessment.State.REVIEWING
        assessment.save(update_fields=["state"])
    after = {"审核得分": str(row.reviewed_score) if row.reviewed_score is not None else "", "核实情况": row.facts}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    plan = assessment.scheme.plan
    record(
        user,
        "item_score.review",
        row,
        f"审核 {assessment.party} 第{item.number}项",
        changes,
        plan=plan,
        unit=assessment.unit_id,
    )
    return row


@transaction.atomic
def assessment_compute(*, scheme: Scheme, user: User | None, day: date | None = None) -> selectors.Results:
    """Score every assessment of the scheme as of `day` (today) and keep the results: each item's score and
    working, each party's total, grade and rank. Before the year is over they are kept as provisional."""
    _require_office(user, scheme.plan.region_id)
    return _keep_results(scheme, user, day)


def _keep_results(scheme: Scheme, user: User | None, day: date | None = None) -> selectors.Results:
    """`assessment_compute` once its caller is known to be allowed (the office, or the leaders approving)."""
    _ensure_assessments(scheme)
    result = selectors.results(scheme, day)
    existing = {
        (r.assessment_id, r.item_id): r
        for r in ItemScore.objects.select_for_update().filter(assessment__scheme=scheme).order_by("pk")
    }
    new_rows, changed_rows, changed_assessments = [], [], []
    now = clock.now()
    for sheet in result.sheets:
        for line in sheet.lines:
            row = existing.get((sheet.assessment.pk, line.item.pk))
            if row is None:
                row = ItemScore(assessment=sheet.assessment, item=line.item)
                new_rows.append(row)
            else:
                changed_rows.append(row)
            row.score = line.result.score if line.result.scored else None
            row.lost = line.lost
            row.working = line.result.working
        assessment = sheet.assessment
        assert sheet.standing is not None
        assessment.total = sheet.total.final
        assessment.grade = sheet.standing.grade
        assessment.rank = sheet.standing.rank
        assessment.working = sheet.total.working[:500]
        assessment.provisional = result.provisional or sheet.total.provisional
        assessment.computed_on = result.day
        assessment.computed_at = now
        changed_assessments.append(assessment)
    ItemScore.objects.bulk_create(new_rows)
    ItemScore.objects.bulk_update(changed_rows, ["score", "lost", "working"])
    Assessment.objects.bulk_update(
        changed_assessments, ["total", "grade", "rank", "working", "provisional", "computed_on", "computed_at"]
    )
    label = "（预估）" if result.provisional else ""
    record(
        user,
        "assessment.compute",
        scheme,
        f"计算考核得分{label}：{len(result.sheets)} 个被考核单位，数据截至 {result.day:%Y-%m-%d}",
        plan=scheme.plan,
    )
    return result


# --- the year's steps: 自查自评 → 审核 → 审批 → 发布 ------------------------------------------------------------


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",)).select_related("scheme__plan", "unit").get(pk=assessment.pk)
    )


@transaction.atomic
def self_score_save(
    *,
    assessment: Assessment,
    item: SchemeItem,
    user: User | None,
    score: Decimal | None,
    note: str,
    evidence_ids: list[int] | None = None,
) -> ItemScore:
    """The unit's own score of one item, with its note and evidence from its progress reports, while 自评中."""
    assessment = _locked(assessment)
    _require_own_unit(user, assessment)
    if assessment.state != Assessment.State.SELF:
        raise AssessmentRefused(f"自评已{assessment.get_state_display()}，不能再修改")
    if item.part.scheme_id != assessment.scheme_id:
        raise AssessmentRefused("该条目不属于此考核方案")
    named = set(item.units.values_list("pk", flat=True))
    if named and assessment.unit_id not in named:
        raise AssessmentRefused(f"第{item.number}项不考核{assessment.party}")
    if score is not None and not Decimal(0) <= score <= item.points:
        raise AssessmentRefused(f"第{item.number}项自评得分应在 0～{item.points.normalize():f} 分之间")
    row, _ = ItemScore.objects.select_for_update().order_by("pk").get_or_create(assessment=assessment, item=item)
    before = {"自评得分": str(row.self_score or ""), "自评说明": row.self_note}
    row.self_score, row.self_note = score, note.strip()
    row.self_by, row.self_at = user, clock.now()
    row.save()
    if evidence_ids is not None:
        assert assessment.unit_id is not None  # a unit's reporter: `_require_own_unit`
        # Only the unit's own evidence, from its reports on the plan, can back its self-assessment.
        row.evidence.set(
            Evidence.objects.filter(
                pk__in=evidence_ids,
                report__unit_id=assessment.unit_id,
                report__task__plan_id=assessment.scheme.plan_id,
                removed_at__isnull=True,
            )
        )
    after = {"自评得分": str(row.self_score or ""), "自评说明": row.self_note}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    record(
        user,
        "item_score.self",
        row,
        f"{assessment.party} 自评第{item.number}项",
        changes,
        plan=assessment.scheme.plan,
        unit=assessment.unit_id,
    )
    return row


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User | None, report: str) -> Assessment:
    """Submit the unit's self-assessment with its written 自评报告; after the scheme's deadline it is marked late."""
    assessment = _locked(assessment)
    _require_own_unit(user, assessment)
    if assessment.state != Assessment.State.SELF:
        raise AssessmentRefused(f"自评已{assessment.get_state_display()}")
    if not report.strip():
        raise AssessmentRefused("请填写自评报告")
    due = assessment.scheme.self_due_on
    assessment.self_report = report.strip()
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = clock.now(), user
    assessment.submitted_late = due is not None and clock.today() > due
    assessment.returned_reason = ""
    assessment.save()
    late = "（逾期）" if assessment.submitted_late else ""
    record(
        user,
        "assessment.submit",
        assessment,
        f"{assessment.party} 提交自评{late}",
        plan=assessment.scheme.plan,
        unit=assessment.unit_id,
    )
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, user: User | None, reason: str) -> Assessment:
    """Send a submitted self-assessment back to the unit with the reason."""
    assessment = _locked(assessment)
    _require_office(user, assessment.scheme.plan.region_id)
    if assessment.state not in (Assessment.State.SUBMITTED, Assessment.State.REVIEWING):
        raise AssessmentRefused(f"{assessment.get_state_display()}的考核不能退回")
    if not reason.strip():
        raise AssessmentRefused("请写明退回理由")
    assessment.state = Assessment.State.SELF
    assessment.returned_reason = reason.strip()
    assessment.save()
    record(
        user,
        "assessment.return",
        assessment,
        f"退回 {assessment.party} 的自评：{reason.strip()}",
        plan=assessment.scheme.plan,
        unit=assessment.unit_id,
    )
    return assessment


@transaction.atomic
def assessment_review_done(*, assessment: Assessment, user: User | None) -> Assessment:
    """The reviewer has checked every item: the assessment waits for the leaders' approval."""
    assessment = _locked(assessment)
    _require_office(user, assessment.scheme.plan.region_id)
    if assessment.state not in (Assessment.State.SUBMITTED, Assessment.State.REVIEWING):
        raise AssessmentRefused("单位提交自评后才能完成审核")
    # An item left unscored would be published as 0 without anyone deciding so: the office scores it first
    # (0 with a reason, when that is the finding).
    sheet = selectors.results(assessment.scheme, only=assessment).sheet_of(assessment.pk)
    assert sheet is not None  # `only` keeps this assessment's sheet
    waiting = [line.item.number for line in sheet.lines if not line.result.scored and line.result.applicable]
    if waiting:
        raise AssessmentRefused(f"第{'、'.join(waiting)}项尚待评分，请先评定后再完成审核")
    assessment.state = Assessment.State.APPROVAL
    assessment.save()
    record(
        user,
        "assessment.review_done",
        assessment,
        f"{assessment.party} 审核完成，提交审批",
        plan=assessment.scheme.plan,
        unit=assessment.unit_id,
    )
    return assessment


@transaction.atomic
def scheme_approve(*, scheme: Scheme, user: User | None) -> selectors.Results:
    """The leaders approve the year's results: once the year is over and every assessment is reviewed, the
    scores are computed a last time, kept, and published to the units; later changes are refused."""
    membership = _member(user)
    if not may_approve_assessment(membership, scheme.plan.region_id):
        raise AssessmentRefused("仅县领导可以审批考核结果")
    if clock.today() <= selectors.year_end(scheme):
        raise AssessmentRefused(f"{scheme.plan.year}年度尚未结束，考核结果只能是预估，不能审批发布")
    waiting = list(scheme.assessments.exclude(state=Assessment.State.APPROVAL).select_related("unit"))
    if waiting:
        names = "、".join(a.party for a in waiting[:5]) + ("等" if len(waiting) > 5 else "")
        raise AssessmentRefused(f"还有 {len(waiting)} 个单位未完成审核：{names}")
    result = _keep_results(scheme, user)
    now = clock.now()
    scheme.assessments.update(state=Assessment.State.PUBLISHED, published_at=now)
    scheme.approved_at, scheme.approved_by = now, user
    scheme.save(update_fields=["approved_at", "approved_by"])
    record(user, "scheme.approve", scheme, f"审批并发布{scheme.plan.year}年度考核结果", plan=scheme.plan)
    return result


@transaction.atomic
def published_score_change(
    *, assessment: Assessment, item: SchemeItem, user: User | None, score: Decimal, reason: str
) -> ScoreChange:
    """Change one item's score after the results were published (an error found, an appeal upheld): the office
    gives the new score and the reason, both kept with who and when (shown on the unit's sheet); the scheme's
    totals, grades and ranks are computed again and kept, so the ranking follows."""
    assessment = _locked(assessment)
    _require_office(user, assessment.scheme.plan.region_id)
    if item.part.scheme_id != assessment.scheme_id:
        raise AssessmentRefused("该条目不属于此考核方案")
    if assessment.state != Assessment.State.PUBLISHED:
        raise AssessmentRefused("考核结果尚未发布，请在审核中修改")
    reason = reason.strip()
    if not reason:
        raise AssessmentRefused("发布后变更得分须写明理由")
    if rules.Kind(item.kind) not in rules.BASE_KINDS:
        raise AssessmentRefused(f"第{item.number}项是{item.kind_label}条目，发布后只能变更基本分条目的得分")
    try:
        score_item(item.rule(), item.points, Judged(score, reason), places=assessment.scheme.places)
    except rules.RuleError as error:
        raise AssessmentRefused(f"第{item.number}项：{error}") from None
    row, _ = ItemScore.objects.select_for_update().order_by("pk").get_or_create(assessment=assessment, item=item)
    if row.score is not None and row.score == score:
        raise AssessmentRefused(f"第{item.number}项已是 {score.normalize():f} 分")
    change = ScoreChange(
        assessment=assessment,
        item=item,
        before=row.score,
        after=score,
        total_before=assessment.total,
        grade_before=assessment.grade,
        reason=reason,
        changed_by=user,
        changed_at=clock.now(),
    )
    row.reviewed_score, row.review_reason = score, reason
    row.reviewed_by, row.reviewed_at = user, change.changed_at
    row.save()
    _keep_results(assessment.scheme, user)
    assessment.refresh_from_db(fields=["total", "grade", "rank"])
    change.total_after, change.grade_after = assessment.total, assessment.grade
    change.save()
    changes = {
        "得分": [str(change.before or ""), str(score)],
        "总分": [str(change.total_before or ""), str(assessment.total)],
    }
    if change.grade_before != change.grade_after:
        changes["等次"] = [change.grade_before, change.grade_after]
    record(
        user,
        "item_score.change",
        row,
        f"发布后变更 {assessment.party} 第{item.number}项得分：{reason}",
        changes,
        plan=assessment.scheme.plan,
        unit=assessment.unit_id,
    )
    return change
