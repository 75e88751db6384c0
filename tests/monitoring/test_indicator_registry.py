"""A measured indicator is declared in one place, the registry (`monitoring.indicators`): declared there and
nowhere else, it is suggested from a target's wording at import, offered on the task page's source form and
computed by the readings. The built-in indicators are the stored choices, in the registry's order."""

from datetime import date
from decimal import Decimal

import pytest

from ecotarget.monitoring import indicators
from ecotarget.monitoring.bindings import suggest
from ecotarget.monitoring.indicators import IndicatorSpec, register, unregister
from ecotarget.monitoring.measures import Measure, Source
from ecotarget.monitoring.models import Indicator, IndicatorBinding
from ecotarget.monitoring.readings import reading_for
from ecotarget.monitoring.services import SettingError, binding_set
from ecotarget.plandoc import parse_file
from ecotarget.plans.models import Target
from ecotarget.plans.services import plan_import
from ecotarget.samples import JIANGLE_2022_PLAN

from .test_binding_management import binding_form, choose, post, task_page

CLEAN = {"pm2_5": 20, "pm10": 30, "no2": 10, "co": 0.5, "o3": 60}


def so2_annual_mean(source: Source) -> Measure:
    """The made-up indicator's computation: the year-to-date SO2 mean of the county's official figures."""
    so2 = source.air.evaluation.after_exclusion.pollutants["so2"]
    value = None if so2.annual_mean is None else Decimal(so2.annual_mean)
    return Measure(value=value, monthly=[], projection=value, assumption="按年初至今均值", edition=source.air.edition)


@pytest.fixture
def so2():
    """An indicator no module knows of, declared in the registry for this test only."""
    spec = register(
        IndicatorSpec(
            code="so2_annual",
            name="二氧化硫年均浓度",
            medium=indicators.AIR,
            words=((("二氧化硫",), ""),),
            scopes=("",),
            measure_unit="微克/立方米",
            compute=so2_annual_mean,
        )
    )
    yield spec
    unregister(spec.code)


@pytest.fixture
def so2_plan(so2, jiangle, stations, tmp_path):
    """The sample plan whose air task also asks for SO2 ≤ 10 µg/m³, imported as a county would."""
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    text = text.replace("臭氧年平均浓度增长趋势得到有效控制", "二氧化硫浓度不高于10微克/立方米")
    path = tmp_path / "将乐县2022年分解方案.txt"
    path.write_text(text, encoding="utf-8")
    return plan_import(parse_file(path), region=jiangle, source_name=path.name).plan


def test_an_indicator_declared_only_in_the_registry_is_suggested_offered_and_computed(
    so2, so2_plan, air_days, personas, client_for
):
    target = Target.objects.get(task__plan=so2_plan, metric="二氧化硫浓度")
    binding = IndicatorBinding.objects.get(target=target)
    assert (binding.indicator, binding.scope) == ("so2_annual", "")  # bound by the import, from its wording

    air_days({date(2022, 1, d): CLEAN | {"so2": 12 if d <= 2 else 7} for d in range(1, 5)})  # mean 9.5 → 10
    reading = reading_for(binding, date(2022, 1, 4))
    assert (reading.value, reading.measure_unit, reading.threshold, reading.status) == (
        Decimal(10),
        "微克/立方米",
        Decimal(10),
        "at_risk",  # meets ≤ 10, but within the plan's 5 % margin of it
    )

    client = client_for(personas.coordinator)
    page = task_page(client, target.task)
    assert "由监测数据计算：二氧化硫年均浓度" in page.find(id="measured").get_text()
    form, data = binding_form(page, target)
    data = choose(form, data, "数据来源", "由责任单位填报") | {f"t{target.pk}-reason": "改由单位填报"}
    post(client, target, data)
    assert not IndicatorBinding.objects.in_force().filter(target=target).exists()

    page = task_page(client, target.task)
    assert "可由监测数据计算：二氧化硫年均浓度" in page.find(id="measured").get_text()  # suggested on the page
    form, data = binding_form(page, target)
    post(client, target, choose(form, data, "数据来源", "二氧化硫年均浓度"))  # offered by the form
    assert IndicatorBinding.objects.in_force().get(target=target).indicator == "so2_annual"


def test_an_indicator_no_longer_declared_is_neither_suggested_nor_offered(so2, so2_plan):
    unregister(so2.code)
    assert suggest("二氧化硫浓度") is None
    assert "so2_annual" not in dict(indicators.choices())


def test_the_stored_choices_are_the_registry_in_its_order():
    assert Indicator.choices == [(spec.code, spec.name) for spec in indicators.all_indicators()]


@pytest.mark.parametrize(
    "wording, indicator, scope",
    [
        ("农村“千吨万人”集中式生活饮用水水源地水质达标率", "drinking_compliance", "rural_1000_10000"),
        ("国控断面优良比例", "section_good_ratio", "national"),
        ("流域水质优良比例", "section_good_ratio", ""),
        ("空气质量优良天数比例", "good_day_ratio", ""),
        ("国控站点空气质量优良天数比例", "good_day_ratio", ""),  # an air wording: not the 国控 sections
        ("饮用水水源地达标天数", "good_day_ratio", ""),
    ],
)
def test_a_narrower_wording_is_recognised_before_a_general_one(wording, indicator, scope):
    assert (suggest(wording).indicator, suggest(wording).scope) == (indicator, scope)


def test_a_binding_keeps_to_the_scopes_its_indicator_declares(so2, so2_plan, personas):
    target = Target.objects.get(task__plan=so2_plan, metric="二氧化硫浓度")
    with pytest.raises(SettingError, match="二氧化硫年均浓度不按国控计算"):
        binding_set(target=target, indicator="so2_annual", scope="national", user=personas.coordinator)
    assert IndicatorBinding.objects.get(target=target).scope == ""
