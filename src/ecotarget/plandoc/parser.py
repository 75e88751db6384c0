"""From text, bytes or a file to a `PlanDocument`: the steps in order, each in its own module."""

from __future__ import annotations

import re
from pathlib import Path

from .deadlines import extract_deadlines
from .labels import DEADLINE_SOURCE
from .meta import build_meta, strip_site_chrome
from .model import Deadline, Goal, PlanDocument, PlanParseError, Task
from .rules import Rules, document_rules
from .runon import split_run_on
from .sources import ERR_BINARY, ERR_EMPTY, extract_text
from .structure import GOAL_WORDS, MISSING_UNITS, Candidate, GoalText, outline
from .tables import read_tables
from .targets import extract_targets
from .text import Line, to_lines
from .units import Entry, RegionNames, VerbRole, assign_roles, ends_like_unit, parse_list


def parse_text(text: str, *, source: str = "<text>") -> PlanDocument:
    """Read a published plan from its plain text."""
    if not text.strip():
        raise PlanParseError(source, None, ERR_EMPTY)
    if "\x00" in text:
        raise PlanParseError(source, None, ERR_BINARY)
    lines = to_lines(text)
    if not lines:
        raise PlanParseError(source, None, ERR_EMPTY)
    lines, fields = strip_site_chrome(lines)
    if not lines:
        raise PlanParseError(source, None, ERR_EMPTY)
    lines[-1] = _closed(lines[-1])
    entries = split_run_on(read_tables(lines))
    plan = outline(entries, source)
    meta = build_meta(fields, plan.preamble, plan.closing, lines)
    region = RegionNames.of(meta.region)
    rules = document_rules(lines)
    final = len(plan.candidates) - 1
    tasks = [
        _task(candidate, region, meta.year, rules, index == final) for index, candidate in enumerate(plan.candidates)
    ]
    goals = [g for g in (_goal(text, meta.year) for text in plan.goals) if g is not None]
    return PlanDocument(meta=meta, sections=plan.sections, tasks=tasks, goals=goals)


def parse_bytes(data: bytes, *, source: str) -> PlanDocument:
    """Read a plan from a file's bytes: .docx, .html or text, told apart by content."""
    return parse_text(extract_text(data, source=source), source=source)


def parse_file(path: str | Path) -> PlanDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanParseError(str(path), None, f"无法读取文件 (cannot read file: {exc.strerror or exc})") from None
    return parse_bytes(data, source=str(path))


def _task(candidate: Candidate, region: RegionNames, year: int | None, rules: Rules, last: bool) -> Task:
    reasons = list(candidate.reasons)
    labelled: list[tuple[VerbRole, list[Entry], str]] = []
    # A bare parenthesised list counts only where the task names its units no other way.
    strong = [label for label in candidate.labels if not label.weak]
    for label in strong or candidate.labels:
        if label.role is not None:  # labels naming people (责任领导) carry no units
            labelled.append((label.role, parse_list(label.content, region), label.source))
    _check_names(labelled, reasons, last)
    read = any(entries for _, entries, _ in labelled)
    if candidate.labels and not read and MISSING_UNITS not in reasons:
        reasons.append("责任单位未能读出：请在任务编辑页指定")
    for rule in rules.standing_before(candidate.line):
        standing = [
            Entry(e.name, e.kind, e.group, "resp", "") for e in parse_list(rule.units, region)
        ]  # they answer as implementers, under whoever the item names
        labelled.append(("resp", standing, f"规定：{rule.statement}"))
    units = assign_roles(labelled, rules.position)
    if last and not read and candidate.text and not candidate.text.endswith(_ENDS):
        reasons.append("文件在此任务处中断：内容可能不完整")
    deadlines = extract_deadlines(candidate.text, year)
    limits = [candidate.deadline_text] + [
        label.content for label in candidate.labels if label.role is None and label.source == DEADLINE_SOURCE
    ]
    deadline_text = " ".join(limit for limit in limits if limit)
    if deadline_text:
        first_clause = re.split(r"[。;]", candidate.text, maxsplit=1)[0]
        for deadline in extract_deadlines(deadline_text, year):
            what = deadline.what if len(deadline.what) > 2 else first_clause
            if Deadline(deadline.date, what) not in deadlines:
                deadlines.append(Deadline(deadline.date, what))
    return Task(
        number=candidate.number or 0,
        section=candidate.section,
        subsection=candidate.subsection,
        text=candidate.text,
        units=units,
        targets=extract_targets(candidate.text, year),
        deadlines=deadlines,
        line=candidate.line,
        label=candidate.printed,
        review_reasons=reasons,
    )


_PAIRS = {"(": ")", "【": "】", "[": "]", "〔": "〕"}


def _closed(line: Line) -> Line:
    """A file cut off inside a bracket ("(责任单位:县住建局、县生态环"): close it, so that the group is still read and
    the cut name is found and dropped (see `_check_names`)."""
    pending: list[str] = []
    for ch in line.text:
        if ch in _PAIRS:
            pending.append(_PAIRS[ch])
        elif pending and ch == pending[-1]:
            pending.pop()
    return Line(line.no, line.text + "".join(reversed(pending))) if pending else line


_ENDS = ("。", ".", ")", "】", "]", "”", ";", "!", "?")


def _check_names(labelled: list[tuple[VerbRole, list[Entry], str]], reasons: list[str], last: bool) -> None:
    """A name that does not end like a unit is never stored as one: at the very end of the file it was cut off
    mid-word ("县生态环"); elsewhere it is a remark or a word the list ran into. Either way the task is flagged
    for a person to complete."""
    for index, (_, entries, _) in enumerate(labelled):
        doubtful = [e for e in entries if not (e.group or e.kind != "department" or ends_like_unit(e.name))]
        for entry in doubtful:
            final = last and index == len(labelled) - 1 and entry is entries[-1]
            if final:
                reasons.append(f"文件在此任务处中断：单位名称“{entry.name}”不完整，未导入")
            else:
                reasons.append(f"“{entry.name}”不像单位名称，未导入：请核对")
        entries[:] = [e for e in entries if e not in doubtful]


def _goal(goal: GoalText, year: int | None) -> Goal | None:
    # "目标任务:全县PM2.5浓度…": the label word is not part of the first metric.
    found = GOAL_WORDS.match(goal.text)
    body = goal.text[found.end() :].lstrip(":") if found else goal.text
    targets = extract_targets(body, year)
    deadlines = extract_deadlines(goal.text, year)
    if not targets and not deadlines:
        return None
    return Goal(goal.section, goal.subsection, goal.text, targets, deadlines, goal.line)
