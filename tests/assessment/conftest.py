"""Assessment fixtures: the demo 评分细则 imported into the sample plan (through the workbook, as an upload would
be), on a frozen clock; and small workbooks written row by row."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from ecotarget.assessment.loading import demo_scheme_load
from ecotarget.assessment.models import Assessment, Scheme, SchemeItem
from progress.helpers import clock, published

__all__ = ["clock", "published"]

HEADER = ["序号", "考核内容", "分值", "评分标准", "牵头单位", "责任单位"]


def workbook(rows, header=HEADER, title="评分细则") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def scheme(plan, bound, personas, clock) -> Scheme:
    """The demo scheme of the sample plan, loaded on 1 March 2022 (its findings recorded then)."""
    clock(date(2022, 3, 1))
    loaded, _ = demo_scheme_load(plan=plan, user=personas.coordinator)
    return loaded


def item(scheme: Scheme, number: str) -> SchemeItem:
    return SchemeItem.objects.get(part__scheme=scheme, number=number)


def assessment(scheme: Scheme, unit_name: str) -> Assessment:
    return Assessment.objects.get(scheme=scheme, unit__name=unit_name)
