"""Unit names: aliases become one unit, townships and groups are normalised, a level prefix distributes."""

from ecotarget.plandoc import parse_text

from .helpers import units


def _units(label: str, title: str = "将乐县2023年生态环境保护目标责任书分解方案") -> list[tuple[str, str, str | None]]:
    plan = parse_text(f"{title}\n1.加强管控。\n责任单位:{label}\n")
    return [(u.name, u.kind, u.group) for u in plan.tasks[0].units]


def test_aliases_with_the_region_or_a_bare_county_prefix_are_one_unit():
    assert _units("县生态环境局、将乐生态环境局、将乐县生态环境局、三明市将乐生态环境局、住建局") == [
        ("生态环境局", "department", None),
        ("住建局", "department", None),
    ]


def test_party_organs_and_the_county_government_keep_their_county_prefix():
    assert _units("县委宣传部、县委办、县政府办、将乐县人民政府办公室、县人民政府") == [
        ("县委宣传部", "department", None),
        ("县委办", "department", None),
        ("政府办", "department", None),
        ("县人民政府办公室", "department", None),
        ("县人民政府", "department", None),
    ]


def test_township_governments_are_named_by_their_township():
    assert _units("古镛镇人民政府、将乐县水南镇政府、万安镇、古镛镇人民政府") == [
        ("古镛镇", "township", None),
        ("水南镇", "township", None),
        ("万安镇", "township", None),
    ]


def test_a_trailing_government_word_applies_to_every_township_before_it():
    assert _units("万安镇、古镛镇人民政府") == [("万安镇", "township", None), ("古镛镇", "township", None)]


def test_named_townships_and_relevant_townships_in_one_phrase():
    assert _units("古镛镇、水南镇及有关乡（镇）人民政府") == [
        ("古镛镇", "township", None),
        ("水南镇", "township", None),
        ("有关乡(镇)", "township_group", "relevant"),
    ]


def test_all_townships_is_a_group_whatever_the_spelling():
    for spelling in ("各乡(镇)人民政府", "各乡（镇）人民政府", "各乡镇人民政府", "各乡镇", "乡(镇)人民政府"):
        assert _units(spelling) == [("各乡(镇)", "township_group", "all")], spelling


def test_group_names_containing_the_ideographic_comma_stay_whole():
    assert _units("各县(市、区)人民政府、各区、县级市", title="某某市2023年生态环境保护目标责任分工方案") == [
        ("各县(市、区)人民政府", "township_group", "all"),
        ("各区、县级市", "township_group", "all"),
    ]


def test_a_level_prefix_written_once_distributes_over_the_list():
    provincial = "某某省2023年生态环境保护目标责任分工方案"
    assert [n for n, _, _ in _units("省农业厅、海洋与渔业厅", title=provincial)] == ["省农业厅", "省海洋与渔业厅"]
    city = "某某市2023年生态环境保护目标责任分工方案"
    assert [n for n, _, _ in _units("市生态环境局、市场监管局", title=city)] == ["市生态环境局", "市市场监管局"]


def test_a_task_lists_each_unit_once():
    plan = parse_text("1.加强管控。\n牵头单位:生态环境局\n责任单位:生态环境局、县生态环境局、住建局\n")
    assert units(plan.tasks[0]) == [("生态环境局", "lead"), ("住建局", "co")]


def test_units_split_on_every_separator_plans_use():
    assert [n for n, _, _ in _units("财政局,发改局;水利局、林业局，交通局；公安局")] == [
        "财政局",
        "发改局",
        "水利局",
        "林业局",
        "交通局",
        "公安局",
    ]


def test_department_groups_are_kept_as_departments_with_their_group():
    assert _units("县直有关单位") == [("县直有关单位", "department", "relevant")]


def test_the_county_prefix_comes_off_a_bureau_whose_name_starts_with_cheng():
    plan = parse_text("1.加强市容管理。\n责任单位:县城管局、县城建局、县住建局\n")
    assert [u.name for u in plan.tasks[0].units] == ["城管局", "城建局", "住建局"]
