"""A plan without headings (or with tasks above its first heading) imports, its tasks in a section of their own,
and importing it again changes nothing."""

from ecotarget.plandoc import parse_text
from ecotarget.plans.services import plan_import

PLAN = "将乐县2023年度生态环境保护目标责任分解方案\n1.整治餐饮油烟。责任单位:城管局\n2.治理黑臭水体。责任单位:水利局\n"


def test_a_plan_without_headings_imports_into_one_section_and_again_changes_nothing(jiangle):
    first = plan_import(parse_text(PLAN), region=jiangle)
    assert [(t.number, t.section.title) for t in first.plan.tasks.order_by("number")] == [
        (1, "未分章节"),
        (2, "未分章节"),
    ]
    again = plan_import(parse_text(PLAN), region=jiangle)
    assert again.unchanged and again.summary() == "与已导入的方案相同，未作任何修改"
