"""The scoring rules pinned by worked examples, in the words of published 评分细则 (no database)."""

from decimal import Decimal as D

import pytest

from ecotarget.scoring.items import (
    Counted,
    Done,
    Entries,
    Entry,
    Judged,
    Measured,
    NotApplicable,
    Vetoed,
    score_item,
)
from ecotarget.scoring.rules import Kind, RuleError, describe, params_of, parse_rule

PM25 = parse_rule(
    "gap",
    {"metric": "PM2.5 年均", "direction": "lower", "step": "1", "per_step": "0.5", "target": "15", "unit": "μg/m³"},
    points=D(5),
)
GOOD_DAYS = parse_rule(
    "gap",
    {"metric": "优良天数比例", "direction": "higher", "step": "1", "per_step": "0.25", "unit": "%"},
    points=D(4),
)


def test_pm25_two_micrograms_over_target_loses_one_point_and_says_so():
    result = score_item(PM25, D(5), Measured(value=D(17)))
    assert result.score == D("4.00")
    assert result.lost == D("1.00")
    assert result.working == "PM2.5 年均 17 μg/m³，目标 15，差 2，扣 1.0 分"


def test_a_value_meeting_the_target_loses_nothing():
    result = score_item(PM25, D(5), Measured(value=D(15)))
    assert (result.score, result.working) == (D(5), "PM2.5 年均 15 μg/m³，目标 15，达到目标，不扣分")


def test_the_deduction_stops_at_the_items_points():
    # 30 over the target × 0.5 = 15 points, but the item has 5: 扣完为止.
    result = score_item(PM25, D(5), Measured(value=D(45)))
    assert result.score == 0
    assert result.lost == D(5)
    assert result.working.endswith("扣 5.0 分（扣完为止）")


def test_higher_is_better_counts_the_shortfall_in_percentage_points_with_the_plan_target():
    result = score_item(GOOD_DAYS, D(4), Measured(value=D("96.2"), target=D("97.5")))
    # 1.3 points short × 0.25 = 0.325 → 0.32 (GB/T 8170: half to even)
    assert result.score == D("3.68")
    assert result.working == "优良天数比例 96.2%，目标 97.5%，差 1.3 个百分点，扣 0.32 分"


@pytest.mark.parametrize(("steps", "lost"), [("proportional", "0.75"), ("whole", "0.50"), ("started", "1.00")])
def test_part_of_a_step_counts_as_the_scheme_says(steps, lost):
    rule = parse_rule(
        "gap", {"metric": "PM10", "direction": "lower", "step": "1", "per_step": "0.5", "steps": steps}, points=D(5)
    )
    assert score_item(rule, D(5), Measured(value=D("41.5"), target=D(40))).lost == D(lost)


def test_a_gap_without_any_target_is_refused_with_the_metric_named():
    rule = parse_rule("gap", {"metric": "PM10", "direction": "lower", "step": "1", "per_step": "1"}, points=D(5))
    with pytest.raises(RuleError, match="PM10没有目标值"):
        score_item(rule, D(5), Measured(value=D(50)))


def test_monthly_gaps_add_up_and_the_annual_value_meeting_the_target_cancels_them():
    rule = parse_rule(
        "gap",
        {
            "metric": "PM2.5",
            "direction": "lower",
            "step": "1",
            "per_step": "0.5",
            "target": "35",
            "basis": "monthly",
            "annual_cancels": True,
        },
        points=D(5),
    )
    months = [D(40), D(36)] + [D(30)] * 10
    missed = score_item(rule, D(5), Measured(value=D(36), monthly=months))
    assert missed.lost == D("3.00")  # (5 + 1) × 0.5
    assert "1月 40（差 5）、2月 36（差 1）" in missed.working
    cancelled = score_item(rule, D(5), Measured(value=D(33), monthly=months))
    assert cancelled.lost == 0
    assert "年均值达到目标，月度不达标不扣分" in cancelled.working


SECTIONS = parse_rule(
    "events",
    {
        "per": "month",
        "categories": [{"name": "不达标", "points": "5"}, {"name": "反弹为劣Ⅴ类", "points": "10"}],
        "annual_cancels": True,
    },
    points=D(20),
)


def test_sections_lose_points_per_month_and_category():
    result = score_item(SECTIONS, D(20), Counted({"不达标": 2, "反弹为劣Ⅴ类": 1}, annual_met=False))
    assert result.lost == D(20)
    assert result.working == "不达标 2 月次 × 5.0 分 = 10.0 分；反弹为劣Ⅴ类 1 月次 × 10.0 分 = 10.0 分；合计扣 20.0 分"


def test_events_stop_at_the_cap_and_at_the_items_points():
    capped = parse_rule("events", {"categories": [{"name": "不达标", "points": "5"}], "cap": "8"}, points=D(20))
    result = score_item(capped, D(20), Counted({"不达标": 3}))
    assert result.lost == D(8)
    assert "合计 15.0 分，上限 8.0 分，扣 8.0 分" in result.working
    over = score_item(SECTIONS, D(20), Counted({"不达标": 5}))
    assert over.score == 0
    assert "扣完为止" in over.working


def test_the_annual_value_meeting_the_target_cancels_monthly_events():
    result = score_item(SECTIONS, D(20), Counted({"不达标": 2}, annual_met=True))
    assert result.score == D(20)
    assert "年均值达到目标，月度扣分不计" in result.working


def test_events_of_a_category_the_rule_does_not_have_are_refused():
    with pytest.raises(RuleError, match="没有情形“超标”"):
        score_item(SECTIONS, D(20), Counted({"超标": 1}))


WORK = parse_rule("completion", {"late": "1"}, points=D(10))


@pytest.mark.parametrize(
    ("done", "score"),
    [
        (Done("full"), D(10)),
        (Done("part", percent=D(60)), D(6)),
        (Done("none"), D(0)),
        (Done("full", late=True), D(9)),
        (Done("part", percent=D(5), late=True), D(0)),  # 0.5 − 1 stops at zero
    ],
    ids=["full", "part", "none", "late", "late-floor"],
)
def test_work_items_score_by_completion(done, score):
    assert score_item(WORK, D(10), done).score == score


def test_late_completion_says_what_it_cost():
    assert (
        score_item(WORK, D(10), Done("full", late=True)).working
        == "全部完成，得 10.0 分；逾期完成，扣 1.0 分，得 9.0 分"
    )


def test_a_reviewers_score_needs_a_reason_and_stays_within_the_points():
    manual = parse_rule("manual", {}, points=D(6))
    assert score_item(manual, D(6), Judged(D("4.5"), "现场检查发现问题2处")).working == (
        "评定 4.5 分（满分 6.0 分）：现场检查发现问题2处"
    )
    with pytest.raises(RuleError, match="理由"):
        score_item(manual, D(6), Judged(D(4), " "))
    with pytest.raises(RuleError, match=r"0～6\.0"):
        score_item(manual, D(6), Judged(D(7), "超过"))


def test_a_reviewer_may_set_a_measured_items_score_over_the_computation():
    assert score_item(PM25, D(5), Judged(D(5), "扣除沙尘天气影响后达标")).score == D(5)


def test_bonus_is_capped_and_penalty_counts_each_occurrence():
    bonus = parse_rule("bonus", {"cap": "2"}, points=D(3))
    awarded = score_item(bonus, D(3), Entries([Entry("省级表彰", D("1.5")), Entry("国家试点", D(1))]))
    assert awarded.score == D(2)
    assert awarded.working == "省级表彰 加 1.5 分；国家试点 加 1.0 分；合计 2.5 分，上限 2.0 分，加 2.0 分"
    penalty = parse_rule("penalty", {"each": "1", "cap": "5"}, points=D(0))
    taken = score_item(penalty, D(0), Entries([Entry("中央督察通报"), Entry("信访问题查实", D(2))]))
    assert taken.score == D(3)


def test_a_veto_says_the_result_is_a_fail():
    veto = parse_rule("veto", {}, points=D(0))
    result = score_item(veto, D(0), Vetoed(True, "发生重大环境污染事件"))
    assert result.vetoed
    assert result.working == "一票否决：发生重大环境污染事件，考核结果为不合格"
    assert not score_item(veto, D(0), Vetoed(False)).vetoed


def test_an_item_without_facts_counts_nothing_for_now_and_one_not_applicable_leaves_the_base():
    pending = score_item(WORK, D(10), None)
    assert (pending.score, pending.scored, pending.working) == (D(0), False, "待评分")
    assert pending.counts_in_base
    skipped = score_item(SECTIONS, D(20), NotApplicable("辖区内无考核断面"))
    assert not skipped.counts_in_base
    assert skipped.working == "不适用：辖区内无考核断面"


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("gap", {"metric": "PM2.5", "direction": "down", "step": "1", "per_step": "1"}, "方向（direction）应为"),
        ("gap", {"metric": "PM2.5", "direction": "lower", "step": "0", "per_step": "1"}, "差距步长（step）应为正数"),
        ("gap", {"metric": "PM2.5", "direction": "lower", "step": "x", "per_step": "1"}, "应为数字，而不是“x”"),
        ("events", {"categories": []}, "至少有一类情形"),
        ("completion", {"late": "20"}, "逾期扣分（late）不能超过分值"),
        ("award", {}, "未知的评分方式“award”"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(kind, params, message):
    with pytest.raises(RuleError, match=message):
        parse_rule(kind, params, points=D(10))


def test_parameters_survive_the_round_trip_and_read_as_words():
    assert parse_rule("gap", params_of(PM25), points=D(5)) == PM25
    assert parse_rule("events", params_of(SECTIONS), points=D(20)) == SECTIONS
    assert describe(PM25, D(5)) == "PM2.5 年均高于目标值（15 μg/m³）的，每差1μg/m³扣0.5分，扣完为止"
    assert describe(SECTIONS, D(20)) == (
        "不达标每月次扣5分，反弹为劣Ⅴ类每月次扣10分，扣完为止；年均值达到目标的，不扣月度分"
    )
    assert Kind("veto").label == "一票否决"
