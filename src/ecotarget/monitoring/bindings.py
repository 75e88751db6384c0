"""Which plan targets are measured from monitoring data, recognised from the target's wording.

The words are those plans use (分解方案 of counties and cities); the order matters: the first rule whose
words all appear in the metric wins, so narrower wordings (国控断面, 小流域) come before the general one.
"""

from dataclasses import dataclass

from .models import Indicator, Station

_AIR_RULES: list[tuple[tuple[str, ...], str, str]] = [
    (("PM2.5",), Indicator.PM2_5_ANNUAL, ""),
    (("细颗粒物",), Indicator.PM2_5_ANNUAL, ""),
    (("PM10",), Indicator.PM10_ANNUAL, ""),
    (("可吸入颗粒物",), Indicator.PM10_ANNUAL, ""),
    (("优良天数",), Indicator.GOOD_DAY_RATIO, ""),
    (("达标天数",), Indicator.GOOD_DAY_RATIO, ""),
    (("重污染",), Indicator.HEAVY_DAYS, ""),
    (("二级标准",), Indicator.SIX_POLLUTANTS, ""),
]
_WATER_RULES: list[tuple[tuple[str, ...], str, str]] = [
    (("饮用水", "千吨万人"), Indicator.DRINKING_COMPLIANCE, Station.DrinkingScale.RURAL_1000_10000),
    (("饮用水", "乡镇级"), Indicator.DRINKING_COMPLIANCE, Station.DrinkingScale.TOWNSHIP_AND_ABOVE),
    (("饮用水", "达标"), Indicator.DRINKING_COMPLIANCE, ""),
    (("国控", "优良"), Indicator.SECTION_GOOD_RATIO, Station.Level.NATIONAL),
    (("省控", "优良"), Indicator.SECTION_GOOD_RATIO, Station.Level.PROVINCIAL),
    (("小流域", "优良"), Indicator.SECTION_GOOD_RATIO, Station.Level.SMALL_BASIN),
    (("水质优良",), Indicator.SECTION_GOOD_RATIO, ""),
    (("优质水",), Indicator.SECTION_EXCELLENT_RATIO, ""),
    (("Ⅴ类",), Indicator.SECTION_CLASS_V, ""),
    (("V类",), Indicator.SECTION_CLASS_V, ""),
]


@dataclass(frozen=True)
class Suggestion:
    indicator: str
    scope: str


def suggest(metric: str) -> Suggestion | None:
    """The indicator that measures a target worded `metric`, or None when it is reported by hand."""
    for words, indicator, scope in _AIR_RULES + _WATER_RULES:
        if all(word in metric for word in words):
            return Suggestion(indicator=indicator, scope=scope)
    return None
