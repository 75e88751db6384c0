"""Readers for the file layouts users have (standards-spec §7), turning them into arrays plus a row-level report.

Air: the national real-time release as users download it (`stationcode, positionname, area, timepoint`, the
1-hour columns with their 24-hour and 8-hour companions), the national hourly archive (`date,hour,type,<one column
per station>`), provincial platform exports (one row per station-hour, Chinese or English headers), and a long
layout (`station,time,pollutant,value`).  Water: one row per sample with a column per parameter, or
(`section,date,parameter,value`).  CSV (UTF-8 or GB18030 or UTF-16) or .xlsx.

Files are read by columns (Polars; calamine through fastexcel for .xlsx) and every check runs over whole columns,
so a year of hourly data reads in a fraction of a second; the report is the same as a row-by-row reading's.

Blank, "-", "—", "NA" … cells are missing values and "/" marks a pollutant outside the station's programme
(HJ 633-2026 §5.3, standards-spec §1.7): both are counted, not reported, and kept apart (`AirTable.absent`).
Unreadable or negative values are reported with file, row (as a spreadsheet shows it: the header is row 1) and
column, and become missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ecotarget.files.text import as_utf8, decode, has_utf16_bom

from . import sheet_extent
from .hourly import HourlyGrid, build_grid
from .sheet_extent import MAX_CELLS, MAX_ROWS, too_many_cells, too_many_rows

# what a missing value is written as; "/" is kept apart: a pollutant the station does not measure at all
MISSING_MARKS = frozenset({"", "-", "—", "--", "——", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"})
NOT_MEASURED = "/"
BLANKS = MISSING_MARKS | {NOT_MEASURED}


@dataclass(frozen=True)
class RowIssue:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: 第{self.row}行 row {self.row}, 列 column {self.column}: {self.reason} ({self.value!r})"


@dataclass(frozen=True)
class Sheet:
    """A file's cells as text, by columns: `frame` holds one text column per header cell as read (null where
    empty), each row at the spreadsheet row `lines[i]` (the header is row 1); `issues` are the rows that could not
    be read at all (they are not in `frame`). `cells` gives a column with spaces stripped and "" for empty."""

    file: str
    header: list[str]
    frame: pl.DataFrame
    lines: np.ndarray
    issues: list[RowIssue] = field(default_factory=list)
    complete: bool = True  # every column was read (else only those a reader picked, named c<place>)
    one_line_rows: bool = False  # a CSV whose every row is one line of the file (no quoted line breaks)

    def __len__(self) -> int:
        return self.frame.height

    def cells(self, j: int) -> pl.Series:
        return _clean(self.frame.get_column(f"c{j}"))

    def raw(self, j: int) -> pl.Series:
        """Column `j` as read: null where empty, spaces kept."""
        return self.frame.get_column(f"c{j}")

    def text(self, j: int) -> np.ndarray:
        """Column `j` as a NumPy array of str."""
        return _str_array(self.cells(j))

    @property
    def rows(self) -> list[list[str]]:
        """Row by row (for echoing a small file; the readers never need it)."""
        if not self.complete:
            raise ValueError("only some columns of this sheet were read")
        stripped = self.frame.select(pl.all().fill_null("").str.strip_chars())
        return [list(r) for r in stripped.iter_rows()]

    def row_numbers(self) -> np.ndarray:
        return self.lines


def _clean(series: pl.Series) -> pl.Series:
    """ "" for empty, spaces around the text dropped; a column that has none is not copied to find out."""
    series = series.fill_null("")
    ends = [series.str.starts_with(c) | series.str.ends_with(c) for c in (" ", "\t", "\u3000")]
    if (ends[0] | ends[1] | ends[2]).any():
        series = series.str.strip_chars()
    return series


def _codes(series: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(each distinct text once, as Python str; the index of each cell's text among them), by hashing."""
    series = series.fill_null("")
    distinct = series.unique()
    codes = series.replace_strict(distinct, pl.int_range(distinct.len(), eager=True), return_dtype=pl.Int64)
    return np.asarray(distinct.to_list(), dtype=object), codes.to_numpy()


def _str_array(series: pl.Series) -> np.ndarray:
    """A text column as a NumPy array of Python str (dtype object), each distinct text one object: a column of
    a few station names repeated over a year of hours costs a pointer per row, not a string per row."""
    if not series.len():
        return np.zeros(0, dtype=object)
    distinct, codes = _codes(series)
    return distinct[codes]


def _series(cells: Sequence[str] | np.ndarray | pl.Series) -> pl.Series:
    if isinstance(cells, pl.Series):
        return cells
    return pl.Series(values=np.asarray(cells, dtype=object).astype(str), dtype=pl.String)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(
    path: str | Path,
    *,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
    name: str | None = None,
    pick: Callable[[list[str]], Collection[int]] | None = None,
) -> Sheet:
    """CSV (UTF-8 with or without BOM, GBK/GB18030 or UTF-16 with BOM) or the first worksheet of an .xlsx file.

    `name` is the file's name as its user knows it (an upload is read from a temporary file): every message and
    issue names it. A file of more than `max_rows` rows or `max_cells` cells is refused (SheetTooLarge) before its
    rows are read where the file says how big it is, and as soon as reading passes the limit where it does not.
    `pick`, given the header, names the columns a reader needs: a CSV's other columns are then not kept (the
    sheet is not `complete`)."""
    path = Path(path)
    name = name or path.name
    # The libraries below may warn about a workbook's styles or a file's quirks: the user sees our report only.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = _numbered(_xlsx_frame(path, name, max_rows, max_cells))
            lines, issues = np.arange(1, frame.height + 1, dtype=np.int64), list[RowIssue]()
            header: list[str] | None = None
            one_line = False
        else:
            header, frame, lines, issues = _csv_frame(path, name, max_rows, max_cells, pick)
            one_line = bool(lines.size == 0 or lines[-1] == lines.size + sum(1 for i in issues if i.row))
    last = _last_row_with_text(frame)
    frame, lines = frame.head(last), lines[:last]
    if not frame.height:
        raise ValueError(f"{name}: empty file / 文件为空")
    if header is None:
        header = list(frame.row(0))
    header = [(h or "").strip() for h in header]
    complete = frame.width == len(header)
    return Sheet(name, header, frame.slice(1), np.asarray(lines[1:], dtype=np.int64), issues, complete, one_line)


def _numbered(frame: pl.DataFrame, columns: Sequence[int] | None = None) -> pl.DataFrame:
    """Columns named by their place in the file (c0, c1 …), whichever of them were read."""
    frame.columns = [f"c{j}" for j in (range(frame.width) if columns is None else columns)]
    return frame


def _last_row_with_text(frame: pl.DataFrame) -> int:
    """How many rows remain once the empty rows at the end are dropped (looked for from the end, a block at a
    time: a sheet's trailing empty rows are few or a formatted range, never worth a pass over every cell)."""
    end, block = frame.height, 1024
    while end > 0:
        start = max(0, end - block)
        part = frame.slice(start, end - start)
        text = part.select(pl.any_horizontal(pl.all().str.strip_chars().fill_null("") != "")).to_series().to_numpy()
        found = np.flatnonzero(text)
        if found.size:
            return start + int(found[-1]) + 1
        end, block = start, block * 4
    return 0


def _limit(width: int, max_rows: int, max_cells: int) -> int:
    """How many rows (the header included) a sheet `width` cells wide may have."""
    return min(max_rows, max_cells // max(width, 1))


def _refuse_size(name: str, height: int, width: int, max_rows: int, max_cells: int) -> None:
    if height > max_rows:
        raise too_many_rows(name, max_rows)
    if height * width > max_cells:
        raise too_many_cells(name, max_cells)


def _xlsx_frame(path: Path, name: str, max_rows: int, max_cells: int) -> pl.DataFrame:
    import fastexcel

    sheet_extent.check(path, max_rows, max_cells, name=name)
    try:
        reader = fastexcel.read_excel(path)
        sheet = reader.load_sheet(0, header_row=None, dtypes="string", n_rows=max_rows + 1)
        frame = sheet.to_polars()
    except Exception:  # calamine refuses some minimal workbooks openpyxl reads: read those the slow way
        frame = _xlsx_frame_openpyxl(path, name, max_rows, max_cells)
    # The check above counted the sheet's rows; stopping here too keeps that promise whatever it missed.
    _refuse_size(name, frame.height, frame.width, max_rows, max_cells)
    return frame.select(pl.all().cast(pl.String))


def _xlsx_frame_openpyxl(path: Path, name: str, max_rows: int, max_cells: int) -> pl.DataFrame:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        table: list[list[str]] = []
        cells = 0
        for row in wb.worksheets[0].iter_rows(values_only=True):
            if len(table) >= max_rows:
                raise too_many_rows(name, max_rows)
            cells += len(row)
            if cells > max_cells:
                raise too_many_cells(name, max_cells)
            table.append([_cell_text(v) for v in row])
    finally:
        wb.close()
    return _frame_of(table)


def _frame_of(table: list[list[str]]) -> pl.DataFrame:
    width = max((len(r) for r in table[:1]), default=0)
    rows = [(r + [""] * width)[:width] for r in table]
    return pl.DataFrame(
        {f"column_{j}": [r[j] for r in rows] for j in range(width)},
        schema={f"column_{j}": pl.String for j in range(width)},
    )


def _csv_frame(
    path: Path, name: str, max_rows: int, max_cells: int, pick: Callable[[list[str]], Collection[int]] | None
) -> tuple[list[str] | None, pl.DataFrame, np.ndarray, list[RowIssue]]:
    """The header, the rows of a CSV file (the header's row first), the line each ends on, and the rows whose
    field is longer than csv.field_size_limit() (those become row issues naming file, line and field)."""
    data = path.read_bytes()
    if not data or data.isspace():
        return None, pl.DataFrame(), np.zeros(0, dtype=np.int64), []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif has_utf16_bom(data) or b"\x00" in data:
        data = as_utf8(data, name)
    try:
        header, frame = _polars_csv(data, name, max_rows, max_cells, pick)
    except pl.exceptions.ComputeError:  # not UTF-8 (Polars checks every cell): GB18030, or refused by name
        data = as_utf8(data, name)
        try:
            header, frame = _polars_csv(data, name, max_rows, max_cells, pick)
        except pl.exceptions.PolarsError:
            return None, *_csv_frame_python(data.decode("utf-8"), name, max_rows, max_cells)
    except pl.exceptions.PolarsError:  # quoting Polars will not read: the csv module's reading decides
        return None, *_csv_frame_python(decode(data, name), name, max_rows, max_cells)
    lines = np.arange(1, frame.height + 1, dtype=np.int64)
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if frame.height != physical:  # quoted fields hold line breaks: a row ends on the line after all of them
        if frame.width != len(header):  # breaks may hide in columns not read: read them all
            header, frame = _polars_csv(data, name, max_rows, max_cells, None)
        breaks = frame.select(
            pl.sum_horizontal(pl.col(c).fill_null("").str.count_matches("\n", literal=True) for c in frame.columns)
        )
        lines += np.cumsum(breaks.to_series().to_numpy().astype(np.int64))
    issues: list[RowIssue] = []
    size_limit = csv.field_size_limit()
    if len(data) > size_limit:
        frame, lines = _drop_long_fields(frame, header, lines, name, size_limit, issues)
    return header, frame, lines, issues


def _polars_csv(
    data: bytes, name: str, max_rows: int, max_cells: int, pick: Callable[[list[str]], Collection[int]] | None
) -> tuple[list[str], pl.DataFrame]:
    """The header, and every cell of the columns `pick` chooses as text (no type guessing), the header's row
    first, at most one row past the limits (which count every column of the file)."""
    options = {"has_header": False, "infer_schema": False, "truncate_ragged_lines": True, "raise_if_empty": False}
    head = pl.read_csv(data, n_rows=1, **options)  # type: ignore[arg-type]
    header = [str(h or "") for h in head.row(0)] if head.height else []
    limit = _limit(len(header), max_rows, max_cells)
    columns = sorted(set(pick(header))) if pick is not None else None
    if columns is not None and len(columns) == len(header):
        columns = None
    frame = pl.read_csv(data, n_rows=limit + 1, columns=columns, **options)  # type: ignore[arg-type]
    _refuse_size(name, frame.height, len(header), max_rows, max_cells)
    return header, _numbered(frame, columns)


LINE_BLOCK_BYTES = 4 * 2**20


def csv_line_blocks(path: str | Path, name: str | None = None) -> Iterator[pl.Series]:
    """A CSV file's physical lines as UTF-8 text (line ends dropped), a block of about LINE_BLOCK_BYTES at a time,
    for echoing its rows as written: with `Sheet.lines` (1-based) they give each row's line when no quoted field
    holds a line break. One block's lines are held at a time, never the whole file's."""
    path = Path(path)
    data = path.read_bytes()
    data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if has_utf16_bom(data) or b"\x00" in data:
        data = as_utf8(data, name or path.name)
    start = 0
    while start < len(data):
        cut = data.find(b"\n", start + LINE_BLOCK_BYTES)
        end = len(data) if cut < 0 else cut + 1
        block = data[start:end]
        try:
            yield _line_block(block)
        except pl.exceptions.ComputeError:  # not UTF-8 (Polars checks every line): GB18030, whose bytes never
            yield _line_block(as_utf8(block, name or path.name))  # hold a line feed inside a character
        start = end


def _line_block(data: bytes) -> pl.Series:
    separator = next(c for c in ("\x1f", "\x1e", "\x1d", "\x01", "\x02", "\x03") if c.encode() not in data)
    lines = pl.read_csv(
        data, has_header=False, infer_schema=False, separator=separator, quote_char=None, raise_if_empty=False
    )
    if not lines.width:
        return pl.Series(dtype=pl.String)
    return lines.to_series(0).fill_null("").str.strip_chars_end("\r")


def _drop_long_fields(
    frame: pl.DataFrame, header: list[str], lines: np.ndarray, name: str, limit: int, issues: list[RowIssue]
) -> tuple[pl.DataFrame, np.ndarray]:
    """Rows holding a field longer than the csv module reads are reported (as that module's reading did) and
    dropped: a field of 200,000 characters is no measurement."""
    longest = frame.select(pl.all().str.len_bytes().max()).row(0)  # bytes ≥ characters: a cheap first look
    if all((n or 0) <= limit for n in longest):
        return frame, lines
    long = frame.select(pl.col(c).fill_null("").str.len_chars() > limit for c in frame.columns).to_numpy()
    bad = np.flatnonzero(long.any(axis=1))
    if not bad.size:
        return frame, lines
    places = [int(c[1:]) for c in frame.columns]
    for i in bad:
        j = places[int(np.argmax(long[i]))]
        if i == 0:
            issues.append(RowIssue(name, int(lines[i]), "", "", f"无法读取该行 / unreadable row (header over {limit})"))
            continue
        issues.append(
            RowIssue(
                name,
                int(lines[i]),
                header[j] if header[j] else f"第{j + 1}列 column {j + 1}",
                str(frame.item(int(i), f"c{j}"))[:20] + "…",
                f"字段超过 {limit} 个字符 / a field longer than {limit} characters",
            )
        )
    keep = np.ones(frame.height, dtype=bool)
    keep[bad] = False
    return frame.filter(pl.Series(keep)), lines[keep]


def _csv_frame_python(
    text: str, name: str, max_rows: int, max_cells: int
) -> tuple[pl.DataFrame, np.ndarray, list[RowIssue]]:
    """Row by row with the csv module: for the rare file whose quoting Polars refuses."""
    text_lines = text.splitlines()
    reader = csv.reader(text_lines)
    table: list[list[str]] = []
    lines: list[int] = []
    issues: list[RowIssue] = []
    cells = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(_unreadable_row(name, reader.line_num, text_lines, table[0] if table else [], exc))
            continue
        if len(table) >= max_rows:
            raise too_many_rows(name, max_rows)
        cells += len(row)
        if cells > max_cells:
            raise too_many_cells(name, max_cells)
        table.append([c.strip() for c in row])
        lines.append(reader.line_num)
    return _numbered(_frame_of(table)), np.asarray(lines, dtype=np.int64), issues


def _unreadable_row(file: str, line: int, text_lines: list[str], header: list[str], exc: csv.Error) -> RowIssue:
    limit = csv.field_size_limit()
    raw = text_lines[line - 1] if 0 < line <= len(text_lines) else ""
    parts = raw.split(",")
    j = next((j for j, part in enumerate(parts) if len(part) > limit), None)
    if j is None:
        return RowIssue(file, line, "", raw[:20], f"无法读取该行 / unreadable row ({exc})")
    column = header[j] if j < len(header) else f"第{j + 1}列 column {j + 1}"
    return RowIssue(
        file, line, column, parts[j][:20] + "…", f"字段超过 {limit} 个字符 / a field longer than {limit} characters"
    )


def normalise_header(name: str) -> str:
    """'PM2.5(μg/m³)', 'PM₂.₅', ' pm2_5 ' → 'pm2_5'; units in brackets and spacing are dropped."""
    text = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉（）", "0123456789()"))
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text).strip().lower()
    return re.sub(r"[\s.\-]+", "_", text).strip("_")


_AIR_ALIASES = {
    "station": ("station", "站点", "站点名称", "监测点", "监测点位", "点位", "点位名称", "pointname", "positionname"),
    # the national release names a station by its code and by its name: the code is the one that is unique
    "station_code": ("stationcode", "station_code", "站点编码", "站点代码", "点位编码", "点位代码", "监测点位编码"),
    "time": ("time", "时间", "监测时间", "datetime", "timepoint", "日期时间", "数据时间"),
    "date": ("date", "日期", "监测日期"),
    "hour": ("hour", "小时", "时"),
    "pollutant": ("pollutant", "污染物", "项目", "监测项目", "type", "parameter"),
    "value": ("value", "浓度", "数值", "监测值", "浓度值"),
    "pm2_5": ("pm2_5", "pm25", "细颗粒物"),
    "pm10": ("pm10", "可吸入颗粒物", "颗粒物"),
    "so2": ("so2", "二氧化硫"),
    "no2": ("no2", "二氧化氮"),
    "co": ("co", "一氧化碳"),
    "o3": ("o3", "o3_1h", "臭氧", "臭氧1小时"),
    "o3_8h": ("o3_8h", "臭氧8小时", "o3_8h_max", "mda8"),
    "o3_1h_max": ("o3_1h_max", "臭氧1小时最大", "o3_max_1h", "臭氧最大1小时"),
    "pm2_5_24h": ("pm2_5_24h", "pm25_24h"),
    "pm10_24h": ("pm10_24h",),
    "so2_24h": ("so2_24h",),
    # the release's other moving values: read so that a reader can say it did not use them
    "no2_24h": ("no2_24h",),
    "co_24h": ("co_24h",),
    "o3_24h": ("o3_24h",),
    "o3_8h_24h": ("o3_8h_24h",),
}
AIR_HEADERS = {normalise_header(a): key for key, aliases in _AIR_ALIASES.items() for a in aliases}
AIR_VALUE_KEYS = (
    "pm2_5", "pm10", "so2", "no2", "co", "o3", "o3_8h", "o3_1h_max",
    "pm2_5_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_24h", "o3_8h_24h",
)  # fmt: skip
HOURLY_KEYS = ("pm2_5", "pm10", "so2", "no2", "co", "o3")
# the archive's `type` values that are 1-hour concentrations; its *_24h, O3_8h and AQI rows are derived values
ARCHIVE_TYPES = {"PM2.5": "pm2_5", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3"}


@dataclass(frozen=True)
class Numbers:
    """A column of cells read as numbers: `values` NaN where there is none; `missing` the cells written as missing
    (blank, "NA" …) and `absent` those written "/" (not in the programme); bad cells are reported, not counted."""

    values: np.ndarray
    missing: np.ndarray
    absent: np.ndarray


def read_numbers(
    cells: Sequence[str] | np.ndarray | pl.Series, file: str, column: str, rows: np.ndarray, issues: list[RowIssue]
) -> Numbers:
    """Text cells → floats over the whole column at once; unreadable and negative cells are reported (file, row,
    column) and become NaN. Only the cells that are not plain numbers are looked at as text (stripped, compared
    with the marks of missing values): a column of numbers is read without a copy of its text."""
    raw = _series(cells)
    cast = raw.cast(pl.Float64, strict=False)
    values = cast.fill_null(np.nan).to_numpy().astype(np.float64, copy=True)
    n = values.size
    missing, absent, bad = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    empty = raw.is_null().to_numpy()
    missing |= empty
    other = np.flatnonzero((cast.is_null().to_numpy() & ~empty) | ~np.isfinite(np.where(empty, 0.0, values)))
    if other.size:
        text = raw.gather(pl.Series(other)).str.strip_chars()
        absent[other] = (text == NOT_MEASURED).to_numpy()
        missing[other] = text.is_in(list(MISSING_MARKS)).to_numpy()
        again = text.cast(pl.Float64, strict=False).fill_null(np.nan).to_numpy()
        values[other] = again
        bad[other] = ~np.isfinite(again) & ~missing[other] & ~absent[other]
    negative = values < 0
    if bad.any() or negative.any():
        for i in np.flatnonzero(bad | negative):
            reason = "不是数值 / not a number" if bad[i] else "负值无效 / negative value is invalid"
            issues.append(RowIssue(file, int(rows[i]), column, str(raw[int(i)]).strip(), reason))
        values[bad | negative] = np.nan
    values[missing | absent] = np.nan
    return Numbers(values, missing, absent)


def parse_numbers(
    cells: Sequence[str] | np.ndarray | pl.Series,
    file: str,
    column: str,
    rows: np.ndarray,
    issues: list[RowIssue],
) -> tuple[np.ndarray, int]:
    """Text cells → floats (NaN where missing or bad); returns (values, count of blank-like cells, "/" included)."""
    numbers = read_numbers(cells, file, column, rows, issues)
    return numbers.values, int(numbers.missing.sum() + numbers.absent.sum())


_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H%M",  # the national release since 2026: 2026-03-01T1000
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y%m%d%H",
    "%Y-%m-%dT%H",
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日")
# an hour-end label 24:00 closes the day: it is 00:00 of the next day
_HOUR_24 = r"^(.*\D)24((?::?00)?(?::00)?)$"


def parse_times(
    cells: Sequence[str] | np.ndarray | pl.Series,
    file: str,
    column: str,
    rows: np.ndarray,
    issues: list[RowIssue],
    *,
    date_only: bool = False,
) -> np.ndarray:
    """Text → datetime64[m] (NaT where unreadable, reported).  "24:00" of a day is 00:00 of the next.

    Each known form is tried over the cells not yet read, the forms the column's first cells use first, so a
    column in one form costs one vectorised parse; what no form reads is tried cell by cell, then reported."""
    text = raw = _clean(_series(cells))
    n = text.len()
    late = np.zeros(n, dtype=bool)
    if not date_only:
        ends = [text.str.ends_with(end) for end in ("24", "24:00", "24:00:00", "2400")]
        candidate = (ends[0] | ends[1] | ends[2] | ends[3]).fill_null(False).to_numpy()
        if candidate.any():
            late = candidate & text.str.contains(_HOUR_24).fill_null(False).to_numpy()
            at = pl.Series(np.flatnonzero(late))
            text = text.scatter(at, text.gather(at).str.replace(_HOUR_24, "${1}00${2}"))
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[m]")
    todo = np.ones(n, dtype=bool)
    sample = text.head(200)
    formats = sorted(
        _DATE_FORMATS if date_only else _TIME_FORMATS, key=lambda f: -int(_strptime(sample, f).is_not_null().sum())
    )
    for fmt in formats:
        index = np.flatnonzero(todo)
        if not index.size:
            break
        parsed = _strptime(text.gather(index), fmt)
        ok = parsed.is_not_null().to_numpy()
        if ok.any():
            got = parsed.filter(pl.Series(ok)).to_numpy()
            out[index[ok]] = got.astype("datetime64[D]" if date_only else "datetime64[m]").astype("datetime64[m]")
            todo[index[ok]] = False
    for i in np.flatnonzero(todo):  # forms no vectorised parse read (a month without its zero …), then reported
        cell = str(text[int(i)])
        parsed_one = _parse_one_time(cell, date_only)
        if parsed_one is None:
            reason = "无法识别的日期 / unreadable date" if date_only else "无法识别的时间 / unreadable time"
            issues.append(RowIssue(file, int(rows[i]), column, str(raw[int(i)]), reason))
        else:
            out[i] = parsed_one
    if late.any():
        out[late] += np.timedelta64(1, "D")
    return out


def _strptime(text: pl.Series, fmt: str) -> pl.Series:
    if "%H" in fmt and "%M" not in fmt:  # Polars reads an hour only with its minutes
        text, fmt = text + "00", fmt + "%M"
    dtype = pl.Datetime("us") if "%H" in fmt else pl.Date
    return text.str.strptime(dtype, fmt, strict=False)


def _parse_one_time(text: str, date_only: bool) -> np.datetime64 | None:
    text = text.strip()
    if date_only:
        for fmt in _DATE_FORMATS:
            try:
                return np.datetime64(dt.datetime.strptime(text, fmt).date(), "m")
            except ValueError:
                continue
        return None
    for fmt in _TIME_FORMATS:
        try:
            return np.datetime64(dt.datetime.strptime(text, fmt), "m")
        except ValueError:
            continue
    return None


@dataclass
class AirTable:
    """Station-time records read from a file: one record per station and time, floats with NaN for missing."""

    file: str
    layout: str  # "release", "station-time", "archive" or "long"
    stations: np.ndarray
    times: np.ndarray  # datetime64[m]: the hour-end stamp (hourly) or the day (daily)
    values: dict[str, np.ndarray]
    rows: np.ndarray  # spreadsheet row of each record (first row it came from)
    missing_cells: dict[str, int] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)
    sheet: Sheet | None = None  # the text as read, for tools that echo the input
    # per record: a station-time an earlier record of the file already gave (reported; never stored or counted)
    repeated: np.ndarray | None = None
    # per value column: the records whose cell is "/", a pollutant outside the station's programme (not missing)
    absent: dict[str, np.ndarray] = field(default_factory=dict)
    # every value column the file has (read or not): its position in the header
    columns: dict[str, int] = field(default_factory=dict)

    def grid(self, **kwargs: object) -> HourlyGrid:
        """Hourly grid of this table (see hourly.build_grid), for daily values and the annual evaluation."""
        ok = ~np.isnat(self.times) & (self.stations != "")
        if self.repeated is not None:
            ok &= ~self.repeated
        pollutants = {k: v[ok] for k, v in self.values.items() if k in HOURLY_KEYS}
        return build_grid(self.stations[ok], self.times[ok], pollutants, **kwargs)  # type: ignore[arg-type]


def repeats(*keys: np.ndarray | pl.Series, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per record: whether an earlier valid record has the same key (the tuple of `keys`), and the index of the
    first that has it. Hashed by Polars: no sort of text keys; the first index is only looked for when a key
    repeats."""
    n = valid.size
    index = np.arange(n)
    if not valid.any():
        return np.zeros(n, dtype=bool), index
    columns = {f"k{i}": _key_column(k) for i, k in enumerate(keys)}
    frame = pl.DataFrame(columns)
    if len(columns) == 2 and all(c.dtype == pl.Int64 for c in columns.values()):
        # two whole numbers (a station's code, a time): one 64-bit key, hashed faster than a pair
        a, b = (c.to_numpy() for c in columns.values())
        b = np.where(valid, b - b[valid].min(), 0)
        if b.max(initial=0) < 2**40 and a.max(initial=0) < 2**22:
            frame = pl.DataFrame({"k": np.where(valid, (a << 40) | b, -1 - index)})  # invalid: a key of its own
    firsts = frame.select(
        pl.struct(frame.columns).is_first_distinct() if frame.width > 1 else pl.all().is_first_distinct()
    )
    repeated = ~firsts.to_series().to_numpy() & valid
    if not repeated.any():
        return repeated, index
    first = frame.with_row_index("i").select(pl.col("i").min().over(frame.columns)).to_series().to_numpy()
    return repeated, np.where(repeated, first.astype(np.int64), index)


def _key_column(key: np.ndarray | pl.Series) -> pl.Series:
    if isinstance(key, pl.Series):
        return key
    if key.dtype.kind == "M":
        return pl.Series(key.view(np.int64))
    if key.dtype.kind in "iu":
        return pl.Series(key.astype(np.int64))
    if key.dtype.kind == "O":
        return pl.Series(key, dtype=pl.String)
    return pl.Series(key)


def _report_repeats(
    file: str, rows: np.ndarray, repeated: np.ndarray, first: np.ndarray, column: str, what: Callable[[int], str],
    issues: list[RowIssue],
) -> None:  # fmt: skip
    for i in np.flatnonzero(repeated):
        at = int(rows[first[i]])
        issues.append(
            RowIssue(
                file, int(rows[i]), column, what(int(i)), f"与第{at}行重复，未导入 / duplicates row {at}, not imported"
            )
        )


def _when(times: np.ndarray, i: int) -> str:
    return str(np.datetime_as_string(times[i], unit="m"))


def detect_air_layout(header: Sequence[str]) -> str:
    keys = [AIR_HEADERS.get(normalise_header(h)) for h in header]
    if keys[:3] == ["date", "hour", "pollutant"]:
        return "archive"
    if "pollutant" in keys and "value" in keys:
        return "long"
    if "station_code" in keys and "time" in keys and "pm2_5_24h" in keys:
        return "release"
    return "station-time"


def read_air(
    path: str | Path,
    *,
    daily: bool = False,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
    name: str | None = None,
    only: Collection[str] | None = None,
) -> AirTable:
    """Read any of the air layouts; `daily` reads a `date` column (one row per station and day). A station-time
    given twice is reported (the first is kept, the later ones are marked `repeated`). `name` is the file's name
    as its user knows it; `only` limits the value columns read (and checked) of a file with a column per value
    to those keys: the others are listed in `columns` but neither read nor reported."""
    sheet = read_sheet(path, max_rows=max_rows, max_cells=max_cells, name=name, pick=_air_pick(only))
    layout = detect_air_layout(sheet.header)
    if layout == "archive":
        return _read_archive(sheet)
    if layout == "long":
        return _read_long(sheet, daily)
    return _read_station_time(sheet, daily, layout, only)


_KEY_COLUMNS = frozenset({"station", "station_code", "time", "date", "hour", "pollutant", "value"})


def _air_pick(only: Collection[str] | None) -> Callable[[list[str]], Collection[int]]:
    """The columns an air reader needs: the keys, and the value columns (`only` those, when given)."""

    def pick(header: list[str]) -> Collection[int]:
        if only is None or detect_air_layout(header) == "archive":
            return range(len(header))
        keys = [AIR_HEADERS.get(normalise_header(h)) for h in header]
        return [j for j, k in enumerate(keys) if k in _KEY_COLUMNS or k in only]

    return pick


def _columns(sheet: Sheet) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, name in enumerate(sheet.header):
        key = AIR_HEADERS.get(normalise_header(name))
        if key and key not in found:
            found[key] = j
    return found


def _times_of(sheet: Sheet, cols: dict[str, int], rows: np.ndarray, daily: bool, issues: list[RowIssue]) -> np.ndarray:
    if daily or ("time" not in cols and "hour" not in cols):
        key = "date" if "date" in cols else "time"
        if key not in cols:
            raise ValueError(f"{sheet.file}: no date column / 缺少日期列")
        j = cols[key]
        return parse_times(sheet.cells(j), sheet.file, sheet.header[j], rows, issues, date_only=True)
    if "time" in cols:
        j = cols["time"]
        return parse_times(sheet.cells(j), sheet.file, sheet.header[j], rows, issues)
    day = parse_times(sheet.cells(cols["date"]), sheet.file, sheet.header[cols["date"]], rows, issues, date_only=True)
    hour, _ = parse_numbers(sheet.cells(cols["hour"]), sheet.file, sheet.header[cols["hour"]], rows, issues)
    ok = np.isfinite(hour)
    return np.where(ok, day + np.where(ok, hour, 0).astype("timedelta64[h]"), np.datetime64("NaT"))


def _read_station_time(
    sheet: Sheet, daily: bool, layout: str = "station-time", only: Collection[str] | None = None
) -> AirTable:
    cols = _columns(sheet)
    key = "station_code" if "station_code" in cols else "station"
    if key not in cols:
        raise ValueError(f"{sheet.file}: no station column / 缺少站点列 (station, 站点名称, stationcode …)")
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    times = _times_of(sheet, cols, rows, daily, issues)
    station_header = sheet.header[cols[key]]
    station_cells = sheet.cells(cols[key])
    distinct, codes = _codes(station_cells) if len(sheet) else (np.zeros(0, dtype=object), np.zeros(0, np.int64))
    stations = distinct[codes]
    nameless = stations == ""
    for i in np.flatnonzero(nameless):
        issues.append(RowIssue(sheet.file, int(rows[i]), station_header, "", "缺少站点 / no station"))
    values, missing, absent, headers = {}, {}, {}, {}
    for value_key in AIR_VALUE_KEYS:
        if value_key not in cols:
            continue
        j = headers[value_key] = cols[value_key]
        if only is not None and value_key not in only:
            continue
        numbers = read_numbers(sheet.raw(j), sheet.file, sheet.header[j], rows, issues)
        values[value_key], absent[value_key] = numbers.values, numbers.absent
        missing[value_key] = int(numbers.missing.sum() + numbers.absent.sum())
    repeated, first = repeats(codes, times, valid=~np.isnat(times) & ~nameless)
    _report_repeats(
        sheet.file, rows, repeated, first, station_header, lambda i: f"{stations[i]} {_when(times, i)}", issues
    )
    return AirTable(
        sheet.file, layout, stations, times, values, rows, missing, issues, sheet, repeated, absent, headers
    )


def _pivot(
    file: str,
    layout: str,
    stations: np.ndarray,
    times: np.ndarray,
    keys: np.ndarray,
    values: np.ndarray,
    rows: np.ndarray,
    missing: dict[str, int],
    issues: list[RowIssue],
    absent: np.ndarray,
) -> AirTable:
    """(station, time, pollutant, value) records → one record per station-time with a column per pollutant. A
    pollutant given twice for a station-time is reported and its first value kept."""
    ok = ~np.isnat(times) & (stations != "")
    stations, times, keys, values, rows, absent = (a[ok] for a in (stations, times, keys, values, rows, absent))
    repeated, first = repeats(stations, times, keys, valid=np.ones(stations.size, dtype=bool))
    _report_repeats(file, rows, repeated, first, "", lambda i: f"{stations[i]} {_when(times, i)} {keys[i]}", issues)
    ok = ~repeated
    stations, times, keys, values, rows, absent = (a[ok] for a in (stations, times, keys, values, rows, absent))
    _, pair_first = repeats(stations, times, valid=np.ones(stations.size, dtype=bool))
    first_of_pair = np.unique(pair_first)
    inverse = np.searchsorted(first_of_pair, pair_first)
    out, gone = {}, {}
    for key in sorted(set(keys.tolist())):
        m = keys == key
        col = np.full(first_of_pair.size, np.nan)
        col[inverse[m]] = values[m]
        out[key] = col
        mark = np.zeros(first_of_pair.size, dtype=bool)
        mark[inverse[m]] = absent[m]
        gone[key] = mark
    return AirTable(
        file,
        layout,
        stations[first_of_pair],
        times[first_of_pair],
        out,
        rows[first_of_pair],
        missing,
        issues,
        absent=gone,
    )


def _read_archive(sheet: Sheet) -> AirTable:
    """`date,hour,type,<stations…>`: hour h of date D is the value stamped D h:00, so hour 0 is 24:00 of the
    previous day under HJ 663's labelling (standards-spec §7 point 2 — unconfirmed for this archive)."""
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    cols = {"date": 0, "hour": 1}
    times = _times_of(sheet, cols, rows, False, issues)
    types = np.asarray([ARCHIVE_TYPES.get(t, "") for t in sheet.text(2).tolist()], dtype=object).astype(str)
    keep = types != ""
    keep_series = pl.Series(keep)
    station_names = sheet.header[3:]
    parts_s, parts_t, parts_k, parts_v, parts_r, parts_a = [], [], [], [], [], []
    missing: dict[str, int] = {}
    for j, name in enumerate(station_names, start=3):
        numbers = read_numbers(sheet.raw(j).filter(keep_series), sheet.file, name, rows[keep], issues)
        missing[name] = int(numbers.missing.sum() + numbers.absent.sum())
        parts_s.append(np.full(numbers.values.size, name, dtype=object))
        parts_t.append(times[keep])
        parts_k.append(types[keep])
        parts_v.append(numbers.values)
        parts_r.append(rows[keep])
        parts_a.append(numbers.absent)
    if not parts_s:
        raise ValueError(f"{sheet.file}: no station columns / 没有站点列")
    return _pivot(
        sheet.file,
        "archive",
        np.concatenate(parts_s).astype(str),
        np.concatenate(parts_t),
        np.concatenate(parts_k),
        np.concatenate(parts_v),
        np.concatenate(parts_r),
        missing,
        issues,
        np.concatenate(parts_a),
    )


def _read_long(sheet: Sheet, daily: bool) -> AirTable:
    cols = _columns(sheet)
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    times = _times_of(sheet, cols, rows, daily, issues)
    station_key = "station_code" if "station_code" in cols else "station"
    stations = sheet.text(cols[station_key])
    names = sheet.text(cols["pollutant"])
    known = {n: AIR_HEADERS.get(normalise_header(n), "") for n in set(names.tolist())}
    keys = np.asarray([known[n] for n in names.tolist()], dtype=object).astype(str)
    for i in np.flatnonzero(keys == ""):
        issues.append(
            RowIssue(
                sheet.file, int(rows[i]), sheet.header[cols["pollutant"]], names[i], "未知污染物 / unknown pollutant"
            )
        )
    j = cols["value"]
    numbers = read_numbers(sheet.raw(j), sheet.file, sheet.header[j], rows, issues)
    ok = keys != ""
    blanks = {"value": int(numbers.missing.sum() + numbers.absent.sum())}
    return _pivot(
        sheet.file, "long", stations[ok], times[ok], keys[ok], numbers.values[ok], rows[ok], blanks, issues,
        numbers.absent[ok],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------- water

_WATER_ALIASES = {
    "section": ("section", "断面", "断面名称", "点位", "点位名称", "监测断面", "站点名称", "水源地", "水源地名称"),
    "date": ("date", "日期", "监测时间", "采样日期", "采样时间", "time", "时间"),
    "parameter": ("parameter", "项目", "监测项目", "指标"),
    "value": ("value", "数值", "监测值", "浓度"),
    "water_temp": ("water_temp", "水温", "temperature"),
    "ph": ("ph", "ph值"),
    "do": ("do", "溶解氧"),
    "codmn": ("codmn", "高锰酸盐指数"),
    "cod": ("cod", "codcr", "化学需氧量"),
    "bod5": ("bod5", "bod", "五日生化需氧量"),
    "nh3n": ("nh3n", "nh3_n", "氨氮"),
    "tp": ("tp", "总磷"),
    "tn": ("tn", "总氮"),
    "cu": ("cu", "铜"),
    "zn": ("zn", "锌"),
    "fluoride": ("fluoride", "f", "氟化物"),
    "se": ("se", "硒"),
    "as": ("as", "砷"),
    "hg": ("hg", "汞"),
    "cd": ("cd", "镉"),
    "cr6": ("cr6", "cr6+", "cr_vi", "铬", "六价铬", "铬(六价)"),
    "pb": ("pb", "铅"),
    "cn": ("cn", "氰化物"),
    "phenol": ("phenol", "挥发酚"),
    "oil": ("oil", "石油类"),
    "las": ("las", "阴离子表面活性剂"),
    "sulfide": ("sulfide", "硫化物"),
    "fecal_coliform": ("fecal_coliform", "粪大肠菌群"),
    "sulfate": ("sulfate", "硫酸盐"),
    "chloride": ("chloride", "氯化物"),
    "nitrate": ("nitrate", "硝酸盐"),
    "fe": ("fe", "铁"),
    "mn": ("mn", "锰"),
}
WATER_HEADERS = {normalise_header(a): key for key, aliases in _WATER_ALIASES.items() for a in aliases}
_BELOW = re.compile(r"^(?:<\s*(?P<lt>[0-9.eE+-]+)|(?P<l>[0-9.eE+-]+)\s*[lL])$")
_ND = frozenset({"ND", "nd", "未检出", "未检"})


@dataclass
class WaterTable:
    file: str
    sections: np.ndarray
    dates: np.ndarray  # datetime64[D]
    values: dict[str, np.ndarray]  # floats, NaN missing; a below-detection value holds its detection limit
    below_detection: dict[str, np.ndarray]
    rows: np.ndarray
    issues: list[RowIssue] = field(default_factory=list)
    sheet: Sheet | None = None
    repeated: np.ndarray | None = None  # per record: a section-day an earlier record already gave


def parse_water_values(
    cells: Sequence[str] | np.ndarray,
    file: str,
    column: str,
    rows: np.ndarray,
    issues: list[RowIssue],
    detection_limit: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Numbers, or below-detection marks ("0.01L", "<0.01", "ND"/"未检出" with a known detection limit)."""
    arr = np.asarray(cells, dtype=object).astype(str)
    below = np.zeros(arr.shape, dtype=bool)
    plain = np.array(arr, dtype=object)
    marked = np.array([bool(_BELOW.match(s)) or s in _ND for s in arr], dtype=bool) if arr.size else below
    for i in np.flatnonzero(marked):
        s = arr[i]
        m = _BELOW.match(s)
        if m:
            plain[i] = m.group("lt") or m.group("l")
            below[i] = True
        elif detection_limit is not None:
            plain[i] = str(detection_limit)
            below[i] = True
        else:
            plain[i] = ""
            issues.append(RowIssue(file, int(rows[i]), column, s, "未检出但没有检出限 / ND without a detection limit"))
    values, _ = parse_numbers(list(plain), file, column, rows, issues)
    return values, below & np.isfinite(values)


def read_water(
    path: str | Path,
    *,
    detection_limits: dict[str, float] | None = None,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
    name: str | None = None,
) -> WaterTable:
    """One row per sample (section, date, a column per parameter) or long (section, date, parameter, value). A
    sample given twice is reported (the first is kept, the later ones are marked `repeated` or dropped)."""
    sheet = read_sheet(path, max_rows=max_rows, max_cells=max_cells, name=name)
    detection_limits = detection_limits or {}
    cols: dict[str, int] = {}
    for j, header in enumerate(sheet.header):
        key = WATER_HEADERS.get(normalise_header(header))
        if key and key not in cols:
            cols[key] = j
    if "section" not in cols:
        raise ValueError(f"{sheet.file}: no section column / 缺少断面列 (section, 断面名称 …)")
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    sections = sheet.text(cols["section"])
    if "date" in cols:
        j = cols["date"]
        times = parse_times(sheet.cells(j), sheet.file, sheet.header[j], rows, issues, date_only=True)
        dates = times.astype("datetime64[D]")
    else:
        dates = np.full(len(sheet), np.datetime64("NaT"), dtype="datetime64[D]")
    values, below = {}, {}
    if "parameter" in cols and "value" in cols:
        names = sheet.text(cols["parameter"])
        keys = np.asarray([WATER_HEADERS.get(normalise_header(n), "") for n in names], dtype=object).astype(str)
        for i in np.flatnonzero(keys == ""):
            issues.append(
                RowIssue(
                    sheet.file, int(rows[i]), sheet.header[cols["parameter"]], names[i], "未知项目 / unknown parameter"
                )
            )
        twice, at = repeats(sections, dates, keys, valid=keys != "")
        _report_repeats(
            sheet.file, rows, twice, at, sheet.header[cols["parameter"]],
            lambda i: f"{sections[i]} {dates[i]} {keys[i]}", issues,
        )  # fmt: skip
        _, pair_first = repeats(sections, dates, valid=np.ones(sections.size, dtype=bool))
        first = np.unique(pair_first)
        inverse = np.searchsorted(first, pair_first)
        j = cols["value"]
        text = sheet.text(j)
        for key in sorted(set(keys.tolist()) - {""}):
            m = (keys == key) & ~twice
            v, b = parse_water_values(text[m], sheet.file, sheet.header[j], rows[m], issues, detection_limits.get(key))
            values[key] = np.full(first.size, np.nan)
            below[key] = np.zeros(first.size, dtype=bool)
            values[key][inverse[m]] = v
            below[key][inverse[m]] = b
        return WaterTable(sheet.file, sections[first], dates[first], values, below, rows[first], issues, sheet)
    for key, j in cols.items():
        if key in ("section", "date", "parameter", "value"):
            continue
        values[key], below[key] = parse_water_values(
            sheet.text(j), sheet.file, sheet.header[j], rows, issues, detection_limits.get(key)
        )
    repeated, first = repeats(sections, dates, valid=(sections != "") & ~np.isnat(dates))
    _report_repeats(
        sheet.file, rows, repeated, first, sheet.header[cols["section"]], lambda i: f"{sections[i]} {dates[i]}", issues
    )
    return WaterTable(sheet.file, sections, dates, values, below, rows, issues, sheet, repeated=repeated)
