"""The county's assessment report (考核结果报告) as .docx, in the layout of GB/T 9704-2012 as the written reports
set it (`reports.docx`: A4, 37/35/28/26 mm margins, 2号小标宋 title, 3号仿宋 body on a 28.95 pt line, 黑体 level-1
headings; the fonts and figures are taken from there). Before the year is over, or before approval, it says under
its title that it is a forecast (预估稿), as the written reports do.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from ecotarget.reports.docx import (
    BODY_FONT,
    BODY_SIZE,
    BOTTOM,
    H1_FONT,
    LEFT,
    LINE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TABLE_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    TOP,
)
from ecotarget.scoring.numbers import plain

from .selectors import Results

NUMERALS = "一二三四五六七八九十"
TABLE_HEADER = ("名次", "单位", "基本分", "折算得分", "加分", "扣分", "总分", "等次")


def _run(paragraph, text: str, font: str, size: Pt, *, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _paragraph(
    document, text: str, *, font: str = BODY_FONT, size: Pt = BODY_SIZE, align=None, indent=True, bold: bool = False
):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, font, size, bold=bold)
    return paragraph


def _table(document, rows: Sequence[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, value, H1_FONT if r == 0 else BODY_FONT, TABLE_SIZE)


def _long_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def report_docx(results: Results, *, issuer: str, signed_on: date, final: bool) -> bytes:
    """The report of the scheme's results: the overall picture, each group's table, where points were lost."""
    scheme = results.scheme
    plan = scheme.plan
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    title = f"关于{plan.year}年度党政领导生态环境保护目标责任书考核结果的报告"
    _paragraph(document, title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if not final:
        note = f"（预估稿：数据截至{_long_date(results.day)}，尚未审批发布）"
        _paragraph(document, note, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "")
    groups = results.groups()
    count = sum(len(sheets) for _, sheets in groups)
    grades = Counter(s.standing.grade for _, sheets in groups for s in sheets if s.standing)
    _paragraph(
        document,
        f"根据《{scheme.title}》，对{count}个责任单位{plan.year}年度生态环境保护目标责任落实情况进行了考核"
        f"{'' if final else '（年度尚未结束或结果尚未审批，以下为预估结果）'}。现将考核结果报告如下。",
    )
    numeral = iter(NUMERALS)
    _paragraph(document, f"{next(numeral)}、总体情况", font=H1_FONT)
    parts = "，".join(f"{label}{len(sheets)}个" for label, sheets in groups)
    spread = "、".join(f"{grade}{n}个" for grade, n in grades.items())
    _paragraph(document, f"参加考核的单位中，{parts}。考核等次：{spread}。")
    vetoed = [s.assessment.party for _, sheets in groups for s in sheets if s.total.vetoed]
    if vetoed:
        _paragraph(document, f"{'、'.join(vetoed)}因一票否决事项，考核结果为不合格。")
    for label, sheets in groups:
        _paragraph(document, f"{next(numeral)}、{label}考核结果", font=H1_FONT)
        rows: list[tuple[str, ...]] = [TABLE_HEADER]
        for s in sheets:
            assert s.standing is not None
            t = s.total
            rows.append(
                (
                    str(s.standing.rank),
                    s.assessment.party,
                    f"{plain(t.base_score)}/{plain(t.base_points)}",
                    plain(t.converted),
                    plain(t.bonus),
                    plain(t.penalty),
                    plain(t.final),
                    s.standing.grade,
                )
            )
        _table(document, rows)
    lost: dict[str, Decimal] = defaultdict(Decimal)
    units: dict[str, int] = Counter()
    for _, sheets in groups:
        for s in sheets:
            for line in s.lines:
                if line.result.counts_in_base and line.lost > 0:
                    key = f"{line.item.number}. {line.item.content}"
                    lost[key] += line.lost
                    units[key] += 1
    if lost:
        _paragraph(document, f"{next(numeral)}、主要失分情况", font=H1_FONT)
        for key, points in sorted(lost.items(), key=lambda kv: -kv[1])[:8]:
            _paragraph(document, f"{key}：{units[key]}个单位失分，合计 {plain(points)} 分。")
    _paragraph(document, "")
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, _long_date(signed_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
