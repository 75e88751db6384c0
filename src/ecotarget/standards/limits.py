"""GB 3095 concentration limits for the six basic pollutants, both editions.

Source: GB 3095-2012 表1 (with the 2018 amendment, which changed the reference state, not the numbers) and
GB 3095-2026 表1 (transitional limits 2026-03-01 … 2030-12-31, final limits from 2031-01-01), as tabulated in
standards-spec §3.  Values are in integer units: µg/m³, CO in 0.1 mg/m³ (so CO 4 mg/m³ is 40).
"""

from __future__ import annotations

from .editions import LimitsPhase

# (pollutant, averaging period) -> (class I, class II); period "24h" is the daily mean, "8h" the MDA8
_2012: dict[tuple[str, str], tuple[int, int]] = {
    ("so2", "annual"): (20, 60),
    ("so2", "24h"): (50, 150),
    ("so2", "1h"): (150, 500),
    ("no2", "annual"): (40, 40),
    ("no2", "24h"): (80, 80),
    ("no2", "1h"): (200, 200),
    ("co", "24h"): (40, 40),
    ("co", "1h"): (100, 100),
    ("o3", "8h"): (100, 160),
    ("o3", "1h"): (160, 200),
    ("pm10", "annual"): (40, 70),
    ("pm10", "24h"): (50, 150),
    ("pm2_5", "annual"): (15, 35),
    ("pm2_5", "24h"): (35, 75),
}

_2026_TRANSITIONAL = {
    **_2012,
    ("pm10", "annual"): (40, 60),
    ("pm10", "24h"): (50, 120),
    ("pm2_5", "annual"): (15, 30),
    ("pm2_5", "24h"): (35, 60),
}

_2026_FINAL = {
    **_2012,
    ("so2", "annual"): (20, 20),
    ("so2", "24h"): (50, 50),
    ("so2", "1h"): (150, 150),
    ("no2", "annual"): (30, 30),
    ("no2", "24h"): (50, 50),
    ("pm10", "annual"): (20, 50),
    ("pm10", "24h"): (50, 100),
    ("pm2_5", "annual"): (10, 25),
    ("pm2_5", "24h"): (25, 50),
}

LIMITS: dict[LimitsPhase, dict[tuple[str, str], tuple[int, int]]] = {
    LimitsPhase.GB3095_2012: _2012,
    LimitsPhase.GB3095_2026_TRANSITIONAL: _2026_TRANSITIONAL,
    LimitsPhase.GB3095_2026_FINAL: _2026_FINAL,
}


def limit(phase: LimitsPhase, pollutant: str, period: str, area_class: int = 2) -> int | None:
    """The limit in integer units, or None where the table has none (e.g. CO annual)."""
    if area_class not in (1, 2):
        raise ValueError("area_class is 1 (一类区) or 2 (二类区)")
    pair = LIMITS[phase].get((pollutant, period))
    return None if pair is None else pair[area_class - 1]
