"""Each task's status from the lead units' accepted reports against scheduled progress; escalation."""

from datetime import date
from decimal import Decimal

from ecotarget.progress.rules import Status
from ecotarget.progress.selectors import plan_progress
from ecotarget.progress.services.handout import SetupData, plan_setup_save

from .helpers import accept, submit, task


def status_of(plan, number, day):
    return next(p for p in plan_progress(plan, day) if p.task.number == number)


def test_a_task_nobody_reported_on_is_not_reported_and_a_submitted_report_counts_once_accepted(
    published, personas, clock
):
    clock(date(2022, 5, 10))
    assert status_of(published, 12, date(2022, 5, 10)).status == Status.NOT_REPORTED
    report = submit(published, personas.zhujian, 12, 5, 40, unit_name="住建局")
    assert status_of(published, 12, date(2022, 5, 10)).status == Status.NOT_REPORTED  # pending review
    accept(report, personas.coordinator)
    progress = status_of(published, 12, date(2022, 5, 10))
    # Expected on 10 May for a task running to the year end: 129 of 364 days.
    assert (progress.status, progress.expected, progress.reported, progress.lag) == (Status.ON_TRACK, 35.4, 40, -4.6)
    assert progress.lag_words == "当时超前 4.6 个百分点"  # ahead is never said as a negative lag


def test_lagging_and_seriously_lagging_follow_the_plans_thresholds(published, personas, clock):
    clock(date(2022, 5, 10))
    accept(submit(published, personas.zhujian, 12, 5, 25, unit_name="住建局"), personas.coordinator)  # 10.4 behind
    accept(submit(published, personas.zhujian, 43, 5, 10, unit_name="住建局"), personas.coordinator)  # 25.4 behind
    assert status_of(published, 12, date(2022, 5, 10)).status == Status.LAGGING
    assert status_of(published, 12, date(2022, 5, 10)).lag_words == "当时滞后 10.4 个百分点"
    assert status_of(published, 43, date(2022, 5, 10)).status == Status.SERIOUS
    plan_setup_save(
        plan=published, user=personas.coordinator, data=SetupData(lagging_threshold=15, serious_threshold=30)
    )
    assert status_of(published, 12, date(2022, 5, 10)).status == Status.ON_TRACK
    assert status_of(published, 43, date(2022, 5, 10)).status == Status.LAGGING


def test_around_a_milestone_the_expected_percent_bends_at_half_the_task(published):
    # Task 64 (县委办): half by 30 June, all by 31 December.
    expected = [
        status_of(published, 64, day).expected for day in (date(2022, 6, 29), date(2022, 6, 30), date(2022, 7, 1))
    ]
    assert expected == [49.7, 50.0, 50.3]


def test_a_unit_that_let_the_last_due_date_pass_is_not_reported_again(published, personas, clock):
    clock(date(2022, 4, 20))
    accept(submit(published, personas.zhujian, 12, 4, 30, unit_name="住建局"), personas.coordinator)
    assert status_of(published, 12, date(2022, 4, 30)).status == Status.ON_TRACK
    # April's report was due 25 April; by 30 May the May report (due 25 May) is missing.
    assert status_of(published, 12, date(2022, 5, 30)).status == Status.NOT_REPORTED


def test_a_task_past_its_deadline_and_not_done_is_overdue_and_a_done_one_is_done(published, personas, clock):
    clock(date(2022, 12, 20))
    accept(submit(published, personas.zhujian, 12, 12, 100, unit_name="住建局"), personas.coordinator)
    accept(submit(published, personas.zhujian, 43, 12, 95, unit_name="住建局"), personas.coordinator)
    assert status_of(published, 12, date(2023, 1, 5)).status == Status.DONE
    assert status_of(published, 43, date(2023, 1, 5)).status == Status.OVERDUE


def test_a_numeric_target_the_latest_value_misses_makes_the_task_lagging(published, personas, clock):
    clock(date(2022, 5, 10))
    target = task(published, 35).targets.get()  # 城区生活污水处理率 ≥ 95 %
    accept(
        submit(
            published,
            personas.zhujian,
            35,
            5,
            50,
            unit_name="住建局",
            values={target.pk: (Decimal("93.5"), date(2022, 4, 30))},
        ),
        personas.coordinator,
    )
    progress = status_of(published, 35, date(2022, 5, 10))
    assert progress.status == Status.LAGGING
    assert progress.missed_targets == ["城区生活污水处理率 ≥ 95 %（当前 93.5）"]


def test_a_task_lagging_two_periods_in_a_row_is_flagged_for_the_leaders(published, personas, clock):
    clock(date(2022, 3, 20))
    accept(submit(published, personas.zhujian, 12, 3, 5, unit_name="住建局"), personas.coordinator)
    accept(submit(published, personas.zhujian, 43, 3, 5, unit_name="住建局"), personas.coordinator)
    clock(date(2022, 4, 20))
    accept(submit(published, personas.zhujian, 12, 4, 10, unit_name="住建局"), personas.coordinator)
    accept(submit(published, personas.zhujian, 43, 4, 40, unit_name="住建局"), personas.coordinator)
    on = date(2022, 5, 10)
    assert status_of(published, 12, on).escalated
    assert not status_of(published, 43, on).escalated  # caught up in April
    assert not status_of(published, 12, date(2022, 4, 20)).escalated  # only one closed period lagging then
