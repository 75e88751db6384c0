"""Full- and half-width punctuation read alike; site chrome is metadata or nothing, never a task."""

from datetime import date

import pytest

from ecotarget.plandoc import parse_file, parse_text
from ecotarget.samples import JIANGLE_2022_PLAN

from .helpers import without_lines


@pytest.fixture(scope="module")
def sample():
    return without_lines(parse_file(JIANGLE_2022_PLAN))


def _sample_text() -> str:
    return JIANGLE_2022_PLAN.read_text(encoding="utf-8")


def test_full_width_punctuation_reads_like_half_width(sample):
    text = _sample_text().replace(",", "，").replace(":", "：").replace("(", "（").replace(")", "）")
    assert without_lines(parse_text(text)) == sample


def test_windows_line_ends_and_indentation_change_nothing(sample):
    text = "\r\n".join("\u3000\u3000" + line for line in _sample_text().splitlines())
    assert without_lines(parse_text(text)) == sample


def test_the_qr_widget_glued_to_the_last_paragraph_is_dropped(sample):
    lines = _sample_text().splitlines()
    glued = "\n".join([*lines[:-2], lines[-2] + lines[-1]])
    assert glued.endswith("继续履行。扫一扫在手机上查看当前页面")
    assert without_lines(parse_text(glued)) == sample


def test_site_metadata_lines_fill_the_metadata_and_are_not_tasks():
    plan = parse_text(
        """索 引 号：sm09101-0120-2023-00001\t主题分类：环境保护
文　　号：泰政办〔2023〕 7 号
发布机构：泰宁县人民政府办公室
成文日期：2023年3月1日
泰宁县2023年度生态环境保护目标责任书分解方案
1.加强扬尘管控。
责任单位:住建局
【打印本页】【关闭窗口】
"""
    )
    assert plan.meta.doc_number == "泰政办〔2023〕7号"
    assert plan.meta.issuer == "泰宁县人民政府办公室"
    assert plan.meta.issued_on == date(2023, 3, 1)
    assert plan.meta.region == "泰宁县"
    assert len(plan.tasks) == 1 and plan.tasks[0].text == "加强扬尘管控。"
