"""Rules a plan states once for every item after it ("下同"): who leads by position in a list, and units that
answer for every later item without being listed again.

  责任单位中列第一位者为牵头单位,下同          排名第一的为牵头单位          排在前位的为牵头部门
  以下各项均需各乡(镇)人民政府落实,不再列出   → every later item also has 各乡(镇) among its units
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line

POSITION_RULE = re.compile(
    r"(?:列|排|排列|排名|名列|排在|列在|位列)?在?(?:第一位?|首位|第一个|首个|最前面?|前面|前位|第1位?)(?:的|者|位)?"
    r"(?:单位|部门)?(?:为|是)(?:牵头|主办|主责|主要责任)(?:单位|部门)"
)
STANDING_UNITS = re.compile(
    r"(?:以下|下列|下述)(?:各项|所有|全部)?(?:任务|工作|事项)?(?:中)?(?:均|都|全部)?(?:需|须|要|由|应)?"
    r"(?P<units>[^,;。:]{2,40}?)(?:均|都)?(?:为|是)?"
    r"(?:责任单位|责任主体|落实单位|配合单位|负责落实|落实|实施|负责|承担|参与)[,]?"
    r"(?:均?不再|不另|不一一)(?:一一)?(?:列出|列明|标注|注明|列举)"
)


_HINT = re.compile(r"[第首前]|以下|下列|下述")


@dataclass(frozen=True)
class Standing:
    line: int
    units: str
    statement: str


@dataclass
class Rules:
    position: str = ""
    standing: list[Standing] = field(default_factory=list)

    def standing_before(self, line: int) -> list[Standing]:
        return [rule for rule in self.standing if rule.line < line]


def document_rules(lines: list[Line]) -> Rules:
    rules = Rules()
    for line in lines:
        if not _HINT.search(line.text):
            continue
        if not rules.position:
            found = POSITION_RULE.search(line.text)
            if found:
                rules.position = found.group(0)
        for found in STANDING_UNITS.finditer(line.text):
            rules.standing.append(Standing(line.no, found.group("units").strip(), found.group(0)))
    return rules
