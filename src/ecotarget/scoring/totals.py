"""A unit's total from its items' results, the total converted to 100, grades and rankings.

- Base total: the points and scores of the base items (gap, events, completion, manual) that apply to the unit.
  When those points are not `full` (100) — a township without water sections, a scheme of 90 points — the score
  is converted: score × 100 ÷ points ("总分不同，最后折算为百分制").
- Then bonuses are added and penalties taken off (each item already within its cap), and the result is never
  below zero. Bonuses may take a unit above 100: that is what they are for.
- An item not yet scored (待评分) counts 0 — if the year ended today it would have nothing to be scored on
  (未提供佐证材料的不得分) — and the total says how many there are, their points, and the highest total the unit
  could still reach once they are scored (`ceiling`): the floor and the ceiling, never a figure that looks final.
- A veto makes the grade 不合格 whatever the score, and ranks the unit after the units without one.
- Grades by thresholds (≥ 90 优秀, ≥ 80 良好, ≥ 60 合格, else 不合格 by default); with `top_n`, the first grade also
  needs a rank within the first N of the unit's group, else the unit gets the next grade.
- Rankings per group (departments and townships apart), highest first; equal totals share a rank (1, 1, 3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .items import ItemResult
from .numbers import plain, pts
from .numbers import points as rounded
from .rules import Kind

ZERO = Decimal(0)
HUNDRED = Decimal(100)
FAIL = "不合格"


@dataclass(frozen=True)
class Total:
    base_points: Decimal  # the points of the base items that apply
    base_score: Decimal
    converted: Decimal  # the base score on `full`
    bonus: Decimal
    penalty: Decimal
    final: Decimal
    vetoed: bool
    veto_reasons: tuple[str, ...]
    pending: int  # items not yet scored (counted 0)
    pending_points: Decimal  # the base points of those items
    ceiling: Decimal  # the final total if every pending base item got its full points
    full: Decimal
    working: str

    @property
    def provisional(self) -> bool:
        return self.pending > 0


def total_of(results: Sequence[ItemResult], *, full: Decimal = HUNDRED, places: int = 2) -> Total:
    base = [r for r in results if r.counts_in_base]
    base_points = sum((r.points for r in base), ZERO)
    base_score = sum((r.score for r in base), ZERO)
    bonus = sum((r.score for r in results if r.kind == Kind.BONUS and r.applicable), ZERO)
    penalty = sum((r.score for r in results if r.kind == Kind.PENALTY and r.applicable), ZERO)
    vetoes = tuple(r.working for r in results if r.vetoed)
    pending = sum(1 for r in results if not r.scored and r.applicable)
    pending_points = sum((r.points for r in base if not r.scored), ZERO)

    def on_full(score: Decimal) -> Decimal:
        if base_points == 0:
            return ZERO
        return rounded(score if base_points == full else score * full / base_points, places)

    converted = on_full(base_score)
    final = max(ZERO, converted + bonus - penalty)
    ceiling = max(ZERO, on_full(base_score + pending_points) + bonus - penalty)
    parts = [f"基本分 {pts(base_score)} 分（满分 {plain(base_points)} 分）"]
    if base_points not in (ZERO, full):
        parts.append(f"折算为百分制 {pts(base_score)} × {plain(full)} ÷ {plain(base_points)} = {pts(converted)} 分")
    if bonus:
        parts.append(f"加分 {pts(bonus)} 分")
    if penalty:
        parts.append(f"惩罚性扣分 {pts(penalty)} 分")
    parts.append(f"总分 {pts(final)} 分")
    if vetoes:
        parts.append("一票否决，考核结果为不合格")
    if pending:
        parts.append(f"{pending} 项待评分（共 {plain(pending_points)} 分）按 0 分计，评定后最高 {pts(ceiling)} 分")
    return Total(
        base_points=base_points,
        base_score=base_score,
        converted=converted,
        bonus=bonus,
        penalty=penalty,
        final=final,
        vetoed=bool(vetoes),
        veto_reasons=vetoes,
        pending=pending,
        pending_points=pending_points,
        ceiling=ceiling,
        full=full,
        working="，".join(parts),
    )


@dataclass(frozen=True)
class Grading:
    """Grade bands, best first, each with its lowest total; below the last is `fail`. With `top_n`, the best
    grade also needs a rank within the first `top_n` of the unit's group."""

    bands: tuple[tuple[str, Decimal], ...] = (
        ("优秀", Decimal(90)),
        ("良好", Decimal(80)),
        ("合格", Decimal(60)),
    )
    fail: str = FAIL
    top_n: int | None = None

    def __post_init__(self) -> None:
        lows = [low for _, low in self.bands]
        if not lows or lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
            raise ValueError("等次分数线应从高到低排列且互不相同")
        if self.top_n is not None and self.top_n < 1:
            raise ValueError("优秀名额应为正整数")

    def grade(self, total: Decimal) -> str:
        for name, low in self.bands:
            if total >= low:
                return name
        return self.fail

    def next_below(self, name: str) -> str:
        names = [n for n, _ in self.bands] + [self.fail]
        return names[min(names.index(name) + 1, len(names) - 1)]


@dataclass(frozen=True)
class Standing:
    key: Hashable
    group: str
    total: Total
    rank: int
    of: int  # units in the group
    grade: str
    note: str  # why the grade is not what the score alone gives, or ""


def rank_in_groups(entries: Sequence[tuple[Hashable, str, Total]]) -> dict[Hashable, tuple[int, int]]:
    """Each entry's (rank, size of its group): highest final total first, vetoed units after the rest; equal
    totals (and equal veto) share a rank, and the next rank skips (1, 1, 3)."""
    groups: dict[str, list[tuple[Hashable, Total]]] = defaultdict(list)
    for key, group, total in entries:
        groups[group].append((key, total))
    ranks: dict[Hashable, tuple[int, int]] = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda m: (m[1].vetoed, -m[1].final))
        previous: tuple[bool, Decimal] | None = None
        rank = 0
        for position, (key, total) in enumerate(ordered, start=1):
            here = (total.vetoed, total.final)
            if here != previous:
                rank, previous = position, here
            ranks[key] = (rank, len(ordered))
    return ranks


def standings(entries: Sequence[tuple[Hashable, str, Total]], grading: Grading | None = None) -> list[Standing]:
    """Rank and grade every entry (key, group, total), in group order then rank."""
    grading = grading or Grading()
    ranks = rank_in_groups(entries)
    best = grading.bands[0][0]
    result = []
    for key, group, total in entries:
        rank, size = ranks[key]
        note = ""
        if total.vetoed:
            grade = grading.fail
            if grading.grade(total.final) != grading.fail:
                note = "一票否决，评为" + grading.fail
        else:
            grade = grading.grade(total.final)
            if grade == best and grading.top_n is not None and rank > grading.top_n:
                grade = grading.next_below(best)
                note = f"得分达到{best}，但排名第 {rank}，未进入前 {grading.top_n} 名，评为{grade}"
        result.append(Standing(key=key, group=group, total=total, rank=rank, of=size, grade=grade, note=note))
    order = {group: n for n, group in enumerate(dict.fromkeys(g for _, g, _ in entries))}
    return sorted(result, key=lambda s: (order[s.group], s.rank))
