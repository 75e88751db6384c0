"""The register of monitoring stations and water sections: register, change, retire and reinstate one, or load
many from a file (CSV or .xlsx) with `ecotarget load-stations` or the 监测点位 page.

Measurements refer to their station, so a station is never deleted: it is retired, with who, when and why, and
may be reinstated. Every change is one action in the log (core.actions) with what changed, before and after; a
station's history is read from there. Loading a file is one transaction: any bad row and nothing is written, each
bad row named (file, row, column, why); loading the same file again changes nothing and logs nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from ecotarget.core import clock
from ecotarget.core.actions import entry, record, record_all
from ecotarget.core.errors import Refusal
from ecotarget.files.text import EncodingRefused, decode
from ecotarget.files.workbooks import cell_text, open_workbook
from ecotarget.files.zips import MB, PackageRefused, ZipLimits
from ecotarget.organisation.models import Region

from . import cache
from .models import Station

# A county's station list is a few dozen rows; a province's (air and water) a few thousand, loaded in seconds.
MAX_FILE_BYTES = 5 * MB
MAX_ROWS = 5_000
MAX_COLUMNS = 60
STATION_FILE_LIMITS = ZipLimits(max_entries=500, max_total_bytes=50 * MB)


class StationError(Refusal):
    """A station the register refuses (a missing name, a code already used…); the message says what to fix."""


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: 第{self.row}行" + (f"，列“{self.column}”" if self.column else "")
        return f"{where}：{self.reason}" + (f"（{self.value}）" if self.value else "")


class StationFileRefused(Refusal):
    """A station file with bad rows: nothing of it was written; `errors` names each one."""

    def __init__(self, file: str, errors: list[RowError]):
        self.file, self.errors = file, errors
        super().__init__(f"{file}: {len(errors)} 处错误，未载入任何点位 / {len(errors)} errors, nothing loaded")


@dataclass(frozen=True)
class StationFields:
    """What a person or a file says about a station; stored as given once it passes `_problems`."""

    code: str
    name: str
    medium: str
    level: str
    water_kind: str = ""
    drinking_scale: str = ""
    basin: str = ""
    water_body: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    evaluates_city: bool = True
    source: str = ""

    @classmethod
    def of(cls, station: Station) -> StationFields:
        return cls(**{f.name: getattr(station, f.name) for f in fields(cls)})

    def cleaned(self) -> StationFields:
        """Runs of spaces (a cell typed with two, a stray newline) read as one; nothing at either end."""
        text: dict[str, object] = {
            f.name: " ".join(value.split()) for f in fields(self) if isinstance(value := getattr(self, f.name), str)
        }
        return replace(self, **text)  # type: ignore[arg-type]


# Each field's choices, read once: a file of thousands of rows asks for them for every field of every row.
_CHOICES = {
    f.name: dict(getattr(Station._meta.get_field(f.name), "choices", None) or []) for f in fields(StationFields)
}
_MEDIA, _LEVELS = frozenset(Station.Medium.values), frozenset(Station.Level.values)
_WATER_KINDS, _SCALES = frozenset(Station.WaterKind.values), frozenset(Station.DrinkingScale.values)

# The log's words for each field, as the page labels it.
LABELS = {f.name: str(getattr(Station._meta.get_field(f.name), "verbose_name", f.name)) for f in fields(StationFields)}


def _shown(name: str, value: object) -> str | None:
    """A field's value as the history shows it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = _CHOICES[name]
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _differences(before: StationFields | None, after: StationFields) -> dict[str, list]:
    changes = {}
    for f in fields(StationFields):
        old = _shown(f.name, getattr(before, f.name)) if before is not None else None
        new = _shown(f.name, getattr(after, f.name))
        if old != new:
            changes[LABELS[f.name]] = [old, new]
    return changes


def _problems(values: StationFields) -> list[tuple[str, str]]:
    """What is wrong with a station's particulars, as (field, reason); empty when it may be stored."""
    problems = []
    if not values.code:
        problems.append(("code", "请填写点位编码"))
    elif len(values.code) > 30 or " " in values.code:
        problems.append(("code", "编码最长 30 个字符，不含空格"))
    if not values.name:
        problems.append(("name", "请填写点位名称"))
    elif len(values.name) > 100:
        problems.append(("name", "名称最长 100 个字符"))
    if values.medium not in _MEDIA:
        problems.append(("medium", "介质应为 空气 或 地表水"))
    if values.level not in _LEVELS:
        problems.append(("level", "类别应为 国控、省控、市控、县控 或 小流域"))
    is_water = values.medium == Station.Medium.WATER
    if values.medium == Station.Medium.AIR:
        if values.level == Station.Level.SMALL_BASIN:
            problems.append(("level", "小流域是水质断面的级别，空气点位不用"))
        for name in ("water_kind", "drinking_scale", "water_body"):
            if getattr(values, name):
                problems.append((name, f"空气点位不填{LABELS[name]}"))
    if values.water_kind and values.water_kind not in _WATER_KINDS:
        problems.append(("water_kind", "水体类型应为 河流、湖库 或 饮用水水源地"))
    if values.drinking_scale:
        if values.drinking_scale not in _SCALES:
            problems.append(("drinking_scale", "水源地规模应为 乡镇级及以上 或 农村“千吨万人”"))
        elif is_water and values.water_kind != Station.WaterKind.DRINKING:
            problems.append(("drinking_scale", "只有饮用水水源地有水源地规模"))
    if not values.evaluates_city and is_water:
        problems.append(("evaluates_city", "对照点（不参与城市评价）只用于空气点位"))
    for name, limit in (("basin", 50), ("water_body", 50), ("source", 200)):
        if len(getattr(values, name)) > limit:
            problems.append((name, f"{LABELS[name]}最长 {limit} 个字符"))
    if (values.latitude is None) != (values.longitude is None):
        problems.append(("latitude" if values.latitude is None else "longitude", "经度和纬度应同时填写或同时不填"))
    if values.latitude is not None and not Decimal(-90) <= values.latitude <= Decimal(90):
        problems.append(("latitude", "纬度应在 -90 到 90 之间"))
    if values.longitude is not None and not Decimal(-180) <= values.longitude <= Decimal(180):
        problems.append(("longitude", "经度应在 -180 到 180 之间"))
    for name in ("latitude", "longitude"):
        value = getattr(values, name)
        if value is not None and int(value.as_tuple().exponent) < -6:
            problems.append((name, "经纬度最多保留 6 位小数"))
    return problems


def _clashes(region: Region, values: StationFields, pk: int | None) -> list[tuple[str, str]]:
    """Another station of the region with the same code, or of the same medium with the same name: data files name
    a station by either, so each must lead to one station only (retired ones too: old files still name them)."""
    others = Station.objects.filter(region=region)
    if pk is not None:
        others = others.exclude(pk=pk)
    found = others.filter(Q(code=values.code) | Q(name=values.name, medium=values.medium)).first()
    if found is None:
        return []
    if found.code == values.code:
        return [("code", f"编码 {values.code} 已用于点位“{found.name}”")]
    return [("name", f"名称“{values.name}”已用于点位 {found.code}")]


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise StationError("；".join(f"{LABELS.get(name, name)}：{reason}" for name, reason in problems))


def _apply(station: Station, values: StationFields) -> None:
    for f in fields(StationFields):
        setattr(station, f.name, getattr(values, f.name))


def _label(station: Station) -> str:
    return f"{station.name}（{station.code}）"


@transaction.atomic
def station_register(*, region: Region, values: StationFields, user) -> Station:
    """Add a station or water section to the region's register."""
    values = values.cleaned()
    _refuse(_problems(values))
    _refuse(_clashes(region, values, None))
    station = Station(region=region)
    _apply(station, values)
    station.save()
    record(
        user,
        "station.register",
        station,
        f"新增{station.get_medium_display()}点位 {_label(station)}",
        _differences(None, values),
        label=_label(station),
        region=region,
    )
    return station


@transaction.atomic
def station_update(*, station: Station, values: StationFields, user) -> Station:
    """Change a station's particulars; every field that changed is kept in its history, before and after."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    values = values.cleaned()
    _refuse(_problems(values))
    _refuse(_clashes(station.region, values, station.pk))
    changes = _differences(StationFields.of(station), values)
    if not changes:
        return station
    _apply(station, values)
    station.save()
    record(
        user,
        "station.update",
        station,
        f"修改点位 {_label(station)}：" + "、".join(changes),
        changes,
        label=_label(station),
        region=station.region_id,
    )
    return station


@transaction.atomic
def station_retire(*, station: Station, reason: str, user) -> Station:
    """Take a station out of service. Its data stay, as does the station: it is never deleted, only retired."""
    if not reason.strip():
        raise StationError("请写明停用原因（如点位撤销、搬迁）")
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.retired_at is not None:
        raise StationError(f"点位 {_label(station)} 已于 {clock.local_date(station.retired_at):%Y-%m-%d} 停用")
    station.retired_at, station.retired_by, station.retired_reason = clock.now(), user, reason.strip()[:200]
    station.save(update_fields=["retired_at", "retired_by", "retired_reason"])
    record(
        user,
        "station.retire",
        station,
        f"停用点位 {_label(station)}（原因：{station.retired_reason}）",
        {"状态": ["在用", "停用"], "停用原因": [None, station.retired_reason]},
        label=_label(station),
        region=station.region_id,
    )
    return station


@transaction.atomic
def station_reinstate(*, station: Station, user) -> Station:
    """Put a retired station back in service."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.retired_at is None:
        raise StationError(f"点位 {_label(station)} 在用，无需恢复")
    reason = station.retired_reason
    station.retired_at, station.retired_by, station.retired_reason = None, None, ""
    station.save(update_fields=["retired_at", "retired_by", "retired_reason"])
    record(
        user,
        "station.reinstate",
        station,
        f"恢复点位 {_label(station)}（原停用原因：{reason}）",
        {"状态": ["停用", "在用"]},
        label=_label(station),
        region=station.region_id,
    )
    return station


# --- files ----------------------------------------------------------------------------------------------------------

# Column headings, in English or as county offices write them; compared without spaces, case or a bracketed unit.
HEADINGS: dict[str, tuple[str, ...]] = {
    "code": ("code", "stationcode", "点位编码", "编码", "站点编码", "监测点编码", "断面编码", "点位代码", "站点代码"),
    "name": ("name", "positionname", "点位名称", "名称", "站点名称", "监测点名称", "断面名称"),
    "region": ("region", "area", "所属区域", "区域", "行政区", "所属行政区", "行政区划代码", "城市"),
    "kind": ("kind", "类别", "点位类别", "站点类别", "控制级别"),
    "medium": ("medium", "介质", "监测介质"),
    "level": ("level", "断面级别", "级别"),
    "river": ("river", "河流", "所在河流"),
    "lake": ("lake", "湖库", "湖泊", "水库"),
    "water_body": ("waterbody", "water_body", "河流/湖库", "河流湖库"),
    "water_kind": ("waterkind", "water_kind", "水体类型"),
    "drinking_scale": ("drinkingscale", "drinking_scale", "水源地规模"),
    "basin": ("basin", "流域"),
    "latitude": ("lat", "latitude", "纬度"),
    "longitude": ("lon", "lng", "longitude", "经度"),
    "reference": ("reference", "对照点"),
    "evaluates_city": ("evaluatescity", "evaluates_city", "参与城市评价", "参与评价"),
    "source": ("source", "来源", "数据来源"),
}
REQUIRED = ("code", "name", "medium")


def _heading(text: str) -> str:
    text = re.sub(r"[（(\[【].*?[）)\]】]", "", text.replace("\ufeff", ""))
    return "".join(text.split()).lower()


_COLUMN_OF = {_heading(alias): key for key, aliases in HEADINGS.items() for alias in aliases}
# The heading an error names when the file lacks the column: the Chinese one.
_HEADING_OF = {key: next(a for a in aliases if not a.isascii()) for key, aliases in HEADINGS.items()}

MEDIUM_WORDS = {
    Station.Medium.AIR: ("air", "空气", "环境空气", "大气"),
    Station.Medium.WATER: ("water", "水", "地表水", "水质", "水环境"),
}
LEVEL_WORDS = {
    Station.Level.NATIONAL: ("national", "国控", "国家", "国家级", "国考"),
    Station.Level.PROVINCIAL: ("provincial", "省控", "省级", "省考"),
    Station.Level.CITY: ("city", "市控", "市级"),
    Station.Level.COUNTY: ("county", "县控", "县级"),
    Station.Level.SMALL_BASIN: ("small_basin", "小流域", "小流域断面"),
}
WATER_KIND_WORDS = {
    Station.WaterKind.RIVER: ("river", "河流", "河"),
    Station.WaterKind.LAKE: ("lake", "湖库", "湖泊", "水库", "湖"),
    Station.WaterKind.DRINKING: ("drinking", "饮用水水源地", "水源地", "饮用水"),
}
SCALE_WORDS = {
    Station.DrinkingScale.TOWNSHIP_AND_ABOVE: ("township_and_above", "乡镇级及以上", "县级及以上", "乡镇级"),
    Station.DrinkingScale.RURAL_1000_10000: ("rural_1000_10000", "农村千吨万人", "千吨万人", "农村“千吨万人”"),
}
YES = ("y", "yes", "是", "1", "true", "对照点")
NO = ("n", "no", "否", "0", "false", "")
BLANK = ("", "-", "—", "/", "na", "n/a")


def _word(table: dict, text: str) -> str | None:
    key = "".join(text.split()).lower()
    return next((code for code, words in table.items() if key in {w.lower() for w in words}), None)


@dataclass
class StationsLoaded:
    """What a station file did: stations created and changed, rows already as the register has them, columns the
    loader does not know (ignored, so a misspelt heading is seen), and listed stations that stay retired."""

    file: str
    created: list[Station] = field(default_factory=list)
    updated: list[Station] = field(default_factory=list)
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    still_retired: list[Station] = field(default_factory=list)


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return cell_text(value)


def _too_many_rows(file: str) -> Refusal:
    return StationError(f"{file}: 超过 {MAX_ROWS} 行，不像点位清单 / more than {MAX_ROWS} rows: not a station list")


def _rows_of(path: Path, file: str) -> list[tuple[int, list[str]]]:
    """The file's rows with the row number a spreadsheet shows (CSV: the line); bounded in bytes, rows and cells."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise StationError(f"{file}: 文件超过 {MAX_FILE_BYTES // MB} MB，不像点位清单 / larger than 5 MB")
    rows: list[tuple[int, list[str]]] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        book = open_workbook(path, file, STATION_FILE_LIMITS)
        try:
            for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    raise _too_many_rows(file)
                rows.append((number, [_cell(v) for v in cells[:MAX_COLUMNS]]))
        finally:
            book.close()
        return rows
    reader = csv.reader(decode(path.read_bytes(), file).splitlines())
    try:
        for values in reader:
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(file)
            rows.append((reader.line_num, [v.strip() for v in values[:MAX_COLUMNS]]))
    except csv.Error as exc:
        raise StationError(f"{file}: 第{reader.line_num}行无法读取 / unreadable line ({exc})") from exc
    return rows


def _regions_by_word() -> dict[str, Region]:
    found: dict[str, Region] = {}
    for region in Region.objects.all():
        for word in (region.short_name, region.name, region.code):  # the code wins a clash, then the full name
            if word:
                found[word] = region
    return found


def _row_values(
    cells: dict[str, str], file: str, row: int, headings: dict[str, str], errors: list[RowError]
) -> StationFields | None:
    """One row's particulars, or None with its errors added."""
    before = len(errors)

    def bad(key: str, reason: str) -> None:
        errors.append(RowError(file, row, headings.get(key, _HEADING_OF[key]), cells.get(key, ""), reason))

    medium = _word(MEDIUM_WORDS, cells["medium"])
    if medium is None:
        bad("medium", "介质应为 空气/air 或 地表水/water")
    # Water sections have a level of their own (国控/省控/小流域); the kind column is their fallback.
    level_text = cells.get("level", "") if medium == Station.Medium.WATER else ""
    level_key = "level" if level_text else "kind"
    level_text = level_text or cells.get("kind", "") or cells.get("level", "")
    level = _word(LEVEL_WORDS, level_text)
    if level is None:
        named = level_key if level_key in headings else next(k for k in ("kind", "level") if k in headings)
        bad(named, "类别应为 国控、省控、市控、县控 或 小流域")
    river, lake, body = cells.get("river", ""), cells.get("lake", ""), cells.get("water_body", "")
    if river and lake:
        bad("lake", "一个断面只在一条河流或一个湖库上：河流与湖库只填一个")
    water_kind = Station.WaterKind.RIVER if river else Station.WaterKind.LAKE if lake else ""
    if cells.get("water_kind"):
        water_kind = _word(WATER_KIND_WORDS, cells["water_kind"]) or ""
        if not water_kind:
            bad("water_kind", "水体类型应为 河流、湖库 或 饮用水水源地")
    scale = ""
    if cells.get("drinking_scale"):
        scale = _word(SCALE_WORDS, cells["drinking_scale"]) or ""
        if not scale:
            bad("drinking_scale", "水源地规模应为 乡镇级及以上 或 农村千吨万人")
    evaluates = True
    # 对照点 Y means "not in the city's value", 参与城市评价 是 means it is: each column says it its own way round.
    for key, yes_means in (("reference", False), ("evaluates_city", True)):
        text = cells.get(key, "").lower()
        if text in YES:
            evaluates = yes_means
        elif text in NO and text:
            evaluates = not yes_means
        elif text:
            bad(key, "应为 是/否 或 Y/N")
    coordinates: dict[str, Decimal | None] = {}
    for key in ("latitude", "longitude"):
        text = cells.get(key, "")
        coordinates[key] = None
        if text.lower() not in BLANK:
            try:
                coordinates[key] = Decimal(text)
            except InvalidOperation:
                bad(key, "不是数字（用十进制度，如 26.7284）")
            else:
                if not coordinates[key].is_finite():  # type: ignore[union-attr]
                    bad(key, "不是数字（用十进制度，如 26.7284）")
                    coordinates[key] = None
    if len(errors) > before or medium is None or level is None:
        return None
    values = StationFields(
        code=cells["code"],
        name=cells["name"],
        medium=medium,
        level=level,
        water_kind=water_kind,
        drinking_scale=scale,
        basin=cells.get("basin", ""),
        water_body=river or lake or body,
        latitude=coordinates["latitude"],
        longitude=coordinates["longitude"],
        evaluates_city=evaluates,
        source=cells.get("source", ""),
    ).cleaned()
    for name, reason in _problems(values):
        key = {"water_body": "river" if river else "lake" if lake else "water_body"}.get(name, name)
        bad(key, reason)
    return None if len(errors) > before else values


@transaction.atomic
def stations_load_file(
    *, path: Path, file_name: str = "", region: Region | None = None, only_region: bool = False, user=None
) -> StationsLoaded:
    """Register or update the stations a file lists, in one transaction; refused whole (StationFileRefused, every bad
    row named) when any row is wrong. A row names its region by code or name, else `region` is taken; with
    `only_region` (the page: a coordinator loads for their own region) a row of another region is an error.
    Stations are matched by region and code; a listed station that is retired stays retired (reinstated on the
    page). Run again on the same file, it changes nothing and logs nothing."""
    path = Path(path)
    file = file_name or path.name
    try:
        rows = _rows_of(path, file)
    except (EncodingRefused, PackageRefused) as exc:
        raise StationError(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise StationError(f"{file}: 无法读取 / cannot read ({exc})") from exc
    # Notes before the heading (`# 来源：…`) say where the list comes from; blank rows are skipped.
    rows = [(n, cells) for n, cells in rows if any(cells)]
    while rows and rows[0][1][0].startswith("#"):
        rows.pop(0)
    if not rows:
        raise StationError(f"{file}: 文件为空 / empty file")
    heading_row, heading_cells = rows[0]
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    outcome = StationsLoaded(file=file)
    errors: list[RowError] = []
    for index, text in enumerate(heading_cells):
        key = _COLUMN_OF.get(_heading(text))
        if key is None:
            if text:
                outcome.ignored_columns.append(text)
        elif key in columns:
            errors.append(RowError(file, heading_row, text, "", f"与“{headings[key]}”是同一列，只能保留一个"))
        else:
            columns[key], headings[key] = index, text
    required = [*REQUIRED, *(() if region is not None else ("region",))]
    if "kind" not in columns and "level" not in columns:
        required.append("kind")
    missing = [_HEADING_OF[key] for key in required if key not in columns]
    if missing:
        errors.append(
            RowError(file, heading_row, "、".join(missing), "", "缺少列（点位编码、点位名称、介质、类别必填）")
        )
        raise StationFileRefused(file, errors)

    regions = _regions_by_word()
    seen: dict[tuple[int, str], int] = {}
    seen_names: dict[tuple[int, str, str], int] = {}
    listed: list[tuple[int, Region, StationFields]] = []
    for number, raw in rows[1:]:
        cells = {key: (raw[i] if i < len(raw) else "") for key, i in columns.items()}
        row_region = region
        if cells.get("region"):
            row_region = regions.get(cells["region"])
            if row_region is None:
                errors.append(
                    RowError(file, number, headings["region"], cells["region"], "未知的行政区（先载入行政区划）")
                )
                continue
        if row_region is None:
            errors.append(RowError(file, number, headings["region"], "", "请填写所属区域（行政区划代码或名称）"))
            continue
        if only_region and region is not None and row_region.pk != region.pk:
            errors.append(RowError(file, number, headings["region"], cells["region"], f"只能载入{region.name}的点位"))
            continue
        if not cells["code"] or not cells["name"]:
            for key in ("code", "name"):
                if not cells[key]:
                    errors.append(RowError(file, number, headings[key], "", "必填"))
            continue
        values = _row_values(cells, file, number, headings, errors)
        if values is None:
            continue
        first = seen.setdefault((row_region.pk, values.code), number)
        if first != number:
            errors.append(RowError(file, number, headings["code"], values.code, f"与第{first}行编码重复"))
            continue
        first = seen_names.setdefault((row_region.pk, values.medium, values.name), number)
        if first != number:
            errors.append(RowError(file, number, headings["name"], values.name, f"与第{first}行名称重复"))
            continue
        listed.append((number, row_region, values))
    if errors:
        raise StationFileRefused(file, errors)

    # The register of the regions the file names, read once: a province's list is thousands of rows.
    held = list(Station.objects.select_for_update().filter(region__in={r.pk for _, r, _ in listed}))
    by_code = {(s.region_id, s.code): s for s in held}
    listed_codes = {(r.pk, v.code) for _, r, v in listed}
    # Data files name a station by code or by name, so a name may not be another station's. The file's own names
    # were checked against each other above; a name may pass from one listed station to another, so only the
    # stations the file does not list can hold one.
    names_held = {(s.region_id, s.medium, s.name): s for s in held if (s.region_id, s.code) not in listed_codes}
    written: list[tuple[str, Station, dict[str, list], str]] = []
    for number, row_region, values in listed:
        holder = names_held.get((row_region.pk, values.medium, values.name))
        if holder is not None:
            why = f"名称“{values.name}”已用于点位 {holder.code}"
            errors.append(RowError(file, number, headings["name"], values.name, why))
            continue
        station = by_code.get((row_region.pk, values.code))
        changes = _differences(StationFields.of(station) if station else None, values)
        where = f"（{file} 第{number}行）"
        if station is None:
            station = Station(region=row_region)
            _apply(station, values)
            outcome.created.append(station)
            written.append(("station.register", station, changes, where))
        elif changes:
            summary = f"：{'、'.join(changes)}"
            _apply(station, values)
            outcome.updated.append(station)
            written.append(("station.update", station, changes, summary + where))
        else:
            outcome.unchanged += 1
        if station.retired_at is not None:
            outcome.still_retired.append(station)
    if errors:
        raise StationFileRefused(file, errors)
    Station.objects.bulk_create(outcome.created, batch_size=500)
    # bulk_create sends no save signal: a new evaluating station changes the region's figures all the same.
    for region_id in sorted({station.region_id for station in outcome.created}):
        cache.data_changed(region_id)
    # One UPDATE per changed station: bulk_update's CASE over a batch costs the database batch × batch.
    for station in outcome.updated:
        station.save(update_fields=[f.name for f in fields(StationFields)])
    record_all(
        entry(
            user,
            verb,
            station,
            (f"新增{station.get_medium_display()}点位 " if verb == "station.register" else "修改点位 ")
            + _label(station)
            + words,
            changes,
            label=_label(station),
            region=station.region_id,
        )
        for verb, station, changes, words in written
    )
    return outcome


# --- an import that meets stations the register does not hold -----------------------------------------------------

# The words measurements_import (services._stations_of) gives a record whose station is not registered, on the
# column "station"; tests/monitoring/test_unknown_stations.py fails if the two part.
UNKNOWN_STATION = "未登记的监测点位 / unknown station"
UNKNOWN_SHOWN = 10


@dataclass(frozen=True)
class UnknownStations:
    """The stations a data file names that the register does not hold: the first few as the file names them
    (code or name), how many there are, and how many records they hold."""

    first: list[str]
    count: int
    records: int

    def words(self) -> str:
        more = " 等" if self.count > len(self.first) else ""
        return f"{self.count} 个未登记的监测点位（{self.records} 条记录）：{'、'.join(self.first)}{more}"


def unknown_stations(issues) -> UnknownStations | None:
    """Of an import's issues (RowIssue-like: column, value, reason), the unknown stations; None when there are none."""
    names: dict[str, int] = {}
    for issue in issues:
        if issue.column == "station" and issue.reason == UNKNOWN_STATION:
            names[issue.value] = names.get(issue.value, 0) + 1
    if not names:
        return None
    return UnknownStations(first=list(names)[:UNKNOWN_SHOWN], count=len(names), records=sum(names.values()))
