"""Readers for the file layouts users have (standards-spec §7), turning them into arrays plus a row-level report.

Air: the national hourly archive (`date,hour,type,<one column per station>`), provincial platform exports (one row
per station-hour, Chinese or English headers), and a long layout (`station,time,pollutant,value`).  Water: one
row per sample with a column per parameter, or (`section,date,parameter,value`).  CSV (UTF-8 or GB18030) or .xlsx.

Blank, "-", "—", "NA" and "/" cells are missing values: counted, not reported.  Unreadable or negative values
are reported with file, row (as a spreadsheet shows it: the header is row 1) and column, and become missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ecotarget.files.text import decode

from . import sheet_extent
from .hourly import HourlyGrid, build_grid
from .sheet_extent import MAX_CELLS, MAX_ROWS, too_many_cells, too_many_rows

BLANKS = frozenset({"", "-", "—", "--", "——", "NA", "N/A", "NaN", "nan", "/", "null", "NULL", "None"})


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
    """A file's cells as text: `header` and `rows`, each row at the spreadsheet row `lines[i]` (the header is
    row 1); `issues` are the rows that could not be read at all (they are not in `rows`)."""

    file: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)

    def row_numbers(self) -> np.ndarray:
        return np.asarray(self.lines or range(2, len(self.rows) + 2), dtype=np.int64)


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


def read_sheet(path: str | Path, *, max_rows: int = MAX_ROWS, max_cells: int = MAX_CELLS) -> Sheet:
    """CSV (UTF-8 with or without BOM, GBK/GB18030 or UTF-16 with BOM) or the first worksheet of an .xlsx file.

    A file of more than `max_rows` rows or `max_cells` cells is refused (SheetTooLarge) before its rows are read
    where the file says how big it is, and as soon as reading passes the limit where it does not."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx_rows(path, max_rows, max_cells)
        lines, issues = list(range(1, len(table) + 1)), list[RowIssue]()
    else:
        table, lines, issues = _csv_rows(path, max_rows, max_cells)
    while table and not any(table[-1]):
        table.pop()
        lines.pop()
    if not table:
        raise ValueError(f"{path.name}: empty file / 文件为空")
    header = table[0]
    width = len(header)
    rows = [(r + [""] * width)[:width] for r in table[1:]]
    return Sheet(path.name, header, rows, lines[1:], issues)


def _xlsx_rows(path: Path, max_rows: int, max_cells: int) -> list[list[str]]:
    from openpyxl import load_workbook

    sheet_extent.check(path, max_rows, max_cells)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        table: list[list[str]] = []
        cells = 0
        for row in wb.worksheets[0].iter_rows(values_only=True):
            # The check above counted the sheet's rows; stopping here too keeps that promise whatever it missed.
            if len(table) >= max_rows:
                raise too_many_rows(path.name, max_rows)
            cells += len(row)
            if cells > max_cells:
                raise too_many_cells(path.name, max_cells)
            table.append([_cell_text(v) for v in row])
    finally:
        wb.close()
    return table


def _csv_rows(path: Path, max_rows: int, max_cells: int) -> tuple[list[list[str]], list[int], list[RowIssue]]:
    """The rows of a CSV file, the line each ends on, and the rows csv could not read (a field longer than
    csv.field_size_limit()): those become row issues naming file, line and field, not a failed import."""
    text_lines = decode(path.read_bytes(), path.name).splitlines()
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
            issues.append(_unreadable_row(path.name, reader.line_num, text_lines, table[0] if table else [], exc))
            continue
        if len(table) >= max_rows:
            raise too_many_rows(path.name, max_rows)
        cells += len(row)
        if cells > max_cells:
            raise too_many_cells(path.name, max_cells)
        table.append([c.strip() for c in row])
        lines.append(reader.line_num)
    return table, lines, issues


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
    "station": (
        "station",
        "站点",
        "站点名称",
        "监测点",
        "监测点位",
        "点位",
        "点位名称",
        "pointname",
        "站点编码",
        "station_code",
    ),
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
}
AIR_HEADERS = {normalise_header(a): key for key, aliases in _AIR_ALIASES.items() for a in aliases}
AIR_VALUE_KEYS = ("pm2_5", "pm10", "so2", "no2", "co", "o3", "o3_8h", "o3_1h_max", "pm2_5_24h", "pm10_24h", "so2_24h")
# the archive's `type` values that are 1-hour concentrations; its *_24h, O3_8h and AQI rows are derived values
ARCHIVE_TYPES = {"PM2.5": "pm2_5", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3"}


def parse_numbers(
    cells: Sequence[str], file: str, column: str, rows: np.ndarray, issues: list[RowIssue]
) -> tuple[np.ndarray, int]:
    """Text cells → floats (NaN where missing or bad); returns (values, count of blank-like cells).

    The common case converts the whole column in one NumPy call; cell-by-cell parsing only runs to find and
    name the bad cells of a column that has some.
    """
    arr = np.asarray(cells, dtype=object).astype(str)
    blank = np.isin(arr, list(BLANKS))
    filled = np.where(blank, "nan", arr)
    try:
        values = filled.astype(np.float64)
    except ValueError:
        values = np.full(arr.shape, np.nan)
        for i in np.flatnonzero(~blank):
            try:
                values[i] = float(arr[i])
            except ValueError:
                issues.append(RowIssue(file, int(rows[i]), column, str(arr[i]), "不是数值 / not a number"))
    bad_float = ~blank & ~np.isfinite(values) & (np.char.lower(arr) != "nan")
    values[bad_float] = np.nan
    negative = values < 0
    for i in np.flatnonzero(negative):
        issues.append(RowIssue(file, int(rows[i]), column, str(arr[i]), "负值无效 / negative value is invalid"))
    values[negative] = np.nan
    return values, int(blank.sum())


_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y%m%d%H",
    "%Y-%m-%dT%H",
)


def parse_times(
    cells: Sequence[str], file: str, column: str, rows: np.ndarray, issues: list[RowIssue], *, date_only: bool = False
) -> np.ndarray:
    """Text → datetime64[m] (NaT where unreadable, reported).  "24:00" of a day is 00:00 of the next."""
    arr = np.asarray(cells, dtype=object).astype(str)
    if arr.size and np.all(np.char.str_len(arr) == 8) and np.all(np.char.isdigit(arr)):  # YYYYMMDD
        arr = np.char.add(
            np.char.add(np.char.add(np.char.add(_sub(arr, 0, 4), "-"), _sub(arr, 4, 6)), "-"), _sub(arr, 6, 8)
        )
    unit = "datetime64[D]" if date_only else "datetime64[m]"
    # NumPy reads ISO text in one call, but also reads "20220102" as a year: only ISO-shaped text goes that way
    if arr.size and np.all(np.char.find(arr, "-") == 4):
        try:
            return np.asarray(np.char.replace(arr, " ", "T"), dtype=unit).astype("datetime64[m]")
        except ValueError:
            pass
    out = np.full(arr.shape, np.datetime64("NaT"), dtype="datetime64[m]")
    for i, text in enumerate(arr):
        parsed = _parse_one_time(text, date_only)
        if parsed is None:
            reason = "无法识别的日期 / unreadable date" if date_only else "无法识别的时间 / unreadable time"
            issues.append(RowIssue(file, int(rows[i]), column, text, reason))
        else:
            out[i] = parsed
    return out


def _sub(arr: np.ndarray, start: int, stop: int) -> np.ndarray:
    return arr.view("<U1").reshape(arr.size, -1)[:, start:stop].copy().view(f"<U{stop - start}").ravel()


def _parse_one_time(text: str, date_only: bool) -> np.datetime64 | None:
    text = text.strip()
    if date_only:
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日"):
            try:
                return np.datetime64(dt.datetime.strptime(text, fmt).date(), "m")
            except ValueError:
                continue
        return None
    extra = np.timedelta64(0, "m")
    match = re.match(r"^(.*\D)24(:00(:00)?)?$", text)
    if match:  # an hour-end label 24:00 closes the day: it is 00:00 of the next day
        text = match.group(1) + "00" + (match.group(2) or "")
        extra = np.timedelta64(1, "D")
    for fmt in _TIME_FORMATS:
        try:
            return np.datetime64(dt.datetime.strptime(text, fmt), "m") + extra
        except ValueError:
            continue
    return None


@dataclass
class AirTable:
    """Station-time records read from a file: one record per station and time, floats with NaN for missing."""

    file: str
    layout: str  # "archive", "station-time" or "long"
    stations: np.ndarray
    times: np.ndarray  # datetime64[m]: the hour-end stamp (hourly) or the day (daily)
    values: dict[str, np.ndarray]
    rows: np.ndarray  # spreadsheet row of each record (first row it came from)
    missing_cells: dict[str, int] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)
    sheet: Sheet | None = None  # the text as read, for tools that echo the input
    # per record: a station-time an earlier record of the file already gave (reported; never stored or counted)
    repeated: np.ndarray | None = None

    def grid(self, **kwargs: object) -> HourlyGrid:
        """Hourly grid of this table (see hourly.build_grid), for daily values and the annual evaluation."""
        ok = ~np.isnat(self.times) & (self.stations != "")
        if self.repeated is not None:
            ok &= ~self.repeated
        pollutants = {k: v[ok] for k, v in self.values.items() if k in ("pm2_5", "pm10", "so2", "no2", "co", "o3")}
        return build_grid(self.stations[ok], self.times[ok], pollutants, **kwargs)  # type: ignore[arg-type]


def repeats(keys: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per record: whether an earlier valid record has the same key, and the index of the first that has it."""
    index = np.arange(keys.size)
    first = index.copy()
    if valid.any():
        _, first_of_key, inverse = np.unique(keys[valid], return_index=True, return_inverse=True)
        first[valid] = index[valid][first_of_key][inverse.ravel()]
    return first != index, first


def _report_repeats(
    file: str, rows: np.ndarray, repeated: np.ndarray, first: np.ndarray, column: str, what: list[str] | np.ndarray,
    issues: list[RowIssue],
) -> None:  # fmt: skip
    for i in np.flatnonzero(repeated):
        at = int(rows[first[i]])
        issues.append(
            RowIssue(
                file,
                int(rows[i]),
                column,
                str(what[i]),
                f"与第{at}行重复，未导入 / duplicates row {at}, not imported",
            )
        )


def _key(*parts: np.ndarray) -> np.ndarray:
    key = parts[0].astype(str)
    for part in parts[1:]:
        key = np.char.add(np.char.add(key, "\x00"), part.astype(str))
    return key


def detect_air_layout(header: Sequence[str]) -> str:
    keys = [AIR_HEADERS.get(normalise_header(h)) for h in header]
    if keys[:3] == ["date", "hour", "pollutant"]:
        return "archive"
    if "pollutant" in keys and "value" in keys:
        return "long"
    return "station-time"


def read_air(
    path: str | Path, *, daily: bool = False, max_rows: int = MAX_ROWS, max_cells: int = MAX_CELLS
) -> AirTable:
    """Read any of the air layouts; `daily` reads a `date` column (one row per station and day). A station-time
    given twice is reported (the first is kept, the later ones are marked `repeated`)."""
    sheet = read_sheet(path, max_rows=max_rows, max_cells=max_cells)
    layout = detect_air_layout(sheet.header)
    if layout == "archive":
        return _read_archive(sheet)
    if layout == "long":
        return _read_long(sheet, daily)
    return _read_station_time(sheet, daily)


def _columns(sheet: Sheet) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, name in enumerate(sheet.header):
        key = AIR_HEADERS.get(normalise_header(name))
        if key and key not in found:
            found[key] = j
    return found


def _times_of(sheet: Sheet, cols: dict[str, int], rows: np.ndarray, daily: bool, issues: list[RowIssue]) -> np.ndarray:
    text = [[r[j] for r in sheet.rows] for j in range(len(sheet.header))]
    if daily or ("time" not in cols and "hour" not in cols):
        key = "date" if "date" in cols else "time"
        if key not in cols:
            raise ValueError(f"{sheet.file}: no date column / 缺少日期列")
        return parse_times(text[cols[key]], sheet.file, sheet.header[cols[key]], rows, issues, date_only=True)
    if "time" in cols:
        return parse_times(text[cols["time"]], sheet.file, sheet.header[cols["time"]], rows, issues)
    day = parse_times(text[cols["date"]], sheet.file, sheet.header[cols["date"]], rows, issues, date_only=True)
    hour, _ = parse_numbers(text[cols["hour"]], sheet.file, sheet.header[cols["hour"]], rows, issues)
    ok = np.isfinite(hour)
    return np.where(ok, day + np.where(ok, hour, 0).astype("timedelta64[h]"), np.datetime64("NaT"))


def _read_station_time(sheet: Sheet, daily: bool) -> AirTable:
    cols = _columns(sheet)
    if "station" not in cols:
        raise ValueError(f"{sheet.file}: no station column / 缺少站点列 (station, 站点名称 …)")
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    times = _times_of(sheet, cols, rows, daily, issues)
    stations = np.asarray([r[cols["station"]] for r in sheet.rows], dtype=object).astype(str)
    for i in np.flatnonzero(stations == ""):
        issues.append(RowIssue(sheet.file, int(rows[i]), sheet.header[cols["station"]], "", "缺少站点 / no station"))
    values, missing = {}, {}
    for key in AIR_VALUE_KEYS:
        if key in cols:
            j = cols[key]
            values[key], missing[key] = parse_numbers(
                [r[j] for r in sheet.rows], sheet.file, sheet.header[j], rows, issues
            )
    repeated, first = repeats(_key(stations, times), ~np.isnat(times) & (stations != ""))
    when = np.datetime_as_string(times, unit="m")
    _report_repeats(
        sheet.file, rows, repeated, first, sheet.header[cols["station"]], np.char.add(np.char.add(stations, " "), when),
        issues,
    )  # fmt: skip
    return AirTable(
        sheet.file, "station-time", stations, times, values, rows, missing, issues, sheet, repeated=repeated
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
) -> AirTable:
    """(station, time, pollutant, value) records → one record per station-time with a column per pollutant. A
    pollutant given twice for a station-time is reported and its first value kept."""
    ok = ~np.isnat(times) & (stations != "")
    stations, times, keys, values, rows = stations[ok], times[ok], keys[ok], values[ok], rows[ok]
    repeated, first = repeats(_key(stations, times, keys), np.ones(stations.size, dtype=bool))
    what = np.char.add(np.char.add(stations.astype(str), " "), np.datetime_as_string(times, unit="m"))
    _report_repeats(file, rows, repeated, first, "", np.char.add(np.char.add(what, " "), keys.astype(str)), issues)
    ok = ~repeated
    stations, times, keys, values, rows = stations[ok], times[ok], keys[ok], values[ok], rows[ok]
    pair = np.char.add(np.char.add(stations.astype(str), "\x00"), times.astype("datetime64[m]").astype(str))
    uniq, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    out = {}
    for key in sorted(set(keys.tolist())):
        m = keys == key
        col = np.full(uniq.size, np.nan)
        col[inverse[m]] = values[m]
        out[key] = col
    return AirTable(file, layout, stations[first], times[first], out, rows[first], missing, issues)


def _read_archive(sheet: Sheet) -> AirTable:
    """`date,hour,type,<stations…>`: hour h of date D is the value stamped D h:00, so hour 0 is 24:00 of the
    previous day under HJ 663's labelling (standards-spec §7 point 2 — unconfirmed for this archive)."""
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    cols = {"date": 0, "hour": 1}
    times = _times_of(sheet, cols, rows, False, issues)
    types = np.asarray([ARCHIVE_TYPES.get(r[2], "") for r in sheet.rows], dtype=object).astype(str)
    keep = types != ""
    station_names = sheet.header[3:]
    parts_s, parts_t, parts_k, parts_v, parts_r = [], [], [], [], []
    missing: dict[str, int] = {}
    kept_rows = [r for r, k in zip(sheet.rows, keep, strict=True) if k]
    for j, name in enumerate(station_names, start=3):
        vals, blanks = parse_numbers([r[j] for r in kept_rows], sheet.file, name, rows[keep], issues)
        missing[name] = blanks
        parts_s.append(np.full(vals.size, name, dtype=object))
        parts_t.append(times[keep])
        parts_k.append(types[keep])
        parts_v.append(vals)
        parts_r.append(rows[keep])
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
    )


def _read_long(sheet: Sheet, daily: bool) -> AirTable:
    cols = _columns(sheet)
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    times = _times_of(sheet, cols, rows, daily, issues)
    stations = np.asarray([r[cols["station"]] for r in sheet.rows], dtype=object).astype(str)
    names = [r[cols["pollutant"]] for r in sheet.rows]
    keys = np.asarray([AIR_HEADERS.get(normalise_header(n), "") for n in names], dtype=object).astype(str)
    for i in np.flatnonzero(keys == ""):
        issues.append(
            RowIssue(
                sheet.file, int(rows[i]), sheet.header[cols["pollutant"]], names[i], "未知污染物 / unknown pollutant"
            )
        )
    j = cols["value"]
    values, blanks = parse_numbers([r[j] for r in sheet.rows], sheet.file, sheet.header[j], rows, issues)
    ok = keys != ""
    return _pivot(
        sheet.file, "long", stations[ok], times[ok], keys[ok], values[ok], rows[ok], {"value": blanks}, issues
    )


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
    cells: Sequence[str],
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
) -> WaterTable:
    """One row per sample (section, date, a column per parameter) or long (section, date, parameter, value). A
    sample given twice is reported (the first is kept, the later ones are marked `repeated` or dropped)."""
    sheet = read_sheet(path, max_rows=max_rows, max_cells=max_cells)
    detection_limits = detection_limits or {}
    cols: dict[str, int] = {}
    for j, name in enumerate(sheet.header):
        key = WATER_HEADERS.get(normalise_header(name))
        if key and key not in cols:
            cols[key] = j
    if "section" not in cols:
        raise ValueError(f"{sheet.file}: no section column / 缺少断面列 (section, 断面名称 …)")
    issues = list(sheet.issues)
    rows = sheet.row_numbers()
    sections = np.asarray([r[cols["section"]] for r in sheet.rows], dtype=object).astype(str)
    if "date" in cols:
        j = cols["date"]
        times = parse_times([r[j] for r in sheet.rows], sheet.file, sheet.header[j], rows, issues, date_only=True)
        dates = times.astype("datetime64[D]")
    else:
        dates = np.full(len(sheet.rows), np.datetime64("NaT"), dtype="datetime64[D]")
    values, below = {}, {}
    if "parameter" in cols and "value" in cols:
        names = [r[cols["parameter"]] for r in sheet.rows]
        keys = np.asarray([WATER_HEADERS.get(normalise_header(n), "") for n in names], dtype=object).astype(str)
        for i in np.flatnonzero(keys == ""):
            issues.append(
                RowIssue(
                    sheet.file, int(rows[i]), sheet.header[cols["parameter"]], names[i], "未知项目 / unknown parameter"
                )
            )
        twice, at = repeats(_key(sections, dates, keys), keys != "")
        what = np.char.add(np.char.add(np.char.add(np.char.add(sections, " "), dates.astype(str)), " "), keys)
        _report_repeats(sheet.file, rows, twice, at, sheet.header[cols["parameter"]], what, issues)
        pair = np.char.add(np.char.add(sections, "\x00"), dates.astype(str))
        uniq, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
        j = cols["value"]
        for key in sorted(set(keys.tolist()) - {""}):
            m = (keys == key) & ~twice
            cells = [sheet.rows[i][j] for i in np.flatnonzero(m)]
            v, b = parse_water_values(cells, sheet.file, sheet.header[j], rows[m], issues, detection_limits.get(key))
            values[key] = np.full(uniq.size, np.nan)
            below[key] = np.zeros(uniq.size, dtype=bool)
            values[key][inverse[m]] = v
            below[key][inverse[m]] = b
        return WaterTable(sheet.file, sections[first], dates[first], values, below, rows[first], issues, sheet)
    for key, j in cols.items():
        if key in ("section", "date", "parameter", "value"):
            continue
        cells = [r[j] for r in sheet.rows]
        values[key], below[key] = parse_water_values(
            cells, sheet.file, sheet.header[j], rows, issues, detection_limits.get(key)
        )
    repeated, first = repeats(_key(sections, dates), (sections != "") & ~np.isnat(dates))
    what = np.char.add(np.char.add(sections, " "), dates.astype(str))
    _report_repeats(sheet.file, rows, repeated, first, sheet.header[cols["section"]], what, issues)
    return WaterTable(sheet.file, sections, dates, values, below, rows, issues, sheet, repeated=repeated)
