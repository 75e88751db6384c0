"""A scheme copied to the next year's plan, and the scores of every unit computed in a fixed number of queries
however many units and items there are."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecotarget.assessment import selectors, services
from ecotarget.assessment.models import Assessment, Scheme, SchemeItem
from ecotarget.organisation.models import Unit
from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Assignment
from ecotarget.plans.services import plan_import
from ecotarget.samples import JIANGLE_2022_PLAN

from .conftest import item


def test_a_scheme_copied_to_next_year_keeps_its_rules_and_maps_the_new_plans_tasks(scheme, personas):
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022年度", "2023年度")
    next_plan = plan_import(parse_text(text), user=personas.coordinator, region=scheme.plan.region).plan
    copy = services.scheme_copy(scheme=scheme, plan=next_plan, user=personas.coordinator)
    assert copy.title.startswith("将乐县2023年度")
    copied = SchemeItem.objects.get(part__scheme=copy, number="4")
    assert (copied.kind, copied.params) == (item(scheme, "4").kind, item(scheme, "4").params)
    assert [t.task.plan_id for t in copied.targets.all()] == [next_plan.pk]
    assert [t.metric for t in copied.targets.all()] == ["PM2.5浓度"]
    assert Assessment.objects.filter(scheme=copy).count() == Assessment.objects.filter(scheme=scheme).count()
    with pytest.raises(services.AssessmentRefused, match="2023年已有县对责任单位的考核方案"):
        services.scheme_copy(scheme=scheme, plan=next_plan, user=personas.coordinator)


def test_an_item_change_is_checked_by_the_scoring_core(scheme, personas):
    pm10 = item(scheme, "5")
    with pytest.raises(services.AssessmentRefused, match=r"^第5项：缺少指标名称（metric）$"):
        services.scheme_item_update(item=pm10, user=personas.coordinator, points=D(6), kind="gap", params={})
    params = {**pm10.params, "per_step": "1"}
    services.scheme_item_update(item=pm10, user=personas.coordinator, points=D(6), kind="gap", params=params)
    pm10.refresh_from_db()
    assert pm10.rule_text() == "PM10浓度高于目标值的，每差1微克/立方米扣1分，扣完为止"


def _queries(scheme: Scheme) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.results(scheme)
    return len(captured)


def test_scoring_every_unit_takes_the_same_queries_as_units_and_items_grow(scheme, clock):
    clock(date(2022, 7, 8))
    _queries(scheme)  # the first read closes the periods due; count a steady read
    before = _queries(scheme)
    for source in SchemeItem.objects.filter(part__scheme=scheme).prefetch_related("units", "tasks", "targets"):
        extra = SchemeItem.objects.create(
            part=source.part,
            number=source.number + "-2",
            content=source.content,
            points=source.points,
            kind=source.kind,
            params=source.params,
            order=source.order + 100,
        )
        extra.units.set(source.units.all())
        extra.tasks.set(source.tasks.all())
        extra.targets.set(source.targets.all())
    task = scheme.plan.tasks.get(number=14)
    for n in range(10):
        unit = Unit.objects.create(region=scheme.plan.region, name=f"新乡{n}", kind=Unit.Kind.TOWNSHIP, order=900 + n)
        Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.CO, order=50 + n)
        Assessment.objects.create(scheme=scheme, unit=unit)
    assert _queries(scheme) == before


def test_scoring_itself_reads_nothing_once_the_inputs_are_gathered(scheme, clock):
    clock(date(2022, 7, 8))
    inputs = selectors.gather(scheme)
    with CaptureQueriesContext(connection) as captured:
        result = selectors.score(inputs)
    assert len(captured) == 0
    assert len(result.sheets) == Assessment.objects.filter(scheme=scheme).count()
