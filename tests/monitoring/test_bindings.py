"""The sample plan's measurable targets are recognised from their wording and bound to indicators."""

from ecotarget.monitoring.bindings import suggest
from ecotarget.monitoring.models import Indicator, IndicatorBinding
from ecotarget.monitoring.services import bindings_apply


def test_the_twelve_monitored_targets_of_the_sample_are_bound_with_their_scope(bound):
    assert {metric: (b.indicator, b.scope) for metric, b in bound.items()} == {
        "流域水质优良比例": (Indicator.SECTION_GOOD_RATIO, ""),
        "国控断面优良比例": (Indicator.SECTION_GOOD_RATIO, "national"),
        "优质水比例": (Indicator.SECTION_EXCELLENT_RATIO, ""),
        "小流域水质优良比例": (Indicator.SECTION_GOOD_RATIO, "small_basin"),
        "Ⅴ类水体": (Indicator.SECTION_CLASS_V, ""),
        "乡镇级及以上集中式生活饮用水水源地水质达标率": (Indicator.DRINKING_COMPLIANCE, "township_and_above"),
        "农村“千吨万人”集中式生活饮用水水源地水质达标率": (Indicator.DRINKING_COMPLIANCE, "rural_1000_10000"),
        "空气质量优良天数比例": (Indicator.GOOD_DAY_RATIO, ""),
        "达到国家二级标准的污染物指标项数": (Indicator.SIX_POLLUTANTS, ""),
        "重污染天气": (Indicator.HEAVY_DAYS, ""),
        "PM2.5浓度": (Indicator.PM2_5_ANNUAL, ""),
        "PM10浓度": (Indicator.PM10_ANNUAL, ""),
    }


def test_targets_reported_by_hand_are_not_bound():
    assert suggest("受污染耕地安全利用率") is None
    assert suggest("城区生活污水处理率") is None


def test_binding_again_keeps_what_the_coordinator_changed(plan, bound):
    binding = bound["流域水质优良比例"]
    binding.scope = "provincial"
    binding.save()
    bindings_apply(plan=plan)
    assert IndicatorBinding.objects.get(pk=binding.pk).scope == "provincial"
    assert IndicatorBinding.objects.count() == 12
