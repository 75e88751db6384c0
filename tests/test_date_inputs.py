"""Dates reach <input type=date> as YYYY-MM-DD, the only form a browser shows (it shows "2022/09/30" as empty),
in the site's language and whatever language the browser asks for; typed the usual ways, they are accepted."""

from datetime import date

import pytest
from django.urls import reverse

from ecotarget.plans.forms import DeadlineForm
from ecotarget.progress.status import setup_of
from progress.helpers import clock, published
from rendered_forms import ISO_DATE, date_inputs

__all__ = ["clock", "published"]


def test_the_editor_gives_task_32s_deadlines_to_its_date_inputs_as_iso_dates(plan, personas, client_for):
    task = plan.tasks.get(number=32)
    deadlines = [m.due_on.isoformat() for m in task.milestones.all()]
    assert deadlines
    page = client_for(personas.coordinator).get(reverse("plans:task_edit", args=[task.pk])).content.decode()
    assert [value for _, value in date_inputs(page)] == [*deadlines, ""]  # and the blank row for a new one


def test_the_setup_page_gives_the_start_of_scheduled_progress_as_an_iso_date(published, personas, client_for):
    page = client_for(personas.coordinator).get(reverse("progress:setup", args=[published.pk])).content.decode()
    assert ("starts_on", setup_of(published).starts_on.isoformat()) in date_inputs(page)


def test_a_reporters_as_of_dates_are_iso_dates(published, personas, clock, client_for):
    clock(date(2022, 7, 8))
    # 住建局's task 35 has a target its unit reports by hand (城区生活污水处理率); measured ones have no input
    page = client_for(personas.zhujian).get(reverse("progress:my_unit", args=[published.pk])).content.decode()
    values = [value for name, value in date_inputs(page) if "-as_of_" in name]
    assert values and set(values) == {"2022-07-08"}


@pytest.mark.parametrize("language", ["en-US,en", "de-DE,de", "zh-TW", "ja"])
def test_a_browser_asking_for_another_language_gets_iso_dates_too(plan, personas, client_for, language):
    task = plan.tasks.get(number=32)
    url = reverse("plans:task_edit", args=[task.pk])
    page = client_for(personas.coordinator).get(url, headers={"Accept-Language": language}).content.decode()
    values = [value for _, value in date_inputs(page) if value]
    assert values and all(ISO_DATE.match(v) for v in values)


@pytest.mark.parametrize("typed", ["2022-09-30", "2022/09/30", "2022/9/30", "2022.09.30", "2022年9月30日", "20220930"])
def test_a_date_typed_the_usual_ways_is_accepted(typed):
    form = DeadlineForm({"due_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == date(2022, 9, 30)
