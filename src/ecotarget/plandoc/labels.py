"""Responsibility labels: where a plan says who answers for a task.

Layouts seen in published plans, all read here:
  责任单位:A、B                      a line of its own (also 牵头单位: / 配合单位: / 参与单位: lines)
  …成果应用。责任单位:A、B            at the end of the task's own line
  …成果应用。(牵头单位:X,配合单位:Y、Z)  in parentheses (or 【】) at the end, several roles in one
  (责任单位:A、B;列第一位者为牵头单位,下同)  with a rule about the list
  (生态环境局牵头,住建局、水利局配合)      roles given by verbs, without a label word
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import POSITION_RULE
from .text import split_outside
from .units import ROLE_VERBS, VerbRole, clearly_a_unit, ends_like_unit, list_names, strip_etc

# label word → the role it gives its units ("resp": first listed leads unless someone else is named lead)
LABEL_KEYS: dict[str, VerbRole | None] = {
    "牵头责任单位": "lead",
    "主要责任单位": "lead",
    "牵头单位": "lead",
    "牵头部门": "lead",
    "主责单位": "lead",
    "主办单位": "lead",
    "主办部门": "lead",
    "牵头责任部门": "lead",
    "主要责任部门": "lead",
    "主责部门": "lead",
    "配合责任单位": "co",
    "配合责任部门": "co",
    "配合单位": "co",
    "配合部门": "co",
    "参与单位": "co",
    "参与部门": "co",
    "协办单位": "co",
    "协办部门": "co",
    "协助单位": "co",
    "协作单位": "co",
    "协同单位": "co",
    "责任单位": "resp",
    "责任部门": "resp",
    "责任主体": "resp",
    "实施单位": "resp",
    "落实单位": "resp",
    "落实部门": "resp",
    "牵头处室": "lead",
    "配合处室": "co",
    "责任处室": "resp",
    "承办单位": "resp",
    "完成单位": "resp",
    # People, not units: recognised so that the line is not read as task text, then ignored.
    "责任领导": None,
    "牵头领导": None,
    "分管领导": None,
    "包挂领导": None,
    "挂钩领导": None,
    "责任人": None,
    "联系人": None,
    # A time limit written like a label ("完成时限:2025年9月底前"): no units, but the task's deadline.
    "完成时限": None,
    "完成时间": None,
    "完成期限": None,
    "时限要求": None,
    "时间要求": None,
    "时间节点": None,
}
DEADLINE_KEYS = frozenset(("完成时限", "完成时间", "完成期限", "时限要求", "时间要求", "时间节点"))
DEADLINE_SOURCE = "时限"
KEY_ALT = "|".join(sorted(map(re.escape, LABEL_KEYS), key=len, reverse=True))
# Words a plan puts before a label word ("市直牵头单位", "考核责任单位"): part of the label, never of the task's
# text or of a unit's name.
_KEY_PREFIX = r"(?:[省市县区]直|考核|具体|主要)?"
# A label word followed by its separator: ":" or a closing 】/] or a tab (a table cell).
KEY_SEP = re.compile(rf"[【\[〔]?{_KEY_PREFIX}(?P<key>{KEY_ALT})[】\]]?\s*(?::|\t|(?<=[】\]]))\s*")
_LINE_START = re.compile(rf"^[【\[〔]?{_KEY_PREFIX}(?P<key>{KEY_ALT})[】\]]?\s*(?::|\t|(?<=[】\]]))?\s*")
_PROSE_AFTER_KEY = re.compile(r"^(?:要|应|须|需|必须|和|及|与|的|在|对|按|根据|负责|是|为)")
_VERB_ALT = "|".join(sorted(map(re.escape, ROLE_VERBS), key=len, reverse=True))
_ENDS_WITH_VERB = re.compile(rf"(?:{_VERB_ALT})$")
_ANY_VERB = re.compile(_VERB_ALT)
# Every bracket plans put a unit group in; 〔〕 also holds a 文号's year, which never reads as units.
_OPEN = "(【[〔"
_CLOSE = ")】]〕"


def _said(key: str) -> str:
    return DEADLINE_SOURCE if key in DEADLINE_KEYS else f"标注“{key}”"


@dataclass(frozen=True)
class Label:
    """One label: the role its word gives (None for people), what it lists, and the line it is on.

    A `weak` label is a bare list of units with no label word, verb or stated rule ("(县生态环境局、县住建局)"
    at the end of a task): it gives the task's units only when the task has no other label.
    """

    role: VerbRole | None
    content: str
    line: int
    weak: bool = False
    # What in the document gave the label (see UnitRef.source): "标注“牵头单位”", "表格列“参与单位”", "" for verbs.
    source: str = ""


def split_at_labels(text: str, line: int) -> tuple[str, list[Label]]:
    """Text before the first top-level label word, and the labels from there on.

    "…成果应用。责任单位:A、B" → ("…成果应用。", [A、B]); labels in parentheses are left for `take_parenthesised`.
    """
    starts = _top_level_keys(text)
    if not starts:
        start = _LINE_START.match(text)
        if start and _bare_label_line(text[start.end() :]):
            key = start.group("key")
            return "", [Label(LABEL_KEYS[key], text[start.end() :].strip(), line, source=_said(key))]
        return _trailing_verb_roles(text, line)
    head = text[: starts[0].start()]
    return head, _labels_from(text, starts, line)


def _trailing_verb_roles(text: str, line: int) -> tuple[str, list[Label]]:
    """Sentences that only assign roles, anywhere in the item: "…加强管控。生态环境局牵头,住建局配合。",
    "完成改造,县住建局牵头;推进治理,县生态环境局牵头,各乡镇配合。" — one group per sentence, or the last
    clauses of a sentence. Each becomes a label and leaves the task's text."""
    if not _ANY_VERB.search(text):
        return text, []
    kept: list[str] = []
    labels: list[Label] = []
    for sentence, stop in _sentences(text):
        body = sentence.strip()
        if body and body[0] not in _OPEN and _verb_roles(body.rstrip(". ")):
            labels.append(Label("resp", body.rstrip(". "), line))
            continue
        head, roles = _clause_roles(body.rstrip(". "))
        if roles:
            labels.append(Label("resp", roles, line))
            kept.append(head + (stop or "。"))
        else:
            kept.append(sentence + stop)
    if not labels:
        return text, []
    return "".join(kept).strip(), labels


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, its stop) split at top-level 。 and ;."""
    out = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "。;":
            out.append((text[start:i], ch))
            start = i + 1
    if start < len(text):
        out.append((text[start:], ""))
    return out


def _clause_roles(sentence: str) -> tuple[str, str]:
    """ "开展整治,各县(市、区)政府负责": the last clauses of a sentence, each a list of units, the last one ending
    with a role verb → (the clauses before, the role clauses); ("", "") when there are none."""
    if "," not in sentence or not _ENDS_WITH_VERB.search(sentence):
        return sentence, ""
    parts = _split_top(sentence, ",")
    if len(parts) < 2 or not _ENDS_WITH_VERB.search(parts[-1].strip()):
        return sentence, ""
    first = len(parts)
    while first > 1 and _verb_roles(parts[first - 1].strip(), True):
        first -= 1
    if first == len(parts) or not _verb_roles(",".join(parts[first:])):
        return sentence, ""
    return ",".join(parts[:first]).strip(), ",".join(parts[first:]).strip()


def _bare_label_line(rest: str) -> bool:
    """ "责任单位生态环境局、水利局" (the colon lost in copying): a label only if what follows reads as units."""
    if not rest or _PROSE_AFTER_KEY.match(rest) or len(rest) > 60:
        return False
    return all(ends_like_unit(part.strip()) for part in re.split(r"[、,;]", rest) if part.strip())


def _labels_from(text: str, starts: list[re.Match[str]], line: int) -> list[Label]:
    labels = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        content = text[match.end() : end].strip(" \t,;")
        key = match.group("key")
        labels.append(Label(LABEL_KEYS[key], content, line, source=_said(key)))
    return labels


def _top_level_keys(text: str) -> list[re.Match[str]]:
    """Label words outside any bracket, found in one pass (a run-on line may hold thousands)."""
    keys = []
    depth = 0
    position = 0
    for match in KEY_SEP.finditer(text):
        for ch in text[position : match.start()]:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
        position = match.start()
        # "【牵头单位:X】" opens a bracketed group; only "【牵头单位】X" is a bracketed label word.
        opens_group = text[match.start()] in _OPEN and text[match.end("key") : match.end("key") + 1] not in _CLOSE
        if depth == 0 and not opens_group:
            keys.append(match)
    return keys


def _depth_at(text: str, position: int) -> int:
    depth = 0
    for ch in text[:position]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth


def _split_top(text: str, separators: str) -> list[str]:
    return split_outside(text, separators, _OPEN, _CLOSE)


def _groups(text: str) -> list[tuple[int, int]]:
    """Spans of top-level bracketed groups, brackets included."""
    spans = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
        elif ch in _CLOSE and spans and spans[-1][1] == i:
            # A mismatched pair closed twice ("[责任单位:X)]"): the stray closer belongs to the group.
            spans[-1] = (spans[-1][0], i + 1)
    return spans


def _unbalanced_closers(inner: str) -> str:
    while inner and inner[-1] in _CLOSE and sum(inner.count(c) for c in _CLOSE) > sum(inner.count(c) for c in _OPEN):
        inner = inner[:-1].rstrip()
    return inner


def take_parenthesised(text: str, line: int, bare_lists: bool = False) -> tuple[str, list[Label]]:
    """Remove "(责任单位:…)" groups anywhere in the text, and a trailing "(X牵头,Y配合)"; return both.

    With `bare_lists` (the plan has stated its convention, "(责任单位:A、B,…下同)"), a trailing parenthesis
    that lists only units, "(住建局、水利局)", is a label too.
    """
    labels: list[Label] = []
    pieces: list[str] = []
    position = 0
    spans = _groups(text)
    for index, (start, end) in enumerate(spans):
        inner = _unbalanced_closers(text[start + 1 : end - 1].strip())
        last = index == len(spans) - 1 and not text[end:].strip(" 。.;,")
        found = _top_level_keys(inner)
        keyed = bool(found) and not inner[: found[0].start()].strip(" \t,;")
        bare = _LINE_START.match(inner)
        if keyed:
            group = _labels_from(inner, found, line)
        elif bare and bare.end() < len(inner) and _bare_label_line(inner[bare.end() :]):
            key = bare.group("key")
            group = [Label(LABEL_KEYS[key], inner[bare.end() :].strip(), line, source=_said(key))]
        elif _verb_roles(inner) or (last and _verb_roles(inner, bare_lists)):
            # Roles by verb name themselves anywhere ("完成改造(县住建局牵头),推进治理(…)"); a plain list only
            # at the end of the task.
            group = [Label("resp", inner, line)]
        elif last and clear_unit_list(inner) and start:
            group = [Label("resp", inner, line, weak=True, source="括号内的单位列表")]
        else:
            continue
        labels.extend(group)
        pieces.append(text[position:start])
        position = end
    if not labels:
        return text, []
    pieces.append(text[position:])
    return "".join(pieces).strip(), labels


_NOT_A_LIST = re.compile(r"^(?:含|包括|包含|如|即|不含|除|其中|重点|涉及)|\d")


def states_convention(texts: list[str]) -> bool:
    """Whether the plan puts units in bare parentheses by rule: it says so once ("…列第一位者为牵头单位,下同"),
    or several tasks end with a parenthesis listing nothing but units."""
    if any(("下同" in text and KEY_SEP.search(text)) or POSITION_RULE.search(text) for text in texts):
        return True
    endings = 0
    for text in texts:
        spans = _groups(text)
        if spans and not text[spans[-1][1] :].strip(" 。.;,"):
            start, end = spans[-1]
            endings += _verb_roles(text[start + 1 : end - 1].strip(), True)
            if endings >= 3:
                return True
    return False


def clear_unit_list(text: str) -> bool:
    """ "县生态环境局、县住建局", "各区、县级市人民政府": a list of nothing but names that are units by their ending."""
    if _NOT_A_LIST.search(text) or re.search(r"[,;:。]", text):
        return False
    names = list_names(text.strip())
    return bool(names) and all(clearly_a_unit(name) for name in names)


def _verb_roles(inner: str, bare_lists: bool = False) -> bool:
    """ "生态环境局牵头,住建局、水利局配合": every part is units, and at least one names a role by verb
    (or none does, when `bare_lists` allows a plain list)."""
    if _NOT_A_LIST.search(inner):
        return False
    parts = [p.strip() for p in _split_top(inner, ",;") if p.strip()]
    if not parts:
        return False
    verbs = 0
    for part in parts:
        found = _ENDS_WITH_VERB.search(part)
        if found and found.start() > 0:
            verbs += 1
            part = strip_etc(part[: found.start()])
        part = part.removeprefix("由")
        # Split where the unit list does: "省工业和信息化厅" and "各县(市、区)人民政府" are one name each.
        names = [n for n in list_names(part) if n]
        if not names or not all(ends_like_unit(n) and len(n) <= 20 for n in names):
            return False
    return verbs > 0 or bare_lists
