"""standards-spec §4 and §6.7: GB 3838-2002 single-factor classes, lakes' phosphorus, below-detection values,
section means, the section-proportion method for basins, and drinking-water sources."""

from decimal import Decimal

import numpy as np
import pytest

from ecotarget.standards.water import (
    EVALUATED,
    basin_quality,
    classify_samples,
    drinking_water_compliance,
    section_classes,
    section_shares,
)

W1 = {"ph": [7.2], "do": [6.5], "codmn": [3.8], "cod": [14], "bod5": [2.5], "nh3n": [0.45], "tp": [0.12]}


def names(result):
    return result.class_name.tolist()


def test_the_class_evaluates_21_items_without_temperature_nitrogen_or_coliforms():
    assert len(EVALUATED) == 21
    assert not {"water_temp", "tn", "fecal_coliform"} & set(EVALUATED)


def test_w1_river_sample_is_class_iii_good():
    r = classify_samples(W1)
    assert r.item_class[0].tolist() == [1, 2, 2, 1, 1, 2, 3]
    assert names(r) == ["Ⅲ"] and r.quality[0] == "良好" and r.good[0]
    assert r.main_pollutants[0] == ""  # only named when worse than Ⅲ


def test_w2_lakes_use_their_own_phosphorus_limits():
    r = classify_samples(W1, kind="lake")
    assert names(r) == ["Ⅴ"] and r.quality[0] == "中度污染" and not r.good[0]
    assert r.main_pollutants[0] == "总磷(1.40)"  # (0.12 − 0.05)/0.05


@pytest.mark.parametrize(
    ("item", "values", "classes"),
    [
        ("do", [1.8, 2.0, 3.0, 7.4, 7.5], ["劣Ⅴ", "Ⅴ", "Ⅳ", "Ⅱ", "Ⅰ"]),  # W3
        ("ph", [9.2, 5.9, 6.0, 9.0], ["劣Ⅴ", "劣Ⅴ", "Ⅰ", "Ⅰ"]),  # W4
        ("cod", [15, 15.1], ["Ⅰ", "Ⅲ"]),  # W5: Ⅰ and Ⅱ share 15, the better class wins
        ("hg", [0.00005, 0.00006], ["Ⅰ", "Ⅲ"]),  # W6
        ("nh3n", [0.15, 0.16, 2.0, 2.01], ["Ⅰ", "Ⅱ", "Ⅴ", "劣Ⅴ"]),  # W7
    ],
    ids=["W3", "W4", "W5", "W6", "W7"],
)
def test_item_classes_at_their_limits(item, values, classes):
    assert names(classify_samples({item: values})) == classes


def test_w8_river_total_nitrogen_and_fecal_coliforms_are_not_in_the_class():
    r = classify_samples({"do": [6.5], "codmn": [3.5], "tn": [1.8], "fecal_coliform": [50000]})
    assert names(r) == ["Ⅱ"]
    assert "tn_class" not in r.reference  # rivers don't evaluate TN at all
    assert r.reference["fecal_coliform_class"].tolist() == [6]


def test_lake_total_nitrogen_is_a_separate_reference_result():
    r = classify_samples({"do": [6.5], "tn": [1.8]}, kind="lake")
    assert names(r) == ["Ⅱ"] and r.reference["tn_class"].tolist() == [5]


def test_w9_main_pollution_indicator_with_its_exceedance_multiple_over_class_iii():
    r = classify_samples({"do": [6.5], "tp": [0.35], "nh3n": [1.6], "codmn": [7]})
    assert names(r) == ["Ⅴ"]
    assert r.main_pollutants[0] == "总磷(0.75);氨氮(0.60);高锰酸盐指数(0.17)"  # Ⅴ, Ⅴ by multiple, then Ⅳ


def test_w13_below_detection_counts_as_half_the_limit_in_means():
    sections = ["A", "A", "B"]
    r = section_classes(
        sections, {"cd": [0.002, 0.004, 0.001]}, below_detection={"cd": [True, False, False]}
    )  # A: (0.001 + 0.004)/2 = 0.0025 → Ⅱ ; B: 0.001 → Ⅰ
    assert r.sections.tolist() == ["A", "B"]
    assert r.means["cd"].tolist() == pytest.approx([0.0025, 0.001])
    assert r.result.class_name.tolist() == ["Ⅱ", "Ⅰ"]


def test_a_section_mean_exactly_at_a_limit_is_decided_without_rounding():
    # (0.5 + 0.5 + 0.50000001)/3 is above 0.5 by 3e-9: Ⅲ, not Ⅱ
    r = section_classes(["S"] * 3, {"nh3n": [0.5, 0.5, 0.50000001]})
    assert r.result.class_name.tolist() == ["Ⅲ"]
    assert section_classes(["S"] * 2, {"nh3n": [0.4, 0.6]}).result.class_name.tolist() == ["Ⅱ"]


def test_missing_values_are_left_out_of_the_section_mean():
    r = section_classes(["S", "S"], {"tp": [0.1, np.nan]})
    assert r.samples["tp"].tolist() == [1] and r.result.class_name.tolist() == ["Ⅱ"]


def test_w10_six_sections_are_lightly_polluted_and_break_no_class_v():
    basin = basin_quality([2, 2, 3, 3, 4, 6])
    assert basin.method == "断面水质类别比例法" and basin.quality == "轻度污染"
    assert basin.shares.good_percent == Decimal("66.7") and basin.shares.worse_than_v_percent == Decimal("16.7")
    assert basin.shares.v_or_worse == 1  # "不得出现Ⅴ类" is violated by the 劣Ⅴ section


def test_w11_ninety_percent_good_is_excellent():
    assert basin_quality([1, 2, 2, 3, 3, 3, 3, 3, 3, 4]).quality == "优"


@pytest.mark.parametrize(
    ("classes", "quality"),
    [
        ([3, 3, 3, 4, 4], "轻度污染"),  # 60 % good, no 劣Ⅴ
        ([3, 3, 3, 4, 6], "中度污染"),  # 劣Ⅴ 20 %
        ([3, 3, 3, 6, 6], "重度污染"),  # 劣Ⅴ 40 %
        ([1, 2, 3, 3, 4, 3, 3, 3], "良好"),  # 87.5 %
        ([1, 2, 3, 4], None),
    ],
)
def test_section_proportion_thresholds(classes, quality):
    if quality is None:
        with pytest.raises(ValueError):
            basin_quality(classes)
    else:
        assert basin_quality(classes).quality == quality


def test_w12_four_sections_average_each_item_then_single_factor():
    basin = basin_quality(
        [2, 3, 3, 4], section_means={"nh3n": [0.3, 0.8, 0.9, 1.2], "tp": [0.05, 0.1, 0.15, 0.2]}
    )  # means NH₃-N 0.8 (Ⅲ), TP 0.125 (Ⅲ)
    assert basin.method == "断面均值单因子法" and basin.water_class == 3 and basin.quality == "良好"


def test_shares_of_good_and_excellent_sections():
    s = section_shares([1, 2, 3, 5, 0])
    assert s.sections == 4 and s.good_percent == Decimal("75.0") and s.excellent_percent == Decimal("50.0")
    assert s.v_or_worse == 1 and s.per_class == (1, 1, 1, 0, 1, 0)


def test_drinking_water_sources_meet_class_iii_and_the_supplementary_items():
    r = drinking_water_compliance(
        {
            "do": [6.0, 6.0, 6.0],
            "cod": [25, 12, 12],  # COD is usually left out of the source assessment
            "nh3n": [0.5, 1.2, 0.3],
            "fe": [0.1, 0.1, 0.4],
        },
        volumes=[100.0, 50.0, 50.0],
    )
    assert r.compliant.tolist() == [True, False, False]
    assert r.failing.tolist() == ["", "氨氮", "铁"]
    assert r.rate == Decimal("33.3") and r.volume_rate == Decimal("50.0")
