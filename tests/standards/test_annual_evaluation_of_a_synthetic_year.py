"""HJ 663-2013 annual evaluation on a hand-made 2022 whose answers are worked out in the comments.

Every day: SO₂ 10, NO₂ 20, PM10 40, CO 0.5, O₃ MDA8 100, O₃ max 1h 120 → IAQIs 10, 25, 40, 13, 50, 38: AQI 50 (优).
PM2.5: 20 on 300 days (IAQI 29), 80 on 63 days (2012 IAQI 107, 轻度), 160 on 2 days (IAQI 210, 重度).
CO is invalid on 1–5 March: those five clean days have no AQI (missing pollutant, others ≤ 100) and March keeps
26 CO days < 27, so CO's annual statistic is invalid.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from ecotarget.standards.annual import evaluate_year, spearman_trend, year_validity
from ecotarget.standards.daily import DailyValues
from ecotarget.standards.editions import CHANGEOVER, Edition, EditionSetting, LimitsPhase, default_setting, setting_for

DAYS = np.arange(np.datetime64("2022-01-01"), np.datetime64("2023-01-01"))
HEAVY = [100, 101]  # 11–12 April
POLLUTED = list(range(200, 263))  # 63 days from 20 July
CO_GAP = list(range(59, 64))  # 1–5 March


def synthetic_year() -> DailyValues:
    n = DAYS.size
    pm25 = np.full(n, 20, dtype=np.int32)
    pm25[POLLUTED] = 80
    pm25[HEAVY] = 160
    co = np.full(n, 5, dtype=np.int32)
    co[CO_GAP] = -1
    const = {"so2": 10, "no2": 20, "pm10": 40, "o3_8h": 100, "o3_1h_max": 120}
    values = {k: np.full(n, v, dtype=np.int32) for k, v in const.items()}
    return DailyValues(DAYS, {**values, "pm2_5": pm25, "co": co})


@pytest.fixture(scope="module")
def evaluation():
    excluded = np.isin(np.arange(DAYS.size), HEAVY)  # the two heavy days were a dust storm
    return evaluate_year(synthetic_year(), 2022, exclusions=excluded)


def test_pm25_annual_mean_percentile_and_failure(evaluation):
    pm = evaluation.measured.pollutants["pm2_5"]
    assert pm.annual_mean == 31  # (300·20 + 63·80 + 2·160)/365 = 31.12
    assert pm.percentile_value == 80  # k = 1 + 364·0.95 = 346.8 → X(346) = X(347) = 80
    assert pm.complies is False and pm.exceed_multiple_percentile == Decimal("0.07")  # (80 − 75)/75
    assert pm.exceed_multiple_mean is None  # 31 ≤ 35
    assert pm.exceedance_days == 65 and pm.daily_compliance_rate == Decimal("82.2")  # 300/365


def test_other_pollutants_comply_and_co_is_invalid(evaluation):
    m = evaluation.measured.pollutants
    assert m["so2"].complies and m["no2"].complies and m["pm10"].complies and m["o3_8h"].complies
    assert m["o3_8h"].percentile_value == 100 and m["o3_8h"].annual_mean is None
    assert m["co"].complies is None and not m["co"].validity.is_valid
    assert "3月" in m["co"].validity.reason


def test_q7_overall_result_is_non_compliant_and_names_the_invalid_item(evaluation):
    measured = evaluation.measured
    assert measured.complies is False
    assert "CO 数据不满足有效性 / CO data do not meet the validity rule" in measured.notes
    assert any(n.startswith("PM2.5 超标") for n in measured.notes)


def test_day_counts_as_measured(evaluation):
    measured = evaluation.measured
    assert measured.valid_days == 360  # 5 CO-gap days have no AQI
    assert measured.good_days == 295 and measured.good_ratio == Decimal("81.9")  # 295/360
    assert measured.heavy_days == 2
    assert measured.level_days == (295, 0, 63, 0, 2, 0)


def test_results_after_excluding_the_dust_days(evaluation):
    after = evaluation.after_exclusion
    assert evaluation.excluded_days["pm2_5"] == 2
    assert after.pollutants["pm2_5"].annual_mean == 30  # (6000 + 5040)/363 = 30.41
    assert after.heavy_days == 0 and after.valid_days == 358
    assert after.good_ratio == Decimal("82.4")  # 295/358
    assert after.pollutants["pm2_5"].validity.is_valid  # validity judged on the measured series


def test_every_result_names_its_rules(evaluation):
    assert evaluation.setting == default_setting(2022)
    assert "HJ 633-2012" in evaluation.setting_text and "GB 3095-2012" in evaluation.setting_text


def test_the_same_year_under_the_2026_rules():
    ev = evaluate_year(synthetic_year(), 2022, setting_for(2022, "2026"))
    pm = ev.measured.pollutants["pm2_5"]
    assert ev.setting.limits is LimitsPhase.GB3095_2026_TRANSITIONAL
    assert pm.annual_limit == 30 and pm.exceed_multiple_mean == Decimal("0.03")  # (31 − 30)/30
    assert ev.measured.daily.aqi[POLLUTED[0]] == 119  # PM2.5 80: 100 + 50·20/55 = 118.2 → 119


def test_a_straddling_year_uses_each_days_edition():
    days = np.arange(np.datetime64("2026-01-01"), np.datetime64("2027-01-01"))
    pm = np.full(days.size, 70, dtype=np.int32)
    values = {k: np.zeros(days.size, dtype=np.int32) for k in ("so2", "no2", "pm10", "co", "o3_8h", "o3_1h_max")}
    ev = evaluate_year(DailyValues(days, {**values, "pm2_5": pm}), 2026)
    assert ev.setting.straddles and "per-day" in ev.setting_text
    aqi = ev.measured.daily.aqi
    assert aqi[0] == 94 and aqi[59] == 110  # 1 January under 2012, 1 March under 2026
    assert ev.measured.good_days == 59
    # exceedance days: Jan–Feb against GB 3095-2012 (75), March on against the 2026 transitional limit (60)
    assert ev.measured.pollutants["pm2_5"].exceedance_days == days.size - 59


def test_q4_q5_year_validity():
    year = np.arange(np.datetime64("2022-01-01"), np.datetime64("2023-01-01"))
    every = np.ones(year.size, dtype=bool)
    assert year_validity(year, every).is_valid  # Q5
    feb24 = every.copy()
    feb24[31:35] = False  # February keeps 24 days; 361 in the year
    v = year_validity(year, feb24)
    assert not v.is_valid and v.per_month[1] == 24 and "2月" in v.reason
    feb25 = every.copy()
    feb25[31:34] = False
    assert year_validity(year, feb25).is_valid
    few = every.copy()
    few[np.arange(12) * 30 + 3] = False  # 353 days, each month ≥ 27
    few[np.flatnonzero(few)[::12][:30]] = False  # now 323 days
    v = year_validity(year, few)
    assert v.valid_days == 323 and not v.is_valid


def test_q4_enough_days_in_every_month_but_323_in_total_is_invalid():
    year = np.arange(np.datetime64("2022-01-01"), np.datetime64("2023-01-01"))
    valid = np.zeros(year.size, dtype=bool)
    months = year.astype("datetime64[M]")
    for m in np.unique(months):
        idx = np.flatnonzero(months == m)
        valid[idx[:27]] = True  # 27 a month = 324
    valid[np.flatnonzero(valid)[-1]] = False  # one less
    v = year_validity(year, valid)
    assert v.valid_days == 323 and not v.is_valid and min(v.per_month) == 26


def test_spearman_trend_needs_five_years_and_compares_with_the_critical_value():
    assert spearman_trend([150, 152, 149, 155]).significant is None
    rising = spearman_trend([140, 145, 150, 149, 160])  # ρ = 1 − 6·2/120 = 0.9, not > 0.900
    assert rising.rho == pytest.approx(0.9) and rising.significant is False
    assert spearman_trend([140, 145, 150, 155, 160]).direction == "上升"
    assert spearman_trend([160, 150, 150, 140, 130, 120]).direction == "下降"


def test_default_settings_follow_the_plan_year():
    assert default_setting(2022) == EditionSetting(2022, Edition.E2012, LimitsPhase.GB3095_2012)
    assert default_setting(2026).daily is None and default_setting(2026).limits is LimitsPhase.GB3095_2026_TRANSITIONAL
    assert default_setting(2031).limits is LimitsPhase.GB3095_2026_FINAL
    assert setting_for(2026, "2012").limits is LimitsPhase.GB3095_2012
    assert dt.date(2026, 3, 1) == CHANGEOVER
