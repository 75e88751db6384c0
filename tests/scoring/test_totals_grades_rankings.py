"""Totals converted to 100, grades with the top-N rule, vetoes and rankings with ties, by worked examples."""

from decimal import Decimal as D

import pytest

from ecotarget.scoring.items import ItemResult, pending
from ecotarget.scoring.rules import Kind
from ecotarget.scoring.totals import Grading, standings, total_of


def base(points, score, kind=Kind.MANUAL, **extra):
    return ItemResult(kind=kind, points=D(points), score=D(score), lost=D(points) - D(score), working="", **extra)


def total(final, vetoed=False):
    items = [base(100, final)]
    if vetoed:
        items.append(ItemResult(kind=Kind.VETO, points=D(0), score=D(0), working="一票否决：数据造假", vetoed=True))
    return total_of(items)


def test_a_hundred_point_scheme_is_its_own_total():
    result = total_of([base(60, "52.5"), base(40, 38)])
    assert (result.base_points, result.converted, result.final) == (D(100), D("90.50"), D("90.50"))
    assert result.working == "基本分 90.5 分（满分 100 分），总分 90.5 分"


def test_a_unit_with_fewer_points_is_converted_to_a_hundred():
    # A township without water sections: its items make 80 points, it kept 68 → 68 × 100 ÷ 80 = 85.
    result = total_of([base(50, 44), base(30, 24), base(20, 0, applicable=False)])
    assert result.base_points == D(80)
    assert result.converted == D("85.00")
    assert "折算为百分制 68.0 × 100 ÷ 80 = 85.0 分" in result.working


def test_conversion_rounds_once_to_the_schemes_places():
    result = total_of([base(90, "77.77")])  # 86.41111…
    assert result.converted == D("86.41")
    assert total_of([base(90, "77.77")], places=1).converted == D("86.4")


def test_bonus_and_penalty_come_after_the_conversion_and_the_total_stays_at_or_above_zero():
    items = [base(80, 72), base(0, 2, kind=Kind.BONUS), base(0, 3, kind=Kind.PENALTY)]
    result = total_of(items)
    assert (result.converted, result.bonus, result.penalty, result.final) == (D("90.00"), D(2), D(3), D("89.00"))
    assert result.working.endswith("加分 2.0 分，惩罚性扣分 3.0 分，总分 89.0 分")
    assert total_of([base(100, 2), base(0, 5, kind=Kind.PENALTY)]).final == 0


def test_unscored_items_count_nothing_and_the_total_says_how_high_it_could_still_go():
    # A unit's 20 base points: 15 scored 12, a 5-point survey not yet scored; a 1-point bonus.
    items = [base(15, 12), pending(Kind.MANUAL, D(5)), base(0, 1, kind=Kind.BONUS)]
    result = total_of(items)
    assert result.provisional
    assert (result.pending, result.pending_points) == (1, D(5))
    # 12 of 20 → 60 on the hundred, + 1 = 61; the survey at full: 17 of 20 → 85, + 1 = 86.
    assert (result.final, result.ceiling) == (D("61.00"), D("86.00"))
    assert result.working.endswith("总分 61.0 分，1 项待评分（共 5 分）按 0 分计，评定后最高 86.0 分")


def test_a_total_with_every_item_scored_is_its_own_ceiling():
    result = total_of([base(100, 83)])
    assert not result.provisional and result.ceiling == result.final == D(83)


@pytest.mark.parametrize(
    ("final", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("79.99", "合格"),
        ("60", "合格"),
        ("59.99", "不合格"),
    ],
)
def test_grade_thresholds(final, grade):
    [standing] = standings([("u", "department", total(D(final)))])
    assert standing.grade == grade


def test_the_thresholds_are_the_schemes_own():
    grading = Grading(bands=(("优秀", D(95)), ("合格", D(70))))
    assert [s.grade for s in standings([("a", "g", total(92)), ("b", "g", total(69))], grading)] == ["合格", "不合格"]
    with pytest.raises(ValueError, match="从高到低"):
        Grading(bands=(("合格", D(60)), ("优秀", D(90))))


def test_a_veto_fails_the_unit_whatever_its_score_and_ranks_it_last():
    result = standings([("a", "g", total(98, vetoed=True)), ("b", "g", total(70))])
    by_key = {s.key: s for s in result}
    assert by_key["a"].grade == "不合格"
    assert by_key["a"].note == "一票否决，评为不合格"
    assert (by_key["b"].rank, by_key["a"].rank) == (1, 2)


def test_ties_share_a_rank_and_the_next_one_skips():
    entries = [("a", "g", total(95)), ("b", "g", total(95)), ("c", "g", total(91)), ("d", "g", total(80))]
    assert [(s.key, s.rank) for s in standings(entries)] == [("a", 1), ("b", 1), ("c", 3), ("d", 4)]


def test_departments_and_townships_rank_separately():
    entries = [
        ("住建局", "department", total(88)),
        ("古镛镇", "township", total(82)),
        ("水利局", "department", total(91)),
    ]
    ranks = {s.key: (s.rank, s.of) for s in standings(entries)}
    assert ranks == {"水利局": (1, 2), "住建局": (2, 2), "古镛镇": (1, 1)}


def test_with_top_n_an_excellent_score_outside_the_first_n_is_graded_good():
    grading = Grading(top_n=2)
    entries = [("a", "g", total(97)), ("b", "g", total(95)), ("c", "g", total(93)), ("d", "g", total(85))]
    result = {s.key: s for s in standings(entries, grading)}
    assert [result[k].grade for k in "abcd"] == ["优秀", "优秀", "良好", "良好"]
    assert result["c"].note == "得分达到优秀，但排名第 3，未进入前 2 名，评为良好"


def test_units_tied_at_the_last_excellent_place_are_both_excellent():
    entries = [("a", "g", total(97)), ("b", "g", total(95)), ("c", "g", total(95))]
    assert [s.grade for s in standings(entries, Grading(top_n=2))] == ["优秀", "优秀", "优秀"]
