"""The two files a county fills in to start: its region file (行政区与责任单位) and its 通讯录 (people and their
duties). Both are small .xlsx workbooks read with bounds (files.zips checks the package before openpyxl opens it,
and reading stops at a row limit); the region file may also be the JSON the project ships for 将乐县.

Nothing here touches the database: the readers give plain data and every problem they meet as an `Issue` naming
the file, sheet, row and column, and the services decide. The templates are written by the same code that reads
them back (`region_workbook`, `directory_template`), so the documented columns are the read ones.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ecotarget.core.sheets import append_row
from ecotarget.files.workbooks import cell_text, open_workbook
from ecotarget.files.zips import MB, PackageRefused, ZipLimits

# A region file or a 通讯录 is a few dozen KB; these bounds leave room for formatting and still refuse a bomb.
SMALL_BOOK_LIMITS = ZipLimits(max_entries=300, max_total_bytes=30 * MB)
MAX_ROWS = 5000  # rows read from one sheet: a county has a few hundred people and under 200 units
MAX_COLUMNS = 20  # columns read from one row; the templates use at most 6

REGION_SHEET = "行政区"
UNITS_SHEET = "责任单位"
DIRECTORY_SHEET = "通讯录"
HELP_SHEET = "填写说明"

LEVELS = {"省": "province", "市": "city", "县": "county", "县(市、区)": "county", "区": "county", "县级市": "county"}
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县"}
UNIT_KINDS = {
    "乡镇": "township",
    "乡(镇)": "township",
    "街道": "township",
    "部门": "department",
    "县直部门": "department",
}
ALIAS_SEPARATORS = re.compile(r"[、，,；;/]+")
REGION_CODE = re.compile(r"^\d{6}(\d{3}|\d{6})?$")


@dataclass(frozen=True)
class Issue:
    """One problem of an uploaded file, located so that a person can find it and fix it."""

    file: str
    reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{' '.join(where)}：{self.reason}"


class FileIssues(ValueError):
    """A file that cannot be used as it is; `issues` says every problem found (not only the first)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


# --- reading a small workbook --------------------------------------------------------------------------------------


def _open_book(source: bytes | Path, name: str) -> Workbook:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if not data.startswith(b"PK\x03\x04"):
        raise FileIssues([Issue(name, "不是 Excel 工作簿（.xlsx），请用模板填写后上传")])
    try:
        return open_workbook(data, name, SMALL_BOOK_LIMITS)
    except PackageRefused as exc:
        raise FileIssues([Issue(name, exc.reason)]) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileIssues(
            [Issue(name, f"无法读取工作簿（{exc.__class__.__name__}），请用 Excel 或 WPS 另存为 .xlsx 后再试")]
        ) from None


def _rows(sheet: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of a sheet's non-empty rows, at most MAX_ROWS of them."""
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if number > MAX_ROWS:
            raise FileIssues([Issue(name, f"超过 {MAX_ROWS} 行，请拆分后分别导入", sheet=sheet.title)])
        cells = [cell_text(v) for v in row]
        if any(cells):
            yield number, cells


def _sheet(book: Workbook, wanted: str, name: str, *, fallback_index: int | None = None) -> Any:
    if wanted in book.sheetnames:
        return book[wanted]
    if fallback_index is not None and len(book.sheetnames) > fallback_index:
        return book.worksheets[fallback_index]
    raise FileIssues([Issue(name, f"缺少工作表“{wanted}”，请用模板填写")])


def _header(
    rows: list[tuple[int, list[str]]],
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    name: str,
    sheet: str,
) -> tuple[int, dict[str, int]]:
    """The header row (the first row naming every required column, within the first ten) and where each column is."""
    for number, cells in rows[:10]:
        found: dict[str, int] = {}
        for index, text in enumerate(cells):
            label = text.replace(" ", "").replace("*", "")
            for key, words in columns.items():
                if key not in found and label in words:
                    found[key] = index
        if all(key in found for key in required):
            return number, found
    wanted = "、".join(columns[key][0] for key in required)
    raise FileIssues([Issue(name, f"找不到表头：须有“{wanted}”列", sheet=sheet)])


# --- the region file -----------------------------------------------------------------------------------------------

REGION_FIELDS = {
    "行政区划代码": "code",
    "名称": "name",
    "简称": "short_name",
    "级别": "level",
    "上级行政区划代码": "parent_code",
    "上级名称": "parent_name",
}
UNIT_COLUMNS = {
    "kind": ("类型", "单位类型"),
    "name": ("简称", "单位简称", "单位"),
    "full_name": ("全称", "单位全称"),
    "aliases": ("别名", "其他写法"),
}


def read_region_file(source: bytes | Path, name: str) -> dict:
    """A region file, .xlsx (the template) or .json (the format of organisation/data/), as the JSON's dict:
    {"region": {code, name, short_name, level, parent?}, "townships": [...], "departments": [...]}.
    Every problem is reported at once (FileIssues)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if name.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return _region_from_json(data, name)
    return _region_from_xlsx(data, name)


def _region_from_json(data: bytes, name: str) -> dict:
    try:
        spec = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileIssues([Issue(name, f"不是有效的 JSON（{exc}）")]) from None
    if not isinstance(spec, dict) or not isinstance(spec.get("region"), dict):
        raise FileIssues([Issue(name, "缺少 region（行政区）")])
    issues = _check_region(spec["region"], name, sheet="")
    for group in ("townships", "departments"):
        for index, item in enumerate(spec.get(group) or [], start=1):
            if not isinstance(item, dict) or not str(item.get("name", "")).strip():
                issues.append(Issue(name, f"{group} 第 {index} 项没有 name（单位简称）"))
    if issues:
        raise FileIssues(issues)
    return spec


def _check_region(region: dict, name: str, sheet: str) -> list[Issue]:
    issues = []
    if not REGION_CODE.match(str(region.get("code", ""))):
        issues.append(Issue(name, "行政区划代码须为 6 位（或 9、12 位）数字", sheet=sheet, column="行政区划代码"))
    if not str(region.get("name", "")).strip():
        issues.append(Issue(name, "请填写行政区名称", sheet=sheet, column="名称"))
    return issues


def _region_from_xlsx(data: bytes, name: str) -> dict:
    book = _open_book(data, name)
    try:
        return _region_from_book(book, name)
    finally:
        book.close()


def _region_from_book(book: Workbook, name: str) -> dict:
    issues: list[Issue] = []
    region_sheet = _sheet(book, REGION_SHEET, name)
    values: dict[str, str] = {}
    rows_of: dict[str, int] = {}
    for number, cells in _rows(region_sheet, name):
        label = cells[0].replace(" ", "").replace("*", "")
        if label in REGION_FIELDS:
            values[REGION_FIELDS[label]] = cells[1] if len(cells) > 1 else ""
            rows_of[REGION_FIELDS[label]] = number
    region: dict[str, Any] = {"code": values.get("code", ""), "name": values.get("name", "")}
    for key, label in (("code", "行政区划代码"), ("name", "名称")):
        if not region[key]:
            issues.append(Issue(name, f"请填写{label}", sheet=REGION_SHEET, row=rows_of.get(key), column="填写内容"))
    if region["code"] and not REGION_CODE.match(region["code"]):
        issues.append(
            Issue(
                name,
                "行政区划代码须为 6 位（或 9、12 位）数字",
                sheet=REGION_SHEET,
                row=rows_of["code"],
                column="填写内容",
            )
        )
    if values.get("short_name"):
        region["short_name"] = values["short_name"]
    level = values.get("level", "")
    if level:
        if level not in LEVELS:
            issues.append(
                Issue(
                    name,
                    f"级别“{level}”不认识，请填 省、市 或 县",
                    sheet=REGION_SHEET,
                    row=rows_of["level"],
                    column="填写内容",
                )
            )
        else:
            region["level"] = LEVELS[level]
    if values.get("parent_code") or values.get("parent_name"):
        if not REGION_CODE.match(values.get("parent_code", "")) or not values.get("parent_name"):
            issues.append(
                Issue(
                    name,
                    "上级行政区须同时填写 6 位代码和名称（或都不填）",
                    sheet=REGION_SHEET,
                    row=rows_of.get("parent_code") or rows_of.get("parent_name"),
                    column="填写内容",
                )
            )
        else:
            region["parent"] = {"code": values["parent_code"], "name": values["parent_name"], "level": "city"}

    units_sheet = _sheet(book, UNITS_SHEET, name)
    rows = list(_rows(units_sheet, name))
    header_row, where = _header(rows, UNIT_COLUMNS, ("kind", "name"), name, UNITS_SHEET)
    spec: dict[str, Any] = {"region": region, "townships": [], "departments": []}
    seen: dict[str, int] = {}
    for number, cells in rows:
        if number <= header_row:
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            return cells[where[key]] if key in where and where[key] < len(cells) else ""

        kind, unit_name = cell("kind"), cell("name")
        if not unit_name:
            issues.append(Issue(name, "请填写单位简称", sheet=UNITS_SHEET, row=number, column="简称"))
            continue
        if len(unit_name) > 50 or len(cell("full_name")) > 100:
            issues.append(Issue(name, "简称最多 50 字、全称最多 100 字", sheet=UNITS_SHEET, row=number, column="简称"))
            continue
        if kind not in UNIT_KINDS:
            issues.append(
                Issue(name, f"类型“{kind}”不认识，请填 乡镇 或 部门", sheet=UNITS_SHEET, row=number, column="类型")
            )
            continue
        if unit_name in seen:
            issues.append(
                Issue(
                    name,
                    f"单位“{unit_name}”与第 {seen[unit_name]} 行重复",
                    sheet=UNITS_SHEET,
                    row=number,
                    column="简称",
                )
            )
            continue
        seen[unit_name] = number
        item: dict[str, Any] = {"name": unit_name}
        if cell("full_name"):
            item["full_name"] = cell("full_name")
        aliases = [a.strip() for a in ALIAS_SEPARATORS.split(cell("aliases")) if a.strip()]
        if aliases:
            item["aliases"] = aliases
        spec["townships" if UNIT_KINDS[kind] == "township" else "departments"].append(item)
    if not seen and not issues:
        issues.append(Issue(name, "没有任何单位：请至少填写一个乡镇或部门", sheet=UNITS_SHEET))
    if issues:
        raise FileIssues(issues)
    return spec


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _style_header(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths):
        column = chr(ord("A") + index)
        sheet.column_dimensions[column].width = width
        cell = sheet[f"{column}1"]
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"


def _help_sheet(book: Workbook, lines: list[str]) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    sheet.column_dimensions["A"].width = 110
    for line in lines:
        append_row(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


REGION_HELP = [
    "行政区文件填写说明（生态环境保护目标责任管理系统）",
    "本文件有两张表：“行政区”填本县（市、区）的代码和名称；“责任单位”每行一个乡镇或县直部门。",
    "行政区表：行政区划代码（6 位国家代码，如 350428）和名称必填；简称是文件里常作单位前缀的字（如“将乐”），"
    "不填则取名称去掉末字；级别填 省、市 或 县（不填为县）；上级行政区划代码和上级名称可不填，要填须两项都填。",
    "责任单位表：类型填 乡镇 或 部门；简称是分解方案里常见的写法（如“住建局”），在本县内不得重复；"
    "全称如“将乐县住房和城乡建设局”；别名是方案中可能出现的其他写法，用顿号（、）分隔，如“住房和城乡建设局、县住建局”。",
    "导入时系统会逐行检查，有错会指出表、行、列和原因，全部改正后才会载入；重复导入同一文件不会重复建立单位。",
    "也可以使用 JSON 格式（见 README“A county of its own”一节）。",
]


def region_workbook(spec: dict | None = None) -> bytes:
    """The region file as an .xlsx: the blank template (no `spec`), or a region's data in the same layout."""
    spec = spec or {"region": {}, "townships": [], "departments": []}
    region = spec.get("region", {})
    parent = region.get("parent") or {}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = REGION_SHEET
    append_row(sheet, ["项目", "填写内容", "说明"])
    rows = [
        ("行政区划代码", region.get("code", ""), "必填，6 位国家行政区划代码，如 350428"),
        ("名称", region.get("name", ""), "必填，如 将乐县"),
        ("简称", region.get("short_name", ""), "选填，方案中常作单位前缀，如 将乐"),
        ("级别", LEVEL_NAMES.get(region.get("level", ""), ""), "选填：省、市 或 县（默认县）"),
        ("上级行政区划代码", parent.get("code", ""), "选填，如 350400"),
        ("上级名称", parent.get("name", ""), "选填，如 三明市"),
    ]
    for row in rows:
        append_row(sheet, list(row))
        sheet.cell(sheet.max_row, 2).number_format = "@"  # codes stay text: 350428, never 350,428
    _style_header(sheet, [20, 24, 48])

    units = book.create_sheet(UNITS_SHEET)
    append_row(units, ["类型", "简称", "全称", "别名"])
    for kind, group in (("乡镇", "townships"), ("部门", "departments")):
        for item in spec.get(group, []):
            append_row(units, [kind, item["name"], item.get("full_name", ""), "、".join(item.get("aliases", []))])
    _style_header(units, [10, 18, 32, 40])
    _help_sheet(book, REGION_HELP)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the 通讯录 ----------------------------------------------------------------------------------------------------

DIRECTORY_COLUMNS = {
    "unit": ("单位", "所在单位", "单位名称"),
    "name": ("姓名",),
    "duty": ("职务", "岗位", "角色"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话"),
    "email": ("邮箱", "电子邮箱", "email", "Email", "E-mail"),
    "username": ("账号", "用户名", "登录账号"),
}
DIRECTORY_LABELS = {
    "unit": "单位",
    "name": "姓名",
    "duty": "职务",
    "phone": "手机",
    "email": "邮箱",
    "username": "账号",
}


@dataclass
class DirectoryRow:
    """One person of a 通讯录 as written (texts only; the services check them against the region)."""

    row: int
    unit: str = ""
    name: str = ""
    duty: str = ""
    phone: str = ""
    email: str = ""
    username: str = ""


def read_directory(source: bytes | IO[bytes] | Path, name: str) -> list[DirectoryRow]:
    """The people of a 通讯录 .xlsx (sheet “通讯录”, else the first), with the row each was read from."""
    if isinstance(source, Path):
        data = source.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    book = _open_book(data, name)
    try:
        sheet = _sheet(book, DIRECTORY_SHEET, name, fallback_index=0)
        rows = list(_rows(sheet, name))
        header_row, where = _header(rows, DIRECTORY_COLUMNS, ("unit", "name", "duty"), name, sheet.title)
        people = []
        for number, cells in rows:
            if number <= header_row:
                continue
            values = {key: cells[index] if index < len(cells) else "" for key, index in where.items()}
            people.append(DirectoryRow(row=number, **values))
    finally:
        book.close()
    if not people:
        raise FileIssues([Issue(name, "通讯录里没有人员：请在表头下逐行填写", sheet=sheet.title)])
    return people


DIRECTORY_HELP = [
    "通讯录填写说明（生态环境保护目标责任管理系统）",
    "每行一人。单位、姓名、职务必填；手机、邮箱选填；账号是登录名，不填则用手机号。",
    "单位：填本县单位的简称、全称或别名（与“行政区文件”一致），如 住建局；县领导和管理员可不填。",
    "职务：责任人、联系人（或 联络员）——单位的岗位，账号随岗位交接，可填报本单位进展；填报员——本单位的其他填报人员；"
    "分管领导——该单位的分管领导（须填单位）；领导——县领导，可看全县；管理员（或 督查）——可管理全县方案、账号和审核。",
    "某单位的责任人或联系人已登记为同名人员时，新账号接续其任职；已由他人担任时，从导入当日起交接给本行。",
    "导入前先预览：每行出错都会指出行、列和原因，全部改正后才能导入，导入是一次完成的（要么全部成功，要么都不导入）。",
    "导入后，每个新账号的初始密码只显示一次（设置了邮件的，向有邮箱的人员发送设置密码链接）；首次登录须修改密码。",
]


def directory_template() -> bytes:
    """The blank 通讯录 to fill in, with its instructions sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DIRECTORY_SHEET
    append_row(sheet, list(DIRECTORY_LABELS.values()))
    for column in "DEF":
        for row in range(2, 502):
            sheet[f"{column}{row}"].number_format = "@"  # phone numbers and accounts stay text
    _style_header(sheet, [18, 12, 12, 16, 26, 16])
    _help_sheet(book, DIRECTORY_HELP)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def directory_workbook(rows: list[list[str]]) -> bytes:
    """A filled 通讯录 (tests and examples write theirs with it): rows of 单位, 姓名, 职务, 手机, 邮箱, 账号."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DIRECTORY_SHEET
    append_row(sheet, list(DIRECTORY_LABELS.values()))
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
