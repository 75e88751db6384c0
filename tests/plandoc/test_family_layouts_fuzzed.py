"""Generated plans of the family — every layout of units, numbering, brackets, script and punctuation mixed at
random — parse to exactly the items and units they were built from; mutilated, they parse or are refused with
PlanParseError, never anything else."""

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecotarget.plandoc import PlanDocument, PlanParseError, parse_text

UNITS = {
    "县住建局": "住建局",
    "县水利局": "水利局",
    "县交通运输局": "交通运输局",
    "县生态环境局": "生态环境局",
    "县农业农村局": "农业农村局",
    "县城管局": "城管局",
    "县公安局": "公安局",
    "溪口镇": "溪口镇",
    "各乡镇": "各乡(镇)",
}
TEXTS = ["加强扬尘管控", "推进污水管网改造", "开展秸秆禁烧巡查", "整治餐饮油烟", "排查入河排污口", "治理黑臭水体"]
NUMBERS = {
    "dot": lambda n: f"{n}.",
    "comma": lambda n: f"{n}、",
    "paren": lambda n: f"({n})",
    "measure": lambda n: f"措施{'一二三四五六七八九十'[n - 1]}:",
    "article": lambda n: f"第{'一二三四五六七八九十'[n - 1]}条",
}
BRACKETS = [("(", ")"), ("〔", "〕"), ("【", "】"), ("[", "]"), ("[", ")]")]
JUNK = "、，,：:；;（）()【】[]〔〕。.\t 0123456789一二三责任单位牵头配合各\n"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def item(draw, number: int, style: str):
    text = draw(st.sampled_from(TEXTS))
    names = draw(st.lists(st.sampled_from(sorted(UNITS)), min_size=1, max_size=3, unique=True))
    lead, co = names[0], names[1:]
    layout = draw(st.sampled_from(["line", "two_lines", "inline", "bracket", "verbs", "verb_bracket"]))
    head = NUMBERS[style](number) + text + "。"
    if layout == "line":
        body = head + "\n责任单位:" + "、".join(names)
    elif layout == "two_lines":
        body = head + f"\n牵头单位:{lead}" + (f"\n配合单位:{'、'.join(co)}" if co else "")
    elif layout == "inline":
        body = head + "责任单位:" + "、".join(names)
    elif layout == "bracket":
        opening, closing = draw(st.sampled_from(BRACKETS))
        inner = f"牵头单位:{lead}" + (f";配合单位:{'、'.join(co)}" if co else "")
        body = head.rstrip("。") + opening + inner + closing + "。"
    elif layout == "verbs":
        body = head.rstrip("。") + f",{lead}牵头" + (f",{'、'.join(co)}配合" if co else "") + "。"
    else:
        body = head.rstrip("。") + f"({lead}牵头" + (f",{'、'.join(co)}配合" if co else "") + ")。"
    return body, [UNITS[lead]], [UNITS[name] for name in co]


@st.composite
def family_plan(draw):
    style = draw(st.sampled_from(sorted(NUMBERS)))
    count = draw(st.integers(1, 6))
    items = [draw(item(n, style)) for n in range(1, count + 1)]
    lines = ["溪口县2025年度生态环境保护目标责任分解方案", "一、重点任务"] + [body for body, _, _ in items]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.translate(str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}))
    if draw(st.booleans()):
        text = opencc.OpenCC("s2t").convert(text)
    return text, [(lead, co) for _, lead, co in items]


@SETTINGS
@given(family_plan())
def test_a_generated_plan_gives_back_its_items_and_their_units(case):
    text, expected = case
    plan = parse_text(text, source="generated")
    got = [
        ([u.name for u in t.units if u.role == "lead"], [u.name for u in t.units if u.role == "co"]) for t in plan.tasks
    ]
    assert got == expected, text
    assert not plan.flagged, text


@SETTINGS
@given(family_plan(), st.data())
def test_a_mutilated_generated_plan_parses_or_raises_plan_parse_error(case, data):
    text, _ = case
    cut = data.draw(st.integers(0, len(text)))
    junk = data.draw(st.text(alphabet=JUNK, max_size=8))
    mutated = data.draw(st.sampled_from([text[:cut], text[:cut] + junk + text[cut:], text.replace("\n", "")]))
    try:
        result = parse_text(mutated, source="fuzz")
    except PlanParseError as error:
        assert str(error).startswith("fuzz")
        return
    assert isinstance(result, PlanDocument)
    result.to_dict()
