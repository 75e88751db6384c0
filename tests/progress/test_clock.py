"""The site's clock (issue 8, J): what the app writes carries the site's day, and every time is shown in the
region's zone (Asia/Shanghai)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from ecotarget.core import actions
from ecotarget.core import clock as site_clock
from ecotarget.plans.models import TaskChange
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.models import PlanSetup, ReportEvent
from ecotarget.progress.selectors import chase_list
from ecotarget.progress.services.handout import plan_groups_keep_with_leads, plan_publish
from ecotarget.progress.services.reminders import reminder_send

from .helpers import period, submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def test_without_a_pinned_day_the_clock_is_the_real_time(settings):
    settings.ECOTARGET_TODAY = ""
    with time_machine.travel(datetime(2026, 12, 2, 23, 30, tzinfo=SHANGHAI), tick=False):
        assert site_clock.now() == timezone.now()
        assert site_clock.today() == date(2026, 12, 2)


def test_a_pinned_day_keeps_the_time_of_day_in_the_regions_zone(settings):
    settings.ECOTARGET_TODAY = "2022-07-08"
    # 16:15 UTC on 1 December is 00:15 on 2 December in Shanghai: the pinned day, at 00:15 Shanghai time.
    with time_machine.travel(datetime(2026, 12, 1, 16, 15, tzinfo=ZoneInfo("UTC")), tick=False):
        now = site_clock.now()
    assert local(now) == datetime(2022, 7, 8, 0, 15, tzinfo=SHANGHAI)


def test_actions_on_a_pinned_day_are_recorded_on_that_day_in_order(plan, personas, settings, tmp_path):
    """The demo runs pinned to 8 July 2022 while the real date is December: a report submitted then says 7月8日."""
    settings.MEDIA_ROOT = tmp_path
    settings.ECOTARGET_TODAY = "2022-07-08"
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        plan_groups_keep_with_leads(plan=plan, user=personas.coordinator)
        plan_publish(plan=plan, user=personas.coordinator)
        twelve = tasks_with_details(plan.tasks.filter(number=12))[0]
        edit = TaskEdit.of(twelve)
        edit.text = twelve.text + "（含公共机构）"
        task_update(task=twelve, user=personas.coordinator, edit=edit)
    with time_machine.travel(datetime(2026, 12, 2, 11, 0, tzinfo=SHANGHAI), tick=False):
        report = submit(plan, personas.zhujian, 12, 7, 50, unit_name="住建局")

    assert local(PlanSetup.objects.get(plan=plan).published_at) == datetime(2022, 7, 8, 10, 0, tzinfo=SHANGHAI)
    assert local(TaskChange.objects.get(task=twelve, action="edit").at).date() == date(2022, 7, 8)
    assert local(report.submitted_at) == datetime(2022, 7, 8, 11, 0, tzinfo=SHANGHAI)
    assert local(report.created_at) == local(report.updated_at) == local(report.submitted_at)
    assert {local(e.at) for e in ReportEvent.objects.filter(report=report)} == {local(report.submitted_at)}
    # The task's history reads in the order things happened: the report after the edit.
    whats = [action.summary for action in actions.task_timeline(twelve.pk)]
    assert whats.index("住建局 2022年7月报告 报送（第1版）") < whats.index("修改任务12：任务内容")


def test_the_reminder_log_shows_delivery_times_in_shanghai_time(published, personas, clock, client_for):
    clock(date(2022, 5, 20), hour=10)  # 10:00 in Shanghai is 02:00 UTC
    chase = next(c for c in chase_list(published, period(published, 5), date(2022, 5, 20)) if c.unit.name == "住建局")
    personas.zhujian.email = "wang@jl.gov.cn"
    personas.zhujian.save()
    sent = reminder_send(period=period(published, 5), chase=chase, user=personas.coordinator)
    assert sent and sent[0].attempts
    page = client_for(personas.coordinator).get(reverse("progress:reminders", args=[published.pk]), {"period": 5})
    log = BeautifulSoup(page.content, "html.parser").find("h2", string="催办记录").find_next("table")
    row = log.find("tbody").find("tr").get_text(" ", strip=True)
    assert "05-20 10:00" in row  # when it was logged
    assert "10:00:00" in row  # when each delivery was tried
    assert "02:00" not in row


@pytest.mark.parametrize("stamp", ["not a time", ""])
def test_a_delivery_time_that_is_not_a_time_is_shown_as_it_is(stamp):
    from ecotarget.progress.templatetags.progress_tags import local_time

    assert local_time(stamp) == stamp
