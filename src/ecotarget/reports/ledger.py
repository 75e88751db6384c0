"""The ledger (台账) as .xlsx: a first sheet (说明) that says when it was made and what it covers, then one sheet
per section, every task with every report and its reviews, frozen headers and filters; for one unit, its tasks
and its own reports."""

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ecotarget.core.numbers import plain_number
from ecotarget.core.people import display_name
from ecotarget.core.sheets import append_row

from .drafting import long_date
from .selectors import Ledger, co_names, lead_names

COLUMNS = [
    ("任务序号", 8),
    ("任务内容", 48),
    ("牵头单位", 14),
    ("配合单位", 18),
    ("完成时限", 14),
    ("指标", 28),
    ("填报周期", 14),
    ("报送单位", 12),
    ("角色", 6),
    ("报告状态", 9),
    ("推进情况", 9),
    ("完成比例（%）", 10),
    ("工作进展", 40),
    ("存在问题", 28),
    ("下步打算", 28),
    ("指标当前值", 24),
    ("报送时间", 17),
    ("逾期报送", 8),
    ("审核人", 10),
    ("审核时间", 17),
    ("审核意见", 24),
    ("报送与审核记录", 48),
]
WRAPPED = [i for i, (_, width) in enumerate(COLUMNS, start=1) if width >= 24]
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _sheet_title(heading: str, used: set[str]) -> str:
    title = BAD_SHEET_CHARS.sub("", heading)[:28] or "章节"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title[:26]}{n}", n + 1
    used.add(candidate)
    return candidate


ABOUT_SHEET = "说明"


def _about(workbook: Workbook, data: Ledger) -> None:
    """What the ledger is, the day it was made and what it covers, so a copy read months later says so."""
    sheet = workbook.create_sheet(ABOUT_SHEET)
    day = long_date(data.as_of)
    periods = [r.period for _, tasks in data.sections for item in tasks for r in item.reports]
    labels = list(dict.fromkeys(p.label for p in sorted(periods, key=lambda p: p.number)))
    rows = [
        ("台账", f"{data.plan.title}{'（' + data.plan.doc_number + '）' if data.plan.doc_number else ''}"),
        ("范围", data.unit.name + "承担的任务及其报送的报告" if data.unit else "全部任务、全部责任单位"),
        ("制表日期", day),
        ("数据截至", f"{day}：含截至该日已报送的进展报告（不含草稿）及该日以前的报送、审核记录"),
        ("包含周期", f"{labels[0]}至{labels[-1]}" if labels else "暂无已报送的报告"),
    ]
    for row in rows:
        append_row(sheet, row)
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 80


def ledger_xlsx(data: Ledger) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    _about(workbook, data)
    used: set[str] = {ABOUT_SHEET}
    for heading, tasks in data.sections:
        sheet = workbook.create_sheet(_sheet_title(heading, used))
        append_row(sheet, [name for name, _ in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = BORDER
        for index, (_, width) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for item in tasks:
            task = item.task
            leads = {a.unit_id for a in task.assignments.all() if a.role == "lead"}
            base = [
                task.number,
                task.text,
                lead_names(task),
                co_names(task),
                "、".join(f"{m.due_on:%Y-%m-%d}" for m in task.milestones.all()),
                "；".join(t.describe() for t in task.targets.all()),
            ]
            if not item.reports:
                append_row(sheet, base + ["（无报告）"] + [""] * (len(COLUMNS) - len(base) - 1))
                continue
            for report in item.reports:
                events = data.events.get(report.pk, [])
                append_row(
                    sheet,
                    [
                        *base,
                        report.period.label,
                        report.unit.name,
                        "牵头" if report.unit_id in leads or report.is_lead else "配合",
                        report.get_state_display(),
                        report.get_progress_display(),
                        report.percent,
                        report.work_done,
                        report.problems,
                        report.next_steps,
                        "；".join(
                            f"{v.target.metric} {plain_number(v.value)}（{v.as_of:%m-%d}）" for v in report.values.all()
                        ),
                        _time(report.submitted_at),
                        "是" if report.late else "",
                        display_name(report.reviewed_by),
                        _time(report.reviewed_at),
                        report.review_comment,
                        "\n".join(
                            f"{_time(e.at)} {display_name(e.user)} {e.get_action_display()}"
                            + (f"：{e.comment}" if e.comment else "")
                            for e in events
                        ),
                    ],
                )
        # Only the long-text columns wrap: styling every cell of a year's ledger would double its export time.
        for index in WRAPPED:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = WRAP
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
        sheet.print_title_rows = "1:1"
    if workbook.sheetnames == [ABOUT_SHEET]:
        sheet = workbook.create_sheet("台账")
        append_row(sheet, [name for name, _ in COLUMNS])
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
