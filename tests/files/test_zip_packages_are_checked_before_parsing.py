"""A .docx or .xlsx is a zip: what it expands to is checked from its directory before any part is decompressed
(issue 10: a 298 KB .docx as a plan took 280 s and +2.4 GB)."""

import zipfile

import pytest

from ecotarget.files.zips import PLAN_LIMITS, PackageRefused, ZipLimits, check_zip
from ecotarget.plandoc import PlanParseError, extract_text

from .bombs import DOCX_PARTS, zip_with


def test_a_docx_bomb_as_a_plan_is_refused_naming_the_file_and_the_limit(tmp_path):
    bomb = zip_with(tmp_path / "bomb.docx", DOCX_PARTS, padding=("word/media/image1.png", 200))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(PlanParseError) as refused:
        extract_text(bomb.read_bytes(), source="方案.docx")
    message = str(refused.value)
    assert message.startswith("方案.docx: ")
    assert "100 MB" in message and " / " in message


def test_a_part_expanding_far_more_than_documents_do_is_refused_as_a_bomb(tmp_path):
    small_bomb = zip_with(tmp_path / "b.docx", DOCX_PARTS, padding=("word/document2.xml", 5))
    with pytest.raises(PackageRefused, match=r"word/document2\.xml.*压缩比.*zip bomb"):
        check_zip(small_bomb, "b.docx", PLAN_LIMITS)


def test_a_package_of_too_many_entries_is_refused(tmp_path):
    parts = {**DOCX_PARTS, **{f"word/part{i}.xml": b"<x/>" for i in range(30)}}
    package = zip_with(tmp_path / "many.docx", parts)
    with pytest.raises(PackageRefused, match="32 个部件，超过上限 20 个"):
        check_zip(package, "many.docx", ZipLimits(max_entries=20, max_total_bytes=10**9))


def test_a_real_docx_passes_and_reads(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("一、总体要求")
    document.save(tmp_path / "plan.docx")
    data = (tmp_path / "plan.docx").read_bytes()
    assert len(check_zip(data, "plan.docx", PLAN_LIMITS)) > 3
    assert "一、总体要求" in extract_text(data, source="plan.docx")


def test_a_damaged_zip_is_still_called_damaged():
    with pytest.raises(PlanParseError, match="Word 文件已损坏"):
        extract_text(b"PK\x03\x04" + b"\x00" * 200, source="坏.docx")
    with pytest.raises(zipfile.BadZipFile):
        check_zip(b"PK\x03\x04" + b"\x00" * 200, "坏.docx", PLAN_LIMITS)
