"""The measured indicators: each is declared here once, and everything else asks this registry.

An indicator's declaration (`IndicatorSpec`) gives its stored code and Chinese name, its medium (air or water),
the words that recognise it in a target's wording, the scopes a binding may count (a station level or a
drinking-water scale; "" = every station of the medium), its measure unit and the function that computes it
from the data (`measures`). From the registry come:

- the stored choices (`models.Indicator`, derived from it in the order declared here);
- the suggestion at plan import (`bindings.suggest`) and on the task page;
- the binding form's choices and the scope check of `services.binding_set`;
- the reading (`readings.reading_for` gathers the data of the indicator's medium and calls its `compute`);
- the dashboard's 水质断面 figures (`section_indicators`). The dashboard and the reports never list
  indicators nor import `standards`: they ask `readings` (`measured_readings`, `water_sections`).

How to add an indicator:

1. Write its computation: a function taking a `measures.Source` (the county's air year or water samples as of
   a day) and returning a `measures.Measure` (value, monthly series, projection and its assumption, facts).
2. Declare it below with `register(IndicatorSpec(...))`, with the words of its wordings: a target takes the
   first rule whose words all appear in its wording, tried as `wording_rules` orders them (air before water;
   within a medium, rules with more words before those with fewer, then in the order declared).
3. Run `ecotarget makemigrations monitoring`: the stored choices changed (the codes already stored do not).

Nothing else changes: the task page offers it, imports suggest it, readings compute it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from . import measures
from .measures import Measure, Source


class Medium(models.TextChoices):
    """What an indicator measures, and which data its computation is given (a station's medium too)."""

    AIR = "air", "环境空气"
    WATER = "water", "地表水"


AIR, WATER = Medium.AIR, Medium.WATER


class Level(models.TextChoices):
    """A station's level, and the scope of a section indicator."""

    NATIONAL = "national", "国控"
    PROVINCIAL = "provincial", "省控"
    CITY = "city", "市控"
    COUNTY = "county", "县控"
    SMALL_BASIN = "small_basin", "小流域"


class DrinkingScale(models.TextChoices):
    """A drinking-water source's scale, and the scope of the drinking-water indicator."""

    TOWNSHIP_AND_ABOVE = "township_and_above", "乡镇级及以上"
    RURAL_1000_10000 = "rural_1000_10000", "农村“千吨万人”"


ALL_STATIONS = ""  # the scope of a binding that counts every station of its medium
SCOPE_LABELS: dict[str, str] = dict(Level.choices) | dict(DrinkingScale.choices)
ALL_STATIONS_LABEL = "全部点位"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str  # stored in IndicatorBinding.indicator and AnnualFigure.indicator: never change it
    name: str
    medium: Medium  # which data `compute` is given
    # Each rule: the words that must all appear in a target's wording, and the scope they imply.
    words: tuple[tuple[tuple[str, ...], str], ...]
    scopes: tuple[str, ...]
    measure_unit: str
    compute: Callable[[Source], Measure]
    of_sections: bool = False  # figured from the surface-water sections' classes (the dashboard's 水质断面)


_REGISTRY: dict[str, IndicatorSpec] = {}


def register(spec: IndicatorSpec) -> IndicatorSpec:
    """Declare an indicator (a code already declared is replaced)."""
    _REGISTRY[spec.code] = spec
    return spec


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def all_indicators() -> list[IndicatorSpec]:
    return list(_REGISTRY.values())


def spec_of(code: str) -> IndicatorSpec | None:
    return _REGISTRY.get(code)


def name_of(code: str) -> str:
    """The indicator's name; a code no longer declared is shown as stored."""
    spec = _REGISTRY.get(code)
    return spec.name if spec else code


def choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in _REGISTRY.values()]


def section_indicators() -> list[str]:
    """The water indicators figured from the sections' classes (the dashboard's 水质断面 figures)."""
    return [s.code for s in _REGISTRY.values() if s.of_sections]


def scope_choices() -> list[tuple[str, str]]:
    """Every scope some indicator allows, in the words of the page."""
    allowed = {scope for spec in _REGISTRY.values() for scope in spec.scopes}
    named = [(code, label) for code, label in SCOPE_LABELS.items() if code in allowed]
    return [(ALL_STATIONS, ALL_STATIONS_LABEL), *named]


def allows(code: str, scope: str) -> bool:
    spec = _REGISTRY.get(code)
    return spec is not None and scope in spec.scopes


def wording_rules() -> list[tuple[tuple[str, ...], str, str]]:
    """(words, indicator, scope), in the order a wording is tried: by medium in the order declared (air first:
    国控站点空气质量优良天数 is air, though it names 国控 and 优良), then within a medium the narrower rules (more
    words: 国控 + 优良) before the general ones (水质优良), then in the order declared."""
    media = list(dict.fromkeys(spec.medium for spec in _REGISTRY.values()))
    rules = [(words, spec.code, scope) for spec in _REGISTRY.values() for words, scope in spec.words]
    return sorted(rules, key=lambda rule: (media.index(_REGISTRY[rule[1]].medium), -len(rule[0])))


# --- the declarations (their order is the stored choices' order) ----------------------------------------------

# Every built-in indicator accepts every scope; air readings ignore it (the county's evaluation stations count).
EVERY_SCOPE = (ALL_STATIONS, *Level.values, *DrinkingScale.values)

register(
    IndicatorSpec(
        code="pm2_5_annual",
        name="PM2.5年均浓度",
        medium=AIR,
        words=((("PM2.5",), ""), (("细颗粒物",), "")),
        scopes=EVERY_SCOPE,
        measure_unit="微克/立方米",
        compute=measures.annual_mean("pm2_5"),
    )
)
register(
    IndicatorSpec(
        code="pm10_annual",
        name="PM10年均浓度",
        medium=AIR,
        words=((("PM10",), ""), (("可吸入颗粒物",), "")),
        scopes=EVERY_SCOPE,
        measure_unit="微克/立方米",
        compute=measures.annual_mean("pm10"),
    )
)
register(
    IndicatorSpec(
        code="good_day_ratio",
        name="空气质量优良天数比例",
        medium=AIR,
        words=((("优良天数",), ""), (("达标天数",), "")),
        scopes=EVERY_SCOPE,
        measure_unit="%",
        compute=measures.good_day_ratio,
    )
)
register(
    IndicatorSpec(
        code="heavy_days",
        name="重污染天数",
        medium=AIR,
        words=((("重污染",), ""),),
        scopes=EVERY_SCOPE,
        measure_unit="天",
        compute=measures.heavy_days,
    )
)
register(
    IndicatorSpec(
        code="six_pollutants",
        name="6项污染物达到二级标准的项数",
        medium=AIR,
        words=((("二级标准",), ""),),
        scopes=EVERY_SCOPE,
        measure_unit="项",
        compute=measures.six_pollutants,
    )
)
register(
    IndicatorSpec(
        code="section_good_ratio",
        name="断面水质优良（Ⅰ~Ⅲ类）比例",
        medium=WATER,
        words=(
            (("国控", "优良"), Level.NATIONAL),
            (("省控", "优良"), Level.PROVINCIAL),
            (("小流域", "优良"), Level.SMALL_BASIN),
            (("水质优良",), ""),
        ),
        scopes=EVERY_SCOPE,
        measure_unit="%",
        compute=measures.section_share(lambda shares: shares.good_percent),
        of_sections=True,
    )
)
register(
    IndicatorSpec(
        code="section_excellent_ratio",
        name="断面优质水（Ⅰ~Ⅱ类）比例",
        medium=WATER,
        words=((("优质水",), ""),),
        scopes=EVERY_SCOPE,
        measure_unit="%",
        compute=measures.section_share(lambda shares: shares.excellent_percent),
        of_sections=True,
    )
)
register(
    IndicatorSpec(
        code="section_class_v",
        name="Ⅴ类及劣Ⅴ类断面数",
        medium=WATER,
        words=((("Ⅴ类",), ""), (("V类",), "")),
        scopes=EVERY_SCOPE,
        measure_unit="个",
        compute=measures.section_share(lambda shares: Decimal(shares.v_or_worse)),
        of_sections=True,
    )
)
register(
    IndicatorSpec(
        code="drinking_compliance",
        name="饮用水水源地水质达标率",
        medium=WATER,
        words=(
            (("饮用水", "千吨万人"), DrinkingScale.RURAL_1000_10000),
            (("饮用水", "乡镇级"), DrinkingScale.TOWNSHIP_AND_ABOVE),
            (("饮用水", "达标"), ""),
        ),
        scopes=EVERY_SCOPE,
        measure_unit="%",
        compute=measures.drinking_compliance,
    )
)
