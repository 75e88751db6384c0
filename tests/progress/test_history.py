"""History is kept, not recomputed (issue 8, F3, F4, F5, "as of a day").

- A unit owes reports on a task only from the day it was given the task (F3).
- Each closed period keeps each task's status as it stood when it closed; a later extension changes what comes
  next, never a closed period or the half-year figures (F4).
- A task accepted as done takes no new report until the coordinator reopens it (F5).
- `plan_progress(plan, day)` uses only what was known on `day`.
"""

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from ecotarget.core import actions
from ecotarget.dashboard.selectors import dashboard
from ecotarget.plans.models import Assignment
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.closing import period_close
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import PeriodStatus, ProgressReport
from ecotarget.progress.obligations import report_refusal
from ecotarget.progress.rules import Status
from ecotarget.progress.selectors import chase_list, period_progress, plan_progress, unit_page
from ecotarget.progress.services.changes import change_request_create, change_request_decide
from ecotarget.progress.services.handout import SetupData, plan_setup_save
from ecotarget.progress.services.reporting import ReportData, report_save, task_reopen

from .helpers import accept, period, submit, task, unit


def status_of(progress, number: int):
    return next(p for p in progress if p.task.number == number)


def unit_row(plan, name: str, day: date):
    return next(row for row in dashboard(plan, day).units if row.unit.name == name)


def card(client, plan, month: int, task_pk: int):
    """The task's card on the reporter's own page for a period, as the browser gets it."""
    response = client.get(reverse("progress:my_unit", args=[plan.pk]), {"period": month})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(id=f"task-{task_pk}")


# --- F3: a unit owes reports from the day it was given the task ----------------------------------------------------


@pytest.fixture
def guyong_joins_task_12_in_july(published, personas, clock):
    """古镛镇 becomes a co-unit of task 12 (住建局's) on 1 July, after four periods closed since the hand-out."""
    clock(date(2022, 7, 1))
    Assignment.objects.create(
        task=task(published, 12), unit=unit("古镛镇"), role="co", order=9, starts_on=date(2022, 7, 1)
    )
    return published


def test_a_unit_given_a_task_in_july_owes_no_report_for_the_periods_before(
    published, personas, clock, guyong_joins_task_12_in_july
):
    clock(date(2022, 7, 8))
    before = unit_row(published, "古镛镇", date(2022, 7, 8))
    Assignment.objects.filter(task__number=12, unit__name="古镛镇").update(starts_on=None)  # as if from the start
    from_start = unit_row(published, "古镛镇", date(2022, 7, 8))
    # Four periods closed between the hand-out (1 March) and 8 July: March, April, May and June.
    assert from_start.expected - before.expected == 4
    assert from_start.missing - before.missing == 4


def test_the_dashboard_counts_a_late_comer_only_from_its_start(
    published, personas, clock, guyong_joins_task_12_in_july
):
    clock(date(2022, 7, 8))
    row = unit_row(published, "古镛镇", date(2022, 7, 8))
    closed_since_hand_out = 4
    guyong_tasks_at_hand_out = Assignment.objects.filter(unit__name="古镛镇", starts_on__isnull=True).count()
    assert row.expected == closed_since_hand_out * guyong_tasks_at_hand_out
    assert row.missing == row.expected  # it reported nothing, but owes nothing on task 12 yet


def test_a_late_comer_is_chased_for_the_open_period_only(published, personas, clock, guyong_joins_task_12_in_july):
    clock(date(2022, 7, 20))
    june = next(c for c in chase_list(published, period(published, 6), date(2022, 7, 20)) if c.unit.name == "古镛镇")
    july = next(c for c in chase_list(published, period(published, 7), date(2022, 7, 20)) if c.unit.name == "古镛镇")
    assert 12 not in june.missing
    assert 12 in july.missing


def test_a_late_comer_may_report_from_its_start_and_is_told_why_not_before(
    published, personas, clock, guyong_joins_task_12_in_july
):
    clock(date(2022, 7, 8))
    twelve = task(published, 12)
    assert report_refusal(task=twelve, unit=unit("古镛镇"), period=period(published, 7)) == ""
    refusal = report_refusal(task=twelve, unit=unit("古镛镇"), period=period(published, 6))
    assert "2022年7月1日起承担该任务" in refusal
    with pytest.raises(ProgressError, match="2022年7月1日起承担该任务"):
        submit(published, personas.guyong, 12, 6, 50, unit_name="古镛镇")
    rows = {
        r.task.number: r
        for r in unit_page(published, unit("古镛镇"), period(published, 6), date(2022, 7, 8), with_drafts=True).rows
    }
    assert rows[12].finished and "起承担该任务" in rows[12].refusal
    assert submit(published, personas.guyong, 12, 7, 50, unit_name="古镛镇").state == ProgressReport.State.SUBMITTED


# --- F5: a task accepted as done takes no new report ---------------------------------------------------------------


@pytest.fixture
def task_17_done_in_may(published, personas, clock):
    """住建局, the only lead of task 17 (古镛镇 helps), reports it done in May; the coordinator accepts."""
    clock(date(2022, 5, 20))
    accept(submit(published, personas.zhujian, 17, 5, 100, unit_name="住建局"), personas.coordinator)
    clock(date(2022, 6, 10))
    return published


def test_the_lead_cannot_report_again_on_a_task_accepted_as_done(published, personas, task_17_done_in_may):
    with pytest.raises(ProgressError, match="已审核确认完成"):
        submit(published, personas.zhujian, 17, 6, 100, unit_name="住建局")
    assert not ProgressReport.objects.filter(task__number=17, period__number=6).exists()


def test_a_co_unit_cannot_report_on_a_task_its_lead_finished(published, personas, task_17_done_in_may, client_for):
    with pytest.raises(ProgressError, match="已审核确认完成"):
        submit(published, personas.guyong, 17, 6, 80, unit_name="古镛镇")
    shown = card(client_for(personas.guyong), published, 6, task(published, 17).pk)
    assert shown.find("form") is None
    assert "已审核确认完成" in shown.get_text()
    other = card(client_for(personas.guyong), published, 6, task(published, 14).pk)
    assert other.find("form") is not None  # its other tasks still take reports


def test_a_draft_started_before_the_task_was_finished_is_not_offered_for_editing(
    published, personas, clock, client_for
):
    """The page offers a form only where `report_save` would take the report: a co-unit's June draft, begun before
    the lead's May report was accepted as done, is shown with the reason, not as a form that every save refuses."""
    clock(date(2022, 5, 20))
    may = submit(published, personas.zhujian, 17, 5, 100, unit_name="住建局")
    clock(date(2022, 6, 1))
    draft = report_save(
        period=period(published, 6),
        task=task(published, 17),
        unit=unit("古镛镇"),
        user=personas.guyong,
        data=ReportData(progress=ProgressReport.Progress.IN_PROGRESS, percent=80, work_done="配合推进"),
        version=0,
    )
    clock(date(2022, 6, 3))
    accept(may, personas.coordinator)
    with pytest.raises(ProgressError, match="已审核确认完成"):
        submit(published, personas.guyong, 17, 6, 90, unit_name="古镛镇")
    shown = card(client_for(personas.guyong), published, 6, task(published, 17).pk)
    assert shown.find("form") is None
    assert "已审核确认完成" in shown.get_text() and "配合推进" in shown.get_text()
    assert ProgressReport.objects.get(pk=draft.pk).state == ProgressReport.State.DRAFT


def test_the_coordinator_reopens_a_finished_task_and_the_units_report_again(
    published, personas, task_17_done_in_may, client_for
):
    seventeen = task(published, 17)
    with pytest.raises(ProgressError, match="管理员"):
        task_reopen(task=seventeen, user=personas.zhujian, reason="还要做")
    with pytest.raises(ProgressError, match="理由"):
        task_reopen(task=seventeen, user=personas.coordinator, reason=" ")
    task_reopen(task=seventeen, user=personas.coordinator, reason="验收发现问题，需继续整改")
    assert card(client_for(personas.zhujian), published, 6, seventeen.pk).find("form") is not None
    assert submit(published, personas.zhujian, 17, 6, 90, unit_name="住建局").state == ProgressReport.State.SUBMITTED
    reopened = actions.task_timeline(seventeen.pk).get(verb="task.reopen")
    assert reopened.actor_name == "林督查" and reopened.summary == "重新打开任务17：验收发现问题，需继续整改"
    # May stays accepted as done: reopening adds to the history, it does not rewrite it.
    may = ProgressReport.objects.get(task=seventeen, period__number=5)
    assert (may.state, may.progress) == (ProgressReport.State.ACCEPTED, ProgressReport.Progress.DONE)


def test_the_coordinator_reopens_from_the_task_page_as_rendered(published, personas, task_17_done_in_may, client_for):
    seventeen = task(published, 17)
    url = reverse("progress:task", args=[seventeen.pk])
    assert "重新打开任务" not in client_for(personas.zhujian).get(url).content.decode()
    coordinator = client_for(personas.coordinator)
    form = BeautifulSoup(coordinator.get(url).content, "html.parser").find(
        "form", action=reverse("progress:reopen", args=[seventeen.pk])
    )
    data = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    data[form.find("textarea")["name"]] = "验收发现问题，需继续整改"
    # Nobody but the region's coordinator may reopen.
    assert client_for(personas.zhujian).post(form["action"], data).status_code == 403
    assert client_for(personas.leader).post(form["action"], data).status_code == 403
    assert client_for(personas.outsider).post(form["action"], data).status_code == 404
    assert ProgressReport.objects.filter(task=seventeen, reopened_at__isnull=False).count() == 0

    response = coordinator.post(form["action"], data, follow=True)
    assert "已重新打开任务" in response.content.decode()
    assert card(client_for(personas.zhujian), published, 6, seventeen.pk).find("form") is not None


def test_a_finished_task_is_not_owed_or_chased_afterwards(published, personas, task_17_done_in_may):
    june = chase_list(published, period(published, 6), date(2022, 6, 10))
    assert all(17 not in c.missing for c in june)


# --- F4: closed periods keep their statuses ------------------------------------------------------------------------


@pytest.fixture
def task_12_due_mid_june(published, personas, clock):
    """Task 12 must be done by 15 June; 住建局 reports it 60 % done in June (accepted): June closes overdue."""
    clock(date(2022, 3, 2))
    twelve = tasks_with_details(published.tasks.filter(number=12))[0]
    edit = TaskEdit.of(twelve)
    edit.deadlines = [(date(2022, 6, 15), "完成")]
    task_update(task=twelve, user=personas.coordinator, edit=edit)
    clock(date(2022, 6, 20))
    accept(submit(published, personas.zhujian, 12, 6, 60, unit_name="住建局"), personas.coordinator)
    return published


def grant_extension_in_july(plan, personas, clock):
    clock(date(2022, 7, 5))
    request = change_request_create(
        task=task(plan, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        kind="deadline",
        proposal="",
        reason="设备到货延迟",
        new_due_on=date(2022, 9, 30),
    )
    clock(date(2022, 7, 10))
    change_request_decide(change_request=request, user=personas.coordinator, grant=True)


def test_an_extension_granted_in_july_leaves_june_overdue(published, personas, clock, task_12_due_mid_june):
    june = period(published, 6)
    grant_extension_in_july(published, personas, clock)

    assert status_of(period_progress(june), 12).status == Status.OVERDUE
    assert status_of(plan_progress(published, june.due_on), 12).status == Status.OVERDUE
    # The half-year report's cut-off, 30 June, is before the extension too.
    assert status_of(plan_progress(published, date(2022, 6, 30)), 12).status == Status.OVERDUE
    # 住建局's page for June still shows the schedule June closed with: due in full by then.
    june_rows = {
        r.task.number: r for r in unit_page(published, unit("住建局"), june, date(2022, 7, 10), with_drafts=True).rows
    }
    assert june_rows[12].expected == 100.0
    # What comes next follows the new deadline.
    assert status_of(plan_progress(published, date(2022, 7, 10)), 12).status != Status.OVERDUE


def test_june_is_kept_even_when_nobody_looked_at_it_before_the_extension(
    published, personas, clock, task_12_due_mid_june
):
    assert not PeriodStatus.objects.filter(period__plan=published, period__number=6).exists()
    grant_extension_in_july(published, personas, clock)  # the grant freezes June before it changes the task
    kept = PeriodStatus.objects.get(period__number=6, task__number=12)
    assert (kept.status, kept.reported) == (Status.OVERDUE, 60)


def test_the_first_read_after_a_due_date_keeps_the_period(published, personas, clock, task_12_due_mid_june):
    clock(date(2022, 6, 28))  # June was due on Monday 27 June
    plan_progress(published, date(2022, 6, 28))
    assert PeriodStatus.objects.filter(period__number=6).count() == published.tasks.count()
    assert not PeriodStatus.objects.filter(period__number=7).exists()


def test_closing_a_period_twice_changes_nothing(published, personas, clock, task_12_due_mid_june):
    clock(date(2022, 7, 1))
    june = period(published, 6)
    first = period_close(period=june)
    kept = {s.task_id: (s.status, s.frozen_at) for s in PeriodStatus.objects.filter(period=june)}
    clock(date(2022, 7, 2))
    assert first == published.tasks.count()
    assert period_close(period=june) == 0
    assert {s.task_id: (s.status, s.frozen_at) for s in PeriodStatus.objects.filter(period=june)} == kept
    with pytest.raises(ProgressError, match="尚未截止"):
        period_close(period=period(published, 7))


def test_the_daily_reminder_run_closes_the_periods_due(published, personas, clock):
    clock(date(2022, 7, 26))
    call_command("send_reminders", stdout=io.StringIO())
    assert PeriodStatus.objects.filter(period__number=7).count() == published.tasks.count()


def test_a_setup_change_does_not_rewrite_a_closed_period(published, personas, clock):
    clock(date(2022, 5, 20))
    accept(submit(published, personas.zhujian, 29, 5, 10, unit_name="住建局"), personas.coordinator)
    clock(date(2022, 6, 1))
    may = period(published, 5)
    before = status_of(plan_progress(published, may.due_on), 29).status
    plan_setup_save(
        plan=published,
        user=personas.coordinator,
        data=SetupData(lagging_threshold=50, serious_threshold=60),
    )
    assert before == Status.SERIOUS
    assert status_of(plan_progress(published, may.due_on), 29).status == Status.SERIOUS
    assert status_of(plan_progress(published, date(2022, 6, 1)), 29).status != Status.SERIOUS


# --- as of a day ---------------------------------------------------------------------------------------------------


def test_progress_as_of_a_day_uses_only_what_was_known_that_day(published, personas, clock):
    clock(date(2022, 6, 20))
    accept(submit(published, personas.zhujian, 29, 6, 40, unit_name="住建局"), personas.coordinator)
    clock(date(2022, 7, 6))
    july = submit(published, personas.zhujian, 29, 7, 70, unit_name="住建局")
    clock(date(2022, 7, 7))
    accept(july, personas.coordinator)

    assert status_of(plan_progress(published, date(2022, 6, 30)), 29).reported == 40
    assert status_of(plan_progress(published, date(2022, 7, 6)), 29).reported == 40  # submitted, not yet accepted
    assert status_of(plan_progress(published, date(2022, 7, 7)), 29).reported == 70


def test_a_done_report_accepted_after_the_day_does_not_finish_the_task_that_day(published, personas, clock):
    clock(date(2022, 6, 24))
    done = submit(published, personas.zhujian, 12, 6, 100, unit_name="住建局")
    clock(date(2022, 7, 2))
    accept(done, personas.coordinator)
    assert status_of(plan_progress(published, date(2022, 6, 30)), 12).status != Status.DONE
    assert status_of(plan_progress(published, date(2022, 7, 2)), 12).status == Status.DONE
