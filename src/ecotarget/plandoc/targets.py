"""Numeric targets in a task's text: metric, comparator, value, measure unit and baseline.

The reading is driven by tables of phrases (comparators, baselines, zero-tolerance words, count verbs), not by
one pattern per sentence. A target is a subject (the metric) followed by a comparator and then values or a
baseline; "分别" pairs several values with several subjects in order, "均" gives one value to each subject.

Decisions:
- Numbers that scope a task are not targets ("10蒸吨/小时及以下的燃煤锅炉", "二级及以上医疗机构"); nor are
  years, plan names and ordinals ("十四五", "三线一单", "二期工程", "千人以下"): Chinese numerals are never read
  as values; nor comparisons with words instead of numbers ("达到年度目标要求").
- "6项污染物指标达到国家二级标准" is a count target: 达到国家二级标准的污染物指标项数 >= 6 项. The six
  indicators of GB 3095 can each be checked, so the number is measurable, not just a description.
- "优质水比例保持稳定" keeps a measurable indicator (…比例/率/浓度/指数) at last year's level: >= the previous
  year (<= for things where less is better: 浓度, 排放, Ⅴ类…). "地下水环境质量保持稳定" names no indicator
  and gives no target.
- A change without a stated baseline (下降2%, 提高2个百分点) is against the previous year; against a named
  year other than the previous one ("较2020年下降18%") the baseline is left None and the phrase kept in `text`.
- "不得出现X" / "确保不发生X" / "X为零" are counts that must be 0 (天 for weather, 起 for incidents, else 个).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .model import Baseline, Op, Target
from .quantities import (
    MEASURE_UNIT_ALT,
    SUFFIX_RE,
    VALUES_RE,
    Quantity,
    canonical_measure_unit,
    decimal,
    parse_values,
)
from .text import split_outside

# Comparator phrase → (op, kind). kind "strong": the phrase fixes the op; "neutral": 以上/以下 after the value
# decides, else the op given; "down"/"up": a change against a baseline (下降2% = reduced by at least 2%).
COMPARATORS: dict[str, tuple[Op, str]] = {
    "不得低于": (">=", "strong"),
    "不得少于": (">=", "strong"),
    "不低于": (">=", "strong"),
    "不少于": (">=", "strong"),
    "不小于": (">=", "strong"),
    "至少达到": (">=", "strong"),
    "至少": (">=", "strong"),
    "≥": (">=", "strong"),
    "不得高于": ("<=", "strong"),
    "不得超过": ("<=", "strong"),
    "不高于": ("<=", "strong"),
    "不超过": ("<=", "strong"),
    "不大于": ("<=", "strong"),
    "不多于": ("<=", "strong"),
    "≤": ("<=", "strong"),
    "控制在": ("<=", "neutral"),
    "控制到": ("<=", "strong"),
    "下降到": ("<=", "strong"),
    "下降至": ("<=", "strong"),
    "降低到": ("<=", "strong"),
    "降低至": ("<=", "strong"),
    "减少到": ("<=", "strong"),
    "减少至": ("<=", "strong"),
    "压减至": ("<=", "strong"),
    "压减到": ("<=", "strong"),
    "降至": ("<=", "strong"),
    "降到": ("<=", "strong"),
    "高于": (">", "strong"),
    "超过": (">", "strong"),
    "大于": (">", "strong"),
    "多于": (">", "strong"),
    "低于": ("<", "strong"),
    "小于": ("<", "strong"),
    "少于": ("<", "strong"),
    "提高到": (">=", "strong"),
    "提高至": (">=", "strong"),
    "提升到": (">=", "strong"),
    "提升至": (">=", "strong"),
    "增加到": (">=", "strong"),
    "增加至": (">=", "strong"),
    "增至": (">=", "strong"),
    "达到或超过": (">=", "strong"),
    "达到": (">=", "neutral"),
    "达": (">=", "neutral"),
    "保持在": (">=", "neutral"),
    "稳定在": (">=", "neutral"),
    "维持在": (">=", "neutral"),
    "稳定保持": (">=", "neutral"),
    "保持": (">=", "neutral"),
    "实现": (">=", "neutral"),
    "为": ("==", "neutral"),
    "下降": (">=", "down"),
    "减少": (">=", "down"),
    "降低": (">=", "down"),
    "削减": (">=", "down"),
    "压减": (">=", "down"),
    "增长": (">=", "up"),
    "提高": (">=", "up"),
    "提升": (">=", "up"),
    "增加": (">=", "up"),
}
_COMPARATOR_RE = re.compile("|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)))
SUFFIX_OPS: dict[str, Op] = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<="}

BASELINES: dict[str, Baseline] = {
    "近三年平均值": "three_year_average",
    "近三年平均水平": "three_year_average",
    "近三年均值": "three_year_average",
    "近三年平均": "three_year_average",
    "近3年平均值": "three_year_average",
    "近3年平均水平": "three_year_average",
    "近3年平均": "three_year_average",
    "前三年平均值": "three_year_average",
    "前三年平均水平": "three_year_average",
    "前三年平均": "three_year_average",
    "三年平均值": "three_year_average",
    "上一年度水平": "previous_year",
    "上年度水平": "previous_year",
    "上一年水平": "previous_year",
    "上年水平": "previous_year",
    "去年水平": "previous_year",
    "上年同期": "previous_year",
    "去年同期": "previous_year",
    "上一年度": "previous_year",
    "上年度": "previous_year",
    "上一年": "previous_year",
    "上年": "previous_year",
    "去年": "previous_year",
    "同期": "previous_year",
}
_BASELINE_ALT = "|".join(re.escape(b) for b in sorted(BASELINES, key=len, reverse=True))
_BASELINE_RE = re.compile(rf"(?:{_BASELINE_ALT})|(?P<year>(?:19|20)\d{{2}})年(?:度)?(?:水平|同期)?")
# "比上年下降3%": the baseline is written before the comparator, inside what would be the subject.
_SUBJECT_BASELINE = re.compile(rf"(?:比|较|与|同比)(?:{_BASELINE_ALT}|(?P<year>(?:19|20)\d{{2}})年(?:度)?)?(?:相比)?$")

# "不得出现重污染天气": a count that must stay at zero.
ZERO_PHRASES = ("确保不发生", "不得出现", "不得发生", "严禁出现", "不出现", "不发生", "杜绝")
_ZERO_RE = re.compile(rf"(?:{'|'.join(ZERO_PHRASES)})(?P<what>[^,;。]+)")
# "辐射事故发生率为零": zero written as a word.
_IS_ZERO_RE = re.compile(r"(?P<what>[^,;。]{2,30}?)(?:保持|控制)?为零")
ZERO_MEASURE_UNITS = (("天气", "天"), ("天", "天"), ("事件", "起"), ("事故", "起"), ("案件", "起"))

# "增创中级版“绿盈乡村”8个": things to create or close, at least N.
COUNT_VERBS = (
    "新增创建", "新增", "增创", "新创", "争创", "创成", "创建", "新建", "建成", "建设", "打造", "培育", "完成",
    "淘汰", "关停", "取缔", "整治", "治理", "改造", "实施", "推广", "认定", "建立",
)  # fmt: skip
_COUNT_UNIT_ALT = "个|项|家|座|处|条|台|辆|艘|宗|户|所|套|批|万亩|亩|公顷|公里|千米|蒸吨|万吨|吨"
_COUNT_RE = re.compile(
    rf"(?P<verb>{'|'.join(COUNT_VERBS)})(?P<obj>[^\d,;。、]{{0,20}}?)(?<![\d.])(?P<num>\d{{1,6}}(?:\.\d{{1,3}})?)"
    rf"(?P<measure_unit>{_COUNT_UNIT_ALT})(?P<suffix>以上)?(?P<after>[^,;。]{{0,20}})"
)
# "6项污染物指标达到国家二级标准": how many of a fixed set of indicators meet a standard.
_STANDARD_COUNT_RE = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3})项(?P<what>[^,;。\d]{1,12}?)(?:均|全部|都)?(?:达到|达|符合)(?P<std>[^,;。]{1,20}?标准)"
)
# "90%以上的乡镇完成整治": a share of things that must do something, written before them.
_SHARE_OF_RE = re.compile(r"(?<![\d.])(?P<num>\d{1,3}(?:\.\d{1,2})?)%(?:及以上|以上)?的(?P<what>[^,;。]{2,24})")
# Idioms that compare with last year without a number.
IDIOMS: dict[str, tuple[Op, Baseline]] = {
    "只增不减": (">=", "previous_year"),
    "只减不增": ("<=", "previous_year"),
    "不降低": (">=", "previous_year"),
    "不下降": (">=", "previous_year"),
    "不减少": (">=", "previous_year"),
    "不增加": ("<=", "previous_year"),
    "不上升": ("<=", "previous_year"),
}
_IDIOM_RE = re.compile("|".join(IDIOMS))
# "优质水比例保持稳定": a measurable indicator that must not get worse than last year.
_STABLE_RE = re.compile(r"(?:保持稳定|稳定保持|总体稳定|保持基本稳定|基本稳定)$")
_MEASURABLE = re.compile(r"(?:比例|比率|率|比重|占比|指数|浓度|天数|数量|总量)$")
_LOWER_IS_BETTER = re.compile(r"浓度|排放|劣|Ⅴ类|V类|五类|超标|重污染|事故|事件|噪声|强度|能耗")

_GENERIC_SUBJECTS = ("占比", "比例", "比重", "覆盖率", "达标率", "利用率", "处理率", "完成率", "")
# Where a shared tail begins in "农药和化肥使用量": the metric noun the listed subjects share.
TAIL_WORDS = (
    "重点工程", "减排量", "使用量", "用量", "年均浓度", "平均浓度", "浓度", "排放总量",
    "排放量", "优良比例", "优良率", "比例", "比率", "达标率", "覆盖率", "利用率", "处理率",
    "处置率", "回收率", "收集率", "合格率", "完成率", "水质", "面积", "总量", "数量", "强度",
    "能耗", "指数", "占比", "比重", "蓄积量", "保有量",
)  # fmt: skip
_LEADING_FILLERS = re.compile(
    r"^(?:其中|并且|并|且|同时|以及|确保|力争|努力|争取|保证|使|实现|推动|促进|要|全年|年内|"
    r"到?(?:19|20)\d{2}年(?:底|末)?(?:前)?|到年底|到年末)+"
)
_TRAILING_FILLERS = (
    "分别", "均", "都", "全部", "总体", "要", "应", "须", "需", "必须", "确保", "力争", "稳定", "持续", "继续",
    "进一步", "基本", "全面", "争取", "要求", "年均", "累计",
)  # fmt: skip
_SHARED_WORDS = ("均", "都", "全部")
# The rest of a compound measure unit: "吨/平方公里·月", "毫克/升".
_COMPOUND = re.compile(r"/[^\s\d,;。、()以及]{1,8}")
_OPEN = "(【[《“‘"
_CLOSE = ")】]》”’"


@dataclass
class _Clause:
    text: str
    previous: str


def extract_targets(text: str, year: int | None = None) -> list[Target]:
    """Every numeric (or baseline-relative) target the task text states, in order."""
    targets: list[Target] = []
    for sentence in _split(text, "。;!?"):
        previous = ""
        for clause in _split(sentence, ","):
            clause = clause.strip()
            if clause:
                targets.extend(_clause_targets(_Clause(clause, previous), year))
                previous = clause
    return targets


def _split(text: str, separators: str) -> list[str]:
    return split_outside(text, separators, _OPEN, _CLOSE)


def _clause_targets(clause: _Clause, year: int | None) -> list[Target]:
    text = clause.text
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, list[Target]]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _STANDARD_COUNT_RE.finditer(text):
        what = match.group("what").strip()
        metric = f"达到{match.group('std')}的{what}项数"
        value = decimal(match.group("num"))
        found.append((match.start(), [Target(metric, ">=", value, "项", None, False, match.group(0))]))
        taken.append(match.span())

    for match in _ZERO_RE.finditer(text):
        if not free(*match.span()):
            continue
        what = re.sub(r"(?:的?(?:情况|现象|情形|问题))$", "", match.group("what").strip())
        if not what:
            continue
        measure_unit = next((u for word, u in ZERO_MEASURE_UNITS if word in what), "个")
        found.append((match.start(), [Target(what, "==", Decimal(0), measure_unit, None, False, match.group(0))]))
        taken.append(match.span())

    for match in _IS_ZERO_RE.finditer(text):
        subject, start = _subject(match.group("what"), match.start())
        if subject and free(*match.span()):
            found.append((start, [Target(subject, "==", Decimal(0), None, None, False, text[start : match.end()])]))
            taken.append(match.span())

    position = 0
    for match in _COMPARATOR_RE.finditer(text):
        if match.start() < position or not free(*match.span()):
            continue
        result = _comparison(text, position, match, year, clause.previous)
        if result is None:
            continue
        start, end, targets = result
        found.append((start, targets))
        taken.append((start, end))
        position = end

    for match in _SHARE_OF_RE.finditer(text):
        share = _share_of(text, match) if free(*match.span()) else None
        if share is not None:
            found.append((share[1], [share[0]]))
            taken.append((share[1], match.end()))

    for match in _COUNT_RE.finditer(text):
        if not free(match.start("num"), match.end("measure_unit")):
            continue
        target = _count(text, match, clause.previous)
        if target is not None:
            found.append((match.start(), [target]))
            taken.append(match.span())

    for match in _IDIOM_RE.finditer(text):
        if not free(*match.span()):
            continue
        subject, start = _subject(text[: match.start()], 0)
        if subject:
            op, baseline = IDIOMS[match.group(0)]
            found.append((start, [Target(subject, op, None, None, baseline, False, text[start : match.end()])]))
            taken.append((start, match.end()))

    stable = _STABLE_RE.search(text)
    if stable and free(*stable.span()):
        subject, start = _subject(text[: stable.start()], 0)
        if subject and _MEASURABLE.search(subject):
            direction: Op = "<=" if _LOWER_IS_BETTER.search(subject) else ">="
            found.append((start, [Target(subject, direction, None, None, "previous_year", False, text[start:])]))

    found.sort(key=lambda item: item[0])
    return [target for _, targets in found for target in targets]


def _comparison(
    text: str, position: int, match: re.Match[str], year: int | None, previous: str
) -> tuple[int, int, list[Target]] | None:
    op, kind = COMPARATORS[match.group(0)]
    after_start = match.end()
    while after_start < len(text) and text[after_start] in " 到至":
        after_start += 1
    baseline: Baseline | None = None
    values = []
    end = after_start
    base = _BASELINE_RE.match(text, after_start)
    numbers = VALUES_RE.match(text, after_start)
    suffix = ""
    if base and kind in ("strong", "neutral"):
        baseline = _baseline(base, year)
        if baseline is None:
            return None
        end = base.end()
        if text.startswith("水平", end):
            end += 2
    elif numbers:
        values = parse_values(numbers.group(0))
        end = numbers.end()
        compound = _COMPOUND.match(text, end)
        if compound and values and values[-1].measure_unit:
            # "5吨/平方公里·月": the measure unit goes on past the slash.
            last = values[-1].measure_unit
            measure_unit = last + compound.group(0)
            values = [Quantity(v.value, measure_unit if v.measure_unit == last else v.measure_unit) for v in values]
            end = compound.end()
        elif compound:
            return None
        suffix_match = SUFFIX_RE.match(text, end)
        if suffix_match:
            suffix = suffix_match.group(0)
            end = suffix_match.end()
        # "二级及以上医疗机构", "10蒸吨/小时及以下的": a scope, not a target.
        if not values or (suffix and text.startswith("的", end)):
            return None
    else:
        return None

    reduction = False
    raw_subject = text[position : match.start()]
    if kind in ("down", "up"):
        if baseline is not None:
            return None
        reduction = kind == "down"
        baseline = "previous_year"
        written = _SUBJECT_BASELINE.search(raw_subject)
        if written:
            named = written.group(0)
            year_text = written.group("year")
            if year_text:
                baseline = "previous_year" if year and int(year_text) == year - 1 else None
            elif any(b in named for b in BASELINES):
                baseline = next(BASELINES[b] for b in sorted(BASELINES, key=len, reverse=True) if b in named)
            raw_subject = raw_subject[: written.start()]
        if suffix in ("以内", "之内", "以下", "及以下"):
            op = "<="
    elif kind == "neutral" and suffix in SUFFIX_OPS:
        op = SUFFIX_OPS[suffix]

    shared = raw_subject.rstrip().endswith(_SHARED_WORDS)
    subject, start = _subject(raw_subject, position)
    if not subject and not values:
        return None
    if _generic(subject):
        topic = _topic(previous)
        if not topic and not subject:
            return None
        subject = _join(topic, subject) if topic else subject
    phrase = text[start:end]
    count = max(len(values), 1)
    metrics = _enumerate(subject, count if count > 1 else None, shared)
    targets = []
    if values:
        if len(metrics) == len(values):
            pairs = list(zip(metrics, values, strict=True))
        elif len(values) == 1:
            pairs = [(metric, values[0]) for metric in metrics]
        else:
            pairs = [(subject, value) for value in values]
        for metric, quantity in pairs:
            targets.append(Target(metric, op, quantity.value, quantity.measure_unit, baseline, reduction, phrase))
    else:
        for metric in metrics:
            targets.append(Target(metric, op, None, None, baseline, reduction, phrase))
    return start, end, targets


def _baseline(found: re.Match[str], year: int | None) -> Baseline | None:
    if found.group("year"):
        return "previous_year" if year and int(found.group("year")) == year - 1 else None
    return BASELINES[found.group(0)]


def _subject(raw: str, offset: int) -> tuple[str, int]:
    """The metric a comparison is about, and where it starts in the clause."""
    stripped = raw.lstrip(" 、")
    start = offset + len(raw) - len(stripped)
    filler = _LEADING_FILLERS.match(stripped)
    if filler:
        start += filler.end()
        stripped = stripped[filler.end() :]
    subject = stripped.strip()
    changed = True
    while changed and subject:
        changed = False
        for word in _TRAILING_FILLERS:
            if subject.endswith(word):
                subject = subject[: -len(word)].rstrip()
                changed = True
    return subject, start


def _generic(subject: str) -> bool:
    """ "占比", "治理率": a share or rate that names no subject of its own."""
    return subject in _GENERIC_SUBJECTS or (len(subject) <= 3 and subject.endswith(("率", "比例", "占比", "比重")))


def _join(topic: str, subject: str) -> str:
    """农村生活污水治理 + 治理率 → 农村生活污水治理率: the words they share are said once."""
    for overlap in range(min(len(topic), len(subject) - 1), 0, -1):
        if topic.endswith(subject[:overlap]):
            return topic + subject[overlap:]
    return topic + subject


def _topic(previous: str) -> str:
    """What a bare "占比达80%" is a share of: the quoted name in the clause before, else its object."""
    quoted = re.search(r"“[^”]{1,20}”", previous)
    if quoted:
        return quoted.group(0)
    topic = re.sub(r"^(?:推进|开展|实施|加强|完成|推动|深化|持续|全面|积极|加快|强化)+", "", previous.strip())
    topic = re.sub(r"(?:创建|工作|建设|行动)$", "", topic)
    return topic if 0 < len(topic) <= 20 else ""


def _enumerate(subject: str, count: int | None, shared: bool) -> list[str]:
    """Split "PM2.5、PM10浓度" into PM2.5浓度, PM10浓度 when values are paired (分别) or shared (均)."""
    if count is None and not shared:
        return [subject]
    parts = [p for p in _split(subject, "、") if p]
    if len(parts) == 1:
        parts = [p for p in re.split(r"以及|和|与|(?<!以)及(?!以[上下])", subject) if p]
    if len(parts) <= 1 or (count is not None and len(parts) != count):
        return [subject]
    last = parts[-1]
    cut = _tail_start(last, parts[0])
    tail = last[cut:]
    items = [*parts[:-1], last[:cut]]
    return [item + tail for item in items]


def _tail_start(last: str, first: str) -> int:
    closing = max(last.rfind("”"), last.rfind(")"), last.rfind("》"))
    if 0 <= closing < len(last) - 1:
        return closing + 1
    ascii_run = re.match(r"[A-Za-z0-9.₀-₉]+", last)
    if ascii_run and 0 < ascii_run.end() < len(last):
        return ascii_run.end()
    positions = [last.find(word) for word in TAIL_WORDS if last.find(word) > 0]
    if positions:
        return min(positions)
    return max(1, min(len(first), len(last) - 1))


def _share_of(text: str, match: re.Match[str]) -> tuple[Target, int] | None:
    """ "90%以上的乡镇完成整治" → 乡镇完成整治比例 >= 90%; "完成80%以上的年度任务" → 年度任务完成比例 >= 80%.

    After a comparator ("覆盖率达到90%以上的乡镇") the share only scopes what follows: not a target.
    """
    before = text[: match.start()]
    if re.search(rf"(?:{_COMPARATOR_RE.pattern})$", before):
        return None
    verb, start = _subject(before, 0)
    if len(verb) > 4 or "的" in verb:
        verb, start = "", match.start()
    what = re.sub(r"(?:的?(?:比例|占比))$", "", match.group("what").strip())
    value = decimal(match.group("num"))
    return Target(f"{what}{verb}比例", ">=", value, "%", None, False, text[start : match.end()]), start


def _count(text: str, match: re.Match[str], previous: str) -> Target | None:
    after = match.group("after")
    if after.startswith(("/", "及以下", "以下", "及以上")) or text.startswith("/", match.end("measure_unit")):
        return None
    if re.match(rf"\s*(?:{MEASURE_UNIT_ALT})?/", after):
        return None
    verb, obj = match.group("verb"), match.group("obj").strip()
    after = re.sub(r"^的", "", after).strip()
    metric = verb + obj + (after if not obj else "")
    if metric == verb:
        # "推进水泥行业超低排放改造,年底前完成2家": what is counted is named in the clause before.
        metric = _topic(previous)
        if not metric:
            return None
    value = decimal(match.group("num"))
    return Target(
        metric, ">=", value, canonical_measure_unit(match.group("measure_unit")), None, False, match.group(0).rstrip()
    )
