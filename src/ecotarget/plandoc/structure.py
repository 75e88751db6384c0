"""The outline of a plan: headings, tasks and the labels that belong to each task.

Plans number their levels differently (一、/(一)/1./(1)/①, 措施一:, a table's 序号, or no numbers at all), so the
task level is not assumed: it is the numbering level whose items carry responsibility labels one each. Levels
above it are sections and subsections; levels below it are sub-points inside a task's text. When labels follow
unnumbered paragraphs instead, each labelled paragraph is a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import KEY_SEP, Label, split_at_labels, states_convention, take_parenthesised
from .model import PlanParseError, Section, Subsection
from .numerals import number_value
from .tables import DEADLINE_CELL, TableRow, looks_like_units
from .text import Line, flat
from .units import VerbRole

# kind, pattern (group 1: the number, last group: the text), rank (smaller is higher in the outline)
MARKERS: list[tuple[str, re.Pattern[str], int]] = [
    ("part", re.compile(r"^第([一二三四五六七八九十百\d]{1,4})(?:部分|章|篇)[、.:\s]*(.*)$"), 0),
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})[、.](?![一二三四五六七八九十\d、])\s*(.*)$"), 1),
    ("pcn", re.compile(r"^\(([一二三四五六七八九十]{1,3})\)\s*(.*)$"), 2),
    (
        "measure",
        re.compile(
            r"^(?:措施|任务|举措|工作任务|重点任务)([一二三四五六七八九十百]{1,4}|\d{1,3})(?:[:、.\s]|$)\s*(.*)$"
        ),
        3,
    ),
    ("article", re.compile(r"^第([一二三四五六七八九十百\d]{1,4})条[、.:\s]*(.*)$"), 3),
    ("ar", re.compile(r"^(\d{1,4})(?:\.(?![\d.])|\.(?=\d{1,2}月)|、|\t)\s*(.*)$"), 3),
    ("par", re.compile(r"^(?:\((\d{1,3})\)|(\d{1,3})\))\s*(.*)$"), 4),
    ("circ", re.compile(r"^([①-⑳])\s*(.*)$"), 5),
]
RANK = {kind: rank for kind, _, rank in MARKERS} | {"table": 3}
_PRINTED = {
    "cn": "{}、",
    "pcn": "({})",
    "ar": "{}.",
    "par": "({})",
    "circ": "{}",
    "measure": "措施{}",
    "article": "第{}条",
    "part": "第{}部分",
}
# A numbered paragraph that reports rather than assigns ("1.进展情况:…") is not a task.
_NOTE = re.compile(r"^(?:进展情况|工作进展|进展|进度情况|完成情况|进度|备注|注|说明|截至|截止|目前)")
# A heading or paragraph after which numbered paragraphs are progress notes, not tasks ("整改进展:").
_NOTES_FOLLOW = re.compile(r"^(?:整改进展|工作进展|进展情况|推进情况|完成情况|整改情况|工作开展情况)(?:情况)?[:。]?")
# A paragraph (or a heading) that states the plan's own targets: never a task, never part of one.
GOAL_WORDS = re.compile(r"^(?:年度目标任务|目标任务|主要目标|工作目标|总体目标|年度目标|预期目标|具体目标|目标要求)")

ERR_NO_LABELS = "未找到责任单位标注 (no responsibility labels found)"
ERR_NO_TASKS = "未找到编号任务 (no numbered tasks found)"


@dataclass
class Marker:
    kind: str
    value: int | None
    printed: str


@dataclass
class Para:
    line: int
    text: str
    raw: str
    marker: Marker | None = None
    own: list[Label] = field(default_factory=list)
    deadline_text: str = ""


@dataclass
class Group:
    labels: list[Label]
    inline: bool = False


@dataclass(eq=False)  # compared by identity: two tasks may read the same
class Segment:
    head: Para | None
    body: list[Para | Group] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        return self.head.marker.kind if self.head and self.head.marker else None

    def groups(self) -> list[Group]:
        own = [Group(self.head.own, inline=True)] if self.head and self.head.own else []
        return own + [g for g in self.body if isinstance(g, Group)]


@dataclass
class Candidate:
    """A task as the outline reads it, before units, targets and deadlines are parsed."""

    number: int | None
    printed: str
    section: str
    subsection: str | None
    text: str
    labels: list[Label]
    line: int
    deadline_text: str = ""
    reasons: list[str] = field(default_factory=list)


@dataclass
class GoalText:
    """A paragraph stating the plan's own targets (目标任务 / 主要目标 / 工作目标), or a heading that does."""

    section: str
    subsection: str | None
    text: str
    line: int


@dataclass
class Outline:
    sections: list[Section]
    candidates: list[Candidate]
    preamble: list[Line]
    closing: list[Line]
    goals: list[GoalText] = field(default_factory=list)


def marker_of(text: str) -> tuple[Marker | None, str]:
    for kind, pattern, _ in MARKERS:
        found = pattern.match(text)
        if found:
            number = next(g for g in found.groups()[:-1] if g is not None)
            value = number_value(number) if kind != "circ" else ord(number) - 0x2460 + 1
            printed = _PRINTED[kind].format(number)
            return Marker(kind, value, printed), found.group(found.lastindex or 0).strip()
    return None, text


def heading_like(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。;,]", text)


# Words that start a sentence, not a heading: where a heading glued to its paragraph (run-on text) ends.
_SENTENCE_START = re.compile(r"(?:各部门|各单位|各乡|各级|各地|为|要|按照|根据|坚持|围绕|通过|以)")


def heading_title(text: str) -> str:
    """A heading line's title: up to its first full stop, without a trailing colon.

    Headings are short; a first clause longer than 20 characters is a heading run into its paragraph
    ("落实目标责任各部门应本着…"), cut where the sentence starts.
    """
    title = re.split(r"[。;]", text, maxsplit=1)[0].strip().rstrip(":").strip()
    clause = re.split(r"[,:]", title, maxsplit=1)[0]
    if len(clause) > 20:
        found = _SENTENCE_START.search(clause, 4)
        if found and found.start() <= 20:
            return clause[: found.start()]
    return title


# --- reading lines into paragraphs and label groups --------------------------------------------------------


def read_items(entries: list[Line | TableRow]) -> list[Para | Group]:
    items: list[Para | Group] = []
    bare_lists = states_convention([e.text for e in entries if isinstance(e, Line)])
    last_ar = 0
    for entry in entries:
        if isinstance(entry, TableRow):
            table = Marker("table", entry.number, entry.printed)
            items.append(Para(entry.line, entry.text, entry.text, table, list(entry.labels), entry.deadline_text))
            continue
        row = _headerless_row(entry.text, entry.no)
        if row is not None:
            marker, rest = marker_of(flat(row.text))
            text, own = take_parenthesised(rest, entry.no, bare_lists)
            items.append(Para(entry.no, text, flat(row.text), marker, own + row.labels, row.deadline_text))
            continue
        head, labels = split_at_labels(entry.text, entry.no)
        if not labels and _continues_label(items):
            marker, _ = marker_of(entry.text)
            if marker is None and len(entry.text) <= 80:
                last = items[-1]
                assert isinstance(last, Group)
                final = last.labels[-1]
                last.labels[-1] = Label(final.role, final.content + flat(entry.text), final.line)
                continue
        head = flat(head).strip()
        if labels:
            head = head.rstrip(",;: ")  # "…开展监测,责任单位:…": the comma belonged to the label
        if head:
            marker, rest = marker_of(head)
            if marker is None:
                marker, rest = _glued_number(head, last_ar)
            if marker is not None and marker.kind == "ar" and marker.value is not None:
                last_ar = marker.value
            text, own = take_parenthesised(rest, entry.no, bare_lists)
            raw = head if not own else (marker.printed if marker else "") + text
            para = Para(entry.no, text, raw, marker, own)
            items.append(para)
        if labels:
            if items and isinstance(items[-1], Group) and not items[-1].inline:
                items[-1].labels.extend(labels)
            else:
                items.append(Group(list(labels)))
    return items


def _headerless_row(text: str, line: int) -> TableRow | None:
    """ "1.加强扬尘管控。\t住建局、生态环境局\t2023年6月底前": a numbered task whose units (and deadline) follow
    in cells of their own, a table row pasted without its header. Unit cells must hold nothing but unit names;
    two of them are the lead and co-operating columns."""
    if "\t" not in text or KEY_SEP.search(text):
        return None
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    end = len(cells)
    deadline = ""
    if end > 2 and len(cells[-1]) <= 20 and DEADLINE_CELL.search(cells[-1]) and not looks_like_units(cells[-1]):
        deadline = cells[-1]
        end -= 1
    unit_cells: list[str] = []
    while end > 1 and len(unit_cells) < 2 and looks_like_units(cells[end - 1]):
        marker, rest = marker_of("\t".join(cells[: end - 1]))
        if marker is None or not flat(rest).strip():
            break
        unit_cells.insert(0, cells[end - 1])
        end -= 1
    if not unit_cells:
        return None
    marker, _ = marker_of("\t".join(cells[:end]))
    assert marker is not None
    roles: list[VerbRole] = ["lead", "co"] if len(unit_cells) == 2 else ["resp"]
    labels = [Label(role, cell, line) for role, cell in zip(roles, unit_cells, strict=True)]
    return TableRow(line, marker.value, marker.printed, "\t".join(cells[:end]), labels, deadline)


_GLUED = re.compile(r"^(\d{1,3})\.(?=\d)")


def _glued_number(text: str, last: int) -> tuple[Marker | None, str]:
    """ "11.121人才工程…" after item 10 is item 11 whose text starts with a number, not the decimal 11.121."""
    found = _GLUED.match(text)
    if found is None or last == 0 or int(found.group(1)) != last + 1:
        return None, text
    return Marker("ar", last + 1, f"{last + 1}."), text[found.end() :]


def _continues_label(items: list[Para | Group]) -> bool:
    if not items or not isinstance(items[-1], Group) or items[-1].inline:
        return False
    content = items[-1].labels[-1].content
    return not content or content.endswith(("、", ",", ";"))


def segments_of(items: list[Para | Group]) -> list[Segment]:
    segments = [Segment(None)]
    for item in items:
        if isinstance(item, Para) and item.marker is not None:
            segments.append(Segment(item))
            continue
        body = segments[-1].body
        if isinstance(item, Para) and item.own:
            body.append(item)
            body.append(Group(item.own, inline=True))
        elif isinstance(item, Group) and body and isinstance(body[-1], Group) and not body[-1].inline:
            body[-1].labels.extend(item.labels)
        else:
            body.append(item)
    return segments


# --- choosing the task level ---------------------------------------------------------------------------------


def _blocks(segments: list[Segment], kind: str) -> list[tuple[int, list[Segment]]]:
    """Each item of `kind` with the deeper items under it, and the scope it is in (the index of the heading
    above it), so that a section of unlabelled goals does not count against a level used for tasks elsewhere."""
    blocks: list[tuple[int, list[Segment]]] = []
    current: list[Segment] | None = None
    scope = 0
    for index, segment in enumerate(segments):
        seg_kind = segment.kind
        if seg_kind == kind:
            current = [segment]
            blocks.append((scope, current))
        elif seg_kind is not None and RANK[seg_kind] > RANK[kind] and current is not None:
            current.append(segment)
        elif seg_kind is not None:
            current = None
            if RANK[seg_kind] < RANK[kind]:
                scope = index
    return blocks


def _score(segments: list[Segment], kind: str) -> int:
    """Items of this level that carry labels, less those in the same scope that would lack them."""
    blocks = _blocks(segments, kind)
    labelled = {scope for scope, block in blocks if any(seg.groups() for seg in block)}
    score = 0
    for scope, block in blocks:
        if any(seg.groups() for seg in block):
            score += 1
        elif scope in labelled and not _NOTE.match(block[0].head.text if block[0].head else ""):
            score -= 1
    return score


def _unnumbered_score(segments: list[Segment]) -> int:
    score = 0
    for segment in segments:
        boundary = segment.head is None or heading_like(segment.head.text) or bool(segment.head.own)
        pending = 0
        for element in segment.body:
            if isinstance(element, Para):
                pending += 1
            else:
                if pending and boundary:
                    score += 1
                boundary = True
                pending = 0
    return score


def outline(entries: list[Line | TableRow], source: str) -> Outline:
    segments = segments_of(read_items(entries))
    if not any(seg.groups() for seg in segments):
        numbered = [
            seg.head
            for seg in segments
            if seg.head and (seg.kind != "cn" or not heading_like(seg.head.text)) and seg.kind != "part"
        ]
        if numbered:
            raise PlanParseError(source, numbered[0].line, ERR_NO_LABELS)
        raise PlanParseError(source, None, ERR_NO_TASKS)
    kinds = {seg.kind for seg in segments if seg.kind}
    scored = sorted(((_score(segments, k), RANK[k], k) for k in kinds), reverse=True)
    unnumbered = _unnumbered_score(segments)
    if scored and scored[0][0] > 0 and scored[0][0] >= unnumbered:
        result = _numbered(segments, scored[0][2], kinds, source)
    else:
        result = _unnumbered(segments, kinds)
        if not result.candidates and scored and scored[0][0] == 0:
            # As many numbered items lack labels as carry them: read them as tasks, so that the error names
            # the first task without units rather than saying there are no tasks.
            result = _numbered(segments, scored[0][2], kinds, source)
    if not result.candidates:
        raise PlanParseError(source, None, ERR_NO_TASKS)
    return result


# --- assembling ------------------------------------------------------------------------------------------


class _Sections:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.subsection: Subsection | None = None

    def open_section(self, para: Para, tasks_seen: bool) -> None:
        if para.marker and para.marker.value == 1 and not tasks_seen:
            self.sections.clear()  # numbering restarted: what came before was the cover letter's
        self.section = Section(_bare_number(para.marker), heading_title(para.text), [])
        self.sections.append(self.section)
        self.subsection = None

    def open_subsection(self, para: Para) -> None:
        if self.section is None:
            self.open_section(para, True)
            return
        self.subsection = Subsection(_bare_number(para.marker), heading_title(para.text))
        self.section.subsections.append(self.subsection)

    @property
    def key(self) -> tuple[int, int]:
        sub = len(self.section.subsections) if self.section and self.subsection else 0
        return len(self.sections), sub

    def titles(self) -> tuple[str, str | None]:
        return (
            self.section.title if self.section else "",
            self.subsection.title if self.subsection else None,
        )


def _bare_number(marker: Marker | None) -> str:
    if marker is None:
        return ""
    printed = marker.printed
    for wrapper in ("第", "部分", "条", "措施", "、", ".", "(", ")"):
        printed = printed.replace(wrapper, "")
    return printed


def _lines(paras: list[Para]) -> list[Line]:
    return [Line(p.line, p.raw) for p in paras]


def _goal_paragraphs(segment: Segment, titles: tuple[str, str | None], goal_heading: bool) -> list[GoalText]:
    """Target paragraphs of a heading's own segment: those that say they are (目标任务:…), every paragraph under
    a heading that does (二、主要目标), and the heading line itself when it carries a target after its title."""
    found = []
    section, subsection = titles
    head = segment.head
    if head is not None and (GOAL_WORDS.match(head.text) or re.search(r"[。;:,]", head.text)):
        found.append(GoalText(section, subsection, head.text, head.line))
    for para in segment.body:
        if isinstance(para, Para) and (goal_heading or GOAL_WORDS.match(para.text)):
            found.append(GoalText(section, subsection, para.text, para.line))
    return found


def _numbered(segments: list[Segment], kind: str, kinds: set[str], source: str) -> Outline:
    headings = sorted((k for k in kinds if RANK[k] < RANK[kind]), key=lambda k: RANK[k])
    section_kind = headings[0] if headings else None
    sub_kind = headings[1] if len(headings) > 1 else None
    sections = _Sections()
    preamble: list[Para] = []
    closing: list[Para] = []
    goals: list[GoalText] = []
    # (the task's segments, its section and subsection titles, their key, whether it stands among progress notes,
    # whether it is a heading-level item that carries units)
    blocks: list[tuple[list[Segment], tuple[str, str | None], tuple[int, int], bool, bool]] = []
    current: list[Segment] | None = None
    notes = False
    for segment in segments:
        seg_kind = segment.kind
        if not blocks and seg_kind != kind:
            # Everything before the first task (cover letter, title, signature) is where metadata is.
            preamble.extend([segment.head] if segment.head else [])
            preamble.extend(p for p in segment.body if isinstance(p, Para))
        if seg_kind == kind:
            current = [segment]
            blocks.append((current, sections.titles(), sections.key, notes, False))
        elif seg_kind is not None and seg_kind in (section_kind, sub_kind):
            assert segment.head is not None
            if seg_kind == section_kind:
                sections.open_section(segment.head, bool(blocks))
            else:
                sections.open_subsection(segment.head)
            current = None
            notes = bool(_NOTES_FOLLOW.match(segment.head.text))
            if segment.groups():
                # A heading-level item with units of its own ("2.加强扬尘管控。责任单位:…" among "(1)…" tasks) is a
                # task as well as a heading: its units are never dropped.
                current = [segment]
                blocks.append((current, sections.titles(), sections.key, notes, True))
                continue
            goal_heading = bool(GOAL_WORDS.match(heading_title(segment.head.text)))
            goals.extend(_goal_paragraphs(segment, sections.titles(), goal_heading))
        elif seg_kind is not None and RANK[seg_kind] > RANK[kind] and current is not None:
            current.append(segment)
        elif seg_kind is None and blocks:
            pass
        elif seg_kind is None:
            goals.extend(_goal_paragraphs(Segment(None, segment.body), sections.titles(), False))
        if seg_kind is None or seg_kind == kind or RANK[seg_kind] > RANK[kind]:
            # "工作进展:" in the body: the numbered paragraphs after it report, they do not assign.
            tail = [p for p in segment.body if isinstance(p, Para)]
            if tail and _NOTES_FOLLOW.match(tail[-1].text):
                notes = True

    labelled_scopes = {key for block, _, key, _, _ in blocks if any(seg.groups() for seg in block)}
    candidates: list[Candidate] = []
    used: dict[int, int] = {}
    last: int | None = None
    last_key: tuple[int, int] | None = None
    restarted = False
    for block, (section, subsection), key, among_notes, heading in blocks:
        head = block[0].head
        assert head is not None and head.marker is not None
        # A heading's number counts headings, not tasks: the plan's tasks are numbered through instead.
        number = None if heading else head.marker.value
        labels = [label for seg in block for group in seg.groups() for label in group.labels]
        new_scope = key != last_key
        reasons: list[str] = []
        if not labels:
            in_sequence = number is not None and (
                (last is None and number == 1)
                or (last is not None and number == last + 1)
                or (new_scope and number == 1)
            )
            if among_notes or not in_sequence or key not in labelled_scopes or _NOTE.match(head.text):
                if not among_notes and not _NOTE.match(head.text):
                    # "二、主要目标 1.PM2.5浓度…": numbered targets without units are the plan's own.
                    goals.append(GoalText(section, subsection, _block_text(block)[0], head.line))
                continue
            # One item the parser cannot read does not cost the whole document: it is imported for a person
            # to complete in the task editor.
            reasons.append(MISSING_UNITS)
        if number is not None:
            if new_scope and number == 1 and used:
                used = {}
                restarted = True
            if number in used:
                reasons.append(f"任务编号{number}与第{used[number]}行的任务重复，已按顺序重新编号")
                restarted = True
            else:
                used[number] = head.line
        last = number
        last_key = key
        text, after = _block_text(block)
        closing = after
        candidates.append(
            Candidate(
                number, head.marker.printed, section, subsection, text, labels, head.line, head.deadline_text, reasons
            )
        )
    if restarted or any(c.number is None for c in candidates):
        for ordinal, candidate in enumerate(candidates, start=1):
            candidate.number = ordinal
    if blocks:
        tail_index = segments.index(blocks[-1][0][-1])
        for segment in segments[tail_index + 1 :]:
            closing.extend([segment.head] if segment.head else [])
            closing.extend(p for p in segment.body if isinstance(p, Para))
    goals.sort(key=lambda goal: goal.line)
    return Outline(sections.sections, candidates, _lines(preamble), _lines(closing), goals)


MISSING_UNITS = "未标注责任单位：请在任务编辑页指定牵头单位"


def _block_text(block: list[Segment]) -> tuple[str, list[Para]]:
    """The task's text (its own paragraph, continuation lines and sub-points up to its first label) and the
    paragraphs after its labels (commentary, or the closing lines of the document)."""
    head = block[0].head
    assert head is not None
    parts = [head.text]
    after: list[Para] = []
    labelled = bool(head.own)
    for index, segment in enumerate(block):
        if index and segment.head is not None:
            # A sub-point with units of its own is part of the task whatever came before it.
            if labelled and not segment.groups():
                after.append(segment.head)
            else:
                parts.append(segment.head.raw)
            labelled = labelled or bool(segment.head.own)
        for element in segment.body:
            if isinstance(element, Group):
                labelled = True
            elif labelled:
                after.append(element)
            else:
                parts.append(element.text)
    return "".join(parts).strip(), after


def _unnumbered(segments: list[Segment], kinds: set[str]) -> Outline:
    headings = sorted(kinds, key=lambda k: RANK[k])
    section_kind = headings[0] if headings else None
    sub_kind = headings[1] if len(headings) > 1 else None
    sections = _Sections()
    candidates: list[Candidate] = []
    preamble: list[Para] = []
    closing: list[Para] = []
    for segment in segments:
        if segment.head is not None:
            if segment.kind == section_kind:
                sections.open_section(segment.head, bool(candidates))
            elif segment.kind == sub_kind:
                sections.open_subsection(segment.head)
            if segment.head.own:
                section, subsection = sections.titles()
                candidates.append(
                    Candidate(None, "", section, subsection, segment.head.text, segment.head.own, segment.head.line)
                )
            elif not candidates:
                preamble.append(segment.head)
        owner: Para | None = None
        for element in segment.body:
            if isinstance(element, Para):
                if owner is not None and not candidates:
                    preamble.append(owner)
                elif owner is not None:
                    closing.append(owner)
                owner = element
                continue
            if owner is None:
                continue
            section, subsection = sections.titles()
            candidates.append(Candidate(None, "", section, subsection, owner.text, element.labels, owner.line))
            closing = []
            owner = None
        if owner is not None:
            (closing if candidates else preamble).append(owner)
    for ordinal, candidate in enumerate(candidates, start=1):
        candidate.number = ordinal
        candidate.printed = str(ordinal)
    return Outline(sections.sections, candidates, _lines(preamble), _lines(closing))
