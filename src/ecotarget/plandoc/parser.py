"""From text, bytes or a file to a `PlanDocument`: the steps in order, each in its own module."""

from __future__ import annotations

import re
from pathlib import Path

from .deadlines import extract_deadlines
from .meta import build_meta, strip_site_chrome
from .model import Deadline, PlanDocument, PlanParseError, Task
from .runon import split_run_on
from .sources import ERR_BINARY, ERR_EMPTY, extract_text
from .structure import Candidate, outline
from .tables import read_tables
from .targets import extract_targets
from .text import to_lines
from .units import RegionNames, assign_roles, parse_list


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
    entries = split_run_on(read_tables(lines))
    plan = outline(entries, source)
    meta = build_meta(fields, plan.preamble, plan.closing, lines)
    region = RegionNames.of(meta.region)
    tasks = [_task(candidate, region, meta.year, source) for candidate in plan.candidates]
    return PlanDocument(meta=meta, sections=plan.sections, tasks=tasks)


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


def _task(candidate: Candidate, region: RegionNames, year: int | None, source: str) -> Task:
    labelled = []
    # A bare parenthesised list counts only where the task names its units no other way.
    strong = [label for label in candidate.labels if not label.weak]
    for label in strong or candidate.labels:
        if label.role is not None:  # labels naming people (责任领导) carry no units
            labelled.append((label.role, parse_list(label.content, region)))
    units = assign_roles(labelled)
    if not units:  # a label with nothing usable in it ("责任单位:" left blank, or only people named)
        number = candidate.number
        raise PlanParseError(
            source, candidate.line, f"任务{number}缺少责任单位 (task {number} has no responsible unit)"
        )
    deadlines = extract_deadlines(candidate.text, year)
    if candidate.deadline_text:
        first_clause = re.split(r"[。;]", candidate.text, maxsplit=1)[0]
        for deadline in extract_deadlines(candidate.deadline_text, year):
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
    )
