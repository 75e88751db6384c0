"""A written report as .docx in the official document layout of GB/T 9704-2012 《党政机关公文格式》.

Figures from the standard (section numbers of GB/T 9704-2012):
- 5.2.1 paper A4, 210 mm × 297 mm.
- 5.2.2 天头 (top margin) 37 mm ± 1 mm, 订口 (left margin) 28 mm ± 1 mm, 版心 156 mm × 225 mm, hence a right
  margin of 210 − 28 − 156 = 26 mm and a bottom margin of 297 − 37 − 225 = 35 mm.
- 5.2.3 body text 3号仿宋 (16 pt); 22 lines of 28 characters per page, i.e. 225 mm / 22 ≈ 28.95 pt a line:
  we set an exact line spacing of 28.95 pt. (The 28 characters a line come from Word's document grid, which we
  leave at the default: the text width is the 156 mm of the standard.)
- 7.2 title 2号小标宋体 (22 pt), centred, may run over several lines.
- 7.3.3 headings: level 1 黑体 "一、", level 2 楷体 "（一）", level 3 仿宋 "1." (bold by common practice), level 4
  仿宋 "（1）".
- 7.5 page numbers 4号半角宋体 Arabic numerals (14 pt) with a dash (一字线) each side, "— 1 —", 7 mm below the
  版心; odd pages right-aligned and even pages left-aligned, each one character in from the edge: done with
  Word's different odd/even footers.
- 7.3.5.3 成文日期 in Arabic numerals, e.g. 2022年7月8日.

Fonts are referenced by name only (the reader's Word or WPS has them); nothing is embedded or fetched. The East
Asian font must be set in w:rFonts/@w:eastAsia: python-docx's `font.name` sets only ascii/hAnsi.
"""

import io
import re
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .drafting import long_date
from .models import ReportVersion

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小4号: tables are set smaller so that six columns fit the 156 mm line
LINE = Pt(28.95)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)

LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")
LEVEL3 = re.compile(r"^\d+[.．]\s*")


def _fonts(run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)


def _paragraph(container, *, align=None, indent: bool = True, line=LINE):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 3号
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _body_line(document, text: str) -> None:
    """One line of a section's text, styled by its numbering: （一） 楷体, 1. 仿宋 bold run-in, else 仿宋."""
    paragraph = _paragraph(document)
    if LEVEL2.match(text):
        _fonts(paragraph.add_run(text), H2_FONT, BODY_SIZE)
        return
    if LEVEL3.match(text):
        # The heading of a level-3 item is its first sentence; the rest of the paragraph runs on in plain 仿宋.
        cut = next((i + 1 for i, ch in enumerate(text) if ch in "。："), len(text))
        if cut < len(text) and cut <= 40:
            _fonts(paragraph.add_run(text[:cut]), BODY_FONT, BODY_SIZE, bold=True)
            _fonts(paragraph.add_run(text[cut:]), BODY_FONT, BODY_SIZE)
            return
    _fonts(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def _cell_text(cell, text: str, *, header: bool) -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if header:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run(text), H1_FONT if header else BODY_FONT, TABLE_SIZE)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _table(document, table: dict) -> None:
    rows = table.get("rows") or []
    columns = table["columns"]
    word = document.add_table(rows=1 + len(rows), cols=len(columns))
    word.style = "Table Grid"
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(word.rows[0].cells, columns, strict=True):
        _cell_text(cell, name, header=True)
    _repeat_header(word.rows[0])
    for row, values in zip(word.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, str(value), header=False)
    _paragraph(document, indent=False)  # a blank line after the table


def _page_number(footer, *, align) -> None:
    """ "— N —" with a PAGE field, one character in from the edge (odd right, even left)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    _fonts(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "1"), ("end", "")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _fonts(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.gutter = Mm(0)
    # The page number sits 7 mm below the 版心: the footer's bottom at 35 − 7 − one 4号 line (≈5 mm) from the edge.
    section.footer_distance = Mm(23)
    section.header_distance = Mm(15)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, align=WD_ALIGN_PARAGRAPH.LEFT)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)


def report_docx(version: ReportVersion, *, issuer: str, signed_on: date) -> bytes:
    """The version as a Word document: title (and, for a forecast, the note that says so), sections with their
    tables, the issuer and the 成文日期 `signed_on`."""
    document = Document()
    _page_setup(document)
    document.core_properties.title = version.title
    document.core_properties.author = issuer
    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=Pt(35))
    _fonts(title.add_run(version.title), TITLE_FONT, TITLE_SIZE)
    if version.provisional:
        # Like （征求意见稿）, the status of a draft goes in brackets under the title, in 楷体.
        note = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _fonts(note.add_run(f"（预报稿，数据截至{long_date(version.as_of)}）"), H2_FONT, BODY_SIZE)
    _paragraph(document, indent=False)  # one blank line between title and body (GB/T 9704 7.3.1)
    for section in version.sections:
        heading = _paragraph(document)
        _fonts(heading.add_run(section["heading"]), H1_FONT, BODY_SIZE)
        for line in section["text"].splitlines():
            if line.strip():
                _body_line(document, line.strip())
        table = version.tables.get(section.get("table") or "")
        if table and table.get("rows"):
            _table(document, table)
    _paragraph(document, indent=False)
    for text in (issuer, long_date(signed_on)):
        paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(64)  # 成文日期右空四字 (GB/T 9704 7.3.5.1)
        _fonts(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
