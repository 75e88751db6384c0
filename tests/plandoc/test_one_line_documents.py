"""A whole plan on one line (copied from a page that lost its line breaks) reads like the plan with them."""

import pytest

from ecotarget.plandoc import parse_file, parse_text
from ecotarget.samples import JIANGLE_2022_PLAN

from .helpers import targets, units, without_lines


@pytest.fixture(scope="module")
def sample():
    return without_lines(parse_file(JIANGLE_2022_PLAN))


@pytest.mark.parametrize("joiner", ["", " "], ids=["no-separator", "spaces"])
def test_the_sample_joined_into_one_line_parses_like_the_sample(sample, joiner):
    text = joiner.join(JIANGLE_2022_PLAN.read_text(encoding="utf-8").splitlines())
    assert without_lines(parse_text(text)) == sample


def test_an_own_one_line_plan_splits_at_headings_task_numbers_and_labels():
    text = (
        "某某县2023年生态环境保护目标责任书分解方案 一、大气 1.加强扬尘管控,PM2.5浓度不高于25微克/立方米。"
        "责任单位:住建局、生态环境局 2.推进VOCs治理,完成15家企业整治。责任单位:生态环境局 二、水 "
        "3.保护水源,15、16号断面水质达标率达100%。责任单位:水利局请各单位认真落实。"
    )
    plan = parse_text(text)
    assert plan.meta.title == "某某县2023年生态环境保护目标责任书分解方案"
    assert [(s.number, s.title) for s in plan.sections] == [("一", "大气"), ("二", "水")]
    assert [(t.number, t.section, t.text) for t in plan.tasks] == [
        (1, "大气", "加强扬尘管控,PM2.5浓度不高于25微克/立方米。"),
        (2, "大气", "推进VOCs治理,完成15家企业整治。"),
        (3, "水", "保护水源,15、16号断面水质达标率达100%。"),
    ]
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("生态环境局", "co")]
    assert units(plan.tasks[2]) == [("水利局", "lead")]  # the closing sentence glued to it is not a unit
    assert targets(plan.tasks[0]) == [("PM2.5浓度", "<=", "25", "微克/立方米")]
