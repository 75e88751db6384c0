"""Excel exports: the breakdown table (任务分解表) and a unit's list (责任清单)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ecotarget.core.sheets import append_row

from .models import Assignment, Plan, Task
from .selectors import UnitTasks

BREAKDOWN_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "指标", "时限"]
UNIT_HEADERS = ["序号", "任务", "本单位职责", "牵头单位", "配合单位", "指标", "时限"]
_WIDTHS = {"序号": 6, "任务": 60, "牵头单位": 18, "配合单位": 28, "指标": 36, "时限": 24, "本单位职责": 10}
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _owners(task: Task, role: str) -> str:
    return "、".join(a.unit.name for a in task.assignments.all() if a.role == role)


def _task_cells(task: Task) -> dict[str, object]:
    return {
        "序号": task.number,
        "任务": task.text,
        "牵头单位": _owners(task, Assignment.Role.LEAD),
        "配合单位": _owners(task, Assignment.Role.CO),
        "指标": "\n".join(t.describe() for t in task.targets.all()),
        "时限": "\n".join(f"{m.due_on:%Y-%m-%d} {m.what}".strip() for m in task.milestones.all()),
    }


def _sheet(workbook: Workbook, title: str, heading: str, headers: list[str], rows: list[dict]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    append_row(sheet, [heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_row(sheet, [row[h] for h in headers])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = _WRAP
            cell.border = _BORDER
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, 16)
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(sheet.max_row, 2)}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _save(workbook: Workbook) -> bytes:
    workbook.remove(workbook.worksheets[0])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def breakdown_xlsx(plan: Plan, tasks: list[Task]) -> bytes:
    """`tasks` with details prefetched (selectors.plan_tasks)."""
    workbook = Workbook()
    _sheet(workbook, "任务分解表", f"{plan.title}任务分解表", BREAKDOWN_HEADERS, [_task_cells(t) for t in tasks])
    return _save(workbook)


def unit_list_xlsx(plan: Plan, listing: UnitTasks) -> bytes:
    workbook = Workbook()
    duties = [(t, "牵头") for t in listing.lead] + [(t, "配合") for t in listing.co]
    duties.sort(key=lambda duty: duty[0].number)
    rows = [{**_task_cells(t), "本单位职责": duty} for t, duty in duties]
    _sheet(workbook, "责任清单", f"{listing.unit.name}责任清单（{plan.title}）", UNIT_HEADERS, rows)
    return _save(workbook)
