"""The dashboard's charts as plain data: what ECharts draws (through a json_script element) and the table of the
same numbers printed beside it. Every bar or point carries the address of the tasks behind it."""

from decimal import Decimal
from urllib.parse import urlencode

from ecotarget.monitoring.models import Indicator
from ecotarget.monitoring.readings import month_names
from ecotarget.progress.rules import Status

from .selectors import BEHIND, Dashboard

# Colours by status, matching the badges of the progress pages.
STATUS_CHART_COLOURS = {
    Status.DONE: "#1f7a4d",
    Status.ON_TRACK: "#6fbf8f",
    Status.LAGGING: "#e0a100",
    Status.SERIOUS: "#d9531e",
    Status.OVERDUE: "#b3261e",
    Status.NOT_REPORTED: "#9aa5b1",
}
CLASS_COLOURS = ["#1f5fae", "#3a8fd9", "#1f7a4d", "#e0a100", "#d9531e", "#b3261e"]


def _url(base: str, **params) -> str:
    wanted = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(wanted)}" if wanted else base


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def status_by_section(board: Dashboard, base: str) -> dict:
    sections = [row.section for row in board.sections]
    return {
        "kind": "stacked",
        "categories": [f"{s.number}、{s.title}" for s in sections],
        "series": [
            {
                "name": status.label,
                "colour": STATUS_CHART_COLOURS[status],
                "data": [row.counts[status] for row in board.sections],
                "urls": [_url(base, section=s.pk, status=status.value) for s in sections],
            }
            for status in Status
        ],
    }


def monthly_against_line(board: Dashboard, indicator: str, base: str, line_label: str) -> dict | None:
    found = board.reading_of(indicator)
    if found is None:
        return None
    reading, target = found
    months = month_names()
    values = [_num(v) for v in reading.monthly] if reading.monthly else [None] * 12
    return {
        "kind": "monthly",
        "name": target.metric,
        "measure_unit": reading.measure_unit,
        "months": months,
        "values": values,
        "line": _num(reading.threshold),
        "line_label": line_label,
        "value": _num(reading.value),
        "status": reading.status_zh,
        "threshold_note": reading.threshold_note,
        "url": _url(base, indicator=indicator),
        "rows": list(zip(months, [reading.monthly[i] if reading.monthly else None for i in range(12)], strict=True)),
        "synthetic": reading.synthetic,
    }


def water_by_class(board: Dashboard, base: str) -> dict | None:
    if not board.water:
        return None
    classes = board.water_classes
    url = _url(base, indicator="water")
    return {
        "kind": "bars",
        "name": "断面数",
        "categories": [f"{name}类" for name, _ in classes],
        "data": [count for _, count in classes],
        "colours": CLASS_COLOURS,
        "urls": [url] * len(classes),
        "url": url,
    }


def on_time_rates(board: Dashboard, base: str) -> dict:
    rows = [u for u in board.units if u.expected]
    return {
        "kind": "hbars",
        "name": "按时报送率",
        "measure_unit": "%",
        "categories": [u.unit.name for u in rows],
        "data": [_num(u.on_time_rate) for u in rows],
        "urls": [_url(base, unit=u.unit.pk) for u in rows],
        "max": 100,
    }


def all_charts(board: Dashboard, base: str) -> dict:
    return {
        "sections": status_by_section(board, base),
        "pm25": monthly_against_line(board, Indicator.PM2_5_ANNUAL, base, "目标"),
        "good_days": monthly_against_line(board, Indicator.GOOD_DAY_RATIO, base, "基准"),
        "water": water_by_class(board, base),
        "on_time": on_time_rates(board, base),
        "behind_url": _url(base, status=BEHIND),
    }
