"""A unit's score sheet as an .xlsx: every item with its points, score, points lost, the working, the reviewer's
reason and the evidence listed (an item not yet scored: no score, 待评分); the total, grade and rank below, and
any change made after publication with who, when and why. Text goes through `core.sheets.append_row`, so
nothing a unit typed can become a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.timezone import localtime
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ecotarget.core.sheets import append_row

from .models import ScoreChange
from .selectors import Results, Sheet

HEADER = ["序号", "考核内容", "分值", "评分方式", "得分", "扣分", "计分过程", "审核理由", "佐证材料"]


def _number(value):
    return float(value) if value is not None else None


def sheet_xlsx(results: Results, sheet: Sheet, changes: Sequence[ScoreChange] = ()) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "考核得分表"
    scheme = results.scheme
    label = "（预估：如果年度今天结束）" if results.provisional else ""
    append_row(ws, [f"{scheme.title}"])
    append_row(ws, [f"被考核单位：{sheet.assessment.party}　数据截至 {results.day:%Y年%m月%d日}{label}"])
    append_row(ws, HEADER)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for part, lines in sheet.parts:
        append_row(ws, [f"{part.number}、{part.title}"])
        for line in lines:
            result = line.result
            evidence = "；".join(e.original_name for e in line.evidence)
            reason = line.row.review_reason if line.row is not None else ""
            score = result.score if result.counts_in_base or result.kind in ("bonus", "penalty") else None
            if not result.scored:
                score = None
            append_row(
                ws,
                [
                    line.item.number,
                    line.item.content,
                    _number(line.item.points),
                    line.item.kind_label,
                    _number(score),
                    _number(line.lost) if result.counts_in_base and result.scored else None,
                    result.working,
                    reason,
                    evidence,
                ],
            )
    total = sheet.total
    standing = sheet.standing
    append_row(ws, [])
    append_row(ws, ["总分", "", _number(total.full), "", _number(total.final), "", total.working])
    if standing is not None:
        append_row(ws, ["等次", standing.grade, "", "排名", f"{standing.rank}/{standing.of}", "", standing.note])
    if changes:
        append_row(ws, [])
        append_row(ws, ["发布后的得分变更"])
        append_row(ws, ["序号", "考核内容", "原得分", "新得分", "原总分", "新总分", "变更理由", "变更人", "变更时间"])
        for change in changes:
            by = change.changed_by
            append_row(
                ws,
                [
                    change.item.number,
                    change.item.content,
                    _number(change.before),
                    _number(change.after),
                    _number(change.total_before),
                    _number(change.total_after),
                    change.reason,
                    (by.get_full_name() or by.username) if by is not None else "",
                    f"{localtime(change.changed_at):%Y-%m-%d %H:%M}",
                ],
            )
    for column, width in zip("ABCDEFGHI", (8, 36, 7, 12, 8, 8, 60, 30, 30), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
