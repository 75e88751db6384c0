"""Task tables flattened to text (任务分解表): a header line "序号 任务 牵头单位 参与单位 …", then rows.

Rows arrive tab- or multi-space-separated (a .docx or .html table, or text copied from one), or one cell per
line (a table pasted into a plain-text box). Each row becomes a `TableRow` that the structure reader treats
like a numbered task with its labels already attached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import LABEL_KEYS, Label, split_at_labels
from .numerals import number_value
from .text import Line
from .units import VerbRole, ends_like_unit

# A cell that is a time limit rather than a task or units ("2024年6月底前", "长期坚持", "每季度").
DEADLINE_CELL = re.compile(r"(?:\d|[一二三四]季度|年底|年末|年内|半年|长期|持续|常态|每[年月季周]|月底|前$)")

COLUMN_WORDS: dict[str, str] = {
    "序号": "number",
    "编号": "number",
    "序": "number",
    "任务": "task",
    "工作任务": "task",
    "重点任务": "task",
    "目标任务": "task",
    "任务内容": "task",
    "工作内容": "task",
    "具体任务": "task",
    "主要任务": "task",
    "任务名称": "task",
    "工作措施": "task",
    "具体措施": "task",
    "主要措施": "task",
    "重点工作": "task",
    "工作事项": "task",
    "任务措施": "task",
    "目标任务及措施": "task",
    "工作举措": "task",
    "责任事项": "task",
    "工作要求": "task",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间要求": "deadline",
    "时限要求": "deadline",
    "时间节点": "deadline",
    "完成期限": "deadline",
    "时限": "deadline",
    "进度安排": "deadline",
    "时间安排": "deadline",
    "目标": "target",
    "指标": "target",
    "目标值": "target",
    "具体目标": "target",
    "考核指标": "target",
    "目标要求": "target",
    "工作目标": "target",
    "主要指标": "target",
    "预期目标": "target",
    "备注": "other",
    "进展情况": "other",
    "类别": "other",
    "领域": "other",
    "分类": "other",
}
for _key, _role in LABEL_KEYS.items():
    COLUMN_WORDS.setdefault(_key, _role or "other")
_UNIT_COLUMNS: tuple[VerbRole, ...] = ("lead", "co", "resp")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]{1,3}部分)"
)


@dataclass
class TableRow:
    line: int
    number: int | None
    printed: str
    text: str
    labels: list[Label] = field(default_factory=list)
    deadline_text: str = ""


# Header words not in the table above, read by what they contain ("主要工作任务", "配合责任部门", "完成时间节点").
_COLUMN_HINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"领导|责任人|联系人"), "other"),
    (re.compile(r"(?:牵头|主办|主责)(?:单位|部门|处室)?"), "lead"),
    (re.compile(r"(?:配合|参与|协办|协同|协助)(?:单位|部门|处室)?"), "co"),
    (re.compile(r"(?:责任|落实|实施)(?:单位|部门|主体|处室)"), "resp"),
    (re.compile(r"时限|时间|期限|节点"), "deadline"),
    (re.compile(r"序号|编号"), "number"),
    (re.compile(r"任务|措施|工作|事项|内容"), "task"),
    (re.compile(r"目标|指标"), "target"),
]


def _column(cell: str) -> str | None:
    word = cell.strip().rstrip(":").replace(" ", "")
    known = COLUMN_WORDS.get(word)
    if known or not 2 <= len(word) <= 12 or not all("\u4e00" <= ch <= "\u9fff" or ch in "()、/" for ch in word):
        return known
    return next((column for pattern, column in _COLUMN_HINTS if pattern.search(word)), None)


def _header(cells: list[str]) -> list[str] | None:
    roles = [_column(c) for c in cells]
    known = [r for r in roles if r]
    if len(known) < 2 or len(known) * 2 < len([c for c in cells if c.strip()]):
        return None
    if not any(r in _UNIT_COLUMNS for r in known) or not any(r in ("task", "number") for r in known):
        return None
    return [r or "other" for r in roles]


_COLUMN_WORD = "|".join(re.escape(w) for w in sorted(COLUMN_WORDS, key=len, reverse=True))
_HEADER_RUN = re.compile(rf"(?:{_COLUMN_WORD}){{3,}}")


def _header_words(text: str) -> list[str]:
    """ "序号 任务 牵头单位 参与单位" lost its single spaces in cleaning; split it back into column words."""
    if len(text) > 60 or not _HEADER_RUN.fullmatch(text):
        return [text]
    return re.findall(_COLUMN_WORD, text)


def looks_like_units(cell: str) -> bool:
    parts = [p.strip() for p in re.split(r"[、,;和及]", cell) if p.strip()]
    return bool(parts) and "。" not in cell and all(len(p) <= 20 and ends_like_unit(p) for p in parts)


def read_tables(lines: list[Line]) -> list[Line | TableRow]:
    out: list[Line | TableRow] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        cells = line.text.split("\t") if "\t" in line.text else _header_words(line.text)
        columns = _header(cells) if len(cells) > 1 else None
        if columns:
            words: dict[str, str] = {}
            for role, cell in zip(columns, cells, strict=False):
                words.setdefault(role, cell.strip().rstrip(":").replace(" ", ""))
            i = _tab_rows(lines, i + 1, columns, out, words)
            continue
        columns, width = _vertical_header(lines, i)
        if columns:
            i = _vertical_rows(lines, i + width, columns, out)
            continue
        out.append(line)
        i += 1
    return out


def _row(line: int, cells: dict[str, list[str]], ordinal: int, words: dict[str, str] | None = None) -> TableRow | None:
    number_cell = " ".join(cells.get("number", [])).strip()
    # "工作任务 | 具体措施": the task's heading cell, then what is to be done.
    text = ":".join(part for part in (c.strip().rstrip(":") for c in cells.get("task", [])) if part)
    number = number_value(number_cell) if number_cell else None
    if number_cell and number is None:
        return None  # a 合计 row or a note
    targets = "".join(cells.get("target", [])).strip()
    if targets:
        text = f"{text.rstrip('。')}。{targets}" if text else targets
    labels: list[Label] = []
    for role in _UNIT_COLUMNS:
        for content in cells.get(role, []):
            # A cell may itself say "牵头单位:X;配合单位:Y"; its words then give the roles.
            head, inner = split_at_labels(content, line)
            if inner and not head.strip():
                labels.extend(inner)
            elif content.strip():
                header = (words or {}).get(role, "")
                labels.append(Label(role, content, line, source=f"表格列“{header}”" if header else "表格列"))
    return TableRow(
        line=line,
        number=number if number_cell else None,
        printed=number_cell or str(ordinal),
        text=text,
        labels=labels,
        deadline_text=" ".join(cells.get("deadline", [])).strip(),
    )


def _tab_rows(
    lines: list[Line], i: int, columns: list[str], out: list[Line | TableRow], words: dict[str, str] | None = None
) -> int:
    ordinal = 0
    heading = ""
    while i < len(lines):
        line = lines[i]
        cells = line.text.split("\t")
        if len(cells) == 1:
            following = lines[i + 1].text if i + 1 < len(lines) else ""
            if _HEADING.match(line.text) or (len(line.text) <= 30 and "\t" in following):
                out.append(line)  # a heading row spanning the table
                i += 1
                continue
            return i
        if _header(cells):
            i += 1  # the header repeated on a new page
            continue
        by_role: dict[str, list[str]] = {}
        placed = _aligned(columns, cells)
        for role, cell in zip(placed, cells, strict=False):
            by_role.setdefault(role, []).append(cell.strip())
        if columns.count("task") > 1:
            # "工作任务 | 具体措施" with the first cell merged over several rows: a row without it has the one above.
            tasks = by_role.get("task", [])
            if len(tasks) == columns.count("task") and tasks[0]:
                heading = tasks[0]
            elif heading:
                by_role["task"] = [heading, *[t for t in tasks if t]]
        if len(cells) > len(columns):
            by_role.setdefault(columns[-1], []).extend(c.strip() for c in cells[len(columns) :])
        number_cell = " ".join(by_role.get("number", [])).strip()
        if "number" in columns and not number_cell and out and isinstance(out[-1], TableRow):
            _merge(out[-1], line.no, by_role)  # a row continuing the one above (merged 序号 cell)
        else:
            ordinal += 1
            row = _row(line.no, by_role, ordinal, words)
            if row is not None:
                out.append(row)
        i += 1
    return i


def _fit(role: str, cell: str) -> int:
    """How well a cell's text suits a column (see `_aligned`)."""
    cell = cell.strip()
    if role == "number":
        return 3 if number_value(cell) is not None else -5
    deadline = bool(DEADLINE_CELL.search(cell)) and len(cell) <= 20 and not looks_like_units(cell)
    if role == "deadline":
        return 3 if deadline else -2
    if role in _UNIT_COLUMNS:
        return 2 if looks_like_units(cell) else -3
    if role == "task":
        return -1 if deadline or looks_like_units(cell) else 1
    return 0


def _aligned(columns: list[str], cells: list[str]) -> list[str]:
    """The column of each cell. A row of a table flattened with spaces has lost its empty (merged) cells, so
    with fewer cells than columns each cell goes, in order, to the column its text suits best."""
    if len(cells) >= len(columns) or any(not c.strip() for c in cells):
        return columns
    n, m = len(cells), len(columns)
    worst = -(10**6)
    # best[i][j]: the best score placing the first i cells in the first j columns
    best = [[worst] * (m + 1) for _ in range(n + 1)]
    best[0] = [0] * (m + 1)
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            best[i][j] = max(best[i][j - 1], best[i - 1][j - 1] + _fit(columns[j - 1], cells[i - 1]))
    chosen: list[str] = []
    i, j = n, m
    while i > 0:
        if j > i and best[i][j] == best[i][j - 1]:
            j -= 1
            continue
        chosen.append(columns[j - 1])
        i -= 1
        j -= 1
    return chosen[::-1]


def _merge(row: TableRow, line: int, by_role: dict[str, list[str]]) -> None:
    extra = _row(line, by_role, 0)
    if extra is None:
        return
    row.text = row.text + extra.text
    row.labels.extend(extra.labels)
    if extra.deadline_text:
        row.deadline_text = f"{row.deadline_text} {extra.deadline_text}".strip()


def _vertical_header(lines: list[Line], i: int) -> tuple[list[str] | None, int]:
    roles = []
    j = i
    while j < len(lines) and "\t" not in lines[j].text and _column(lines[j].text):
        roles.append(_column(lines[j].text) or "other")
        j += 1
    if len(roles) < 3 or roles[0] != "number" or _header([lines[k].text for k in range(i, j)]) is None:
        return None, 0
    return roles, j - i


def _vertical_rows(lines: list[Line], i: int, columns: list[str], out: list[Line | TableRow]) -> int:
    expected = 1
    ordinal = 0
    while i < len(lines) and number_value(lines[i].text) == expected and lines[i].text.strip().isdigit():
        start = lines[i]
        j = i + 1
        cells: list[str] = []
        while j < len(lines):
            text = lines[j].text
            if text.strip().isdigit() and number_value(text) == expected + 1:
                break
            if _HEADING.match(text) and cells:
                break
            cells.append(text)
            j += 1
        by_role: dict[str, list[str]] = {"number": [start.text]}
        rest = columns[1:]
        # The task cell may span several lines; unit cells are short lists of unit names.
        k = 0
        if rest and rest[0] == "task" and cells:
            task = [cells[0]]
            k = 1
            while k < len(cells) and not looks_like_units(cells[k]) and len(cells) - k > len(rest) - 1:
                task.append(cells[k])
                k += 1
            by_role["task"] = task
            rest = rest[1:]
        for role in rest:
            if k >= len(cells):
                break
            by_role.setdefault(role, []).append(cells[k])
            k += 1
        overflow = [lines[i + 1 + n] for n in range(k, len(cells))]
        ordinal += 1
        row = _row(start.no, by_role, ordinal)
        if row is not None:
            out.append(row)
        # Lines beyond the last column end the table (a closing paragraph) unless a heading leads on.
        if overflow:
            out.extend(overflow)
            return j
        i = j
        expected += 1
        while i < len(lines) and _HEADING.match(lines[i].text):
            out.append(lines[i])
            i += 1
    return i
