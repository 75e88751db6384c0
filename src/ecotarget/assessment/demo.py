"""The demo 评分细则 for the sample plan (将乐县 2022), written for ecotarget in the style of published
党政领导生态环境保护目标责任书考核办法 (e.g. the Fujian cities'): parts that follow the letter's sections, measured
items losing points by the gap or by the month, work items by completion, a bonus, a penalty and a veto.
It is our own text, not a copy of any county's scheme.

`demo_workbook` writes it as the .xlsx an office would upload (the import page offers it as a template), so the
demo goes through the same import as a real scheme.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from ecotarget.core.sheets import append_row

TITLE = "将乐县2022年度党政领导生态环境保护目标责任书考核评分细则（演示）"
HEADER = ("序号", "考核内容", "分值", "评分标准", "牵头单位", "责任单位")
TOWNSHIPS = "各乡(镇)人民政府"
COMPLETION = "全面完成年度任务得满分，部分完成按完成比例得分，未完成不得分；逾期完成扣1分"

ROWS: list[tuple[str, str, str, str, str, str]] = [
    ("一", "坚持绿色发展", "15", "", "", ""),
    ("1", "落实能耗“双控”制度，遏制“两高”项目盲目发展", "5", COMPLETION, "发改局", "工信局、开发区"),
    ("2", "推进生活垃圾分类", "5", COMPLETION, "住建局", ""),
    ("3", "完成新能源汽车推广应用年度任务", "5", COMPLETION, "交通局", ""),
    ("二", "改善环境质量", "45", "", "", ""),
    (
        "4",
        "PM2.5浓度",
        "8",
        "未达到年度目标值的，按差距每差1微克/立方米扣0.5分，扣完为止",
        "生态环境局",
        TOWNSHIPS,
    ),
    ("5", "PM10浓度", "6", "未达到年度目标值的，按差距每差1微克/立方米扣0.5分，扣完为止", "生态环境局", TOWNSHIPS),
    (
        "6",
        "空气质量优良天数比例",
        "8",
        "未达到年度目标值的，优良天数比率每差1个百分点扣0.25分，扣完为止",
        "生态环境局",
        TOWNSHIPS,
    ),
    (
        "7",
        "流域水质优良比例",
        "10",
        "考核断面每月次不达标扣5分，反弹为劣Ⅴ类每月次扣10分，扣完为止；年度达标的不扣分",
        "生态环境局",
        TOWNSHIPS,
    ),
    ("8", "国控断面优良比例", "5", "未达到目标的，优良比例每差1个百分点扣0.5分，扣完为止", "生态环境局", TOWNSHIPS),
    (
        "9",
        "乡镇级及以上集中式生活饮用水水源地水质达标率",
        "8",
        "未达到目标的，达标率每差1个百分点扣1分，扣完为止",
        "生态环境局",
        "水利局、" + TOWNSHIPS,
    ),
    ("三", "加强生态保护", "15", "", "", ""),
    ("10", "加强湿地保护，完成湿地年度保护任务", "5", COMPLETION, "林业局", "水利局"),
    ("11", "实施农村人居环境整治提升五年行动", "5", COMPLETION, "农业农村局", ""),
    ("12", "推进“绿盈乡村”创建", "5", COMPLETION, "生态环境局", "乡村振兴局、" + TOWNSHIPS),
    ("四", "强化治理与监管", "15", "", "", ""),
    ("13", "补齐城镇污水收集和处理设施短板", "5", COMPLETION, "住建局", ""),
    ("14", "强化建筑、道路施工工地扬尘管控", "5", "现场检查发现扬尘问题每起扣1分，扣完为止", "住建局", ""),
    ("15", "持续推进危险废物专项整治三年行动", "5", COMPLETION, "生态环境局", ""),
    ("五", "解决突出环境问题", "5", "", "", ""),
    ("16", "抓好中央及省生态环境保护督察反馈问题整改", "5", COMPLETION, "生态环境局", ""),
    ("六", "公众满意度", "5", "", "", ""),
    ("17", "公众对生态环境质量满意度", "5", "根据第三方调查结果评分", "", ""),
    ("七", "加分、惩罚性扣分与一票否决", "", "", "", ""),
    ("18", "表彰奖励与试点示范", "3", "获得国家级表彰或试点示范的加2分，省级加1分，最高加3分", "", ""),
    ("19", "督察通报与问责", "5", "被中央、省生态环境保护督察通报的，每次扣2分，最多扣5分", "", ""),
    ("20", "重大环境事件与数据造假", "0", "发生重大及以上突发环境事件或监测数据弄虚作假的，实行一票否决", "", ""),
]

# The plan targets each measured item is scored against (by task number and metric): the import proposes them
# from the wording; the demo states them so it never depends on how good a proposal is.
TARGETS = {
    "4": (15, "PM2.5浓度"),
    "5": (15, "PM10浓度"),
    "6": (15, "空气质量优良天数比例"),
    "7": (14, "流域水质优良比例"),
    "8": (14, "国控断面优良比例"),
    "9": (14, "乡镇级及以上集中式生活饮用水水源地水质达标率"),
}
# The work items' tasks in the sample plan.
TASKS = {
    "1": [2],
    "2": [12],
    "3": [13],
    "10": [26],
    "11": [28],
    "12": [33],
    "13": [35],
    "14": [43],
    "15": [47],
    "16": [57],
}


def demo_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "评分细则"
    append_row(sheet, [TITLE])
    append_row(sheet, list(HEADER))
    for row in ROWS:
        append_row(sheet, list(row))
    for column, width in zip("ABCDEF", (6, 40, 6, 60, 12, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
