"""standards-spec §1.3 and §6.4: GB/T 8170 rounding, exact, before every index and comparison."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from ecotarget.standards.annual import exceed_multiple, percent, percentile_units
from ecotarget.standards.aqi import iaqi
from ecotarget.standards.hourly import daily_means
from ecotarget.standards.rounding import round_decimal, round_half_even_div, round_half_even_mean, to_units


@pytest.mark.parametrize(
    ("raw", "rounded", "index"),
    [("75.4", 75, 100), ("75.5", 76, 102), ("76.5", 76, 102), ("74.5", 74, 99)],
    ids=["R-1", "R-2", "R-3", "R-4"],
)
def test_pm25_daily_means_round_half_to_even_before_the_index(raw, rounded, index):
    assert round_decimal(raw, 0) == rounded
    units = to_units([float(raw)], 0)
    assert units.tolist() == [rounded]
    assert iaqi("PM2_5_24H", units, "2012").values.tolist() == [index]


def test_r5_co_means_round_to_one_decimal():
    assert to_units([2.25, 2.35], 1).tolist() == [22, 24]
    assert iaqi("CO_24H", [22, 24], "2012").values.tolist() == [55, 60]


def test_r6_co_mean_of_24_hours_summing_to_58_8_is_exactly_2_45_and_rounds_to_2_4():
    hours = np.array([[[24] * 12 + [25] * 12]])  # tenths: sum 588 = 58.8 mg/m³, mean 2.45
    assert hours.sum() == 588
    assert daily_means(hours).values.tolist() == [[24]]


def test_r7_r8_annual_means_and_the_exceedance_multiple():
    assert [round_decimal(x, 0) for x in ("15.5", "15.4", "14.5")] == [16, 15, 14]
    assert exceed_multiple(36, 35) == Decimal("0.03")


def test_r9_compliance_rate_has_one_decimal():
    assert percent(330, 358) == Decimal("92.2")


def test_r10_percentile_6_5_rounds_to_6():
    assert percentile_units([3, 4, 8, 2, 5, 4], 90) == 6


def test_a_float_is_refused_where_its_binary_value_would_decide():
    with pytest.raises(TypeError):
        round_decimal(2.45, 1)  # type: ignore[arg-type]
    assert round_decimal("2.45", 1) == Decimal("2.4")  # Python's round(2.45, 1) gives 2.5


def test_float_inputs_are_taken_as_the_decimal_they_print_as():
    # 1.015·100 is 101.49999999999999 in binary; the written value 1.015 is an exact half → 1.02
    assert to_units([1.015, 1.025, 0.285, 2.45], 2).tolist() == [102, 102, 28, 245]
    assert to_units([2.45, 2.55, 2.451], 1).tolist() == [24, 26, 25]


def test_blank_and_negative_values_become_missing():
    assert to_units([np.nan, -0.1, 0.0], 0).tolist() == [-1, -1, 0]


def test_integer_division_rounds_exact_halves_to_even_and_negatives_symmetrically():
    assert round_half_even_div([5, 15, 25, 26, -5, -15, 7], [10, 10, 10, 10, 10, 10, 2]).tolist() == [
        0, 2, 2, 3, 0, -2, 4,
    ]  # fmt: skip
    assert round_half_even_mean([10, 0], [0, 3]).tolist() == [-1, 0]


def test_fractions_round_exactly():
    assert round_decimal(Fraction(1, 35), 2) == Decimal("0.03")
    assert round_decimal(Fraction(1, 8), 2) == Decimal("0.12")
