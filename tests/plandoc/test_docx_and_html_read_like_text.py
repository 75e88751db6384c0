"""A .docx and an .html page saved from a government site give the same plan as the published text."""

import io
import re

import pytest
from docx import Document

from ecotarget.plandoc import extract_text, parse_bytes, parse_file, parse_text
from ecotarget.samples import JIANGLE_2022_PLAN

from .helpers import without_lines

SITE_KEYS = ("索 引 号", "备注/文号", "发布机构", "公文生成日期")


def _sample_parts() -> tuple[dict[str, str], list[str]]:
    metadata: dict[str, str] = {}
    body = []
    for line in JIANGLE_2022_PLAN.read_text(encoding="utf-8").splitlines():
        key = next((k for k in SITE_KEYS if line.startswith(f"- {k}")), None)
        if key:
            metadata[key] = line.split(":", 1)[1].strip()
        elif line.strip() and line.strip() != "扫一扫在手机上查看当前页面":
            body.append(line)
    return metadata, body


def sample_docx() -> bytes:
    """The sample as a Word file: the site metadata as a two-column table, then one paragraph per line."""
    metadata, body = _sample_parts()
    document = Document()
    table = document.add_table(rows=0, cols=4)
    keys = list(metadata)
    for i in range(0, len(keys), 2):
        cells = table.add_row().cells
        for j, key in enumerate(keys[i : i + 2]):
            cells[2 * j].text = key + ":"
            cells[2 * j + 1].text = metadata[key]
    for line in body:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_html() -> bytes:
    """The sample as a county government site serves it: nav, metadata table, article, QR widget, footer."""
    metadata, body = _sample_parts()
    rows = "".join(f"<tr><td class='t'>{key}：</td><td>{metadata[key]}</td></tr>" for key in metadata)
    paragraphs = "\n".join(f"<p style='text-indent:2em'>{line}</p>" for line in body)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>将乐县人民政府办公室关于印发将乐县2022年度党政领导生态环境保护目标责任书分解方案的通知_将乐县人民政府</title>
<style>.t {{ width: 90px }} p {{ line-height: 2 }}</style>
<script>var _hmt = _hmt || []; document.write("1.统计代码 责任单位:脚本");</script></head>
<body>
<header class="top"><div class="logo">将乐县人民政府</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></nav></header>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府文件</div>
<div class="article">
<table class="xxgk-info">{rows}</table>
<div class="content">
{paragraphs}
</div>
<div class="share"><span>扫一扫在手机上查看当前页面</span><img src="qr.png" alt=""></div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<footer><p>主办单位：将乐县人民政府办公室 承办单位：将乐县融媒体中心</p>
<p>网站标识码：3504280001 闽ICP备05012345号 闽公网安备 35042802000101号</p></footer>
</body></html>"""
    return page.encode("utf-8")


@pytest.fixture(scope="module")
def from_text():
    return without_lines(parse_file(JIANGLE_2022_PLAN))


def test_a_docx_of_the_sample_parses_to_the_same_plan_as_the_text(from_text):
    assert without_lines(parse_bytes(sample_docx(), source="将政办〔2022〕13号.docx")) == from_text


def test_an_html_page_of_the_sample_parses_to_the_same_plan_as_the_text(from_text):
    assert without_lines(parse_bytes(sample_html(), source="t20220222_1.htm")) == from_text


def test_a_gb2312_page_is_decoded_by_its_declared_charset(from_text):
    page = sample_html().decode("utf-8").replace('charset="utf-8"', 'charset="gb2312"').encode("gb18030")
    assert without_lines(parse_bytes(page, source="gbk.htm")) == from_text


def test_the_kind_of_file_is_told_by_content_not_name(from_text):
    assert without_lines(parse_bytes(sample_docx(), source="下载.htm")) == from_text
    assert without_lines(parse_bytes(sample_html(), source="方案.txt")) == from_text


def test_html_text_drops_scripts_styles_and_navigation_and_keeps_blocks_as_lines():
    text = extract_text(sample_html(), source="page.htm")
    assert "统计代码" not in text and "line-height" not in text and "办事服务" not in text
    assert "将乐县2022年度党政领导生态环境保护目标责任书分解方案" in text.splitlines()
    assert "1.加强生态环境分区管控,推进“三线一单”成果应用。" in text.splitlines()
    assert re.search(r"^索 引 号：\tsm09101-0120-2022-00013$", text, re.M)


def test_docx_text_holds_paragraphs_and_table_rows_with_tab_separated_cells():
    text = extract_text(sample_docx(), source="plan.docx")
    lines = text.splitlines()
    assert lines[0] == "索 引 号:\tsm09101-0120-2022-00013\t备注/文号:\t将政办〔2022〕13 号"
    assert "责任单位:生态环境局,自然资源局" in lines


def test_html_tables_with_merged_cells_repeat_a_shared_unit_for_every_row_it_spans():
    page = """<html><body><p>某某县2023年生态环境保护任务分解表</p><table>
    <tr><th>序号</th><th>任务</th><th>牵头单位</th></tr>
    <tr><td colspan="3">一、大气污染防治</td></tr>
    <tr><td>1</td><td>加强扬尘管控</td><td rowspan="2">住建局</td></tr>
    <tr><td>2</td><td>推进道路保洁</td></tr>
    </table></body></html>""".encode()
    plan = parse_bytes(page, source="table.html")
    assert [(t.number, t.section, [u.name for u in t.units]) for t in plan.tasks] == [
        (1, "大气污染防治", ["住建局"]),
        (2, "大气污染防治", ["住建局"]),
    ]


def test_word_list_numbering_that_is_not_in_the_text_is_restored():
    document = Document()
    document.add_paragraph("某某县2023年生态环境保护目标责任书分解方案")
    for text, unit in (("加强扬尘管控。", "住建局"), ("推进VOCs治理。", "生态环境局")):
        document.add_paragraph(text, style="List Number")
        document.add_paragraph(f"责任单位:{unit}")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = extract_text(buffer.getvalue(), source="numbered.docx").splitlines()
    assert lines[1] == "1.加强扬尘管控。" and lines[3] == "2.推进VOCs治理。"
    plan = parse_bytes(buffer.getvalue(), source="numbered.docx")
    assert [(t.number, t.units[0].name) for t in plan.tasks] == [(1, "住建局"), (2, "生态环境局")]


def test_text_in_any_common_encoding_reads_the_same(from_text):
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    for data in (text.encode("gb18030"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        assert without_lines(parse_bytes(data, source="plan.txt")) == from_text
    assert without_lines(parse_text(text)) == from_text


def test_an_old_page_laid_out_with_a_table_reads_its_article_paragraph_by_paragraph():
    lines = ["某某县2023年生态环境保护目标责任书分解方案", "1.加强扬尘管控。", "责任单位:住建局", "2.推进治理。"]
    body = "".join(f"<p>{line}</p>" for line in [*lines, "责任单位:生态环境局"])
    page = f"<html><body><table><tr><td><a>首页</a><br><a>政务公开</a></td><td>{body}</td></tr></table></body></html>"
    plan = parse_bytes(page.encode(), source="old.htm")
    assert [(t.text, t.units[0].name) for t in plan.tasks] == [
        ("加强扬尘管控。", "住建局"),
        ("推进治理。", "生态环境局"),
    ]
