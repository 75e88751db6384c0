"""The demo scheme scores the demo year: `demo-assessment` (the last step of load-demo) imports it through its
workbook and keeps every unit's provisional score as of the demo's day."""

import io
from datetime import date

from django.core.management import call_command

from ecotarget.assessment.models import Assessment, ItemScore, Scheme
from ecotarget.samples import DEMO_TODAY


def test_the_demo_scheme_scores_the_demo_year_so_far(plan, bound, personas, clock, air_days):
    air_days({date(2022, 1, d): {"pm2_5": 17, "pm10": 31} for d in range(1, 21)})
    clock(DEMO_TODAY)
    out = io.StringIO()
    call_command("demo_assessment", stdout=out)
    assert "34 个被考核单位，预估截至 2022-07-08" in out.getvalue()
    scheme = Scheme.objects.get(plan=plan)
    kinds = set(scheme.parts.values_list("items__kind", flat=True))
    assert kinds == {"gap", "events", "completion", "manual", "bonus", "penalty", "veto"}
    guyong = Assessment.objects.get(scheme=scheme, unit__name="古镛镇")
    assert guyong.provisional and guyong.computed_on == DEMO_TODAY and guyong.grade
    pm25 = ItemScore.objects.get(assessment=guyong, item__number="4")
    assert pm25.working.startswith("PM2.5浓度 17 微克/立方米，目标 15，差 2，扣 1.0 分")
    call_command("demo_assessment", stdout=out)  # again: the scheme is kept, the scores computed anew
    assert Scheme.objects.filter(plan=plan).count() == 1
    assert "已存在，重新计算" in out.getvalue()
