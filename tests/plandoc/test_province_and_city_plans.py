"""Province and city plans: departments keep their level (省/市), the governments below are a group
(kind "township_group": the next level's governments, as 各乡(镇) is in a county's plan)."""

from ecotarget.plandoc import parse_text

from .helpers import units

PROVINCE = """福建省2023年度党政领导生态环境保护目标责任书任务分解方案
一、改善环境质量
1.持续改善空气质量,设区市城市空气质量优良天数比例不低于97%。省生态环境厅牵头,省发展改革委、省工业和信息化厅配合,各设区市人民政府、平潭综合实验区管委会负责落实。
2.加强臭氧污染防治。
责任单位:省生态环境厅,各设区市人民政府、平潭综合实验区管委会
"""


def test_a_province_plan_reads_lead_and_co_departments_by_verbs():
    plan = parse_text(PROVINCE)
    assert plan.meta.region == "福建省"
    assert units(plan.tasks[0]) == [
        ("省生态环境厅", "lead"),
        ("省发展改革委", "co"),
        ("省工业和信息化厅", "co"),
        ("各设区市人民政府", "co"),
        ("平潭综合实验区管委会", "co"),
    ]


def test_the_cities_of_a_province_are_a_group_and_the_level_prefix_stops_at_them():
    plan = parse_text(PROVINCE)
    kinds = {u.name: (u.kind, u.group) for u in plan.tasks[1].units}
    assert kinds == {
        "省生态环境厅": ("department", None),
        "各设区市人民政府": ("township_group", "all"),
        "平潭综合实验区管委会": ("department", None),
    }


CITY = """某某市2023年生态环境保护目标任务分工
1.加强扬尘管控。
责任单位:市生态环境局（牵头）、市住建局、市水利局
2.推进VOCs治理。
牵头单位:市生态环境局
配合单位：各有关单位
3.强化秸秆禁烧。(市农业农村局牵头,各县(市、区)配合)
"""


def test_a_lead_marked_after_its_name_leads_and_the_rest_cooperate():
    plan = parse_text(CITY)
    assert units(plan.tasks[0]) == [("市生态环境局", "lead"), ("市住建局", "co"), ("市水利局", "co")]


def test_all_relevant_units_is_a_group_not_a_department_of_that_name():
    plan = parse_text(CITY)
    vague = plan.tasks[1].units[1]
    assert (vague.name, vague.role, vague.group) == ("各有关单位", "co", "relevant")


def test_parenthesised_verb_roles_at_the_end_of_a_task():
    plan = parse_text(CITY)
    assert plan.tasks[2].text == "强化秸秆禁烧。"
    assert units(plan.tasks[2]) == [("市农业农村局", "lead"), ("各县(市、区)", "co")]
    county = parse_text("1.推进秸秆禁烧。(县生态环境局牵头,各乡镇配合)\n2.加强管理。\n责任单位:水利局\n")
    assert units(county.tasks[0]) == [("生态环境局", "lead"), ("各乡(镇)", "co")]


CITY_WITH_DUTY_CLAUSES = """三明市2023年度党政领导生态环境保护目标责任书任务分解方案
一、持续深入打好蓝天保卫战
（一）空气质量目标。PM2.5平均浓度控制在22微克/立方米以下。（市生态环境局牵头，市发改委、市工信局、市住建局等按职责分工负责，各县（市、区）人民政府落实）
（二）推进重点行业污染治理。完成3家水泥企业超低排放改造。（市工信局、市生态环境局按职责分工负责）
"""


def test_an_etc_closing_a_list_of_units_before_their_duty_is_not_part_of_a_name():
    plan = parse_text(CITY_WITH_DUTY_CLAUSES)
    assert [t.number for t in plan.tasks] == [1, 2]
    assert units(plan.tasks[0]) == [
        ("市生态环境局", "lead"),
        ("市发改委", "co"),
        ("市工信局", "co"),
        ("市住建局", "co"),
        ("各县(市、区)人民政府", "co"),
    ]
    assert [(t.metric, t.op, t.value) for t in plan.tasks[0].targets] == [("PM2.5平均浓度", "<=", 22)]
