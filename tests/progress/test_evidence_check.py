"""Evidence files are judged by their content and size, never by their name."""

import pytest

from ecotarget.progress.evidence import EvidenceRejected, check

from .helpers import JPEG, PDF, PNG, ole, ooxml

LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("现场照片.png", PNG, "png"),
        ("现场.JPG", JPEG, "jpg"),
        ("验收报告.pdf", PDF, "pdf"),
        ("方案.docx", ooxml("word/document.xml"), "docx"),
        ("台账.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
        ("旧方案.doc", ole("WordDocument"), "doc"),
        ("旧台账.xls", ole("Workbook"), "xls"),
        ("无扩展名", PDF, "pdf"),
    ],
)
def test_images_pdf_word_and_excel_are_accepted(name, data, kind):
    assert check(name, data, limit=LIMIT) == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("脚本.pdf", b"#!/bin/sh\nrm -rf /\n", "不是可接受的文件类型"),
        ("网页.png", b"<html><script>alert(1)</script></html>", "不是可接受的文件类型"),
        ("伪装.pdf", PNG, "与扩展名 .pdf 不符"),
        ("压缩包.docx", ooxml("other/thing.xml"), "不是可接受的文件类型"),
        ("空.pdf", b"", "空文件"),
        ("大.pdf", PDF + b"0" * LIMIT, "超过"),
        ("未知.doc", ole("SomethingElse"), "不是可接受的文件类型"),
    ],
)
def test_anything_else_is_refused_with_a_reason(name, data, message):
    with pytest.raises(EvidenceRejected, match=message):
        check(name, data, limit=LIMIT)
