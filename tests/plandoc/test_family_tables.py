"""任务分解表 in every form: Word tables, Excel sheets, HTML tables and tables flattened into text. Columns are
found by their header words in any order, with or without a deadline column; merged cells and stray spaces
inside a cell change nothing."""

import io

from docx import Document
from openpyxl import Workbook

from ecotarget.plandoc import parse_bytes, parse_text

from .helpers import units

TITLE = "溪口县2025年度生态环境保护目标责任分解表"
HEADER = ["序号", "工作任务", "具体措施", "牵头单位", "参与单位", "完成时限"]
ROWS = [
    ["1", "水环境", "完成城区雨污分流改 造", "县住建局", "县水利局、溪口镇", "2025年10月底前"],
    ["2", "", "开展入河排污口整治", "县生态环境局", "", "2025年6月底前"],
    ["3", "土壤", "推进受污染耕地安全利用", "县农业农村局", "县自然资源局", ""],
]


def _expected(plan):
    assert [t.text for t in plan.tasks] == [
        "水环境:完成城区雨污分流改造",
        "水环境:开展入河排污口整治",
        "土壤:推进受污染耕地安全利用",
    ]
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("水利局", "co"), ("溪口镇", "co")]
    assert units(plan.tasks[1]) == [("生态环境局", "lead")]
    assert units(plan.tasks[2]) == [("农业农村局", "lead"), ("自然资源局", "co")]
    assert [[d.date.isoformat() for d in t.deadlines] for t in plan.tasks] == [["2025-10-31"], ["2025-06-30"], []]
    assert [u.source for u in plan.tasks[0].units] == ["表格列“牵头单位”", "表格列“参与单位”", "表格列“参与单位”"]


def test_a_table_flattened_into_text_with_spaces_loses_its_empty_cells_but_not_its_columns():
    lines = [TITLE, "  ".join(HEADER)]
    lines += ["  ".join(cell for cell in row if cell) for row in ROWS]
    _expected(parse_text("\n".join(lines)))


def test_a_header_with_single_spaces_and_cells_separated_by_tabs():
    lines = [TITLE, " ".join(HEADER)] + ["\t".join(row) for row in ROWS]
    _expected(parse_text("\n".join(lines)))


def test_a_word_table_with_a_vertically_merged_task_cell():
    document = Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    for c, word in enumerate(HEADER):
        table.cell(0, c).text = word
    for r, row in enumerate(ROWS, start=1):
        for c, cell in enumerate(row):
            if cell:
                table.cell(r, c).text = cell
    table.cell(1, 1).merge(table.cell(2, 1))  # 水环境 spans tasks 1 and 2
    buffer = io.BytesIO()
    document.save(buffer)
    _expected(parse_bytes(buffer.getvalue(), source="分解表.docx"))


def test_an_excel_sheet_with_a_merged_task_cell():
    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([int(row[0]), *[cell or None for cell in row[1:]]])
    sheet.merge_cells("B3:B4")
    buffer = io.BytesIO()
    book.save(buffer)
    _expected(parse_bytes(buffer.getvalue(), source="分解表.xlsx"))


def test_an_html_table_with_a_row_spanning_cell():
    cells = "".join(f"<th>{w}</th>" for w in HEADER)
    body = (
        "<tr><td>1</td><td rowspan='2'>水环境</td><td>完成城区雨污分流改 造</td><td>县住建局</td>"
        "<td>县水利局、溪口镇</td><td>2025年10月底前</td></tr>"
        "<tr><td>2</td><td>开展入河排污口整治</td><td>县生态环境局</td><td></td><td>2025年6月底前</td></tr>"
        "<tr><td>3</td><td>土壤</td><td>推进受污染耕地安全利用</td><td>县农业农村局</td><td>县自然资源局</td>"
        "<td></td></tr>"
    )
    page = f"<html><body><h1>{TITLE}</h1><table><tr>{cells}</tr>{body}</table></body></html>"
    _expected(parse_bytes(page.encode("utf-8"), source="分解表.html"))


def test_columns_in_another_order_named_by_other_words_and_no_deadline_column():
    plan = parse_text(
        "\n".join(
            [
                TITLE,
                "编号\t主办单位\t协办单位\t重点工作",
                "1\t县交通运输局\t县公安局\t治理超限超载车辆",
                "2\t县城管局\t\t整治露天烧烤",
            ]
        )
    )
    assert [(t.text, units(t)) for t in plan.tasks] == [
        ("治理超限超载车辆", [("交通运输局", "lead"), ("公安局", "co")]),
        ("整治露天烧烤", [("城管局", "lead")]),
    ]
    assert all(not t.deadlines for t in plan.tasks)


def test_a_responsibility_column_beside_lead_and_co_columns():
    plan = parse_text(
        "\n".join(
            [
                TITLE,
                "序号 工作任务 牵头单位 配合单位 责任单位 完成时限",
                "1\t建设乡镇污水处理站\t县住建局\t县发改局\t各乡镇\t年底前",
            ]
        )
    )
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("发改局", "co"), ("各乡(镇)", "co")]
    assert plan.tasks[0].deadlines[0].date.isoformat() == "2025-12-31"


def test_header_words_outside_the_list_are_read_by_what_they_say():
    plan = parse_text(
        "\n".join(
            [
                TITLE,
                "序号\t主要工作任务\t牵头领导\t牵头部门(单位)\t配合责任部门\t完成时间节点",
                "1\t开展城区噪声污染整治\t李副县长\t县公安局\t县住建局、县城管局\t2025年8月底前",
            ]
        )
    )
    task = plan.tasks[0]
    assert task.text == "开展城区噪声污染整治"
    assert units(task) == [("公安局", "lead"), ("住建局", "co"), ("城管局", "co")]
    assert [d.date.isoformat() for d in task.deadlines] == ["2025-08-31"]


def test_a_word_cell_listing_one_unit_per_line_keeps_them_apart():
    document = Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=2, cols=3)
    for c, word in enumerate(["序号", "工作任务", "责任单位"]):
        table.cell(0, c).text = word
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "推进城区污水处理厂"
    table.cell(1, 1).add_paragraph("提标改造")
    table.cell(1, 2).text = "县住建局"
    table.cell(1, 2).add_paragraph("县发改局")
    buffer = io.BytesIO()
    document.save(buffer)
    task = parse_bytes(buffer.getvalue(), source="分解表.docx").tasks[0]
    assert task.text == "推进城区污水处理厂提标改造"
    assert units(task) == [("住建局", "lead"), ("发改局", "co")]
