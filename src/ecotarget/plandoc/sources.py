"""Bytes of a published plan → its plain text: .docx, an .html page saved from a site, or text in any
of the encodings Chinese government sites use.

The kind is sniffed from the content, never the file name: uploads arrive as "下载.htm" holding a Word file,
or "方案.txt" holding a web page.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from ecotarget.files.zips import PLAN_LIMITS, PackageRefused, check_zip

from .model import PlanParseError
from .numerals import int_to_cn
from .units import ends_like_unit

ERR_EMPTY = "文档为空 (empty document)"
ERR_BINARY = "不是文本文件，无法读取 (binary data, not a text, .docx or .html document)"


def sniff(data: bytes) -> str:
    """'docx', 'html' or 'text' by content."""
    if data[:4] == b"PK\x03\x04":
        return "docx"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:8192].lower():
        return "html"
    if head.startswith(b"<") and re.search(rb"<(html|body|head|div|p|table|meta|title|article|section)\b", head):
        return "html"
    return "text"


def extract_text(data: bytes, *, source: str) -> str:
    """The plain text `parse_bytes` would parse: docx paragraphs and table rows (cells tab-separated), xlsx rows
    (cells tab-separated), html visible text with block elements as lines, or decoded text."""
    if not data or not data.strip():
        raise PlanParseError(source, None, ERR_EMPTY)
    kind = sniff(data)
    if kind == "docx":
        return docx_text(data, source=source)
    if kind == "html":
        return html_text(data, source=source)
    return decode_text(data, source=source)


# --- text -------------------------------------------------------------------------------------------------

_SIGNATURES = {
    b"%PDF": "PDF 文件不受支持，请提供 .docx、.html 或文本 (PDF is not supported)",
    b"\xd0\xcf\x11\xe0": "旧版 Word (.doc) 文件不受支持，请另存为 .docx (legacy .doc is not supported)",
    b"\x89PNG": ERR_BINARY,
    b"\xff\xd8\xff": ERR_BINARY,
    b"GIF8": ERR_BINARY,
    b"\x1f\x8b": ERR_BINARY,
}


def decode_text(data: bytes, *, source: str) -> str:
    for signature, reason in _SIGNATURES.items():
        if data.startswith(signature):
            raise PlanParseError(source, None, reason)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PlanParseError(source, None, ERR_BINARY) from None
    if b"\x00" in data:
        raise PlanParseError(source, None, ERR_BINARY)
    controls = sum(1 for b in data if b < 0x20 and b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B))
    if controls * 100 > len(data):
        raise PlanParseError(source, None, ERR_BINARY)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError(source, None, ERR_BINARY)


def join_cell_lines(lines: Iterable[str]) -> str:
    """A table cell's lines as one text. Lines wrapped inside a sentence join without a gap; a cell listing one
    unit per line ("县住建局" / "县交通运输局") keeps them apart, as the list they are."""
    out = ""
    previous = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if _unit_line(previous) and _unit_line(line):
            out += "、"
        out += line
        previous = line
    return out


def _unit_line(line: str) -> bool:
    return 2 <= len(line) <= 20 and ends_like_unit(line) and not re.search(r"[。,;:、]", line)


# --- docx -------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes, *, source: str) -> str:
    try:
        # Sizes first: what a package expands to is known before any part of it is decompressed.
        entries = check_zip(data, source, PLAN_LIMITS)
    except PackageRefused as exc:
        raise PlanParseError(source, None, exc.reason) from None
    except (zipfile.BadZipFile, ValueError):
        raise PlanParseError(source, None, "Word 文件已损坏 (corrupt .docx / zip data)") from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" in names:
        return xlsx_text(data, source=source)
    if "word/document.xml" not in names:
        raise PlanParseError(source, None, "压缩包不是 Word 文档 (a zip archive, not a .docx)")
    try:
        from docx import Document

        document = Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except PlanParseError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise PlanParseError(source, None, f"无法读取 Word 文件 (unreadable .docx: {type(exc).__name__})") from None


class _ListNumbers:
    """Word's automatic list numbers ("1." "（一）" drawn from numbering.xml), which are not in the text.

    Plans typed in Word often number their tasks this way; without it every task would lose its number.
    """

    FORMATS: ClassVar[dict[str, Callable[[int], str]]] = {
        "decimal": str,
        "decimalZero": lambda n: f"{n:02d}",
        "chineseCounting": int_to_cn,
        "chineseCountingThousand": int_to_cn,
        "chineseLegalSimplified": int_to_cn,
        "ideographTraditional": int_to_cn,
        "japaneseCounting": int_to_cn,
        "taiwaneseCounting": int_to_cn,
        "taiwaneseCountingThousand": int_to_cn,
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalFullWidth": str,
        "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
        "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    }

    def __init__(self, document: Any):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbering = self._style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except Exception:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0") or 0)
                start = _val(lvl, "start", "1")
                fmt = _val(lvl, "numFmt", "decimal")
                text = _val(lvl, "lvlText", "")
                levels[ilvl] = (int(start) if start.isdigit() else 1, fmt, text)
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for node in root.iterchildren(f"{_W}num"):
            ref = node.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[node.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})

    @staticmethod
    def _style_numbering(document: Any) -> dict[str, tuple[str, str]]:
        """Paragraph styles that number their paragraphs ("List Number"), following basedOn."""
        try:
            styles = list(document.styles.element.iterchildren(f"{_W}style"))
        except Exception:
            return {}
        own: dict[str, tuple[str, str]] = {}
        based: dict[str, str] = {}
        for style in styles:
            style_id = style.get(f"{_W}styleId", "")
            ppr = style.find(f"{_W}pPr")
            numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if numpr is not None:
                own[style_id] = (_val(numpr, "numId", ""), _val(numpr, "ilvl", "0"))
            parent = style.find(f"{_W}basedOn")
            if parent is not None:
                based[style_id] = parent.get(f"{_W}val", "")
        resolved = {}
        for style_id in based.keys() | own.keys():
            seen, current = set(), style_id
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current, "")
            if current in own:
                resolved[style_id] = own[current]
        return resolved

    def prefix(self, paragraph: Any) -> str:
        ppr = paragraph.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if numpr is not None:
            num_id, ilvl_text = _val(numpr, "numId", ""), _val(numpr, "ilvl", "0")
        else:
            style = ppr.find(f"{_W}pStyle") if ppr is not None else None
            numbering = self.style_numbering.get(style.get(f"{_W}val", "")) if style is not None else None
            if numbering is None:
                return ""
            num_id, ilvl_text = numbering
        ilvl = int(ilvl_text) if ilvl_text.isdigit() and int(ilvl_text) < 9 else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        start, fmt, text = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none") or not text:
            return ""

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lvl_start, lvl_fmt, _ = levels.get(level, (1, "decimal", ""))
            value = counters[level] or lvl_start
            return self.FORMATS.get(lvl_fmt, str)(value)

        return re.sub(r"%([1-9])", render, text)


def _val(node: Any, child: str, default: str) -> str:
    found = node.find(f"{_W}{child}")
    if found is None:
        return default
    return found.get(f"{_W}val", default) or default


def _docx_lines(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbers = _ListNumbers(document)
    pending = list(document.element.body.iterchildren())
    pending.reverse()
    while pending:
        node = pending.pop()
        tag = node.tag
        if tag == f"{_W}p":
            yield numbers.prefix(node) + Paragraph(node, document).text
        elif tag == f"{_W}tbl":
            yield from _docx_table(Table(node, document))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            children = list(node.iterchildren())
            children.reverse()
            pending.extend(children)


def _docx_table(table: Any) -> Iterator[str]:
    rows = []
    for row in table.rows:
        cells = []
        previous = None
        for cell in row.cells:
            # A horizontally merged cell repeats; a vertically merged one repeats its text, which is what a
            # shared 牵头单位 cell means for each row it spans.
            if previous is not None and cell._tc is previous:
                cells.append("")
                continue
            previous = cell._tc
            cells.append(join_cell_lines(p.text for p in cell.paragraphs).replace("\t", " "))
        rows.append(cells)
    if rows and max(len(r) for r in rows) <= 1:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield paragraph.text
        return
    for cells in rows:
        while cells and not cells[-1].strip():
            cells.pop()
        yield "\t".join(cells)


# --- xlsx -------------------------------------------------------------------------------------------------


def xlsx_text(data: bytes, *, source: str) -> str:
    """Every sheet's rows as tab-separated lines, as a task table (任务分解表) kept in Excel is read.

    A vertically merged cell (one 牵头单位 for several rows) gives its text to every row it spans, as in Word;
    a horizontally merged one (a heading row) is said once.
    """
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), data_only=True)
        lines: list[str] = []
        for sheet in book.worksheets:
            spans: dict[tuple[int, int], Any] = {}
            for merged in sheet.merged_cells.ranges:
                top = sheet.cell(merged.min_row, merged.min_col).value
                for spanned in range(merged.min_row, merged.max_row + 1):
                    for col in range(merged.min_col, merged.max_col + 1):
                        spans[(spanned, col)] = top if col == merged.min_col else None
            if sheet.title and len(book.worksheets) > 1:
                lines.append(sheet.title)
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = []
                for c, value in enumerate(row, start=1):
                    value = spans.get((r, c), value)
                    cells.append("" if value is None else _cell_text(value))
                while cells and not cells[-1].strip():
                    cells.pop()
                lines.append("\t".join(cells))
        return "\n".join(lines)
    except PlanParseError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise PlanParseError(source, None, f"无法读取 Excel 文件 (unreadable .xlsx: {type(exc).__name__})") from None


def _cell_text(value: Any) -> str:
    if hasattr(value, "strftime"):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return join_cell_lines(str(value).replace("\t", " ").replace("\r", "").split("\n"))


# --- html -------------------------------------------------------------------------------------------------

_DROP = (
    "script", "style", "noscript", "template", "nav", "head", "iframe", "svg", "object", "embed", "button",
    "select", "textarea", "input", "canvas", "map", "audio", "video", "form",
)  # fmt: skip
_BLOCK = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "html",
    )
)  # fmt: skip
_WS = re.compile(r"[ \t\r\n\f\v]+")


def html_decode(data: bytes) -> str:
    declared = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    candidates = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        candidates.append("gb18030" if name.replace("-", "").replace("_", "") in ("gb2312", "gbk", "x-gbk") else name)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def html_text(data: bytes, *, source: str) -> str:
    if b"\x00" in data:
        raise PlanParseError(source, None, ERR_BINARY)
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(html_decode(data), "lxml")
        for tag in soup.find_all(_DROP):
            tag.decompose()
        for tag in soup.find_all(_hidden):
            tag.decompose()
        root = soup.body or soup
        return "\n".join(_html_lines(root))
    except PlanParseError:
        raise
    except Exception as exc:  # a page bs4/lxml cannot walk is not a plan we can read
        raise PlanParseError(source, None, f"无法读取网页 (unreadable .html: {type(exc).__name__})") from None


def _hidden(tag: Any) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") == "navigation":
        return True
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _html_lines(root: Any) -> list[str]:
    from bs4 import NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            lines.append(text)

    # An explicit stack, not recursion: pages nest deeper than Python's recursion limit.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, skipped):
                buffer.append(str(node))
            continue
        name = getattr(node, "name", None)
        if leaving:
            if name in _BLOCK:
                flush()
            continue
        if name == "br":
            flush()
            continue
        if name == "table" and _is_data_table(node):
            flush()
            lines.extend(_html_table(node))
            continue
        if name in _BLOCK:
            flush()
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(getattr(node, "contents", [])))
    flush()
    return lines


def _rows(table: Any) -> list[Any]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _is_data_table(table: Any) -> bool:
    """A table of cells (a task table, the metadata block), not one laying out the page around the article."""
    if table.find("table") is not None:
        return False
    rows = _rows(table)
    if not rows or max(len(tr.find_all(["td", "th"], recursive=False)) for tr in rows) < 2:
        return False
    # A cell holding many paragraphs is the article itself, set beside a menu column.
    return all(len(cell.find_all(["p", "div", "br", "li"])) <= 4 for tr in rows for cell in tr.find_all(["td", "th"]))


def _span(cell: Any, name: str) -> int:
    value = str(cell.get(name, "1")).strip()
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def _html_table(table: Any) -> list[str]:
    rows = _rows(table)
    grid: list[dict[int, str]] = [{} for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while c in grid[r]:
                c += 1
            text = join_cell_lines(_html_lines(cell)).replace("\t", " ")
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(min(rowspan, len(rows) - r)):
                # A row-spanning cell (a shared 牵头单位) belongs to every row it spans; a column-spanning one
                # (a heading row) is said once.
                for dc in range(colspan):
                    grid[r + dr][c + dc] = text if dc == 0 else ""
            c += colspan
    lines = []
    for row in grid:
        cells = [row.get(c, "") for c in range(max(row) + 1)] if row else []
        while cells and not cells[-1].strip():
            cells.pop()
        lines.append("\t".join(cells))
    return lines
