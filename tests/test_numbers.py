"""One way to write a number on every page and in every document: never in scientific notation, no trailing
zeros, a percentage with its sign."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from ecotarget.core.numbers import percent, plain_number, with_unit


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("3E+1"), "30"),  # Decimal(30).normalize(), as a stored value comes back after normalize()
        (Decimal("1E+2"), "100"),
        (Decimal("98.4000"), "98.4"),
        (Decimal("0.000"), "0"),
        (Decimal("-0.50"), "-0.5"),
        (Decimal("1.5E-3"), "0.0015"),
        (45.800000000000004, "45.8"),  # a computed float
        (0.1 + 0.2, "0.3"),
        (12, "12"),
        (None, "—"),
        ("—", "—"),  # already text: left alone
    ],
)
def test_a_number_is_written_in_full_without_trailing_zeros(value, shown):
    assert plain_number(value) == shown


def test_a_percentage_keeps_its_sign_and_other_units_follow_after_a_space():
    assert percent(Decimal("1E+2")) == "100%"
    assert with_unit(Decimal("3E+1"), "%") == "30%"
    assert with_unit(Decimal("28.0"), "微克/立方米") == "28 微克/立方米"
    assert with_unit(None, "%") == "—" and with_unit(Decimal("2"), "") == "2"


def test_templates_use_the_same_formatter():
    template = Template("{% load numbers %}{{ a|number }} | {{ a|with_unit:'%' }} | {{ b|percent }} | {{ c|number }}")
    assert (
        template.render(Context({"a": Decimal("3E+1"), "b": 45.800000000000004, "c": None})) == "30 | 30% | 45.8% | —"
    )
