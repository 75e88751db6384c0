"""Air-quality and surface-water indicators exactly as the Chinese national standards define them.

Pure Python + NumPy (no Django).  Air: HJ 633-2012 / HJ 633-2026 (AQI), HJ 663-2013 (evaluation), GB 3095-2012 /
GB 3095-2026 (limits).  Water: GB 3838-2002 with the 环办〔2011〕22号 evaluation method.  Every air function takes
the edition it applies; see `editions`.  Concentrations travel as integers in their rounding unit (µg/m³, CO in
0.1 mg/m³) with MISSING (-1) for invalid values; `rounding.to_units` turns user floats into them.
"""

from .annual import AirYearResult, AnnualEvaluation, PollutantYear, Validity, evaluate_year, percentile, spearman_trend
from .aqi import AQIResult, daily_aqi, iaqi, level_of, realtime_aqi
from .daily import DailyAQI, DailyValues, daily_aqi_by_day, network_daily, station_daily
from .editions import Edition, EditionSetting, LimitsPhase, default_setting, parse_edition, setting_for
from .hourly import HourlyGrid, build_grid, daily_means, hour_labels, mda8, network_mean, o3_8h_means
from .io import AirTable, RowIssue, WaterTable, read_air, read_water
from .rounding import MISSING, round_decimal, to_units
from .water import basin_quality, classify_samples, drinking_water_compliance, section_classes, section_shares

__all__ = [
    "MISSING",
    "AQIResult",
    "AirTable",
    "AirYearResult",
    "AnnualEvaluation",
    "DailyAQI",
    "DailyValues",
    "Edition",
    "EditionSetting",
    "HourlyGrid",
    "LimitsPhase",
    "PollutantYear",
    "RowIssue",
    "Validity",
    "WaterTable",
    "basin_quality",
    "build_grid",
    "classify_samples",
    "daily_aqi",
    "daily_aqi_by_day",
    "daily_means",
    "default_setting",
    "drinking_water_compliance",
    "evaluate_year",
    "hour_labels",
    "iaqi",
    "level_of",
    "mda8",
    "network_daily",
    "network_mean",
    "o3_8h_means",
    "parse_edition",
    "percentile",
    "read_air",
    "read_water",
    "realtime_aqi",
    "round_decimal",
    "section_classes",
    "section_shares",
    "setting_for",
    "spearman_trend",
    "station_daily",
    "to_units",
]
