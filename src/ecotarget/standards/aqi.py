"""IAQI and AQI by HJ 633-2012 and HJ 633-2026, in integer arithmetic over whole arrays.

Tables: HJ 633-2012 表1 and HJ 633-2026 表3 (standards-spec §1.1).  Concentrations are integers in the rounding
unit (µg/m³; CO 0.1 mg/m³), already rounded by GB/T 8170; the index is rounded up ("全部进位取整"), computed as
`IAQI_lo + ceil(ΔI·(C − BP_lo) / ΔBP)` with integer floor division, so CO 2.2 mg/m³ gives 55, never 56.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike

from .editions import Edition, parse_edition
from .rounding import DECIMALS, MISSING, to_units

IAQI_STEPS = (0, 50, 100, 150, 200, 300, 400, 500)

_COMMON = {
    "SO2_24H": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "SO2_1H": (0, 150, 500, 650, 800),  # no segment above 800: the over-range rule takes over
    "NO2_24H": (0, 40, 80, 180, 280, 565, 750, 940),
    "NO2_1H": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "CO_24H": (0, 20, 40, 140, 240, 360, 480, 600),  # 0.1 mg/m³
    "CO_1H": (0, 50, 100, 350, 600, 900, 1200, 1500),  # 0.1 mg/m³
    "O3_1H": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "O3_8H": (0, 100, 160, 215, 265, 800),  # no segment above 800: the over-range rule takes over
}

# HJ 633-2012 表1 and HJ 633-2026 表3; they differ only in the PM columns at IAQI 100 (75→60, 150→120)
BREAKPOINTS: dict[Edition, dict[str, tuple[int, ...]]] = {
    Edition.E2012: {
        **_COMMON,
        "PM10_24H": (0, 50, 150, 250, 350, 420, 500, 600),
        "PM2_5_24H": (0, 35, 75, 115, 150, 250, 350, 500),
    },
    Edition.E2026: {
        **_COMMON,
        "PM10_24H": (0, 50, 120, 250, 350, 420, 500, 600),
        "PM2_5_24H": (0, 35, 60, 115, 150, 250, 350, 500),
    },
}

# the name CNEMC publishes for each item (standards-spec §1.6)
PUBLISHED_NAMES = {
    "PM2_5_24H": "细颗粒物(PM2.5)",
    "PM10_24H": "颗粒物(PM10)",
    "O3_1H": "臭氧1小时",
    "O3_8H": "臭氧8小时",
    "SO2_24H": "二氧化硫",
    "SO2_1H": "二氧化硫",
    "NO2_24H": "二氧化氮",
    "NO2_1H": "二氧化氮",
    "CO_24H": "一氧化碳",
    "CO_1H": "一氧化碳",
}

ITEM_POLLUTANT = {item: item.rsplit("_", 1)[0].lower() for item in PUBLISHED_NAMES}


@dataclass(frozen=True)
class Level:
    number: int
    name: str  # 级别
    category: str  # 类别
    category_en: str
    colour: str
    rgb: tuple[int, int, int]
    cmyk: tuple[int, int, int, int]


# HJ 633-2012 表2 = HJ 633-2026 表1 (standards-spec §1.5); index 0 stands for "no AQI" (NA)
LEVELS: tuple[Level, ...] = (
    Level(0, "NA", "NA", "not available", "", (255, 255, 255), (0, 0, 0, 0)),
    Level(1, "一级", "优", "excellent", "绿色", (0, 228, 0), (40, 0, 100, 0)),
    Level(2, "二级", "良", "good", "黄色", (255, 255, 0), (0, 0, 100, 0)),
    Level(3, "三级", "轻度污染", "lightly polluted", "橙色", (255, 126, 0), (0, 52, 100, 0)),
    Level(4, "四级", "中度污染", "moderately polluted", "红色", (255, 0, 0), (0, 100, 100, 0)),
    Level(5, "五级", "重度污染", "heavily polluted", "紫色", (153, 0, 76), (10, 100, 40, 30)),
    Level(6, "六级", "严重污染", "severely polluted", "褐红色", (126, 0, 35), (30, 100, 100, 30)),
)
_LEVEL_UPPER = np.array([50, 100, 150, 200, 300])


def level_of(aqi: ArrayLike) -> np.ndarray:
    """AQI level number 1–6 (0 where the AQI is NA, i.e. negative)."""
    a = np.asarray(aqi, dtype=np.int64)
    return np.where(a >= 0, np.searchsorted(_LEVEL_UPPER, a, side="left") + 1, 0).astype(np.int8)


_CATEGORY = np.array([lv.category for lv in LEVELS])
_COLOUR = np.array([lv.colour for lv in LEVELS])
_LEVEL_NAME = np.array([lv.name for lv in LEVELS])


@cache
def _iaqi_table(edition: Edition, item: str) -> np.ndarray:
    """IAQI of every whole-unit concentration 0 … top breakpoint: IAQI_lo + ceil(ΔI·(C − BP_lo)/ΔBP), in integers."""
    bp = np.asarray(BREAKPOINTS[edition][item], dtype=np.int64)
    steps = np.asarray(IAQI_STEPS[: len(bp)], dtype=np.int64)
    c = np.arange(bp[-1] + 1, dtype=np.int64)
    seg = np.clip(np.searchsorted(bp, c, side="left"), 1, len(bp) - 1)
    lo, hi = bp[seg - 1], bp[seg]
    num = (steps[seg] - steps[seg - 1]) * (c - lo)
    den = hi - lo
    table = (steps[seg - 1] + (num + den - 1) // den).astype(np.int32)
    table.setflags(write=False)  # shared by every call through the cache
    return table


@dataclass(frozen=True)
class IAQI:
    """Indices of one item: `values` is MISSING where not computed; `over_range` marks inputs above the table."""

    values: np.ndarray
    over_range: np.ndarray
    not_computed: np.ndarray  # the 2012 rules for SO₂ 1h > 800 and O₃ 8h > 800: use another item instead


def iaqi(item: str, concentration: ArrayLike, edition: Edition | str) -> IAQI:
    """IAQI of one item for integer concentrations (µg/m³; CO in 0.1 mg/m³); MISSING in gives MISSING out.

    Above the top breakpoint: 2026 gives SO₂ 1h 200 and O₃ 8h 300 (表3 notes b, c); 2012 does not compute those
    two (the caller substitutes SO₂ 24h / O₃ 1h); every other item is capped at 500 and flagged (spec §1.5).
    """
    edition = parse_edition(edition)
    table = _iaqi_table(edition, item)
    top = table.size - 1
    c = np.asarray(concentration, dtype=np.int64)
    present = c >= 0
    over = present & (c > top)
    # concentrations are whole units bounded by the table, so one gather from the precomputed exact table
    value = table[np.clip(c, 0, top)]
    not_computed = np.zeros(c.shape, dtype=bool)
    if item in ("SO2_1H", "O3_8H"):
        if edition is Edition.E2026:
            value = np.where(over, 200 if item == "SO2_1H" else 300, value)
        else:
            not_computed = over
            value = np.where(over, MISSING, value)
    else:
        value = np.where(over, 500, value)
    value = np.where(present, value, MISSING)
    return IAQI(value.astype(np.int32), over, not_computed)


MISSING_RULES = {
    "standard": "缺测规则：按 HJ 633-2026 §5.3，有污染物缺测且其余分指数不超过100时不发布AQI"
    " / missing values: HJ 633-2026 §5.3, no AQI when a pollutant is missing and the others give 100 or less",
    "release": "缺测规则：按国家实时发布的做法，由其余污染物计算AQI"
    " / missing values: as the national real-time release does, the AQI of the pollutants present",
}


@dataclass(frozen=True)
class AQIResult:
    """AQI of n records over k items; arrays are row-aligned with the input.

    `aqi` is MISSING (-1) where the missing-value rule withholds it: under `missing_rule` "standard" (HJ 633-2026
    §5.3) when a pollutant is missing and the others give AQI ≤ 100, under "release" (what the national real-time
    release publishes) only when no pollutant is present; `partial_aqi` is the maximum over the items present.
    A pollutant outside the station's programme ("/") is not missing (`absent`). `primary` and `exceeding` are
    (n, k) masks over `items`; `columns` names the input column each item came from; `rule` says which
    concentrations fed it ("hourly": the 1-hour values, "hj633-2012": HJ 633-2012's moving means, "daily").
    """

    edition: Edition
    items: tuple[str, ...]
    columns: tuple[str, ...]
    iaqi: np.ndarray
    missing: np.ndarray
    over_range: np.ndarray
    partial_aqi: np.ndarray
    aqi: np.ndarray
    primary: np.ndarray
    exceeding: np.ndarray | None  # 超标污染物, IAQI > 100: HJ 633-2012 only (deleted in 2026)
    missing_rule: str = "standard"
    rule: str = "daily"
    absent: np.ndarray | None = None  # (n, k): the item is not in the station's programme

    @property
    def missing_rule_text(self) -> str:
        return MISSING_RULES[self.missing_rule]

    def __len__(self) -> int:
        return int(self.aqi.shape[0])

    @property
    def valid(self) -> np.ndarray:
        """True where the AQI is published and the record counts as a valid day (优良天数比例 denominator)."""
        return self.aqi >= 0

    @property
    def level(self) -> np.ndarray:
        return level_of(self.aqi)

    @property
    def category(self) -> np.ndarray:
        return _CATEGORY[self.level]

    @property
    def level_name(self) -> np.ndarray:
        return _LEVEL_NAME[self.level]

    @property
    def colour(self) -> np.ndarray:
        return _COLOUR[self.level]

    def primary_labels(self, *, published: bool = False, sep: str = ";") -> np.ndarray:
        """Primary pollutant(s) of every record as text: input column names, or CNEMC's names if `published`."""
        return _mask_labels(self.primary, self._names(published), sep)

    def exceeding_labels(self, *, published: bool = False, sep: str = ";") -> np.ndarray:
        if self.exceeding is None:
            return np.full(len(self), "", dtype=object)
        return _mask_labels(self.exceeding, self._names(published), sep)

    def _names(self, published: bool) -> list[str]:
        return [PUBLISHED_NAMES[i] for i in self.items] if published else list(self.columns)


def _mask_labels(mask: np.ndarray, names: Sequence[str], sep: str) -> np.ndarray:
    """Join the names selected by each row of a boolean mask, through a table of every bit pattern (k ≤ 7 items:
    at most 128 texts), so n rows cost one gather."""
    k = len(names)
    if not k:
        return np.full(len(mask), "", dtype=object)
    codes = np.zeros(len(mask), dtype=np.int64)
    for j in range(k):
        codes |= mask[:, j].astype(np.int64) << j
    table = np.array([sep.join(n for j, n in enumerate(names) if c >> j & 1) for c in range(1 << k)], dtype=object)
    return table[codes]


def combine(
    edition: Edition | str,
    items: Sequence[str],
    columns: Sequence[str],
    iaqis: Sequence[IAQI],
    missing: np.ndarray,
    *,
    missing_rule: str = "standard",
    rule: str = "daily",
    absent: np.ndarray | None = None,
) -> AQIResult:
    """AQI = max IAQI; primary pollutant(s) when AQI > 50 (all ties); the missing-value rule `missing_rule`.

    "standard" is HJ 633-2026 §5.3 (HJ 633-2012 is silent on missing pollutants; the same rule is applied and
    recorded, standards-spec §1.7): the annual evaluation always uses it. "release" publishes the AQI of the
    pollutants present, as the national real-time release does in most such records. `missing` must already
    leave out the `absent` items (outside the programme): they withhold nothing under either rule.
    """
    if missing_rule not in MISSING_RULES:
        raise ValueError(f"unknown missing-value rule {missing_rule!r}: standard or release")
    edition = parse_edition(edition)
    values = np.stack([x.values for x in iaqis], axis=1)
    over = np.stack([x.over_range for x in iaqis], axis=1)
    partial = values.max(axis=1)
    # standard: withheld when a pollutant is missing and the others give 100 or less; release: when none is there
    withheld = missing.any(axis=1) & (partial <= 100) if missing_rule == "standard" else partial < 0
    aqi = np.where(withheld, MISSING, partial).astype(np.int32)
    primary = (aqi[:, None] > 50) & (values == aqi[:, None])
    exceeding = values > 100 if edition is Edition.E2012 else None
    return AQIResult(
        edition, tuple(items), tuple(columns), values, missing, over, partial, aqi, primary, exceeding,
        missing_rule, rule, absent,
    )  # fmt: skip


def _units(conc: Mapping[str, ArrayLike], column: str, in_units: bool) -> np.ndarray:
    raw = conc[column]
    if in_units:
        return np.asarray(raw, dtype=np.int64)
    pollutant = column.split("_24h")[0].split("_8h")[0].split("_1h")[0]
    return to_units(raw, DECIMALS["o3" if pollutant.startswith("o3") else pollutant])


def _aqi_of(
    edition: Edition,
    spec: Sequence[tuple[str, str]],
    conc: Mapping[str, ArrayLike],
    in_units: bool,
    substitutes: Mapping[str, str],
    *,
    missing_rule: str = "standard",
    rule: str = "daily",
    absent: Mapping[str, ArrayLike] | None = None,
) -> AQIResult:
    """Compute every (item, column) of `spec`; `substitutes` maps an item the 2012 rules do not compute above
    its table to the column whose IAQI replaces it (SO₂ 1h → SO₂ 24h) or to "" when another item of the set
    already carries the pollutant (O₃ 8h → the O₃ 1h item). `absent` marks, per column, the records where the
    pollutant is outside the station's programme: no value and not missing."""
    results, missing, gone = [], [], []
    for item, column in spec:
        c = _units(conc, column, in_units)
        out = np.zeros(c.shape, dtype=bool)
        if absent is not None and column in absent:
            out = np.asarray(absent[column], dtype=bool)
            c = np.where(out, MISSING, c)
        results.append(iaqi(item, c, edition))
        missing.append((c < 0) & ~out)
        gone.append(out)
    missing_arr = np.stack(missing, axis=1)
    absent_arr = np.stack(gone, axis=1)
    items = [item for item, _ in spec]
    for j, (item, _column) in enumerate(spec):
        if edition is not Edition.E2012 or item not in substitutes:
            continue
        nc = results[j].not_computed
        if not nc.any():
            continue
        source = substitutes[item]
        if source:  # e.g. SO₂ 1h > 800 takes the SO₂ 24h index; missing if that column is absent or blank
            if source in conc:
                sub = iaqi(source.upper(), _units(conc, source, in_units), edition)
                filled = np.where(nc, sub.values, results[j].values)
            else:
                filled = results[j].values
            results[j] = IAQI(filled.astype(np.int32), results[j].over_range, nc)
            missing_arr[:, j] |= (filled < 0) & ~absent_arr[:, j]
        else:  # O₃ 8h > 800: not an absent value; the O₃ 1h item of the same record speaks for O₃
            o3_1h = items.index("O3_1H")
            missing_arr[:, j] = missing_arr[:, o3_1h] & nc | (missing_arr[:, j] & ~nc)
    return combine(
        edition, items, [c for _, c in spec], results, missing_arr, missing_rule=missing_rule, rule=rule,
        absent=absent_arr,
    )  # fmt: skip


DAILY_COLUMNS_2026 = ("so2", "no2", "pm10", "co", "o3_8h", "pm2_5")
DAILY_COLUMNS_2012 = ("so2", "no2", "pm10", "co", "o3_1h_max", "o3_8h", "pm2_5")
_DAILY_ITEMS = {
    "so2": "SO2_24H",
    "no2": "NO2_24H",
    "pm10": "PM10_24H",
    "co": "CO_24H",
    "o3_1h_max": "O3_1H",
    "o3_8h": "O3_8H",
    "pm2_5": "PM2_5_24H",
}


def daily_columns(edition: Edition | str) -> tuple[str, ...]:
    """Input columns of the daily AQI: 2012 adds the O₃ daily maximum 1-hour value (standards-spec §1.4)."""
    return DAILY_COLUMNS_2012 if parse_edition(edition) is Edition.E2012 else DAILY_COLUMNS_2026


def daily_aqi(
    conc: Mapping[str, ArrayLike],
    edition: Edition | str,
    *,
    in_units: bool = False,
    missing: str = "standard",
    absent: Mapping[str, ArrayLike] | None = None,
) -> AQIResult:
    """Daily AQI (日报) of every record.

    `conc` maps `so2, no2, pm10, pm2_5, co, o3_8h` (+ `o3_1h_max` for 2012) to arrays: physical values
    (µg/m³, CO mg/m³, NaN = missing) GB/T 8170-rounded here, or integer units (MISSING = -1) with `in_units`.
    `missing` is the missing-value rule ("standard" or "release", see `combine`); `absent` marks, per column,
    the pollutants outside the station's programme.
    """
    edition = parse_edition(edition)
    spec = [(_DAILY_ITEMS[c], c) for c in daily_columns(edition)]
    return _aqi_of(edition, spec, conc, in_units, {"O3_8H": ""}, missing_rule=missing, rule="daily", absent=absent)


REALTIME_COLUMNS = ("so2", "no2", "pm10", "co", "o3", "pm2_5")
REALTIME_2012_EXTRA = ("pm2_5_24h", "pm10_24h", "o3_8h")


REALTIME_RULES = {
    "hourly": "实时AQI由1小时浓度计算 / real-time AQI from the 1-hour values",
    "hj633-2012": "实时AQI按HJ 633-2012：颗粒物取24小时滑动平均，臭氧另计8小时滑动平均"
    " / real-time AQI by HJ 633-2012: PM from 24-hour moving means, O₃ 8-hour moving mean besides the 1-hour",
}


class RuleRefused(ValueError):
    """A real-time rule the edition does not have, or whose columns the data lacks."""


def realtime_aqi(
    conc: Mapping[str, ArrayLike],
    edition: Edition | str,
    *,
    in_units: bool = False,
    rule: str = "hourly",
    missing: str = "standard",
    absent: Mapping[str, ArrayLike] | None = None,
) -> AQIResult:
    """Real-time (hourly) AQI of every record, by `rule`, never chosen from the columns the data happens to have.

    "hourly" (default): the six 1-hour values, PM on the daily PM breakpoints of the edition — HJ 633-2026 §4.2,
    and what CNEMC published under the 2012 table (standards-spec §1.4); a file's 24-hour and 8-hour columns are
    not used.  "hj633-2012" (2012 edition only, needs `pm2_5_24h, pm10_24h, o3_8h`): HJ 633-2012's own rule (PM
    from 24-hour moving means, O₃ 8-hour moving mean as well as O₃ 1-hour).  SO₂ 1h > 800 under 2012 uses
    `so2_24h` when given, else counts as missing.  `missing` and `absent` as for `daily_aqi`.
    """
    edition = parse_edition(edition)
    if rule not in REALTIME_RULES:
        raise RuleRefused(f"unknown real-time rule {rule!r}: {', '.join(REALTIME_RULES)}")
    if rule == "hj633-2012":
        if edition is not Edition.E2012:
            raise RuleRefused(
                "HJ 633-2026 的实时AQI只用1小时浓度 / HJ 633-2026 computes the real-time AQI from 1-hour values only"
            )
        lacking = [c for c in REALTIME_2012_EXTRA if c not in conc]
        if lacking:
            raise RuleRefused(f"缺少列 / missing columns: {', '.join(lacking)}")
        spec = [
            ("SO2_1H", "so2"),
            ("NO2_1H", "no2"),
            ("PM10_24H", "pm10_24h"),
            ("CO_1H", "co"),
            ("O3_1H", "o3"),
            ("O3_8H", "o3_8h"),
            ("PM2_5_24H", "pm2_5_24h"),
        ]
    else:
        spec = [
            ("SO2_1H", "so2"),
            ("NO2_1H", "no2"),
            ("PM10_24H", "pm10"),
            ("CO_1H", "co"),
            ("O3_1H", "o3"),
            ("PM2_5_24H", "pm2_5"),
        ]
    return _aqi_of(
        edition, spec, conc, in_units, {"SO2_1H": "so2_24h", "O3_8H": ""}, missing_rule=missing, rule=rule,
        absent=absent,
    )  # fmt: skip
