"""Input that is not a plan raises PlanParseError naming the source, the line and the reason."""

import io
import zipfile

import pytest

from ecotarget.plandoc import PlanParseError, parse_bytes, parse_file, parse_text


def error(text: str) -> PlanParseError:
    with pytest.raises(PlanParseError) as caught:
        parse_text(text, source="plan.txt")
    return caught.value


def test_the_message_reads_source_line_reason():
    e = PlanParseError("plan.txt", 12, "任务5缺少责任单位")
    assert str(e) == "plan.txt:12: 任务5缺少责任单位"
    assert (e.source, e.line, e.reason) == ("plan.txt", 12, "任务5缺少责任单位")
    assert str(PlanParseError("plan.txt", None, "文档为空")) == "plan.txt: 文档为空"
    assert isinstance(e, ValueError)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\u3000\n".encode()])
def test_an_empty_file_is_an_empty_document(data):
    with pytest.raises(PlanParseError) as caught:
        parse_bytes(data, source="empty.txt")
    assert caught.value.line is None
    assert "文档为空" in caught.value.reason and "empty document" in caught.value.reason
    assert str(caught.value).startswith("empty.txt: ")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n" + bytes(64), b"\x00\x01\x02binary\x00", b"GIF89a\x01\x00"],
    ids=["bytes", "png", "nul", "gif"],
)
def test_binary_data_is_not_read_as_text(data):
    with pytest.raises(PlanParseError) as caught:
        parse_bytes(data, source="blob.bin")
    assert "binary" in caught.value.reason


def test_pdf_legacy_word_and_other_zip_files_are_refused_with_their_own_reasons():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    reasons = {}
    for name, data in {
        "pdf": b"%PDF-1.7\n...",
        "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "zip": archive.getvalue(),
        "broken": b"PK\x03\x04broken",
    }.items():
        with pytest.raises(PlanParseError) as caught:
            parse_bytes(data, source=name)
        reasons[name] = caught.value.reason
    assert "PDF" in reasons["pdf"]
    assert ".doc" in reasons["doc"]
    assert "zip" in reasons["zip"]
    assert "corrupt" in reasons["broken"]


def test_a_document_with_no_numbered_tasks():
    e = error("将乐县2022年度生态环境保护工作总结\n今年以来,我县认真贯彻落实。\n全县空气质量持续改善。\n")
    assert e.line is None
    assert "未找到编号任务" in e.reason and "no numbered tasks" in e.reason


def test_units_only_as_subjects_of_sentences_are_not_guessed():
    e = error("1.生态环境局要加强分区管控。\n2.住建局负责推进垃圾分类。\n3.水利局加强水耗控制。\n")
    assert e.line == 1
    assert "未找到责任单位标注" in e.reason and "no responsibility labels found" in e.reason
    assert str(e) == "plan.txt:1: 未找到责任单位标注 (no responsibility labels found)"


def test_a_task_with_no_responsible_unit_is_kept_and_flagged_for_review_not_refused():
    plan = parse_text("某某方案\n1.加强管控。\n责任单位:生态环境局\n2.推进治理。\n3.保护水源。\n责任单位:水利局\n")
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    second = plan.tasks[1]
    assert (second.line, second.text, second.units) == (4, "推进治理。", [])
    assert second.review_reasons == ["未标注责任单位：请在任务编辑页指定牵头单位"]
    assert plan.flagged == [second]
    assert not plan.tasks[0].review_reasons and not plan.tasks[2].review_reasons


def test_a_blank_responsibility_label_is_a_flagged_task_with_no_units():
    plan = parse_text("1.加强管控。\n责任单位:生态环境局\n2.推进治理。\n责任单位:\n\n3.保护水源。\n责任单位:水利局\n")
    second = plan.tasks[1]
    assert (second.number, second.line, second.units) == (2, 3, [])
    assert second.review_reasons and "责任单位" in second.review_reasons[0]


def test_a_repeated_task_number_is_renumbered_in_order_and_flagged():
    plan = parse_text(
        "1.加强管控。\n责任单位:生态环境局\n2.推进治理。\n责任单位:住建局\n2.保护水源。\n责任单位:水利局\n"
    )
    assert [(t.number, t.label, t.text) for t in plan.tasks] == [
        (1, "1.", "加强管控。"),
        (2, "2.", "推进治理。"),
        (3, "2.", "保护水源。"),
    ]
    assert plan.tasks[2].review_reasons == ["任务编号2与第3行的任务重复，已按顺序重新编号"]


def test_a_missing_file_is_a_parse_error_naming_the_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(PlanParseError) as caught:
        parse_file(missing)
    assert caught.value.source == str(missing)
