"""The kinds of scoring rule, their parameters (checked when a scheme is written, never when it is scored) and
the rule in words, as a scheme page shows it.

A rule is stored as its kind and a small JSON object of parameters (`params_of` writes it, `parse_rule` reads and
checks it); decimals are kept as text in JSON so that 0.1 stays 0.1.

- gap (按差距扣分): a measured value against its target, lower-is-better (PM2.5) or higher-is-better (优良天数比例):
  every `step` of gap loses `per_step` points, counted in proportion (default), by whole steps, or any started
  step as a whole; never more than the item's points (扣完为止). On a monthly basis each month's value is compared
  with the target and the deductions add up; `annual_cancels` drops them when the annual value meets the target.
- events (按次扣分): counted events, per month (月次) or per occurrence (次), each category with its points,
  up to a cap (the item's points at most); `annual_cancels` as above.
- completion (按完成情况): full points when done, part in proportion, none when not; `late` points off when late.
- manual (评审打分): the reviewer gives a score and a reason.
- bonus (加分) and penalty (惩罚性扣分): added to or taken from the total after it is converted to 100, each up to
  its cap (`cap`, else the item's points).
- veto (一票否决): when it happens the unit's grade is 不合格 whatever its score.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .numbers import plain, with_unit


class Kind(enum.StrEnum):
    GAP = "gap"
    EVENTS = "events"
    COMPLETION = "completion"
    MANUAL = "manual"
    BONUS = "bonus"
    PENALTY = "penalty"
    VETO = "veto"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.GAP: "按差距扣分",
    Kind.EVENTS: "按次扣分",
    Kind.COMPLETION: "按完成情况评分",
    Kind.MANUAL: "评审打分",
    Kind.BONUS: "加分",
    Kind.PENALTY: "惩罚性扣分",
    Kind.VETO: "一票否决",
}
# Items whose points make up the base total (the rest are added, taken off, or decide the grade alone).
BASE_KINDS = frozenset({Kind.GAP, Kind.EVENTS, Kind.COMPLETION, Kind.MANUAL})


class RuleError(ValueError):
    """A rule's parameters that cannot be scored; the message names the field and is shown to the user."""


class Direction(enum.StrEnum):
    LOWER = "lower"  # lower is better: a concentration
    HIGHER = "higher"  # higher is better: a share of good days


class Steps(enum.StrEnum):
    PROPORTIONAL = "proportional"  # a gap of 1.5 steps loses 1.5 × the points
    WHOLE = "whole"  # only complete steps count: 1.5 → 1
    STARTED = "started"  # a started step counts whole: 1.5 → 2


class Basis(enum.StrEnum):
    ANNUAL = "annual"
    MONTHLY = "monthly"


class Per(enum.StrEnum):
    MONTH = "month"
    OCCURRENCE = "occurrence"


PER_WORDS = {Per.MONTH: "月次", Per.OCCURRENCE: "次"}


@dataclass(frozen=True)
class Gap:
    metric: str
    direction: Direction
    step: Decimal
    per_step: Decimal
    target: Decimal | None = None  # None: the caller gives it (the mapped plan target's value)
    unit: str = ""
    steps: Steps = Steps.PROPORTIONAL
    basis: Basis = Basis.ANNUAL
    annual_cancels: bool = False
    kind: Kind = Kind.GAP


@dataclass(frozen=True)
class Category:
    name: str
    points: Decimal


@dataclass(frozen=True)
class Events:
    categories: tuple[Category, ...]
    per: Per = Per.OCCURRENCE
    cap: Decimal | None = None
    annual_cancels: bool = False
    kind: Kind = Kind.EVENTS


@dataclass(frozen=True)
class Completion:
    late: Decimal = Decimal(0)
    kind: Kind = Kind.COMPLETION


@dataclass(frozen=True)
class Manual:
    kind: Kind = Kind.MANUAL


@dataclass(frozen=True)
class Bonus:
    cap: Decimal | None = None
    kind: Kind = Kind.BONUS


@dataclass(frozen=True)
class Penalty:
    each: Decimal | None = None  # points per occurrence, when the scheme fixes them
    cap: Decimal | None = None
    kind: Kind = Kind.PENALTY


@dataclass(frozen=True)
class Veto:
    kind: Kind = Kind.VETO


Rule = Gap | Events | Completion | Manual | Bonus | Penalty | Veto


# --- reading and writing parameters -----------------------------------------------------------------------------


def _decimal(params: Mapping[str, object], name: str, label: str, *, required: bool = True, positive: bool = True):
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise RuleError(f"缺少{label}（{name}）")
        return None
    if isinstance(value, bool | float):
        value = str(value) if isinstance(value, float) else value
        if isinstance(value, bool):
            raise RuleError(f"{label}（{name}）应为数字")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise RuleError(f"{label}（{name}）应为数字，而不是“{value}”") from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise RuleError(f"{label}（{name}）应为{'正数' if positive else '非负数'}，而不是“{value}”")
    return number


def _choice(params: Mapping[str, object], name: str, label: str, enum_type, default):
    value = params.get(name, default)
    try:
        return enum_type(value)
    except ValueError:
        allowed = "、".join(m.value for m in enum_type)
        raise RuleError(f"{label}（{name}）应为 {allowed} 之一，而不是“{value}”") from None


def _flag(params: Mapping[str, object], name: str, label: str) -> bool:
    value = params.get(name, False)
    if not isinstance(value, bool):
        raise RuleError(f"{label}（{name}）应为 true 或 false")
    return value


def _text(params: Mapping[str, object], name: str, label: str, *, required: bool = False) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise RuleError(f"{label}（{name}）应为文字")
    value = value.strip()
    if required and not value:
        raise RuleError(f"缺少{label}（{name}）")
    return value


def parse_rule(kind: str, params: Mapping[str, object] | None, *, points: Decimal) -> Rule:
    """The rule of an item from its stored kind and parameters; RuleError names what is wrong."""
    params = params or {}
    if not isinstance(params, Mapping):
        raise RuleError("评分规则参数应为对象")
    try:
        kind = Kind(kind)
    except ValueError:
        raise RuleError(f"未知的评分方式“{kind}”") from None
    if points < 0:
        raise RuleError("分值不能为负数")
    if kind in BASE_KINDS and points == 0:
        raise RuleError(f"{kind.label}的条目应有分值")
    if kind == Kind.GAP:
        return Gap(
            metric=_text(params, "metric", "指标名称", required=True),
            direction=_choice(params, "direction", "方向", Direction, None),
            step=_decimal(params, "step", "差距步长"),
            per_step=_decimal(params, "per_step", "每步扣分"),
            target=_decimal(params, "target", "目标值", required=False, positive=False),
            unit=_text(params, "unit", "计量单位"),
            steps=_choice(params, "steps", "步数计法", Steps, Steps.PROPORTIONAL),
            basis=_choice(params, "basis", "考核口径", Basis, Basis.ANNUAL),
            annual_cancels=_flag(params, "annual_cancels", "年均值达标不扣月度分"),
        )
    if kind == Kind.EVENTS:
        raw = params.get("categories")
        if not isinstance(raw, list) or not raw:
            raise RuleError("按次扣分应至少有一类情形（categories）")
        categories = []
        for n, entry in enumerate(raw, start=1):
            if not isinstance(entry, Mapping):
                raise RuleError(f"第{n}类情形应为对象")
            categories.append(
                Category(
                    name=_text(entry, "name", f"第{n}类情形的名称", required=True),
                    points=_decimal(entry, "points", f"第{n}类情形的扣分"),
                )
            )
        if len({c.name for c in categories}) != len(categories):
            raise RuleError("情形名称重复")
        return Events(
            categories=tuple(categories),
            per=_choice(params, "per", "计次方式", Per, Per.OCCURRENCE),
            cap=_decimal(params, "cap", "扣分上限", required=False),
            annual_cancels=_flag(params, "annual_cancels", "年均值达标不扣月度分"),
        )
    if kind == Kind.COMPLETION:
        late = _decimal(params, "late", "逾期扣分", required=False, positive=False) or Decimal(0)
        if late > points:
            raise RuleError("逾期扣分（late）不能超过分值")
        return Completion(late=late)
    if kind == Kind.MANUAL:
        return Manual()
    if kind == Kind.BONUS:
        return Bonus(cap=_decimal(params, "cap", "加分上限", required=False))
    if kind == Kind.PENALTY:
        return Penalty(
            each=_decimal(params, "each", "每次扣分", required=False),
            cap=_decimal(params, "cap", "扣分上限", required=False),
        )
    return Veto()


def params_of(rule: Rule) -> dict[str, object]:
    """The JSON parameters that `parse_rule` reads back into the same rule."""

    def num(value: Decimal | None) -> str | None:
        return None if value is None else plain(value)

    if isinstance(rule, Gap):
        out: dict[str, object] = {
            "metric": rule.metric,
            "direction": rule.direction.value,
            "step": num(rule.step),
            "per_step": num(rule.per_step),
            "target": num(rule.target),
            "unit": rule.unit,
            "steps": rule.steps.value,
            "basis": rule.basis.value,
            "annual_cancels": rule.annual_cancels,
        }
    elif isinstance(rule, Events):
        out = {
            "categories": [{"name": c.name, "points": num(c.points)} for c in rule.categories],
            "per": rule.per.value,
            "cap": num(rule.cap),
            "annual_cancels": rule.annual_cancels,
        }
    elif isinstance(rule, Completion):
        out = {"late": num(rule.late)}
    elif isinstance(rule, Bonus):
        out = {"cap": num(rule.cap)}
    elif isinstance(rule, Penalty):
        out = {"each": num(rule.each), "cap": num(rule.cap)}
    else:
        out = {}
    return {key: value for key, value in out.items() if value is not None}


def cap_of(rule: Bonus | Penalty | Events, points: Decimal) -> Decimal | None:
    """What an item can add or take at most: the smaller of its cap and its points, either when only one is
    given; None (no limit) for a bonus or penalty item that gives neither."""
    if rule.cap is None:
        return points if points else None
    return min(rule.cap, points) if points else rule.cap


def describe(rule: Rule, points: Decimal) -> str:
    """The rule in the words of a published 评分标准."""
    if isinstance(rule, Gap):
        worse = "高于" if rule.direction == Direction.LOWER else "低于"
        target = f"目标值（{with_unit(rule.target, rule.unit)}）" if rule.target is not None else "目标值"
        step_unit = "个百分点" if rule.unit in ("%", "％") else rule.unit
        text = f"{rule.metric}{worse}{target}的，每差{plain(rule.step)}{step_unit}扣{plain(rule.per_step)}分"
        if rule.steps == Steps.WHOLE:
            text += "（不足一档不扣）"
        elif rule.steps == Steps.STARTED:
            text += "（不足一档按一档计）"
        if rule.basis == Basis.MONTHLY:
            text = "按月考核，" + text
            if rule.annual_cancels:
                text += "；年均值达到目标的，不扣月度分"
        return text + "，扣完为止"
    if isinstance(rule, Events):
        word = PER_WORDS[rule.per]
        text = "，".join(f"{c.name}每{word}扣{plain(c.points)}分" for c in rule.categories)
        cap = cap_of(rule, points)
        text += f"，最多扣{plain(cap)}分" if cap is not None and cap < points else "，扣完为止"
        if rule.annual_cancels:
            text += "；年均值达到目标的，不扣月度分"
        return text
    if isinstance(rule, Completion):
        text = "全部完成得满分，部分完成按完成比例得分，未完成不得分"
        if rule.late:
            text += f"；逾期完成扣{plain(rule.late)}分"
        return text
    if isinstance(rule, Manual):
        return "由考核办根据核实资料、现场检查情况评分"
    if isinstance(rule, Bonus):
        cap = cap_of(rule, points)
        return "按表彰奖励、试点示范等情况加分" + (f"，最高加{plain(cap)}分" if cap is not None else "")
    if isinstance(rule, Penalty):
        cap = cap_of(rule, points)
        text = "受到督察通报、问责等的" + (f"，每次扣{plain(rule.each)}分" if rule.each is not None else "，按情形扣分")
        return text + (f"，最多扣{plain(cap)}分" if cap is not None else "")
    return "发生即一票否决，考核结果为不合格"
