"""Surface-water classes: GB 3838-2002 limits and the 环办〔2011〕22号 single-factor evaluation.

Values are held as integers in units of 1e-8 of the item's unit (mg/L; pH dimensionless; 粪大肠菌群 个/L) so
that every comparison with a limit — including a mean of n samples, compared as Σ ≤ n·limit — is exact.
Classes are numbered 1–5 for Ⅰ–Ⅴ and 6 for 劣Ⅴ; 0 means "not evaluated".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from .rounding import MISSING, fraction_to_decimal, round_half_even_div, to_units

SCALE_DECIMALS = 8
SCALE = 10**SCALE_DECIMALS
WORSE_THAN_V = 6
CLASS_NAMES = ("", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")
# 环办〔2011〕22号 qualitative levels (standards-spec §4.2)
QUALITY = ("", "优", "优", "良好", "轻度污染", "中度污染", "重度污染")
QUALITY_COLOUR = ("", "蓝色", "蓝色", "绿色", "黄色", "橙色", "红色")


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    limits: tuple[str, ...]  # classes Ⅰ…Ⅴ, as printed in GB 3838-2002 表1
    higher_is_better: bool = False  # 溶解氧 is "≥"


# GB 3838-2002 表1 (standards-spec §4.1).  DO class Ⅰ: "饱和率90%（或7.5）" — the 7.5 mg/L figure is used.
# pH (6–9 for every class) is handled on its own.
ITEMS: dict[str, Item] = {
    i.code: i
    for i in (
        Item("do", "溶解氧", ("7.5", "6", "5", "3", "2"), higher_is_better=True),
        Item("codmn", "高锰酸盐指数", ("2", "4", "6", "10", "15")),
        Item("cod", "化学需氧量", ("15", "15", "20", "30", "40")),
        Item("bod5", "五日生化需氧量", ("3", "3", "4", "6", "10")),
        Item("nh3n", "氨氮", ("0.15", "0.5", "1.0", "1.5", "2.0")),
        Item("tp", "总磷", ("0.02", "0.1", "0.2", "0.3", "0.4")),
        Item("tn", "总氮", ("0.2", "0.5", "1.0", "1.5", "2.0")),
        Item("cu", "铜", ("0.01", "1.0", "1.0", "1.0", "1.0")),
        Item("zn", "锌", ("0.05", "1.0", "1.0", "2.0", "2.0")),
        Item("fluoride", "氟化物", ("1.0", "1.0", "1.0", "1.5", "1.5")),
        Item("se", "硒", ("0.01", "0.01", "0.01", "0.02", "0.02")),
        Item("as", "砷", ("0.05", "0.05", "0.05", "0.1", "0.1")),
        Item("hg", "汞", ("0.00005", "0.00005", "0.0001", "0.001", "0.001")),
        Item("cd", "镉", ("0.001", "0.005", "0.005", "0.005", "0.01")),
        Item("cr6", "铬（六价）", ("0.01", "0.05", "0.05", "0.05", "0.1")),
        Item("pb", "铅", ("0.01", "0.01", "0.05", "0.05", "0.1")),
        Item("cn", "氰化物", ("0.005", "0.05", "0.2", "0.2", "0.2")),
        Item("phenol", "挥发酚", ("0.002", "0.002", "0.005", "0.01", "0.1")),
        Item("oil", "石油类", ("0.05", "0.05", "0.05", "0.5", "1.0")),
        Item("las", "阴离子表面活性剂", ("0.2", "0.2", "0.2", "0.3", "0.3")),
        Item("sulfide", "硫化物", ("0.05", "0.1", "0.2", "0.5", "1.0")),
        Item("fecal_coliform", "粪大肠菌群", ("200", "2000", "10000", "20000", "40000")),
    )
}
# GB 3838-2002 表1 note: lakes and reservoirs (湖、库) have their own total-phosphorus column
LAKE_TP = Item("tp", "总磷", ("0.01", "0.025", "0.05", "0.1", "0.2"))
PH_RANGE = (6, 9)

# the 21 items of the class (环办〔2011〕22号): table 1 without 水温, 总氮 and 粪大肠菌群
EVALUATED = (
    "ph",
    "do",
    "codmn",
    "cod",
    "bod5",
    "nh3n",
    "tp",
    "cu",
    "zn",
    "fluoride",
    "se",
    "as",
    "hg",
    "cd",
    "cr6",
    "pb",
    "cn",
    "phenol",
    "oil",
    "las",
    "sulfide",
)
REFERENCE = ("water_temp", "tn", "fecal_coliform")  # reported separately, never part of the class
NAMES = {"ph": "pH", "water_temp": "水温", **{c: i.name for c, i in ITEMS.items()}}

# GB 3838-2002 表2, 集中式生活饮用水地表水源地补充项目 (mg/L)
DRINKING_SUPPLEMENT = {"sulfate": "250", "chloride": "250", "nitrate": "10", "fe": "0.3", "mn": "0.1"}
NAMES.update({"sulfate": "硫酸盐", "chloride": "氯化物", "nitrate": "硝酸盐", "fe": "铁", "mn": "锰"})


def _scaled(text: str) -> int:
    return int(Decimal(text).scaleb(SCALE_DECIMALS))


def _item(code: str, kind: str) -> Item:
    return LAKE_TP if code == "tp" and kind == "lake" else ITEMS[code]


def to_scaled(values: ArrayLike, below_detection: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Values to (numerator, denominator=2 or 1) in 1e-8 units; a value below detection holds the detection
    limit and counts as half of it (环办监测函〔2020〕82号 第七点).  MISSING where blank or negative."""
    units = to_units(values, SCALE_DECIMALS)
    if below_detection is None:
        return units, np.ones(units.shape, dtype=np.int64)
    below = np.asarray(below_detection, dtype=bool)
    # everything over 2 so that half a detection limit stays an exact integer numerator
    num = np.where(units < 0, MISSING, np.where(below, units, 2 * units))
    return num, np.full(units.shape, 2, dtype=np.int64)


def _classify_item(code: str, num: np.ndarray, den: np.ndarray, kind: str) -> np.ndarray:
    """Class 1–6 of value num/den for one item (best class whose limit it meets; ties go to the better one)."""
    present = num >= 0
    if code == "ph":
        lo, hi = PH_RANGE
        inside = (num >= lo * SCALE * den) & (num <= hi * SCALE * den)
        cls = np.where(inside, 1, WORSE_THAN_V)
    else:
        item = _item(code, kind)
        cls = np.full(num.shape, WORSE_THAN_V, dtype=np.int64)
        for k in range(4, -1, -1):  # from Ⅴ up to Ⅰ so the best class met wins
            bound = _scaled(item.limits[k]) * den
            meets = num >= bound if item.higher_is_better else num <= bound
            cls = np.where(meets, k + 1, cls)
    return np.where(present, cls, 0).astype(np.int8)


def _exceed_hundredths(code: str, num: np.ndarray, den: np.ndarray, kind: str) -> np.ndarray:
    """超标倍数 against the Ⅲ limit in hundredths, (C − S_Ⅲ)/S_Ⅲ; -1 where not over or not defined (pH, DO)."""
    if code in ("ph", "do", "water_temp") or (code not in ITEMS and code != "tp"):
        return np.full(num.shape, -1, dtype=np.int64)
    s = _scaled(_item(code, kind).limits[2]) * den
    over = (num >= 0) & (num > s)
    return np.where(over, round_half_even_div(100 * (num - s), np.where(s > 0, s, 1)), -1)


@dataclass(frozen=True)
class WaterClassResult:
    """Class of every sample (or section mean): rows aligned with the input, items in `items` order."""

    kind: str
    items: tuple[str, ...]
    item_class: np.ndarray  # (n, k) int8, 0 = not measured
    water_class: np.ndarray  # (n,) int8, worst item class; 0 when nothing was measured
    exceed_hundredths: np.ndarray  # (n, k) 超标倍数 × 100 vs Ⅲ, -1 where not over Ⅲ or undefined
    main_pollutants: np.ndarray  # (n,) "总磷(0.75);氨氮(0.20)" — only when the class is worse than Ⅲ
    reference: dict[str, np.ndarray]  # 水温 value, 总氮 class (lakes) / value, 粪大肠菌群 class: reported apart

    @property
    def class_name(self) -> np.ndarray:
        return np.array(CLASS_NAMES, dtype=object)[self.water_class]

    @property
    def quality(self) -> np.ndarray:
        return np.array(QUALITY, dtype=object)[self.water_class]

    @property
    def good(self) -> np.ndarray:
        """优良 (Ⅰ–Ⅲ)."""
        return (self.water_class >= 1) & (self.water_class <= 3)


def _classify_fractions(
    nums: Mapping[str, np.ndarray], dens: Mapping[str, np.ndarray], kind: str, n: int
) -> WaterClassResult:
    if kind not in ("river", "lake"):
        raise ValueError("kind is 'river' or 'lake' (湖、库)")
    items = tuple(c for c in EVALUATED if c in nums)
    if items:
        cls = np.stack([_classify_item(c, nums[c], dens[c], kind) for c in items], axis=1)
        exc = np.stack([_exceed_hundredths(c, nums[c], dens[c], kind) for c in items], axis=1)
    else:
        cls = np.zeros((n, 0), dtype=np.int8)
        exc = np.zeros((n, 0), dtype=np.int64)
    worst = cls.max(axis=1) if items else np.zeros(n, dtype=np.int8)
    main = _main_pollutants(items, cls, exc, worst)
    reference: dict[str, np.ndarray] = {}
    for code in ("tn", "fecal_coliform"):
        if code in nums:
            reference[code + "_class"] = _classify_item(code, nums[code], dens[code], kind)
    return WaterClassResult(kind, items, cls, worst.astype(np.int8), exc, main, reference)


def _main_pollutants(items: Sequence[str], cls: np.ndarray, exc: np.ndarray, worst: np.ndarray) -> np.ndarray:
    """Up to three items worse than Ⅲ, worst class first, ties by 超标倍数 (standards-spec §4.2)."""
    n = cls.shape[0]
    out = np.full(n, "", dtype=object)
    if not items:
        return out
    score = np.where(cls > 3, cls.astype(np.int64) * 10**9 + np.maximum(exc, 0), -1)
    order = np.argsort(-score, axis=1, kind="stable")[:, :3]
    names = np.array([NAMES[c] for c in items], dtype=object)
    for rank in range(order.shape[1]):
        j = order[:, rank]
        s = np.take_along_axis(score, j[:, None], axis=1)[:, 0]
        e = np.take_along_axis(exc, j[:, None], axis=1)[:, 0]
        multiple = np.where(e >= 0, np.char.mod("(%.2f)", e / 100.0).astype(object), "")
        label = names[j] + multiple
        sep = np.where(out == "", "", ";")
        out = np.where((s >= 0) & (worst > 3), out + sep + label, out)
    return out


def classify_samples(
    values: Mapping[str, ArrayLike],
    *,
    kind: str = "river",
    below_detection: Mapping[str, ArrayLike] | None = None,
) -> WaterClassResult:
    """Single-factor class of every sample.

    `values` maps item codes (ph, do, codmn, cod, bod5, nh3n, tp, …; see EVALUATED and REFERENCE) to float
    arrays (NaN = not measured).  `below_detection[code]` marks values that are a detection limit ("ND",
    "0.01L", "<0.01"); they count as half of it.  Rivers never evaluate 总氮; lakes get its class as a
    reference item only, never in the class.
    """
    nums, dens, n = {}, {}, 0
    below_detection = below_detection or {}
    for code, raw in values.items():
        num, den = to_scaled(raw, below_detection.get(code))
        nums[code], dens[code], n = num, den, num.shape[0]
    result = _classify_fractions(nums, dens, kind, n)
    if kind == "river":
        result.reference.pop("tn_class", None)
    return result


@dataclass(frozen=True)
class SectionPeriodResult:
    sections: np.ndarray  # distinct section names, sorted
    samples: dict[str, np.ndarray]  # item → samples used per section
    means: dict[str, np.ndarray]  # item → mean value per section (float, for display; NaN when none)
    result: WaterClassResult


def section_classes(
    sections: ArrayLike,
    values: Mapping[str, ArrayLike],
    *,
    kind: str = "river",
    below_detection: Mapping[str, ArrayLike] | None = None,
) -> SectionPeriodResult:
    """Each section's class over a period: the arithmetic mean of its samples per item, then single-factor.

    The mean is kept as an exact fraction (Σ over n samples), so "mean ≤ limit" is decided without rounding.
    """
    names, inverse = np.unique(np.asarray(sections).astype(str), return_inverse=True)
    m = names.size
    nums, dens, counts, means = {}, {}, {}, {}
    below_detection = below_detection or {}
    for code, raw in values.items():
        num, den = to_scaled(raw, below_detection.get(code))
        ok = num >= 0
        total = np.zeros(m, dtype=np.int64)
        np.add.at(total, inverse[ok], num[ok] * (2 // den[ok]))  # bring every sample to denominator 2
        count = np.bincount(inverse[ok], minlength=m).astype(np.int64)
        nums[code] = np.where(count > 0, total, MISSING)
        dens[code] = 2 * np.maximum(count, 1)
        counts[code] = count
        means[code] = np.where(count > 0, total / np.maximum(2 * count, 1) / SCALE, np.nan)
    result = _classify_fractions(nums, dens, kind, m)
    if kind == "river":
        result.reference.pop("tn_class", None)
    return SectionPeriodResult(names, counts, means, result)


@dataclass(frozen=True)
class SectionShares:
    """Shares of evaluated sections by class (targets such as 优良比例 100 %, 不得出现Ⅴ类)."""

    sections: int
    per_class: tuple[int, ...]  # Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ
    good: int  # Ⅰ–Ⅲ
    good_percent: Decimal | None
    excellent: int  # Ⅰ–Ⅱ (优质水, Fujian usage)
    excellent_percent: Decimal | None
    v_or_worse: int  # Ⅴ and 劣Ⅴ: "不得出现Ⅴ类" fails when > 0
    worse_than_v: int
    worse_than_v_percent: Decimal | None


def _pct(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else fraction_to_decimal(Fraction(100 * part, whole), 1)


def section_shares(classes: ArrayLike) -> SectionShares:
    """Counts and shares (percent, 1 decimal) of the sections with a class (0 = not evaluated is left out)."""
    c = np.asarray(classes, dtype=np.int64)
    c = c[c > 0]
    per = np.bincount(c, minlength=7)[1:7]
    n = int(c.size)
    good, excellent, worse = int(per[:3].sum()), int(per[:2].sum()), int(per[5])
    return SectionShares(
        n,
        tuple(int(x) for x in per),
        good,
        _pct(good, n),
        excellent,
        _pct(excellent, n),
        int(per[4:].sum()),
        worse,
        _pct(worse, n),
    )


@dataclass(frozen=True)
class BasinResult:
    method: str  # "断面水质类别比例法" (≥ 5 sections) or "断面均值单因子法" (< 5)
    quality: str  # 优 / 良好 / 轻度污染 / 中度污染 / 重度污染
    shares: SectionShares
    water_class: int | None  # only for the mean method


def basin_quality(
    classes: ArrayLike,
    *,
    section_means: Mapping[str, ArrayLike] | None = None,
    kind: str = "river",
) -> BasinResult:
    """A river / basin / water system by 环办〔2011〕22号.

    With ≥ 5 sections, the section-proportion method: Ⅰ–Ⅲ ≥ 90 % 优; ≥ 75 % 良好; otherwise by the 劣Ⅴ share:
    < 20 % 轻度, < 40 % 中度, else 重度污染.  With fewer, every item is averaged over the sections
    (`section_means`: item → one value per section) and judged by the single-factor method.
    """
    shares = section_shares(classes)
    n = shares.sections
    if n >= 5:
        if 10 * shares.good >= 9 * n:
            quality = "优"
        elif 100 * shares.good >= 75 * n:
            quality = "良好"
        elif 5 * shares.worse_than_v < n:
            quality = "轻度污染"
        elif 5 * shares.worse_than_v < 2 * n:
            quality = "中度污染"
        else:
            quality = "重度污染"
        return BasinResult("断面水质类别比例法", quality, shares, None)
    if section_means is None:
        raise ValueError("fewer than 5 sections: give section_means to average each item over the sections")
    averaged = section_classes(
        np.zeros(len(np.asarray(next(iter(section_means.values())))), dtype=int), section_means, kind=kind
    ).result
    cls = int(averaged.water_class[0])
    return BasinResult("断面均值单因子法", QUALITY[cls], shares, cls)


@dataclass(frozen=True)
class DrinkingWaterResult:
    compliant: np.ndarray  # (n,) bool; False also where nothing was measured
    failing: np.ndarray  # (n,) names of the items over their limit, ";"-joined
    rate: Decimal | None  # compliant ÷ evaluated, %
    volume_rate: Decimal | None  # compliant volume ÷ total volume, % (when volumes are given)


def drinking_water_compliance(
    values: Mapping[str, ArrayLike],
    *,
    kind: str = "river",
    below_detection: Mapping[str, ArrayLike] | None = None,
    skip: Sequence[str] = ("cod",),
    extra_limits: Mapping[str, str] | None = None,
    volumes: ArrayLike | None = None,
) -> DrinkingWaterResult:
    """Surface drinking-water sources (one row per source, period means): the 21 items at Ⅲ类 (COD usually left
    out), GB 3838 表2 supplementary items and any 表3 items given in `extra_limits` (code → limit text),
    single factor.  The rate is over sources, and over water volume when `volumes` are given."""
    below_detection = below_detection or {}
    per_row_fail, names = [], []
    n = 0
    measured = None
    for code, raw in values.items():
        num, den = to_scaled(raw, below_detection.get(code))
        n = num.shape[0]
        measured = (num >= 0) if measured is None else measured | (num >= 0)
        if code in EVALUATED and code not in skip:
            fail = _classify_item(code, num, den, kind) > 3
        elif code in DRINKING_SUPPLEMENT or (extra_limits and code in extra_limits):
            text = extra_limits[code] if extra_limits and code in extra_limits else DRINKING_SUPPLEMENT[code]
            fail = (num >= 0) & (num > _scaled(text) * den)
        else:
            continue
        per_row_fail.append(fail)
        names.append(NAMES.get(code, code))
    if measured is None:
        measured = np.zeros(0, dtype=bool)
    if per_row_fail:
        fails = np.stack(per_row_fail, axis=1)
        failing = _mask_join(fails, names)
        compliant = measured & ~fails.any(axis=1)
    else:
        failing = np.full(n, "", dtype=object)
        compliant = measured.copy()
    evaluated = int(measured.sum())
    rate = _pct(int(compliant.sum()), evaluated)
    volume_rate = None
    if volumes is not None:
        vol = np.asarray(volumes, dtype=np.float64)
        total = float(vol[measured].sum())
        volume_rate = (
            None
            if total == 0
            else fraction_to_decimal(Fraction(float(vol[compliant].sum())) * 100 / Fraction(total), 1)
        )
    return DrinkingWaterResult(compliant, failing, rate, volume_rate)


def _mask_join(mask: np.ndarray, names: Sequence[str]) -> np.ndarray:
    out = np.full(mask.shape[0], "", dtype=object)
    for j, name in enumerate(names):
        sep = np.where(out == "", "", ";")
        out = np.where(mask[:, j], out + sep + name, out)
    return out
