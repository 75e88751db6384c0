"""Deducted days, past figures and the edition of each measured target: coordinators change them, others read."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ecotarget.monitoring.models import AnnualFigure, DayExclusion, IndicatorBinding
from ecotarget.monitoring.readings import reading_for

from .test_readings import CLEAN


def settings_url(plan) -> str:
    return reverse("monitoring:settings", args=[plan.pk])


def test_the_coordinator_deducts_a_dust_day_and_the_official_figure_follows(
    plan, bound, air_days, personas, client_for
):
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 23 if d < 10 else 160} for d in range(1, 11)})
    client = client_for(personas.coordinator)
    response = client.post(
        settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10", "x-reason": "沙尘天气过程"}
    )
    assert response.status_code == 302
    assert reading_for(bound["重污染天气"], date(2022, 1, 10)).value == 0
    exclusion = DayExclusion.objects.get()
    client.post(settings_url(plan), {"action": "exclusion_remove", "id": exclusion.pk, "reason": "经核实非沙尘"})
    assert reading_for(bound["重污染天气"], date(2022, 1, 10)).value == 1


def test_a_cancelled_deduction_is_retired_with_who_and_why_never_deleted(plan, personas, client_for):
    client = client_for(personas.coordinator)
    client.post(settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10", "x-reason": "沙尘天气过程"})
    exclusion = DayExclusion.objects.get()
    client.post(settings_url(plan), {"action": "exclusion_remove", "id": exclusion.pk, "reason": "经核实非沙尘"})
    exclusion.refresh_from_db()
    assert (exclusion.retired_by, exclusion.retired_reason) == (personas.coordinator, "经核实非沙尘")
    assert exclusion.retired_at is not None
    assert "沙尘天气过程" not in client.get(settings_url(plan)).content.decode()
    # The day may be deducted again: a new row, the retired one stays.
    client.post(settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10", "x-reason": "例外事件"})
    assert [(x.reason, x.retired_at is None) for x in DayExclusion.objects.order_by("pk")] == [
        ("沙尘天气过程", False),
        ("例外事件", True),
    ]


def test_cancelling_a_deduction_needs_a_reason(plan, personas, client_for):
    client = client_for(personas.coordinator)
    client.post(settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10", "x-reason": "沙尘天气过程"})
    exclusion = DayExclusion.objects.get()
    response = client.post(settings_url(plan), {"action": "exclusion_remove", "id": exclusion.pk, "reason": " "})
    assert "请写明取消扣除的原因" in response.content.decode()
    assert DayExclusion.objects.in_force().get() == exclusion


def test_a_deduction_needs_a_reason(plan, personas, client_for):
    client_for(personas.coordinator).post(settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10"})
    assert not DayExclusion.objects.exists()


def test_past_figures_give_the_three_year_baseline(plan, bound, air_days, personas, client_for):
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 23} for d in range(1, 4)})
    client = client_for(personas.coordinator)
    for year, value in [(2019, "97.5"), (2020, "98.1"), (2021, "99.0")]:
        client.post(
            settings_url(plan),
            {
                "action": "figure_set",
                "f-indicator": "good_day_ratio",
                "f-scope": "",
                "f-year": year,
                "f-value": value,
                "f-source": f"{year}年将乐县环境质量公报",
            },
        )
    assert AnnualFigure.objects.count() == 3
    reading = reading_for(bound["空气质量优良天数比例"], date(2022, 1, 3))
    assert (reading.threshold, reading.status) == (Decimal("98.2"), "met")


def test_a_corrected_past_figure_retires_the_one_it_replaces(plan, bound, air_days, personas, client_for):
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 23} for d in range(1, 4)})
    client = client_for(personas.coordinator)
    for year, value, source in [
        (2019, "97.5", "公报"),
        (2020, "98.1", "公报"),
        (2021, "90.0", "初稿"),
        (2021, "99.0", "公报"),
    ]:
        client.post(
            settings_url(plan),
            {
                "action": "figure_set",
                "f-indicator": "good_day_ratio",
                "f-scope": "",
                "f-year": year,
                "f-value": value,
                "f-source": source,
            },
        )
    old, new = AnnualFigure.objects.filter(year=2021).order_by("pk")
    assert (old.value, old.retired_by, new.value, new.retired_at) == (90, personas.coordinator, 99, None)
    assert "由新数值替换" in old.retired_reason
    # The three-year baseline reads only the figures in force: (97.5 + 98.1 + 99.0) / 3, not 95.2.
    assert reading_for(bound["空气质量优良天数比例"], date(2022, 1, 3)).threshold == Decimal("98.2")


def test_the_coordinator_chooses_the_edition_of_a_measured_target(plan, bound, personas, client_for):
    binding = bound["PM2.5浓度"]
    client_for(personas.coordinator).post(
        settings_url(plan), {"action": "edition", "id": binding.pk, "edition": "2026"}
    )
    assert IndicatorBinding.objects.get(pk=binding.pk).edition == "2026"


@pytest.mark.parametrize("persona", ["zhujian", "guyong", "leader"])
def test_others_read_the_settings_but_may_not_change_them(plan, bound, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(settings_url(plan)).status_code == 200
    response = client.post(settings_url(plan), {"action": "exclusion_add", "x-day": "2022-01-10", "x-reason": "沙尘"})
    assert response.status_code == 403 and not DayExclusion.objects.exists()


def test_another_county_cannot_reach_the_settings(plan, personas, client_for):
    assert client_for(personas.outsider).get(settings_url(plan)).status_code == 404
