"""The half-year of the sample plan that the dashboard and written-report tests read, reported through the
services exactly as the pages do.

- 住建局 (王填报) leads tasks 12, 17, 29, 35, 43, 45, 48, 58 and supports 30. It reports task 12 on time every
  month from March to June but stays far behind (20 % in June); it reports task 43 (due 30 June) as done,
  three days after the June due date (27 June): a late report. In June it also reports task 35 on time with
  城区生活污水处理率 at 93 % against a target of ≥ 95 %. Its other tasks are never reported.
- 古镛镇 (陈填报) supports tasks 14, 15, 16, 17 and 60 and reports its part of task 14 on time each month.
- The coordinator 林督查 accepts every report. The plan was handed out on 1 March, so March–June are owed.
"""

from datetime import date
from decimal import Decimal

import pytest

from ecotarget.progress.models import ProgressReport
from progress.helpers import accept, submit

PINNED = "2022-07-08"


@pytest.fixture
def half_year(published, personas, clock, settings):
    plan = published
    coordinator = personas.coordinator
    for month, percent, day in ((3, 5, date(2022, 3, 20)), (4, 10, date(2022, 4, 20)), (5, 15, date(2022, 5, 20))):
        clock(day)
        accept(
            submit(
                plan,
                personas.zhujian,
                12,
                month,
                percent,
                unit_name="住建局",
                problems="老旧小区改造资金尚未到位",
                next_steps="争取专项资金，7月底前开工",
            ),
            coordinator,
        )
        accept(submit(plan, personas.guyong, 14, month, percent * 4, unit_name="古镛镇"), coordinator)
    clock(date(2022, 6, 20))
    accept(
        submit(
            plan,
            personas.zhujian,
            12,
            6,
            20,
            unit_name="住建局",
            work_done="完成3个小区雨污分流改造",
            problems="老旧小区改造资金尚未到位",
            next_steps="争取专项资金，7月底前开工",
        ),
        coordinator,
    )
    accept(submit(plan, personas.guyong, 14, 6, 80, unit_name="古镛镇"), coordinator)
    sewage = plan.tasks.get(number=35).targets.get(metric="城区生活污水处理率")
    accept(
        submit(
            plan, personas.zhujian, 35, 6, 50, unit_name="住建局", values={sewage.pk: (Decimal(93), date(2022, 6, 20))}
        ),
        coordinator,
    )
    clock(date(2022, 6, 30))
    late = submit(plan, personas.zhujian, 43, 6, 100, unit_name="住建局", work_done="城区黑臭水体整治完成")
    accept(late, coordinator)
    clock(date(2022, 7, 8))
    settings.ECOTARGET_TODAY = PINNED
    assert ProgressReport.objects.get(pk=late.pk).late
    return plan
