"""Scoring one item from the facts the caller gathered, with the working as a sentence.

The facts are plain values (a measured value, events counted, a completion state, a reviewer's score); where they
come from — the monitoring data, a task's accepted reports, a reviewer — is the caller's business. An item with
no facts yet is 待评分: it keeps its points and says so; an item that does not apply to a unit leaves the base
total (and the total is converted to 100).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import plain, pts, with_unit
from .numbers import points as rounded
from .rules import (
    BASE_KINDS,
    PER_WORDS,
    Basis,
    Bonus,
    Completion,
    Direction,
    Events,
    Gap,
    Kind,
    Manual,
    Penalty,
    Rule,
    RuleError,
    Steps,
    Veto,
    cap_of,
)

ZERO = Decimal(0)
MONTHS = tuple(range(1, 13))


# --- facts --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """A measured value for a gap rule: the annual value, and for a monthly basis the months' values (None for a
    month without data). `target` is the plan target's value when the rule gives none."""

    value: Decimal | None
    target: Decimal | None = None
    monthly: Sequence[Decimal | None] = ()
    source: str = ""  # where the value comes from, added to the working: "监测数据截至 6月30日"


@dataclass(frozen=True)
class Counted:
    """Events counted by category name; for `annual_cancels`, whether the annual value meets its target."""

    counts: Mapping[str, int]
    annual_met: bool | None = None
    source: str = ""


class State:
    FULL = "full"
    PART = "part"
    NONE = "none"


STATE_WORDS = {State.FULL: "全部完成", State.PART: "部分完成", State.NONE: "未完成"}


@dataclass(frozen=True)
class Done:
    """A work item's completion: full, part (with the percent done) or none, and whether it was late."""

    state: str
    percent: Decimal | None = None
    late: bool = False
    source: str = ""


@dataclass(frozen=True)
class Judged:
    """A reviewer's score and reason (manual items), or a score set over the computed one."""

    score: Decimal
    reason: str


@dataclass(frozen=True)
class Entry:
    """One bonus award or one penalty: its reason and points (None: the rule's points per occurrence)."""

    reason: str
    points: Decimal | None = None


@dataclass(frozen=True)
class Entries:
    entries: Sequence[Entry] = ()


@dataclass(frozen=True)
class Vetoed:
    triggered: bool
    reason: str = ""


@dataclass(frozen=True)
class NotApplicable:
    reason: str = ""


Facts = Measured | Counted | Done | Judged | Entries | Vetoed | NotApplicable


# --- results ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """What an item gives. For a base item `score` is what it keeps of its `points` and `lost` the rest; for a
    bonus `score` is what it adds, for a penalty what it takes (both ≥ 0); a veto has `vetoed`."""

    kind: Kind
    points: Decimal
    score: Decimal
    working: str
    lost: Decimal = ZERO
    vetoed: bool = False
    applicable: bool = True
    scored: bool = True  # False: no facts yet (待评分), the item counts 0 for now
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def counts_in_base(self) -> bool:
        return self.kind in BASE_KINDS and self.applicable


def _base(kind: Kind, full: Decimal, score: Decimal, working: str, places: int) -> ItemResult:
    score = rounded(max(ZERO, min(full, score)), places)
    return ItemResult(kind=kind, points=full, score=score, lost=full - score, working=working)


def _steps(gap: Decimal, rule: Gap) -> Decimal:
    ratio = gap / rule.step
    if rule.steps == Steps.WHOLE:
        return Decimal(math.floor(ratio))
    if rule.steps == Steps.STARTED:
        return Decimal(math.ceil(ratio))
    return ratio


def _gap_of(value: Decimal, target: Decimal, rule: Gap) -> Decimal:
    gap = value - target if rule.direction == Direction.LOWER else target - value
    return max(ZERO, gap)


def _gap_words(gap: Decimal, unit: str) -> str:
    return f"{plain(gap)} 个百分点" if unit in ("%", "％") else plain(gap)


def _target_words(target: Decimal, unit: str) -> str:
    """The target as the working says it: a bare number ("目标 15"), but a share keeps its sign ("目标 98.8%")."""
    return with_unit(target, unit) if unit in ("%", "％") else plain(target)


def _with_source(text: str, source: str) -> str:
    return f"{text}（{source}）" if source else text


def _score_gap(rule: Gap, full: Decimal, facts: Measured, places: int) -> ItemResult:
    if facts.value is None and rule.basis == Basis.ANNUAL:
        return pending(Kind.GAP, full, f"{rule.metric}暂无监测数据，待评分")
    target = rule.target if rule.target is not None else facts.target
    if target is None:
        raise RuleError(f"{rule.metric}没有目标值：请在评分规则中填写，或对应一项有目标值的指标")
    head = f"{rule.metric} {with_unit(facts.value, rule.unit)}" if facts.value is not None else rule.metric
    if rule.basis == Basis.MONTHLY:
        annual_met = facts.value is not None and _gap_of(facts.value, target, rule) == 0
        if rule.annual_cancels and annual_met:
            text = f"{head}，目标 {_target_words(target, rule.unit)}，年均值达到目标，月度不达标不扣分"
            return _base(Kind.GAP, full, full, _with_source(text, facts.source), places)
        missed = []
        total = ZERO
        for month, value in zip(MONTHS, facts.monthly, strict=False):
            if value is None:
                continue
            gap = _gap_of(value, target, rule)
            if gap > 0:
                missed.append(f"{month}月 {plain(value)}（差 {_gap_words(gap, rule.unit)}）")
                total += _steps(gap, rule) * rule.per_step
        if not missed:
            text = f"{head}，目标 {_target_words(target, rule.unit)}，各月均达到目标，不扣分"
            return _base(Kind.GAP, full, full, _with_source(text, facts.source), places)
        deduction = rounded(min(total, full), places)
        capped = "（扣完为止）" if total > full else ""
        text = f"{head}，目标 {_target_words(target, rule.unit)}，{'、'.join(missed)}，扣 {pts(deduction)} 分{capped}"
        return _base(Kind.GAP, full, full - deduction, _with_source(text, facts.source), places)
    assert facts.value is not None
    gap = _gap_of(facts.value, target, rule)
    if gap == 0:
        text = f"{head}，目标 {_target_words(target, rule.unit)}，达到目标，不扣分"
        return _base(Kind.GAP, full, full, _with_source(text, facts.source), places)
    raw = _steps(gap, rule) * rule.per_step
    deduction = rounded(min(raw, full), places)
    capped = "（扣完为止）" if raw > full else ""
    goal = _target_words(target, rule.unit)
    text = f"{head}，目标 {goal}，差 {_gap_words(gap, rule.unit)}，扣 {pts(deduction)} 分{capped}"
    return _base(Kind.GAP, full, full - deduction, _with_source(text, facts.source), places)


def _score_events(rule: Events, full: Decimal, facts: Counted, places: int) -> ItemResult:
    known = {c.name for c in rule.categories}
    unknown = sorted(set(facts.counts) - known)
    if unknown:
        raise RuleError(f"评分规则没有情形“{'、'.join(unknown)}”")
    word = PER_WORDS[rule.per]
    parts = []
    total = ZERO
    for category in rule.categories:
        count = int(facts.counts.get(category.name, 0))
        if count < 0:
            raise RuleError(f"“{category.name}”的次数不能为负数")
        if count:
            amount = category.points * count
            total += amount
            parts.append(f"{category.name} {count} {word} × {pts(category.points)} 分 = {pts(amount)} 分")
    if not parts:
        text = "未发生扣分情形，不扣分"
        return _base(Kind.EVENTS, full, full, _with_source(text, facts.source), places)
    listed = "；".join(parts)
    if rule.annual_cancels and facts.annual_met:
        text = f"{listed}；年均值达到目标，月度扣分不计，不扣分"
        return _base(Kind.EVENTS, full, full, _with_source(text, facts.source), places)
    cap = cap_of(rule, full)
    limit = full if cap is None else cap
    deduction = rounded(min(total, limit), places)
    if total > limit:
        why = "扣完为止" if limit == full else f"上限 {pts(limit)} 分"
        text = f"{listed}；合计 {pts(total)} 分，{why}，扣 {pts(deduction)} 分"
    elif len(parts) > 1:
        text = f"{listed}；合计扣 {pts(deduction)} 分"
    else:
        text = f"{listed}，扣 {pts(deduction)} 分"
    return _base(Kind.EVENTS, full, full - deduction, _with_source(text, facts.source), places)


def _score_completion(rule: Completion, full: Decimal, facts: Done, places: int) -> ItemResult:
    if facts.state == State.FULL:
        share, head = Decimal(100), "全部完成"
    elif facts.state == State.NONE:
        share, head = ZERO, "未完成"
    elif facts.state == State.PART:
        if facts.percent is None or not ZERO <= facts.percent <= 100:
            raise RuleError("部分完成应给出 0～100 的完成比例")
        share, head = facts.percent, f"部分完成（{plain(facts.percent)}%）"
    else:
        raise RuleError(f"未知的完成情况“{facts.state}”")
    earned = rounded(full * share / 100, places)
    text = f"{head}，得 {pts(earned)} 分（满分 {pts(full)} 分）" if facts.state == State.PART else head
    if facts.state == State.FULL:
        text += f"，得 {pts(full)} 分"
    elif facts.state == State.NONE:
        text += "，不得分"
    if facts.late and rule.late and facts.state != State.NONE:
        after = max(ZERO, earned - rule.late)
        text += f"；逾期完成，扣 {pts(rule.late)} 分，得 {pts(after)} 分"
        earned = after
    elif facts.late and facts.state != State.NONE:
        text += "；逾期完成"
    return _base(Kind.COMPLETION, full, earned, _with_source(text, facts.source), places)


def _judged(kind: Kind, full: Decimal, facts: Judged, places: int) -> ItemResult:
    if not facts.reason.strip():
        raise RuleError("评分应写明理由")
    if not ZERO <= facts.score <= full:
        raise RuleError(f"得分应在 0～{pts(full)} 分之间，而不是 {plain(facts.score)}")
    score = rounded(facts.score, places)
    return _base(kind, full, score, f"评定 {pts(score)} 分（满分 {pts(full)} 分）：{facts.reason.strip()}", places)


def _entries(rule: Bonus | Penalty, full: Decimal, facts: Entries, places: int) -> ItemResult:
    verb = "加" if isinstance(rule, Bonus) else "扣"
    parts = []
    total = ZERO
    for entry in facts.entries:
        amount = entry.points if entry.points is not None else getattr(rule, "each", None)
        if amount is None:
            raise RuleError(f"“{entry.reason}”没有分值")
        if amount < 0:
            raise RuleError(f"“{entry.reason}”的分值不能为负数")
        total += amount
        parts.append(f"{entry.reason} {verb} {pts(amount)} 分")
    kind = rule.kind
    if not parts:
        none = "无加分情形" if kind == Kind.BONUS else "无扣分情形"
        return ItemResult(kind=kind, points=full, score=ZERO, working=none)
    cap = cap_of(rule, full)
    amount = total if cap is None else min(total, cap)
    amount = rounded(amount, places)
    listed = "；".join(parts)
    if cap is not None and total > cap:
        text = f"{listed}；合计 {pts(total)} 分，上限 {pts(cap)} 分，{verb} {pts(amount)} 分"
    elif len(parts) > 1:
        text = f"{listed}；合计{verb} {pts(amount)} 分"
    else:
        text = listed
    return ItemResult(kind=kind, points=full, score=amount, working=text)


def pending(kind: Kind, full: Decimal, working: str = "待评分") -> ItemResult:
    """An item without facts yet: it counts 0 until it is scored ("if the year ended today" it would have
    nothing to be scored on: 未提供佐证材料的不得分) and says so; the total tells what it could still add."""
    return ItemResult(kind=kind, points=full, score=ZERO, working=working, scored=False)


def score_item(rule: Rule, points: Decimal, facts: Facts | None, *, places: int = 2) -> ItemResult:
    """The item's result from its rule, its points and the facts (None: not yet known). A reviewer's `Judged`
    score replaces any base rule's computation; RuleError when the facts do not fit the rule."""
    kind = rule.kind
    if isinstance(facts, NotApplicable):
        why = f"：{facts.reason}" if facts.reason else ""
        return ItemResult(kind=kind, points=points, score=ZERO, working=f"不适用{why}", applicable=False)
    if facts is None:
        return pending(kind, points)
    if isinstance(rule, Veto):
        if not isinstance(facts, Vetoed):
            raise RuleError("一票否决条目应给出是否发生")
        if facts.triggered:
            reason = facts.reason.strip() or "发生一票否决情形"
            return ItemResult(
                kind=kind, points=points, score=ZERO, working=f"一票否决：{reason}，考核结果为不合格", vetoed=True
            )
        return ItemResult(kind=kind, points=points, score=ZERO, working="未发生一票否决情形")
    if isinstance(rule, Bonus | Penalty):
        if not isinstance(facts, Entries):
            raise RuleError(f"{kind.label}条目应给出各项情形")
        return _entries(rule, points, facts, places)
    if isinstance(facts, Judged):
        return _judged(kind, points, facts, places)
    if isinstance(rule, Gap) and isinstance(facts, Measured):
        return _score_gap(rule, points, facts, places)
    if isinstance(rule, Events) and isinstance(facts, Counted):
        return _score_events(rule, points, facts, places)
    if isinstance(rule, Completion) and isinstance(facts, Done):
        return _score_completion(rule, points, facts, places)
    if isinstance(rule, Manual):
        raise RuleError("评审打分条目应给出得分和理由")
    raise RuleError(f"{kind.label}条目不能按“{type(facts).__name__}”评分")
