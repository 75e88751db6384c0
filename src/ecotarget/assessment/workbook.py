"""Reading a 评分细则 workbook (.xlsx): the layout assessing offices already use — columns 序号, 考核内容, 分值,
评分标准, 牵头单位, 责任单位 under a header row near the top of the first sheet.

A row whose 序号 is a Chinese numeral (一、二、…) starts a part; the rows under it are its items. The package is
checked before it is opened (`files.zips`), and only the first `MAX_ROWS` rows are read: a scheme is a few pages.
Nothing here writes; every problem is collected with its row number, so the preview can show them all at once.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from ecotarget.files.workbooks import cell_text, open_workbook
from ecotarget.files.zips import MB, PackageRefused, ZipLimits

SCHEME_LIMITS = ZipLimits(max_entries=200, max_total_bytes=20 * MB)
MAX_ROWS = 2000
HEADER_ROWS = 10  # the header row is found among the first rows (a title may stand above it)
COLUMNS = {
    "number": ("序号",),
    "content": ("考核内容", "考核项目", "考核指标"),
    "points": ("分值", "分数"),
    "standard": ("评分标准", "评分细则", "考核标准"),
    "lead": ("牵头单位",),
    "units": ("责任单位", "配合单位"),
}
REQUIRED = ("number", "content", "points", "standard")
PART_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]?\s*$")


class WorkbookRefused(ValueError):
    """The file cannot be read as a 评分细则 at all (not an .xlsx, too costly, no header row)."""


@dataclass
class Row:
    line: int  # the row number in the sheet, as a spreadsheet shows it
    number: str
    content: str
    points: str
    standard: str
    lead: str
    units: str


@dataclass
class ParsedPart:
    line: int
    number: str
    title: str
    items: list[Row] = field(default_factory=list)


@dataclass
class ParsedScheme:
    parts: list[ParsedPart]
    errors: list[str]

    def to_json(self) -> dict:
        return {"parts": [asdict(p) for p in self.parts], "errors": self.errors}

    @classmethod
    def from_json(cls, data: dict) -> ParsedScheme:
        parts = [
            ParsedPart(line=p["line"], number=p["number"], title=p["title"], items=[Row(**r) for r in p["items"]])
            for p in data["parts"]
        ]
        return cls(parts=parts, errors=list(data["errors"]))


def _text(value: object) -> str:
    return re.sub(r"[ \t\u3000]+", " ", cell_text(value)).strip()


def _header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        cells = [_text(c).replace(" ", "") for c in row]
        found = {}
        for key, names in COLUMNS.items():
            for column, cell in enumerate(cells):
                if cell in names:
                    found[key] = column
                    break
        if all(key in found for key in REQUIRED):
            return index, found
    return None


def points_of(text: str) -> Decimal | None:
    """分值 as a number: "5", "5分", "5.0"; None when it is not one."""
    cleaned = text.replace("分", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def read_scheme(data: bytes, name: str) -> ParsedScheme:
    """The workbook's parts and items with every problem by row; WorkbookRefused when it is not readable."""
    try:
        book = open_workbook(data, name, SCHEME_LIMITS)
    except PackageRefused as refused:
        raise WorkbookRefused(str(refused)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise WorkbookRefused(f"{name}：不是有效的 .xlsx 文件") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for count, row in enumerate(sheet.iter_rows(values_only=True)):
            if count >= MAX_ROWS:
                raise WorkbookRefused(f"{name}：超过 {MAX_ROWS} 行，不像评分细则，请检查文件")
            rows.append(tuple(row))
    finally:
        book.close()
    found = _header(rows)
    if found is None:
        raise WorkbookRefused(
            f"{name}：前 {HEADER_ROWS} 行中找不到表头"
            "（应有 序号、考核内容、分值、评分标准 列，可有 牵头单位、责任单位 列）"
        )
    start, columns = found
    errors: list[str] = []
    parts: list[ParsedPart] = []

    def cell(row: tuple, key: str) -> str:
        column = columns.get(key)
        return _text(row[column]) if column is not None and column < len(row) else ""

    for index in range(start + 1, len(rows)):
        row = rows[index]
        line = index + 1
        values = {key: cell(row, key) for key in COLUMNS}
        if not any(values.values()):
            continue
        part_number = PART_NUMBER.match(values["number"])
        if part_number:
            if not values["content"]:
                errors.append(f"第{line}行：第{part_number.group(1)}部分没有名称（考核内容列）")
            parts.append(ParsedPart(line=line, number=part_number.group(1), title=values["content"]))
            continue
        if not parts:
            parts.append(ParsedPart(line=line, number="一", title="考核内容"))
        item = Row(line=line, **values)
        if not item.content:
            errors.append(f"第{line}行：缺少考核内容")
        if not item.points:
            errors.append(f"第{line}行：缺少分值")
        elif points_of(item.points) is None:
            errors.append(f"第{line}行：分值“{item.points}”不是数字")
        parts[-1].items.append(item)
    if not any(p.items for p in parts):
        errors.append(f"{name}：表头下没有考核条目")
    return ParsedScheme(parts=parts, errors=errors)
