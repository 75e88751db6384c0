"""One plan, several layouts: each task's units are read from whichever layout that task uses."""

from ecotarget.plandoc import parse_text

from .helpers import units

CITY_PLAN = """某某市2023年水污染防治目标任务分工方案
一、水环境
1.加强饮用水源保护。
责任单位:市生态环境局、市水利局
2.推进入河排污口整治。(牵头单位:市生态环境局,配合单位:市水利局)
3.加强工业园区污水处理。
责任单位:市工信局
4.城市黑臭水体治理。市住建局牵头,市水利局、市生态环境局参与,各县(市、区)人民政府负责落实。
5.强化秸秆禁烧。(各区、县级市人民政府)
6.推进农业面源污染治理。
责任单位:市农业农村局
"""


def test_a_task_that_states_roles_by_verbs_among_labelled_tasks_reads_its_verbs():
    plan = parse_text(CITY_PLAN)
    task = plan.tasks[3]
    assert task.text == "城市黑臭水体治理。"
    assert units(task) == [
        ("市住建局", "lead"),
        ("市水利局", "co"),
        ("市生态环境局", "co"),
        ("各县(市、区)人民政府", "co"),
    ]
    assert task.units[-1].kind == "township_group"
    assert task.units[-1].group == "all"


def test_the_labelled_tasks_around_it_keep_their_own_layouts():
    plan = parse_text(CITY_PLAN)
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4, 5, 6]
    assert units(plan.tasks[0]) == [("市生态环境局", "lead"), ("市水利局", "co")]
    assert units(plan.tasks[1]) == [("市生态环境局", "lead"), ("市水利局", "co")]
    assert units(plan.tasks[5]) == [("市农业农村局", "lead")]


def test_a_bare_parenthesis_of_governments_is_that_tasks_units():
    plan = parse_text(CITY_PLAN)
    assert plan.tasks[4].text == "强化秸秆禁烧。"
    assert units(plan.tasks[4]) == [("各区、县级市人民政府", "lead")]
    assert plan.tasks[4].units[0].kind == "township_group"


def test_verb_roles_work_with_names_that_contain_he():
    plan = parse_text(
        "1.推进工业节能。市工业和信息化局牵头,市发展和改革委员会配合。\n2.加强管理。\n责任单位:市水利局\n"
    )
    assert units(plan.tasks[0]) == [("市工业和信息化局", "lead"), ("市发展和改革委员会", "co")]


def test_a_sentence_whose_subject_is_a_unit_is_still_not_a_label_among_labelled_tasks():
    plan = parse_text("1.加强扬尘管控。\n责任单位:住建局\n2.生态环境局要加强督导。\n")
    assert plan.tasks[1].units == []
    assert plan.tasks[1].review_reasons == ["未标注责任单位：请在任务编辑页指定牵头单位"]


def test_a_last_clause_that_only_assigns_roles_is_a_label():
    plan = parse_text("1.开展整治,各县(市、区)政府负责。\n2.加强管理。\n责任单位:市水利局\n")
    assert plan.tasks[0].text == "开展整治。"
    assert units(plan.tasks[0]) == [("各县(市、区)政府", "lead")]


def test_a_label_with_a_named_unit_and_implementers_by_verb_makes_the_named_unit_lead():
    plan = parse_text(
        "1.加强扬尘管控。（责任单位：市住建局等，各县（市、区）人民政府负责落实）\n"
        "2.加强管控。各乡镇负责落实。\n责任单位:市水利局\n"
    )
    assert units(plan.tasks[0]) == [("市住建局", "lead"), ("各县(市、区)人民政府", "co")]
    assert units(plan.tasks[1]) == [("各乡(镇)", "co"), ("市水利局", "lead")]


def test_a_comma_before_an_inline_label_is_not_part_of_the_text():
    plan = parse_text("(一)开展监测,责任单位:区生态环境局\n(二)推进治理。责任单位:区生态环境局、各街道办事处\n")
    assert plan.tasks[0].text == "开展监测"
    assert units(plan.tasks[1]) == [("区生态环境局", "lead"), ("各街道", "co")]
