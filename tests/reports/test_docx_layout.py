"""The written report as Word reads it back: GB/T 9704-2012 page, margins, fonts by level, page numbers and real
Word tables. Where LibreOffice is installed the file is also rendered to PDF and its first page saved as an
image for a person to look at (not asserted)."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from ecotarget.reports.docx import report_docx
from ecotarget.reports.services import written_report_generate
from reports.files import docx

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def version(half_year, personas):
    return written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=date(2022, 7, 8))[0]


@pytest.fixture
def content(version) -> bytes:
    return report_docx(version, issuer="将乐县人民政府", signed_on=date(2022, 7, 8))


@pytest.fixture
def document(content):
    return docx(content)


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph(document, starts: str):
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def test_the_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm]
    assert [round(m) for m in margins] == [37, 35, 28, 26]
    # 版心 156 mm × 225 mm
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225


def test_the_title_is_2hao_xiaobiaosong_centred(document, version):
    title = document.paragraphs[0]
    assert title.text == version.title == "将乐县2022年上半年生态环境保护目标责任书落实情况的报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22) and east_asian(title.runs[0]) == "方正小标宋简体"


def test_headings_use_heiti_kaiti_and_bold_fangsong_by_level(document):
    level1 = paragraph(document, "一、总体情况").runs[0]
    assert east_asian(level1) == "黑体" and level1.font.size == Pt(16)
    level2 = paragraph(document, "（一）").runs[0]
    assert east_asian(level2) == "楷体_GB2312" and not level2.font.bold
    level3 = paragraph(document, "1. 任务12（住建局）")
    assert level3.runs[0].text == "1. 任务12（住建局）。" and level3.runs[0].font.bold
    assert east_asian(level3.runs[0]) == "仿宋_GB2312" and not level3.runs[1].font.bold


def test_the_body_is_3hao_fangsong_at_a_fixed_28_95_point_line(document):
    body = paragraph(document, "2022年上半年，将乐县对照")
    assert east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28.95)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_page_numbers_are_dashed_odd_on_the_right_even_on_the_left(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, "left")):
        number = footer.paragraphs[0]
        xml = number._element.xml
        assert number.text.startswith("— ") and number.text.endswith(" —")
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert east_asian(number.runs[0]) == "宋体" and number.runs[0].font.size == Pt(14)
        if align == "left":
            assert number.alignment == WD_ALIGN_PARAGRAPH.LEFT
        else:
            assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_the_tables_are_word_tables_with_the_drafted_contents(document, version):
    tasks, indicators, lagging = document.tables
    assert [c.text for c in indicators.rows[0].cells] == ["任务", "指标", "目标", "当前值", "是否达标", "来源"]
    assert [[c.text for c in row.cells] for row in indicators.rows[1:]] == version.tables["indicators"]["rows"]
    assert len(tasks.rows) == 65 and tasks.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    twelve = next(row for row in lagging.rows[1:] if row.cells[0].text == "12")
    assert twelve.cells[2].text == "住建局" and twelve.cells[4].text in {"滞后", "严重滞后", "逾期未完成"}
    cell_run = indicators.rows[1].cells[1].paragraphs[0].runs[0]
    assert east_asian(cell_run) == "仿宋_GB2312" and cell_run.font.size == Pt(12)


def test_the_report_ends_with_the_issuer_and_an_arabic_date(document):
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[-2:] == ["将乐县人民政府", "2022年7月8日"]


def test_where_libreoffice_is_installed_the_first_page_is_rendered_for_a_person_to_look_at(content, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed: no PDF rendering")
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 renders the PDF page to an image")
    from .png import write_png

    bitmap = pdfium.PdfDocument(str(pdf))[0].render(scale=1.5)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    write_png(SCREENSHOTS / "report-first-page.png", bitmap.to_numpy()[:, :, 2::-1])
