"""Metadata read from the document itself when no site block gives it."""

from datetime import date

from ecotarget.plandoc import parse_text

BODY = "1.加强扬尘管控。\n责任单位:住建局\n"


def test_title_number_issuer_and_date_come_from_the_document_lines():
    plan = parse_text(
        "三明市生态环境局\n明环〔2023〕 12号\n三明市2023年度生态环境保护重点任务分工方案\n"
        + BODY
        + "三明市生态环境局\n2023年4月6日\n"
    )
    meta = plan.meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.issued_on, meta.year, meta.region) == (
        "三明市2023年度生态环境保护重点任务分工方案",
        "明环〔2023〕12号",
        "三明市生态环境局",
        date(2023, 4, 6),
        2023,
        "三明市",
    )


def test_a_notice_title_gives_the_plan_title_it_issues():
    plan = parse_text("泰宁县人民政府办公室关于印发泰宁县2023年生态环境保护目标责任分解方案的通知\n" + BODY)
    assert plan.meta.title == "泰宁县2023年生态环境保护目标责任分解方案"


def test_the_region_is_the_most_specific_place_leading_the_title():
    plan = parse_text("福建省三明市将乐县2023年生态环境保护目标责任书分解方案\n" + BODY)
    assert plan.meta.region == "将乐县"


def test_without_a_year_in_the_title_the_issue_date_gives_the_year():
    plan = parse_text("将乐县生态环境保护目标责任书分解方案\n二〇二三年五月八日\n" + BODY)
    assert plan.meta.issued_on == date(2023, 5, 8)
    assert plan.meta.year == 2023


def test_a_plan_that_states_nothing_has_empty_metadata():
    meta = parse_text(BODY).meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.issued_on, meta.year, meta.region) == (
        "",
        "",
        "",
        None,
        None,
        "",
    )
