"""Figures "as of" a day use only what was known that day (issue 8): the half-year report's cut-off, 30 June,
does not see a value reported in July, even one measured in June."""

from datetime import date
from decimal import Decimal

from ecotarget.monitoring.readings import measured_readings
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.progress.targets import target_rows
from progress.helpers import accept, submit


def sewage_row(plan, as_of: date | None):
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    rows = target_rows(plan, tasks, measured_readings(plan, as_of or date(2022, 7, 8)), as_of=as_of)
    return next(r for r in rows if r.target.metric == "城区生活污水处理率")


def test_a_june_value_reported_in_july_is_not_known_on_30_june(half_year, personas):
    sewage = half_year.tasks.get(number=35).targets.get(metric="城区生活污水处理率")
    july = submit(
        half_year, personas.zhujian, 35, 7, 60, unit_name="住建局", values={sewage.pk: (Decimal(96), date(2022, 6, 28))}
    )
    accept(july, personas.coordinator)  # on 8 July

    on_30_june = sewage_row(half_year, date(2022, 6, 30))
    assert (on_30_june.value, on_30_june.status, on_30_june.as_of) == (Decimal(93), "missed", date(2022, 6, 20))
    today = sewage_row(half_year, None)
    assert (today.value, today.status, today.as_of) == (Decimal(96), "met", date(2022, 6, 28))
