"""Run-on documents: a whole plan on one line (copied from a page that lost its line breaks).

A line that carries two or more responsibility labels holds several tasks; it is cut before each label word,
after the sentence that ends a label's list, and before each heading or task number that continues the
document's numbering. Following the numbering (expecting task 15 after task 14) is what tells the "15." that
starts a task from the "15、" in "分别不高于15、29微克/立方米".
"""

from __future__ import annotations

import re
from itertools import pairwise

from .labels import KEY_SEP
from .numerals import number_value
from .tables import TableRow
from .text import Line

_CN = "一二三四五六七八九十"
_SECTION = re.compile(rf"([{_CN}]{{1,3}})[、.](?=[^{_CN}\d、.])")
_SUBSECTION = re.compile(rf"\(([{_CN}]{{1,3}})\)")
_TASK = re.compile(r"(\d{1,4})(?:\.(?![\d.])|\.(?=\d{1,2}月)|、(?!\d)|\.(?=\d))")
_LONG = 100
_SECOND_ITEM = re.compile(r"(?<!\d)2(?:\.(?!\d)|、(?!\d))")
_BOUNDARY = "。;:!?\t )】”"


def split_run_on(entries: list[Line | TableRow]) -> list[Line | TableRow]:
    out: list[Line | TableRow] = []
    for line in entries:
        labels = isinstance(line, Line) and len(KEY_SEP.findall(line.text)) >= 2
        long_list = isinstance(line, Line) and len(line.text) > _LONG and bool(_SECOND_ITEM.search(line.text))
        cut = _pieces(line.text) if isinstance(line, Line) and (labels or long_list) else []
        # A long line without label words is run on only when it holds the numbered items 1., 2., … in order
        # (a plan whose units are given by verbs, pasted without line breaks).
        if isinstance(line, Line) and (labels or _numbered_items(cut) >= 2):
            # Tabs here are where the line breaks were (see text.clean_line); each piece is a line again.
            pieces = (part for piece in cut for part in piece.split("\t"))
            out.extend(Line(line.no, piece.strip()) for piece in pieces if piece.strip())
        else:
            out.append(line)
    return out


def _numbered_items(pieces: list[str]) -> int:
    return sum(1 for piece in pieces if _TASK.match(piece))


def _pieces(text: str) -> list[str]:
    cuts = [0]
    depth = 0
    in_label = False
    next_section = 1
    next_subsection = 1
    next_task = 1
    after_heading = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "(【[〔" and not _SUBSECTION.match(text, i):
            depth += 1
        elif ch in ")】]〕" and depth:
            depth -= 1
        if depth == 0:
            key = KEY_SEP.match(text, i)
            if key and i > 0:
                cuts.append(i)
                in_label = True
                i = key.end()
                continue
            if ch == "。" and in_label:
                cuts.append(i + 1)
                in_label = False
                i += 1
                continue
            # A heading's title runs straight into the first task: "(一)强化绿色管控1.加强…".
            boundary = i == 0 or text[i - 1] in _BOUNDARY or in_label or after_heading
            if boundary:
                found = _SECTION.match(text, i)
                if found and number_value(found.group(1)) == next_section:
                    cuts.append(i)
                    next_section += 1
                    next_subsection = 1
                    in_label = False
                    after_heading = True
                    i = found.end()
                    continue
                found = _SUBSECTION.match(text, i)
                if found and number_value(found.group(1)) == next_subsection:
                    cuts.append(i)
                    next_subsection += 1
                    in_label = False
                    after_heading = True
                    i = found.end()
                    continue
                found = _TASK.match(text, i)
                if found and i > 0 and text[i - 1].isdigit():
                    found = None
                if found:
                    number = int(found.group(1))
                    # "2.5" is a decimal, unless it is the very next item after the first ("11.121人才…").
                    glued = text[found.end() : found.end() + 1].isdigit()
                    if glued and (number != next_task or next_task == 1):
                        found = None
                if found and (number == next_task or (after_heading and number == 1)):
                    cuts.append(i)
                    next_task = number + 1
                    in_label = False
                    after_heading = False
                    i = found.end()
                    continue
        i += 1
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in pairwise(cuts) if b > a]
