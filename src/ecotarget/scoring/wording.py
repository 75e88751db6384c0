"""Reading a published 评分标准 into a proposed rule, and proposing which plan tasks or targets an item is about.

Both are proposals for a person to confirm on the import's preview, never decisions: the wording of schemes
varies, and a proposal says which words it went by. The patterns are those of published rules of this family
(e.g. "未达到年度目标值的，按差距每差1微克/立方米扣0.5分，扣完为止", "优良天数比率每差1个百分点扣0.25分",
"考核断面每月次不达标扣5分，反弹为劣Ⅴ类每月次扣10分", "最高加3分", "一票否决").
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import Kind

NUMBER = r"(\d+(?:\.\d+)?)"
GAP = re.compile(
    r"每(?:相)?差\s*"
    + NUMBER
    + r"\s*(个百分点|百分点|%|％|微克/立方米|μg/m³|ug/m3|毫克/升|mg/L|天|个)\s*扣\s*"
    + NUMBER
    + r"\s*分"
)
EVENT = re.compile(r"([^，。；,;：:]*?)每\s*(月次|月|次|起|宗|件|例|个)([^，。；,;：:]*?)扣\s*" + NUMBER + r"\s*分")
CAP = re.compile(r"(?:最高|最多|上限)\s*(?:加|扣)?\s*" + NUMBER + r"\s*分")
BONUS = re.compile(r"加\s*" + NUMBER + r"\s*分|加分")
LATE = re.compile(r"(?:逾期|未按时|未按期)[^，。；,;]*?扣\s*" + NUMBER + r"\s*分")
PENALTY_WORDS = ("惩罚", "通报", "问责", "约谈", "挂牌督办", "信访", "曝光", "移交")
HIGHER_WORDS = ("百分点", "比例", "比率", "达标率", "优良", "覆盖率", "利用率", "处置率", "完成率")
ANNUAL_CANCELS = re.compile(r"(?:年度|年均|全年)[^，。；,;]*?达标[^，。；,;]*?不(?:予)?扣分")
# Words before what is counted: "现场检查发现扬尘问题每起扣1分" counts 扬尘问题.
_LEADS = re.compile(r"^(?:经)?(?:现场)?(?:检查|督查|核查)?(?:发现|存在|出现|发生)")
UNITS = {"个百分点": "%", "百分点": "%", "％": "%", "μg/m³": "微克/立方米", "ug/m3": "微克/立方米", "mg/L": "毫克/升"}


@dataclass(frozen=True)
class Proposal:
    kind: Kind
    params: dict[str, object]
    because: str  # the words the proposal went by, for the preview


def _metric(content: str) -> str:
    """A short name for the measured indicator: the item's content up to its first clause break."""
    head = re.split(r"[，。；,;（(：:]", content.strip(), maxsplit=1)[0]
    return head[:30] or "监测指标"


def propose_rule(content: str, standard: str, points: Decimal) -> Proposal:
    """The rule a 评分标准 most likely means, from its wording and the item's content."""
    text = re.sub(r"\s+", "", standard or "")
    whole = (content or "") + text
    if "一票否决" in whole:
        return Proposal(Kind.VETO, {}, "“一票否决”")
    cap = CAP.search(text)
    if BONUS.search(text) and "扣" not in text.replace("扣完为止", ""):
        params: dict[str, object] = {"cap": cap.group(1)} if cap else {}
        return Proposal(Kind.BONUS, params, f"“{cap.group(0) if cap else '加分'}”")
    gap = GAP.search(text)
    if gap:
        step, unit, per_step = gap.groups()
        unit = UNITS.get(unit, unit)
        higher = unit == "%" or any(word in whole for word in HIGHER_WORDS)
        params = {
            "metric": _metric(content),
            "direction": "higher" if higher else "lower",
            "step": step,
            "per_step": per_step,
            "unit": unit,
        }
        return Proposal(Kind.GAP, params, f"“{gap.group(0)}”")
    if any(word in whole for word in PENALTY_WORDS) and "扣" in text:
        params = {}
        each = EVENT.search(text)
        if each:
            params["each"] = each.group(4)
        if cap:
            params["cap"] = cap.group(1)
        found = next(word for word in PENALTY_WORDS if word in whole)
        return Proposal(Kind.PENALTY, params, f"“{found}”")
    events = [m for m in EVENT.finditer(text) if not LATE.search(m.group(0))]
    if events:
        categories: list[dict[str, str]] = []
        for match in events:
            before, per, after, amount = match.groups()
            name = (after or _LEADS.sub("", before)).strip("的、 ") or ("不达标" if "月" in per else "发生")
            if name not in {c["name"] for c in categories}:
                categories.append({"name": name[:30], "points": amount})
        params = {"categories": categories, "per": "month" if "月" in events[0].group(2) else "occurrence"}
        if cap:
            params["cap"] = cap.group(1)
        if ANNUAL_CANCELS.search(text):
            params["annual_cancels"] = True
        return Proposal(Kind.EVENTS, params, "、".join(f"“{m.group(0).strip('，')}”" for m in events))
    late = LATE.search(text)
    if late or "完成" in whole:
        params = {"late": late.group(1)} if late else {}
        return Proposal(Kind.COMPLETION, params, f"“{late.group(0) if late else '完成'}”")
    return Proposal(Kind.MANUAL, {}, "未识别出计分公式，由考核办评分")


# --- which tasks or targets an item is about ------------------------------------------------------------------

_SKIP = re.compile(r"[\s，。；、：:,.;（）()“”\"'《》]+")
# Two-character runs that every plan and scheme uses: they say nothing about which task is meant.
_COMMON = frozenset(
    {
        "推进",
        "加强",
        "开展",
        "完成",
        "工作",
        "年度",
        "目标",
        "任务",
        "全县",
        "进一步",
        "落实",
        "建设",
        "实施",
        "管理",
        "考核",
        "以上",
        "达到",
        "情况",
    }
)


def _bigrams(text: str) -> set[str]:
    pieces = [p for p in _SKIP.split(text or "") if p]
    grams = {p[i : i + 2] for p in pieces for i in range(len(p) - 1)}
    return {g for g in grams if g not in _COMMON and not g.isdigit()}


@dataclass(frozen=True)
class Match:
    key: Hashable
    share: float  # the share of the item's wording found in the candidate's
    words: tuple[str, ...] = field(default_factory=tuple)


def propose_links(
    wording: str, candidates: Sequence[tuple[Hashable, str]], *, at_least: float = 0.3, limit: int = 3
) -> list[Match]:
    """The candidates (key, text) whose text shares most of the item's wording, best first: the share of the
    item's two-character runs found in the candidate, at least `at_least`, at most `limit` of them."""
    mine = _bigrams(wording)
    if not mine:
        return []
    found = []
    for key, text in candidates:
        common = mine & _bigrams(text)
        share = len(common) / len(mine)
        if share >= at_least:
            found.append(Match(key=key, share=round(share, 3), words=tuple(sorted(common))))
    found.sort(key=lambda m: -m.share)
    return found[:limit]
