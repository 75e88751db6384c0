"""The progress rules: scheduled progress (序时进度), task status, when a task is finished; no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecotarget.plans.targets import target_met
from ecotarget.progress.rules import (
    Status,
    Thresholds,
    classify,
    expected_percent,
    final_deadline,
    lagging_periods_in_a_row,
    task_finished,
)

START, YEAR_END = date(2022, 1, 1), date(2022, 12, 31)
MILESTONES = [date(2022, 9, 30), date(2022, 12, 31)]  # task 32: 9月底前划定, 年底前完成整治


def expected(on, deadlines=MILESTONES):
    return expected_percent(start=START, deadlines=deadlines, on=on, year_end=YEAR_END)


def test_a_task_without_deadlines_runs_in_a_straight_line_to_the_year_end():
    assert expected(date(2022, 1, 1), []) == 0
    assert expected(date(2022, 7, 2), []) == pytest.approx(50, abs=0.2)
    assert expected(date(2022, 12, 31), []) == 100


@pytest.mark.parametrize(
    ("day", "percent"),
    [
        (date(2022, 9, 29), 49.8),  # the day before the first milestone
        (date(2022, 9, 30), 50.0),  # on it: half the task
        (date(2022, 10, 1), 50.5),  # the day after: on towards the second
        (date(2022, 12, 30), 99.5),
        (date(2022, 12, 31), 100.0),
        (date(2023, 1, 1), 100.0),
    ],
)
def test_each_milestone_is_worth_its_share_and_the_line_bends_at_it(day, percent):
    assert expected(day) == percent


def test_before_the_plan_starts_nothing_is_expected():
    assert expected(date(2021, 12, 1)) == 0


def test_a_milestone_before_the_start_is_due_at_the_start():
    assert (
        expected_percent(start=date(2022, 3, 1), deadlines=[date(2022, 2, 1)], on=date(2022, 3, 1), year_end=YEAR_END)
        == 100
    )


@given(
    st.lists(st.dates(date(2022, 1, 2), date(2022, 12, 31)), max_size=5), st.dates(date(2022, 1, 1), date(2022, 12, 31))
)
def test_expected_progress_never_falls_as_days_pass(deadlines, day):
    later = day + timedelta(days=1)
    assert 0 <= expected(day, deadlines) <= expected(later, deadlines) <= 100


def test_the_final_deadline_is_the_last_milestone_or_the_year_end():
    assert final_deadline(MILESTONES, YEAR_END) == date(2022, 12, 31)
    assert final_deadline([date(2022, 6, 30)], YEAR_END) == date(2022, 6, 30)
    assert final_deadline([], YEAR_END) == YEAR_END


@pytest.mark.parametrize(
    ("reported", "status"),
    [(45, Status.ON_TRACK), (41, Status.ON_TRACK), (40, Status.LAGGING), (26, Status.LAGGING), (25, Status.SERIOUS)],
)
def test_lag_thresholds_default_to_10_and_25_points(reported, status):
    assert classify(expected=50, reported=reported, done=False, overdue=False) == status


def test_a_plan_may_set_its_own_thresholds():
    strict = Thresholds(lagging=5, serious=15)
    assert classify(expected=50, reported=44, done=False, overdue=False, thresholds=strict) == Status.LAGGING
    assert classify(expected=50, reported=35, done=False, overdue=False, thresholds=strict) == Status.SERIOUS
    with pytest.raises(ValueError):
        Thresholds(lagging=30, serious=20)


def test_done_overdue_and_not_reported_come_before_lag():
    assert classify(expected=100, reported=100, done=True, overdue=False) == Status.DONE
    assert classify(expected=100, reported=90, done=False, overdue=True) == Status.OVERDUE
    assert classify(expected=30, reported=None, done=False, overdue=False) == Status.NOT_REPORTED


def test_a_missed_numeric_target_makes_the_task_at_least_lagging():
    assert classify(expected=50, reported=60, done=False, overdue=False, target_missed=True) == Status.LAGGING
    assert classify(expected=50, reported=10, done=False, overdue=False, target_missed=True) == Status.SERIOUS
    assert classify(expected=100, reported=100, done=True, overdue=False, target_missed=True) == Status.LAGGING


def test_targets_compare_the_latest_value_with_the_goal():
    assert target_met("<=", 15, 14.9) and not target_met("<=", 15, 15.1)
    assert target_met(">=", 95, 95) and not target_met(">=", 95, 94.5)
    assert target_met("==", 0, 0) and not target_met("==", 0, 1)


def test_escalation_counts_lagging_periods_back_from_the_latest():
    assert lagging_periods_in_a_row([Status.LAGGING, Status.SERIOUS]) == 2
    assert lagging_periods_in_a_row([Status.LAGGING, Status.ON_TRACK]) == 0
    assert lagging_periods_in_a_row([Status.ON_TRACK, Status.OVERDUE]) == 1


def test_a_task_is_finished_when_every_lead_unit_has_finished_it():
    assert task_finished({1, 2}, [1, 2, 3])
    assert not task_finished({1, 2}, [1])
    assert not task_finished(set(), [1])  # a task nobody leads is never finished by default
