"""The import report's word on stations the register does not hold: which, and how to add them."""

from collections.abc import Iterable

from django import template

from ecotarget.monitoring.stations import UnknownStations, unknown_stations

register = template.Library()


@register.simple_tag
def stations_unknown(issues: Iterable) -> UnknownStations | None:
    return unknown_stations(issues)
