"""standards-spec §2.4 and §6.5: HJ 663-2013 附录A.6 percentile, k = 1 + (n − 1)·p %, computed exactly."""

from fractions import Fraction

import numpy as np
import pytest

from ecotarget.standards.annual import percentile, percentile_units

SERIES = np.arange(1, 366)


@pytest.mark.parametrize(
    ("vid", "values", "p", "exact", "rounded"),
    [
        ("P1", SERIES, 90, Fraction("328.6"), 329),
        ("P2", SERIES, 95, Fraction("346.8"), 347),
        ("P3", SERIES, 98, Fraction("357.72"), 358),
        ("P4", [100] * 291 + [200] * 33, 90, Fraction(170), 170),
        ("P5", [100] * 292 + [200] * 32, 90, Fraction(100), 100),
        ("P6", [10, 20, 31], 95, Fraction("29.9"), 30),
        ("P7", [3, 4, 8, 2, 5, 4], 90, Fraction("6.5"), 6),
        ("P8", [42], 95, Fraction(42), 42),
    ],
)
def test_percentile_vectors(vid, values, p, exact, rounded):
    assert percentile(values, p) == exact
    assert percentile_units(values, p) == rounded


def test_p4_is_exactly_170_where_numpy_floats_give_169_99():
    values = [100] * 291 + [200] * 33
    assert np.percentile(values, 90) < 170  # the binary error the exact formula avoids
    assert percentile_units(values, 90) == 170


def test_formula_agrees_with_numpy_linear_method_on_random_series():
    rng = np.random.default_rng(7)
    for _ in range(300):
        values = rng.integers(0, 400, rng.integers(1, 400))
        p = int(rng.choice([90, 95, 98]))
        assert float(percentile(values, p)) == pytest.approx(np.percentile(values, p, method="linear"), abs=1e-9)


def test_order_of_the_input_does_not_matter():
    assert percentile([5, 1, 3], 50) == percentile([1, 3, 5], 50) == 3


def test_empty_series_has_no_percentile():
    with pytest.raises(ValueError):
        percentile([], 90)
