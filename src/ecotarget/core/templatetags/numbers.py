"""Template filters for numbers, the same formatter as the Word and Excel exports (`ecotarget.core.numbers`).

{% load numbers %}
{{ reading.value|number }}                 3E+1 → 30, None → —
{{ reading.value|with_unit:reading.measure_unit }} 30%, 28 微克/立方米
{{ progress.expected|percent }}            45.8%
"""

from django import template

from ecotarget.core import numbers

register = template.Library()


@register.filter
def number(value: object) -> str:
    return numbers.plain_number(value)


@register.filter
def with_unit(value: object, measure_unit: str = "") -> str:
    return numbers.with_unit(value, measure_unit)


@register.filter
def percent(value: object) -> str:
    return numbers.percent(value)
