"""GB/T 8170 rounding (进舍规则) done exactly, and the integer units every air computation works in.

Concentrations are held as integers in their rounding unit (HJ 663-2013 表3): µg/m³ for SO₂, NO₂, PM10, PM2.5,
O₃, and 0.1 mg/m³ for CO.  Means become `divmod` on integer sums, so no rounding decision ever depends on a
binary fraction (standards-spec §1.3, §9.4).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

MISSING = -1  # an invalid or absent concentration in integer units; real ones are never negative

# decimals kept for each pollutant (HJ 663-2013 表3); the integer unit is 10**-decimals of the physical unit
DECIMALS: dict[str, int] = {"so2": 0, "no2": 0, "pm10": 0, "pm2_5": 0, "o3": 0, "co": 1}


def round_half_even_div(numerator: ArrayLike, denominator: ArrayLike) -> np.ndarray:
    """numerator / denominator rounded by GB/T 8170 (half to even), exactly, on integer arrays.

    A value exactly halfway goes to the even neighbour; anything past half goes up.  Negative quotients are
    rounded on their absolute value, as GB/T 8170 requires.  The denominator must be positive.
    """
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    mag = np.abs(num)
    q, r = np.divmod(mag, den)
    twice = 2 * r
    up = (twice > den) | ((twice == den) & (q % 2 == 1))
    return np.where(num < 0, -(q + up), q + up)


def round_half_even_mean(total: ArrayLike, count: ArrayLike) -> np.ndarray:
    """Rounded mean of `count` integer values summing to `total`; MISSING where count is 0."""
    count = np.asarray(count, dtype=np.int64)
    safe = np.where(count > 0, count, 1)
    return np.where(count > 0, round_half_even_div(total, safe), MISSING)


def to_units(values: ArrayLike, decimals: int) -> np.ndarray:
    """Physical values (float, NaN = missing) to integer units, GB/T 8170-rounded; NaN and negatives → MISSING.

    Inputs arrive as decimal text turned into binary floats (2.45 is stored as 2.4500000000000002), so a value
    within a relative 1e-9 of a half unit is taken to be that exact half: this recovers the decimal the user
    wrote, which is what GB/T 8170 rounds.
    """
    x = np.asarray(values, dtype=np.float64)
    y = x * (10.0**decimals)
    half_grid = np.rint(y * 2.0) / 2.0
    snap = np.abs(y - half_grid) <= 1e-9 * np.maximum(1.0, np.abs(y))
    y = np.where(snap, half_grid, y)
    ok = np.isfinite(y) & (x >= 0)
    return np.where(ok, np.rint(np.where(ok, y, 0.0)), MISSING).astype(np.int64)  # np.rint is half-to-even


def from_units(units: ArrayLike, decimals: int) -> np.ndarray:
    """Integer units back to floats for display, NaN where MISSING."""
    u = np.asarray(units, dtype=np.int64)
    return np.where(u >= 0, u / (10.0**decimals), np.nan)


def round_decimal(value: str | int | Decimal | Fraction, decimals: int) -> Decimal:
    """One exact decimal or fraction rounded by GB/T 8170 to `decimals` places ("2.45", 1 → 2.4).

    A float is refused: its binary value is not the decimal the user meant (round(2.45, 1) gives 2.5).
    """
    if isinstance(value, float):
        raise TypeError("pass the decimal as text or Decimal, not float")
    if isinstance(value, Fraction):
        scaled = value * 10**decimals
        units = int(round_half_even_div(scaled.numerator, scaled.denominator))
        return Decimal(units).scaleb(-decimals)
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def fraction_to_decimal(value: Fraction, decimals: int) -> Decimal:
    """A rate or multiple (exact fraction) rounded by GB/T 8170 for reporting (超标倍数 2 places, 达标率 1 place)."""
    return round_decimal(value, decimals)


def units_to_decimal(units: int, decimals: int) -> Decimal:
    return Decimal(int(units)).scaleb(-decimals)
