"""Responsible units (责任单位): splitting a label's text into units, their names, kinds and roles.

Plans name the same department several ways (生态环境局, 县生态环境局, 将乐县生态环境局, 三明市将乐生态环境局) and
write lists with every separator there is. This module turns any of them into one canonical `UnitRef` per unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .model import Group, Role, UnitKind, UnitRef
from .rules import POSITION_RULE

VerbRole = Literal["lead", "co", "resp"]

# The last characters of a unit's name; used to tell "生态环境局和住建局" (two units) from "住房和城乡建设局" (one).
UNIT_SUFFIXES = (
    "局", "办", "委", "部", "府", "镇", "乡", "街道", "院", "所", "中心", "公司", "集团", "会", "队", "站", "厅",
    "室", "处", "科", "馆", "社", "行", "团", "联", "组", "区", "村", "场", "署", "单位", "部门", "机关", "园",
    "关", "台", "校", "厂", "段", "署", "监狱", "分局", "支队", "大队", ")",
)  # fmt: skip

# Role verbs after a list of units ("A和B负责,C、D配合"; "X牵头,Y参与,Z负责落实"), longest first.
ROLE_VERBS: dict[str, VerbRole] = {
    "牵头负责": "lead",
    "牵头督导": "lead",
    "牵头督促": "lead",
    "牵头推进": "lead",
    "牵头实施": "lead",
    "牵头落实": "lead",
    "为牵头单位": "lead",
    "牵头抓总": "lead",
    "牵头": "lead",
    "主办": "lead",
    "按职责分工抓好落实": "resp",
    "按职责分工负责": "resp",
    "按职责分工落实": "resp",
    "按职责负责": "resp",
    "分别负责": "resp",
    "共同负责": "resp",
    "具体负责": "resp",
    "具体落实": "resp",
    "负责落实": "resp",
    "抓好落实": "resp",
    "负责": "resp",
    "落实": "resp",
    "配合落实": "co",
    "参与实施": "co",
    "配合推进": "co",
    "配合实施": "co",
    "协助配合": "co",
    "等配合": "co",
    "配合": "co",
    "参与": "co",
    "协助": "co",
    "协办": "co",
    "协同": "co",
}
_VERB_ALT = "|".join(sorted(map(re.escape, ROLE_VERBS), key=len, reverse=True))
# "市发改委、市工信局等按职责分工负责": an "etc." that closes a list of units is not part of the last name.
_TRAILING_ETC = re.compile(r"等(?:有关|相关)?(?:单位|部门)?$")


def strip_etc(segment: str) -> str:
    return _TRAILING_ETC.sub("", segment) if len(segment) > 2 else segment


_TRAILING_VERB = re.compile(rf"(?:{_VERB_ALT})$")
_ROLE_IN_PARENS = re.compile(rf"\((?:{_VERB_ALT})(?:单位|部门)?\)$")

# "列第一位者为牵头单位,下同": a rule about the list, not a unit. The default reading already follows it.
_RULE_NOTE = re.compile(
    rf"(?:[,;]?\s*(?:{POSITION_RULE.pattern})"
    r"(?:[,;]?其[他余](?:单位|部门)?(?:为|是)?(?:配合|参与|协办|责任|协助)(?:单位|部门))?)"
    r"|(?:[,;]?\s*(?:以下|下)同)"
)
# Prose after a list in run-on text ("政府办请各责任部门积极对接…"): the list stops there.
_PROSE = re.compile(r"请|要求|按照|按上述|确保|积极|认真|切实|进一步|抓好|做好|对接|结合|根据|通过")

_TOWNSHIP_BODIES = {
    "乡(镇)": "乡(镇)",
    "乡镇": "乡(镇)",
    "镇(乡)": "乡(镇)",
    "镇乡": "乡(镇)",
    "乡、镇": "乡(镇)",
    "镇、乡": "乡(镇)",
}
_TOWNSHIP_GROUP_BODY = re.compile(
    r"^(?:乡\(镇\)|乡镇|镇\(乡\)|镇乡|乡、镇|镇、乡|乡\(镇、街道\)|乡镇\(街道\)|镇\(街道\)|乡\(镇\)\(街道\)"
    r"|乡镇、街道|镇、街道|镇街区|镇街|镇区|镇|乡|街道)$"
)
_COUNTY_GROUP_BODY = re.compile(r"^(?:[县市区州盟旗](?:[县市区州盟旗、()级]|开发区)*|设区(?:的)?市|地级市|县级市)$")
_GROUP_PREFIX = re.compile(r"^((?:各|有关|相关|涉及的?|所在|属地|其他有关|其它有关|其他|其它)+)")
_DEPARTMENT_GROUP = re.compile(
    r"^(?:[县市省区]直)?(?:各|有关|相关|其他|其它)*(?:[县市省区]直)?(?:各|有关|相关)?(?:成员单位|单位|部门)$"
)
# Group names written with 、 that must not be split: 各区、县级市; 各县、市、区.
_PROTECTED = re.compile(
    r"(?:各|有关|相关)(?:区、县级市|县、市、区|市、县、区|县、市|市、县|县、区|区、县|市、区|乡、镇|镇、乡|乡镇、街道|镇、街道)"
)
_GOVERNMENT = re.compile(r"(?:党委和人民政府|党委和政府|党委政府|人民政府|政府|办事处)$")
_PLACE_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|县|区|州|盟|旗)$")
# What may follow a bare 县/区 that is not the name of a department: party organs and the people's congress
# keep their level ("县委宣传部" is a different body from a 宣传部), and words that merely start with the level.
_KEEP_AFTER_LEVEL = (
    "委", "纪委", "人大", "政协", "人民法院", "法院", "人民检察院", "检察院", "人武部", "总工会", "妇联", "团委",
    "科协", "工商联", "残联", "侨联", "文联", "社科联", "红十字会", "级", "域", "直", "人民政府",
)  # fmt: skip
_LEVEL_WORDS = ("市场", "市政", "市容", "市民", "区域", "县域", "县城", "省级", "市级", "县级", "区级", "省内", "市内")
_OWN_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:省|市|县|州)(?![场政容民])")
_NO_REGION_STRIP = re.compile(r"(?:公司|集团|厂|银行|支行|分行|分公司)$")


@dataclass(frozen=True)
class RegionNames:
    """The plan's own region, whose name prefixes unit names that mean the same unit without it."""

    full: str = ""
    short: str = ""
    level: str = ""

    @classmethod
    def of(cls, region: str) -> RegionNames:
        found = _PLACE_SUFFIX.search(region)
        if not region or not found:
            return cls()
        short = region[: found.start()]
        return cls(full=region, short=short if len(short) >= 2 else "", level=found.group(0)[-1])

    @property
    def county_level(self) -> bool:
        # A bare 县 (or 区, 旗 in districts and banners) is the plan's own level; without a known region the
        # plan is most likely a county's, the commonest kind.
        return self.level in ("", "县", "区", "旗")

    def prefix_pattern(self) -> re.Pattern[str] | None:
        return _prefix_pattern(self.full, self.short)


@lru_cache(maxsize=32)
def _prefix_pattern(full: str, short: str) -> re.Pattern[str] | None:
    names = [n for n in (full, short) if n]
    if not names:
        return None
    alt = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    # The region, optionally after the names of the places above it: 三明市将乐…, 福建省三明市将乐县…
    return re.compile(rf"^(?:[\u4e00-\u9fff]{{2,6}}?(?:省|市|州|自治区|自治州))*(?:{alt})")


@dataclass
class Entry:
    """One unit as listed, before roles are settled."""

    name: str
    kind: UnitKind
    group: Group | None
    verb: VerbRole | None
    verb_word: str = ""


def ends_like_unit(text: str) -> bool:
    return text.endswith(UNIT_SUFFIXES)


def _split_depth0(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "(【[《“":
            depth += 1
        elif ch in ")】]》”":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


_CONNECTOR = re.compile(r"以及|和|与|及|并")


def _split_connectors(piece: str) -> list[str]:
    """Split "生态环境局和住建局" / "水南镇及有关乡(镇)人民政府" but not "住房和城乡建设局" / "海洋与渔业厅"."""
    out: list[str] = []
    start = 0
    for found in _CONNECTOR.finditer(piece):
        left = piece[start : found.start()]
        right = piece[found.end() :]
        if not left or not right or not ends_like_unit(left):
            continue
        if right.startswith(("以上", "以下")) or _GOVERNMENT.fullmatch(right):
            continue
        out.append(left)
        start = found.end()
    out.append(piece[start:])
    return out


# Endings that make a name certainly a unit where nothing but the name says so (a bare parenthesis after a task,
# a table cell without a header): departments, offices, governments, townships. 区/所/站… are left out, as
# "(含开发区)" or "(试点站)" qualify a task rather than name who does it.
_CLEAR_UNIT = re.compile(r"(?:局|委|办|厅|部|院|中心|公司|集团|政府|管委会|办事处|镇|乡|街道)$")


def list_names(text: str) -> list[str]:
    """The names of a plain list ("A、B和C", "各区、县级市人民政府", "各县(市、区)人民政府"), unchanged."""
    text = _PROTECTED.sub(lambda m: m.group(0).replace("、", "\x00"), text)
    names = []
    for piece in _split_depth0(text, "、/"):
        for name in _split_connectors(piece.strip()):
            names.append(name.replace("\x00", "、").strip())
    return names


def clearly_a_unit(name: str) -> bool:
    """Whether a name is a unit by its ending alone, or is a group a plan names ("各乡(镇)", "各县(市、区)")."""
    if not name or len(name) > 25 or re.search(r"\d", name):
        return False
    return bool(_CLEAR_UNIT.search(name)) or _group(name) is not None


def split_names(content: str) -> list[tuple[str, VerbRole | None, str]]:
    """The names a label lists, each with the role verb that follows it (if any) and that verb's word, in order."""
    content = _RULE_NOTE.sub("", content)
    # A full stop ends the list; what follows is a remark ("。以下均需各县(市、区)落实,不再列出").
    content = _split_depth0(content, "。")[0]
    content = _PROTECTED.sub(lambda m: m.group(0).replace("、", "\x00"), content)
    results: list[tuple[str, VerbRole | None, str]] = []
    for segment in _split_depth0(content, ",;。"):
        segment = segment.strip(" \t:")
        if not segment:
            continue
        verb: VerbRole | None = None
        word = ""
        found = _TRAILING_VERB.search(segment)
        if found and found.start() > 0:
            word = found.group(0)
            verb = ROLE_VERBS[word]
            segment = strip_etc(segment[: found.start()])
        if segment.startswith("由") and len(segment) > 2:
            segment = segment[1:]
        stop = False
        for piece in _split_depth0(segment, "、/"):
            for name in _split_connectors(piece):
                name, item_verb, stop = _clean_name(name.replace("\x00", "、"))
                if name:
                    results.append((name, item_verb or verb, word if item_verb is None else ""))
                if stop:
                    break
            if stop:
                break
        if stop:
            break
    return results


def _clean_name(name: str) -> tuple[str, VerbRole | None, bool]:
    """(name, its own role in parentheses, whether the list ends here)."""
    name = name.strip(" \t\"'“”‘’:")
    while name.endswith(")") and name.count("(") < name.count(")"):
        name = name[:-1]
    while name.startswith("(") and name.count("(") > name.count(")"):
        name = name[1:]
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")]
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    verb: VerbRole | None = None
    found = _ROLE_IN_PARENS.search(name)
    if found:
        verb = ROLE_VERBS[found.group(0).strip("()").removesuffix("单位").removesuffix("部门")]
        name = name[: found.start()]
    found_etc = _TRAILING_ETC.search(name)
    if found_etc and found_etc.start() > 1:
        # "水利局等相关部门": the 等 closes the list; what follows it is not a unit.
        name = name[: found_etc.start()]
    prose = _PROSE.search(name)
    if prose:
        head = name[: prose.start()]
        return (head if ends_like_unit(head) else ""), verb, True
    if len(name) > 30:
        return "", verb, True
    return name, verb, False


def _level_prefix(name: str) -> str:
    if len(name) >= 3 and name[0] in "省市县区州" and not name.startswith(_LEVEL_WORDS):
        return name[0]
    return ""


def strip_region(name: str, region: RegionNames) -> str:
    """将乐县生态环境局, 三明市将乐生态环境局 → 县生态环境局: the plan's own region becomes its bare level."""
    pattern = region.prefix_pattern()
    if pattern and not _NO_REGION_STRIP.search(name):
        found = pattern.match(name)
        # "溪口镇" in 溪口县 is a township named like the county, not the county's 镇.
        if found and len(name) > found.end() and name[found.end() :] not in ("镇", "乡", "街道", "村", "社区"):
            return region.level + name[found.end() :]
    return name


def normalise(name: str, region: RegionNames) -> tuple[str, UnitKind, Group | None]:
    """(name, kind, group) for one listed name."""
    group = _group(name)
    if group:
        return group
    name = strip_region(name, region)
    if region.county_level and len(name) > 2 and name[0] in "县区旗" and name[0] == (region.level or "县"):
        rest = name[1:]
        keep = rest.startswith(_KEEP_AFTER_LEVEL) or rest == "政府"
        # "县城管局" is the county's 城管局 (a unit's name never starts with 县城, the county seat).
        if not keep and (not name.startswith(_LEVEL_WORDS) or name.startswith("县城")):
            name = rest
    government = _GOVERNMENT.search(name)
    if government and government.start() > 0:
        head = name[: government.start()]
        if head.endswith(("镇", "乡", "街道")):
            name = head
        group = _group(name)
        if group:
            return group
    if name.endswith(("镇", "乡", "街道")) and len(name) >= 2:
        return name, "township", None
    return name, "department", None


def _group(name: str) -> tuple[str, UnitKind, Group | None] | None:
    body = _GOVERNMENT.sub("", name) or name
    if _DEPARTMENT_GROUP.match(body) and len(body) >= 4:
        members: Group = "all" if "各" in body and "有关" not in body and "相关" not in body else "relevant"
        return name, "department", members
    prefix_match = _GROUP_PREFIX.match(body)
    prefix = prefix_match.group(1) if prefix_match else ""
    rest = body[len(prefix) :]
    if _TOWNSHIP_GROUP_BODY.match(rest):
        if not prefix and rest not in _TOWNSHIP_BODIES:
            return None
        group: Group = "all" if prefix in ("", "各") else "relevant"
        label = "各" if group == "all" else "有关"
        return label + _TOWNSHIP_BODIES.get(rest, rest), "township_group", group
    if prefix and _COUNTY_GROUP_BODY.match(rest):
        counties: Group = "all" if prefix == "各" else "relevant"
        # A group of the levels below keeps its whole name as written ("各设区市政府", "各县(市、区)党委和人民政府",
        # "各有关区、县级市"): which body of those places answers is part of what the plan says.
        return name, "township_group", counties
    return None


# A level inside the name ("团市委", "县委宣传部") or a place's own name ("东城区", "城关镇"): not a department
# a list's level prefix may be added to.
_LEVEL_BODY = re.compile(r"^[省市县区州](?:政府|委|人大|政协)")
_OWN_LEVEL = re.compile(r"[省市县区][委级]|^团|(?:区|县|市|旗|镇|乡|街道|开发区|园区)$")


def _department_like(name: str) -> bool:
    """Whether a level prefix written once in a list ("市农业局、财政局") carries over to this name."""
    if _group(name) or _OWN_PLACE.match(name) or _GOVERNMENT.search(name) or _GROUP_PREFIX.match(name):
        return False
    if name.startswith("县城"):  # 县城管局: the county's 城管局 already
        return False
    return not (_level_prefix(name) or _LEVEL_BODY.match(name) or _OWN_LEVEL.search(name))


def parse_list(content: str, region: RegionNames) -> list[Entry]:
    """Every unit one label lists, normalised, with level prefixes distributed ("省农业厅、海洋与渔业厅")."""
    entries: list[Entry] = []
    prefix = ""
    for raw, verb, word in split_names(content):
        name = strip_region(raw, region)
        own = _level_prefix(name)
        if own:
            prefix = own
        elif prefix and _department_like(name):
            name = prefix + name
        normal, kind, group = normalise(name, region)
        if normal:
            entries.append(Entry(normal, kind, group, verb, word))
        if group or kind != "department" or _GOVERNMENT.search(normal):
            # "省生态环境厅,各设区市人民政府、平潭综合实验区管委会": the 省 of the departments stops at the
            # governments below it.
            prefix = ""
    return entries


def assign_roles(labelled: list[tuple[VerbRole, list[Entry], str]], position_rule: str = "") -> list[UnitRef]:
    """Settle lead/co for a task's labels: (the label's own role, its entries, what gave the label), in order.

    Explicit words win (牵头单位 / 配合单位 labels, 牵头 / 配合 verbs). A 负责 verb makes its units leads unless
    someone 牵头s or a label names units without a verb (then the first of those leads). Otherwise the first
    unit listed leads and the rest co-operate — the plan's own words for that rule, when it states one, are
    `position_rule`. Each unit's `source` says which of these gave its role.
    """
    flat: list[tuple[Entry, VerbRole, str]] = []
    for label_role, entries, said in labelled:
        for entry in entries:
            role = entry.verb or label_role
            if entry.verb == "resp" and label_role in ("lead", "co"):
                role = label_role
            flat.append((entry, role, said))
    has_lead = any(role == "lead" for _, role, _ in flat)
    # "责任单位:市住建局,各县(市、区)人民政府负责落实": the unit the label names leads; those who 负责落实
    # implement under it.
    named = any(entry.verb is None and role == "resp" for entry, role, _ in flat)
    refs: dict[str, UnitRef] = {}
    first_pending = True
    by_position = f"规定：{position_rule}" if position_rule else "列第一位者视为牵头"
    several = sum(1 for entry, role, _ in flat if role == "resp" and entry.verb is None) > 1
    for entry, role, said in flat:
        final: Role
        source = f"动词“{entry.verb_word}”" if entry.verb_word else said
        if role == "resp":
            if entry.verb == "resp":
                final = "co" if has_lead or named else "lead"
            else:
                final = "lead" if not has_lead and first_pending else "co"
                if final == "lead" and several:
                    source = "；".join(s for s in (said, by_position) if s)
                first_pending = False
        else:
            final = role
        existing = refs.get(entry.name)
        if existing is None:
            refs[entry.name] = UnitRef(entry.name, entry.kind, final, entry.group, source)
        elif final == "lead" and existing.role != "lead":
            refs[entry.name] = UnitRef(existing.name, existing.kind, "lead", existing.group, source)
    return list(refs.values())
