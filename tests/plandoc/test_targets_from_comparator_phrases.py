"""Numeric targets from the comparator phrases plans use; numbers that only scope a task are not targets."""

from decimal import Decimal

import pytest

from ecotarget.plandoc.targets import extract_targets


def one(text: str, year: int = 2023) -> tuple:
    (target,) = extract_targets(text, year)
    value = None if target.value is None else target.value
    return target.metric, target.op, value, target.measure_unit, target.baseline, target.reduction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("优良天数比例达95%", ("优良天数比例", ">=", Decimal(95), "%", None, False)),
        ("优良天数比例达到95%以上", ("优良天数比例", ">=", Decimal(95), "%", None, False)),
        ("处置率保持100%", ("处置率", ">=", Decimal(100), "%", None, False)),
        ("安全利用率不低于93%", ("安全利用率", ">=", Decimal(93), "%", None, False)),
        ("PM2.5浓度不高于15微克/立方米", ("PM2.5浓度", "<=", Decimal(15), "微克/立方米", None, False)),
        ("PM2.5年均浓度不超过25μg/m³", ("PM2.5年均浓度", "<=", Decimal(25), "微克/立方米", None, False)),
        ("PM2.5浓度控制在30微克/立方米以内", ("PM2.5浓度", "<=", Decimal(30), "微克/立方米", None, False)),
        ("劣Ⅴ类水体比例控制在5%以下", ("劣Ⅴ类水体比例", "<=", Decimal(5), "%", None, False)),
        ("森林覆盖率高于67%", ("森林覆盖率", ">", Decimal(67), "%", None, False)),
        ("重度污染天数比例低于1%", ("重度污染天数比例", "<", Decimal(1), "%", None, False)),
        ("单位GDP能耗比上年下降3.2%", ("单位GDP能耗", ">=", Decimal("3.2"), "%", "previous_year", True)),
        ("化学需氧量排放量削减2%", ("化学需氧量排放量", ">=", Decimal(2), "%", "previous_year", True)),
        ("城市污水处理率提高2个百分点", ("城市污水处理率", ">=", Decimal(2), "个百分点", "previous_year", False)),
        ("PM2.5浓度降至20微克/立方米", ("PM2.5浓度", "<=", Decimal(20), "微克/立方米", None, False)),
        ("优良天数比例高于近三年平均值", ("优良天数比例", ">", None, None, "three_year_average", False)),
        ("生态环境保护投入不低于上年水平", ("生态环境保护投入", ">=", None, None, "previous_year", False)),
        ("环保投入不低于2022年", ("环保投入", ">=", None, None, "previous_year", False)),
        ("财政投入只增不减", ("财政投入", ">=", None, None, "previous_year", False)),
        ("不得出现重污染天气", ("重污染天气", "==", Decimal(0), "天", None, False)),
        ("确保不发生重大突发环境事件", ("重大突发环境事件", "==", Decimal(0), "起", None, False)),
        ("杜绝劣Ⅴ类水体", ("劣Ⅴ类水体", "==", Decimal(0), "个", None, False)),
        ("增创中级版“绿盈乡村”8个", ("增创中级版“绿盈乡村”", ">=", Decimal(8), "个", None, False)),
        ("新建污水管网12公里", ("新建污水管网", ">=", Decimal(12), "公里", None, False)),
        ("建成2个乡镇污水处理站", ("建成乡镇污水处理站", ">=", Decimal(2), "个", None, False)),
        ("到2023年底,降尘量不高于5吨/平方公里·月", ("降尘量", "<=", Decimal(5), "吨/平方公里·月", None, False)),
        ("总磷浓度不高于0.1mg/L", ("总磷浓度", "<=", Decimal("0.1"), "毫克/升", None, False)),
        ("辐射事故发生率为零", ("辐射事故发生率", "==", Decimal(0), None, None, False)),
        (
            "城市集中式饮用水水源水质达到或优于Ⅲ类比例总体高于93%",
            ("城市集中式饮用水水源水质达到或优于Ⅲ类比例", ">", Decimal(93), "%", None, False),
        ),
        ("二氧化碳排放强度较2020年下降18%", ("二氧化碳排放强度", ">=", Decimal(18), "%", None, True)),
    ],
)
def test_comparator_phrases_give_metric_op_value_unit_and_baseline(text, expected):
    assert one(text) == expected


def test_fen_bie_pairs_values_with_subjects_in_order():
    found = extract_targets("SO2、NO2年均浓度分别不高于10、20微克/立方米", 2023)
    assert [(t.metric, t.value, t.measure_unit) for t in found] == [
        ("SO2年均浓度", Decimal(10), "微克/立方米"),
        ("NO2年均浓度", Decimal(20), "微克/立方米"),
    ]


def test_several_paired_subjects_share_the_tail_of_the_last_one():
    found = extract_targets("化学需氧量、氨氮、挥发性有机物重点工程减排量分别达到1000吨、50吨、100吨", 2023)
    assert [(t.metric, t.value, t.measure_unit) for t in found] == [
        ("化学需氧量重点工程减排量", Decimal(1000), "吨"),
        ("氨氮重点工程减排量", Decimal(50), "吨"),
        ("挥发性有机物重点工程减排量", Decimal(100), "吨"),
    ]


def test_jun_gives_each_listed_subject_the_same_target():
    found = extract_targets("农药和化肥使用量均减少2%以上", 2023)
    assert [(t.metric, t.op, t.value, t.reduction, t.baseline) for t in found] == [
        ("农药使用量", ">=", Decimal(2), True, "previous_year"),
        ("化肥使用量", ">=", Decimal(2), True, "previous_year"),
    ]


def test_a_bare_share_is_named_after_what_the_clause_before_is_about():
    found = extract_targets("推进“绿盈乡村”创建,占比达80%以上", 2023)
    assert [(t.metric, t.value) for t in found] == [("“绿盈乡村”占比", Decimal(80))]


def test_the_source_phrase_is_kept_with_each_target():
    (target,) = extract_targets("实施规划,城区生活污水处理率达95%以上,", 2023)
    assert target.text == "城区生活污水处理率达95%以上"


def test_a_count_of_indicators_meeting_a_standard_is_a_count_target():
    assert one("6项污染物指标达到国家二级标准") == (
        "达到国家二级标准的污染物指标项数",
        ">=",
        Decimal(6),
        "项",
        None,
        False,
    )


def test_a_measurable_ratio_that_must_stay_stable_must_not_fall_below_last_year():
    assert one("优质水比例保持稳定") == ("优质水比例", ">=", None, None, "previous_year", False)
    assert one("PM2.5平均浓度保持稳定") == ("PM2.5平均浓度", "<=", None, None, "previous_year", False)
    assert extract_targets("地下水环境质量保持稳定", 2023) == []


@pytest.mark.parametrize(
    "text",
    [
        "完成10蒸吨/小时及以下的燃煤锅炉年度整治任务",
        "实施“十四五”重点流域生态环境保护规划",
        "推进“三线一单”成果应用",
        "完成城区污水处理厂二期工程建设",
        "按要求建设二级及以上医疗机构污水处理设施",
        "9月底前完成千人以下水源地划定",
        "碳排放强度指标达到年度目标要求",
        "将县、乡、村三级网格员经费纳入预算",
        "2023年完成整治",
        "臭氧年平均浓度增长趋势得到有效控制",
        "落实“六稳”“六保”任务",
    ],
)
def test_scopes_plan_names_years_and_words_are_not_targets(text):
    assert extract_targets(text, 2023) == []
