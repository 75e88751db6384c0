"""A target that monitoring measures is shown to the reporter, read-only, and never asked for.

Task 15 (古镛镇 is a co-unit) has PM2.5 and PM10 bound to the county's air stations; task 14's water targets
are bound to the sections, for which these tests store no data.
"""

from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from ecotarget.monitoring.models import Indicator, IndicatorBinding
from ecotarget.monitoring.services import binding_remove, binding_set
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import ProgressReport, TargetValue
from ecotarget.progress.services.reporting import ReportData, report_save
from monitoring.test_readings import CLEAN
from rendered_forms import the_form

from .helpers import period, submit, task, unit


def card(page: str, task_pk: int):
    return lxml.html.document_fromstring(page).get_element_by_id(f"task-{task_pk}")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def july(published, bound, clock, air_days):
    air_days({date(2022, 7, d): CLEAN | {"pm2_5": 20, "pm10": 40} for d in range(1, 8)})
    clock(date(2022, 7, 8))
    return published


def test_the_card_shows_measured_targets_with_their_value_and_asks_only_for_the_others(july, personas, client_for):
    chen = client_for(personas.guyong)
    url = reverse("progress:my_unit", args=[july.pk])
    page = chen.get(url).content.decode()
    for number in (14, 15):
        measured = task(july, number).targets.filter(pk__in=IndicatorBinding.objects.in_force().values("target"))
        assert measured.exists()
        form = the_form(page, url, reverse("progress:report_edit", args=[july.pk, 7, task(july, number).pk]))
        asked = {name for name, _ in form.controls}
        for target in measured:
            assert f"t{target.task_id}-value_{target.pk}" not in asked
            assert f"t{target.task_id}-as_of_{target.pk}" not in asked
    pm25 = text_of(card(page, task(july, 15).pk))
    assert "PM2.5" in pm25 and "监测 20 微克/立方米" in pm25
    water = text_of(card(page, task(july, 14).pk))
    assert "暂无监测数据" in water


def test_the_service_refuses_a_typed_value_for_a_measured_target(july, personas):
    target = task(july, 15).targets.get(metric__contains="PM2.5")
    with pytest.raises(ProgressError, match="由监测数据计算"):
        report_save(
            period=period(july, 7),
            task=task(july, 15),
            unit=unit("古镛镇"),
            user=personas.guyong,
            data=ReportData(progress="in_progress", percent=50, values={target.pk: (Decimal(100), date(2022, 7, 1))}),
            version=0,
        )
    assert not ProgressReport.objects.filter(task=target.task).exists()


def test_a_value_posted_for_a_measured_target_is_not_stored(july, personas, client_for):
    chen = client_for(personas.guyong)
    target = task(july, 15).targets.get(metric__contains="PM2.5")
    url = reverse("progress:my_unit", args=[july.pk])
    action = reverse("progress:report_edit", args=[july.pk, 7, target.task_id])
    form = the_form(chen.get(url).content.decode(), url, action)
    data = dict(form.submission()) | {
        f"t{target.task_id}-value_{target.pk}": "100",
        f"t{target.task_id}-as_of_{target.pk}": "2022-07-01",
    }
    assert chen.post(action, data, headers={"HX-Request": "true"}).status_code == 200
    assert ProgressReport.objects.filter(task=target.task, unit__name="古镛镇").exists()
    assert not TargetValue.objects.filter(target=target).exists()


def test_a_value_typed_before_the_target_was_bound_is_not_shown_as_current(
    published, personas, clock, client_for, stations, air_days
):
    clock(date(2022, 6, 20))
    target = task(published, 15).targets.get(metric__contains="PM2.5")
    binding = IndicatorBinding.objects.in_force().get(target=target)
    binding_remove(binding=binding, user=personas.coordinator, reason="点位检修")  # reported by hand for a while
    submit(
        published,
        personas.guyong,
        15,
        6,
        50,
        unit_name="古镛镇",
        values={target.pk: (Decimal(100), date(2022, 6, 20))},
    )
    binding_set(target=target, indicator=Indicator.PM2_5_ANNUAL, user=personas.coordinator)
    air_days({date(2022, 6, d): CLEAN | {"pm2_5": 20} for d in range(1, 20)})
    page = client_for(personas.guyong).get(reverse("progress:my_unit", args=[published.pk]) + "?period=6")
    shown = text_of(card(page.content.decode(), target.task_id))
    assert "监测 20 微克/立方米" in shown
    assert f"{target.metric}：100" not in shown  # how a typed value reads on the card


def test_a_measured_ratio_without_its_past_years_says_the_baseline_is_missing_not_that_there_are_no_data(
    july, personas, client_for
):
    page = client_for(personas.guyong).get(reverse("progress:my_unit", args=[july.pk])).content.decode()
    good_days = next(
        line for line in card(page, task(july, 15).pk).xpath(".//p[@class='reading']") if "优良天数" in text_of(line)
    )
    assert "监测 100%" in text_of(good_days)  # clean air every day so far
    assert "尚无比较基准" in text_of(good_days) and "无数据" not in text_of(good_days)
