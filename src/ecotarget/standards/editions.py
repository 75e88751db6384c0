"""Which edition of the air standards applies, and how a result says which one it used.

HJ 633-2012 / HJ 663-2013 / GB 3095-2012 were in force until 2026-02-28; HJ 633-2026 / GB 3095-2026 from
2026-03-01 (standards-spec §0.1).  GB 3095-2026 has transitional limits until 2030-12-31 and final limits
from 2031-01-01.  How the authorities treat 2026 itself (two months under the old rules) is unconfirmed, so it is
a setting that every result carries and prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

CHANGEOVER = dt.date(2026, 3, 1)
FINAL_LIMITS_FROM = dt.date(2031, 1, 1)


class Edition(StrEnum):
    """Edition of the AQI rules (HJ 633) with its companion evaluation and limit standards."""

    E2012 = "2012"  # HJ 633-2012, HJ 663-2013, GB 3095-2012 (+2018 amendment)
    E2026 = "2026"  # HJ 633-2026, GB 3095-2026 (HJ 663-2026 text not yet read: HJ 663-2013 rules kept)

    @property
    def standards(self) -> str:
        """The standard numbers this edition stands for (named so, not `title`, which would hide str.title)."""
        if self is Edition.E2012:
            return "HJ 633-2012 / HJ 663-2013 / GB 3095-2012"
        return "HJ 633-2026 / GB 3095-2026 (评价方法沿用 HJ 663-2013)"


class LimitsPhase(StrEnum):
    """Which GB 3095 limit table an annual or daily compliance check uses."""

    GB3095_2012 = "GB 3095-2012"
    GB3095_2026_TRANSITIONAL = "GB 3095-2026 过渡阶段"
    GB3095_2026_FINAL = "GB 3095-2026 最终阶段"


def parse_edition(value: str | int | Edition) -> Edition:
    """Accept "2012", 2026, "HJ 633-2012" … and return the edition; ValueError otherwise."""
    if isinstance(value, Edition):
        return value
    text = str(value).strip()
    for edition in Edition:
        if text == edition.value or text.endswith("-" + edition.value):
            return edition
    raise ValueError(f"unknown standard edition {value!r}: use 2012 or 2026 / 标准版本只能是 2012 或 2026")


def edition_for_date(day: dt.date) -> Edition:
    return Edition.E2012 if day < CHANGEOVER else Edition.E2026


def limits_phase_for_date(day: dt.date) -> LimitsPhase:
    if day < CHANGEOVER:
        return LimitsPhase.GB3095_2012
    if day < FINAL_LIMITS_FROM:
        return LimitsPhase.GB3095_2026_TRANSITIONAL
    return LimitsPhase.GB3095_2026_FINAL


@dataclass(frozen=True)
class EditionSetting:
    """The rules an assessment year uses; `daily=None` means "the edition in force on each day".

    Only 2026 straddles the change; for it the spec's default is per-day AQI and the GB 3095-2026 transitional
    limits for the annual compliance check (standards-spec §0.1 point 2, unconfirmed by the authorities).
    """

    year: int
    daily: Edition | None
    limits: LimitsPhase

    @property
    def straddles(self) -> bool:
        return self.daily is None and dt.date(self.year, 1, 1) < CHANGEOVER <= dt.date(self.year, 12, 31)

    def describe(self) -> str:
        """One line that every printed or stored result shows, so a reader knows which rules gave the numbers."""
        if self.daily is None:
            if self.straddles:
                daily = "日AQI按当日有效标准 (1–2月 HJ 633-2012, 3–12月 HJ 633-2026) / per-day edition"
            else:
                daily = f"日AQI {edition_for_date(dt.date(self.year, 6, 30)).standards}"
        else:
            daily = f"日AQI {self.daily.standards}"
        return f"{self.year}年: {daily}; 年评价限值 {self.limits.value}"

    def editions_for_days(self, days: np.ndarray) -> np.ndarray:
        """Edition code (2012 or 2026, as int16) for every day of a datetime64[D] array."""
        days = np.asarray(days, dtype="datetime64[D]")
        if self.daily is not None:
            return np.full(days.shape, int(self.daily.value), dtype=np.int16)
        return np.where(days < np.datetime64(CHANGEOVER), 2012, 2026).astype(np.int16)


def default_setting(year: int) -> EditionSetting:
    """The plan year chooses the default: a 2022 plan uses the 2012 rules throughout."""
    if year < CHANGEOVER.year:
        return EditionSetting(year, Edition.E2012, LimitsPhase.GB3095_2012)
    if year == CHANGEOVER.year:
        return EditionSetting(year, None, LimitsPhase.GB3095_2026_TRANSITIONAL)
    return EditionSetting(year, Edition.E2026, limits_phase_for_date(dt.date(year, 1, 1)))


def setting_for(year: int, edition: Edition | str | None = None) -> EditionSetting:
    """A user's explicit choice of edition for a whole year (e.g. `--standard 2026`), else the default."""
    if edition is None:
        return default_setting(year)
    edition = parse_edition(edition)
    if edition is Edition.E2012:
        return EditionSetting(year, edition, LimitsPhase.GB3095_2012)
    phase = limits_phase_for_date(max(dt.date(year, 1, 1), CHANGEOVER))
    return EditionSetting(year, edition, phase)
