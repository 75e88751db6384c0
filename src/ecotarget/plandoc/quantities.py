"""Numbers and measurement units as target sentences write them ("15、29微克/立方米", "93%以上", "8个")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# canonical measure unit → the spellings plans use for it
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "%": ("%", "％"),
    "个百分点": ("个百分点", "百分点"),
    "微克/立方米": ("微克/立方米", "微克每立方米", "μg/m³", "μg/m3", "µg/m³", "µg/m3", "ug/m3", "ug/m³"),
    "毫克/立方米": ("毫克/立方米", "mg/m³", "mg/m3"),
    "毫克/升": ("毫克/升", "mg/L", "mg/l"),
    "吨标准煤": ("吨标准煤",),
    "万吨标准煤": ("万吨标准煤",),
    "万吨": ("万吨",),
    "蒸吨": ("蒸吨",),
    "吨": ("吨",),
    "万亩": ("万亩",),
    "亩": ("亩",),
    "万公顷": ("万公顷",),
    "公顷": ("公顷", "hm²", "hm2"),
    "平方公里": ("平方公里", "平方千米", "km²", "km2"),
    "公里": ("公里", "千米", "km"),
    "万立方米": ("万立方米",),
    "立方米": ("立方米", "m³", "m3"),
    "米": ("米",),
    "亿元": ("亿元",),
    "万元": ("万元",),
    "元": ("元",),
    "分贝": ("分贝", "dB(A)", "dB"),
    "倍": ("倍",),
    "小时": ("小时",),
    "天": ("天",),
    "个": ("个",),
    "项": ("项",),
    "家": ("家",),
    "座": ("座",),
    "处": ("处",),
    "条": ("条",),
    "台": ("台",),
    "辆": ("辆",),
    "艘": ("艘",),
    "宗": ("宗",),
    "户": ("户",),
    "所": ("所",),
    "次": ("次",),
    "起": ("起",),
    "件": ("件",),
    "套": ("套",),
    "批": ("批",),
    "人": ("人",),
    "名": ("名",),
    "分": ("分",),
}
# Classifiers that count things a task creates or closes ("增创…8个", "淘汰燃煤锅炉20台").
COUNT_UNITS = (
    "个", "项", "家", "座", "处", "条", "台", "辆", "艘", "宗", "户", "所", "套", "批", "万亩", "亩", "公顷",
    "公里", "千米", "蒸吨", "万吨", "吨",
)  # fmt: skip

_ALIASES = {alias: measure_unit for measure_unit, aliases in MEASURE_UNITS.items() for alias in aliases}
MEASURE_UNIT_ALT = "|".join(re.escape(a) for a in sorted(_ALIASES, key=len, reverse=True))
NUMBER = r"\d{1,9}(?:\.\d{1,6})?"
# One value: a number, optionally its measure unit. Not a date or year ("2022年", "6月"), not part of a longer number.
VALUE = rf"(?<![\d.])({NUMBER})(?![\d.])\s*({MEASURE_UNIT_ALT})?(?![年月日号期级类])"
_VALUE_RE = re.compile(VALUE)
# A list of values "15、29微克/立方米" / "100%、95%" / "80%和90%".
VALUES = rf"{VALUE}(?:\s*[、和及与~-]\s*{VALUE})*"
VALUES_RE = re.compile(VALUES)
SUFFIXES = ("及以上", "以上", "及以下", "以下", "以内", "之内", "左右")
SUFFIX_RE = re.compile("|".join(SUFFIXES))


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    measure_unit: str | None


def canonical_measure_unit(text: str | None) -> str | None:
    if not text:
        return None
    return _ALIASES.get(text, text)


def decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_values(text: str) -> list[Quantity]:
    """All quantities of a value list; a measure unit written only on the last value applies to all."""
    found = []
    for match in _VALUE_RE.finditer(text):
        value = decimal(match.group(1))
        if value is not None:
            found.append((value, canonical_measure_unit(match.group(2))))
    last = next((measure_unit for _, measure_unit in reversed(found) if measure_unit), None)
    return [Quantity(value, measure_unit or last) for value, measure_unit in found]
