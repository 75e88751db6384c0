"""How many rows and cells the first worksheet of an .xlsx file holds, found without parsing it.

openpyxl needs minutes and gigabytes for a sheet of a million rows, and a few hundred KB of zip can hold one. The
sheet's declared dimension (`<dimension ref="A1:F1000001"/>`, the first bytes of its XML) refuses most such files
at once; as writers may omit or understate it, the sheet's XML is then streamed through a count of its row and
cell tags, which stops as soon as a limit is passed. The package's sizes are checked first (files.zips), so the
stream itself is bounded.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ecotarget.files.zips import DATA_LIMITS, check_zip

# What one data file may hold: a year of hourly data of 30 stations is about 263,000 rows of 9 cells.
MAX_ROWS = 300_000
MAX_CELLS = 5_000_000

_PREFIX = re.compile(rb"<(\w{1,16}:)?sheetData[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w{1,16}:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\"")
_CHUNK = 1024 * 1024
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARTS_MAX = 10 * 1024 * 1024  # the workbook part and its relationships: a few KB in a real workbook


class SheetTooLarge(ValueError):
    """A file with more rows or cells than a data file may have; the message names the file and the limit."""


def too_many_rows(file: str, limit: int, rows: int | None = None) -> SheetTooLarge:
    said, said_en = (f"有 {rows} 行，", f"has {rows} rows, ") if rows is not None else ("", "has ")
    return SheetTooLarge(
        f"{file}: 工作表{said}超过上限 {limit} 行，请按年度或站点拆分后分别导入"
        f" / the sheet {said_en}more than the limit of {limit} rows: split it by year or station"
    )


def too_many_cells(file: str, limit: int) -> SheetTooLarge:
    return SheetTooLarge(
        f"{file}: 单元格超过上限 {limit} 个，请拆分后分别导入 / more than the limit of {limit} cells: split the file"
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first worksheet (what openpyxl reads as worksheets[0])."""
    try:
        if any(archive.getinfo(n).file_size > _PARTS_MAX for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")):
            return None
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheet = next((e for e in book.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"), None)
    if sheet is None:
        return None
    target = next((r.get("Target", "") for r in rels if r.get("Id") == sheet.get(_REL)), "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def check(path: str | Path, max_rows: int = MAX_ROWS, max_cells: int = MAX_CELLS, *, name: str | None = None) -> None:
    """SheetTooLarge (or files.zips.PackageRefused) when the first worksheet is beyond the limits; the messages
    name the file as `name` (its user's name for it) or by its path."""
    path = Path(path)
    name = name or path.name
    check_zip(path, name, DATA_LIMITS)
    with zipfile.ZipFile(path) as archive:
        part = _first_sheet(archive)
        names = set(archive.namelist())
        # A workbook whose first sheet cannot be found is left to openpyxl, bounded by its every sheet.
        parts = [part] if part in names else sorted(n for n in names if n.startswith("xl/worksheets/"))
        for part_name in parts:
            with archive.open(part_name) as stream:
                _count(stream, name, max_rows, max_cells)


def _count(stream, file: str, max_rows: int, max_cells: int) -> None:
    head = stream.read(64 * 1024)
    declared = _DIMENSION.search(head)
    if declared and declared.group(3):
        rows = int(declared.group(4)) - int(declared.group(2)) + 1
        columns = _column_number(declared.group(3)) - _column_number(declared.group(1)) + 1
        if rows > max_rows:
            raise too_many_rows(file, max_rows, rows)
        if rows * columns > max_cells:
            raise too_many_cells(file, max_cells)
    # Tags are counted as plain bytes (fast); the namespace prefix the sheet uses, if any, is the sheetData's. (A
    # sheet whose sheetData starts past the first 64 KB is read unprefixed; openpyxl's reading stops at the limit.)
    found = _PREFIX.search(head)
    prefix = (found.group(1) or b"") if found else b""
    row_tags = [b"<" + prefix + b"row" + end for end in (b" ", b">", b"/")]
    cell_tags = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/")]
    keep = len(row_tags[0]) - 1  # a tag cut by a chunk's end is counted with the next chunk
    rows = cells = 0
    buffer = head
    while True:
        chunk = stream.read(_CHUNK)
        cut = max(len(buffer) - keep, 0) if chunk else len(buffer)
        window = buffer[:cut]
        rows += sum(window.count(tag) for tag in row_tags)
        cells += sum(window.count(tag) for tag in cell_tags)
        if rows > max_rows:
            raise too_many_rows(file, max_rows)
        if cells > max_cells:
            raise too_many_cells(file, max_cells)
        if not chunk:
            return
        buffer = buffer[cut:] + chunk
