"""Every numeric target of a plan with its latest figure: the monitoring reading when it is measured, else the
value the lead unit's accepted report gave. The dashboard and the written reports both read it from here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from ecotarget.monitoring.readings import Reading
from ecotarget.plans.models import Plan, Target, Task
from ecotarget.plans.targets import TargetStanding, target_met

from .models import ProgressReport, TargetValue
from .obligations import end_of


@dataclass
class TargetRow:
    target: Target
    task: Task
    value: Decimal | None
    measure_unit: str
    status: TargetStanding
    source: str  # 监测 or 填报
    as_of: date | None

    @property
    def status_zh(self) -> str:
        return TargetStanding(self.status).label


def target_rows(
    plan: Plan, tasks: list[Task], readings: dict[int, Reading], *, as_of: date | None = None
) -> list[TargetRow]:
    """Every numeric target with its latest figure: the monitoring reading when measured, else the latest value
    an accepted lead report gave (as known on `as_of`: measured by then, in a
    report accepted by then), in one query."""
    values = TargetValue.objects.filter(
        report__period__plan=plan, report__is_lead=True, report__state=ProgressReport.State.ACCEPTED
    )
    if as_of is not None:  # what was known on that day: measured by then, in a report accepted by then
        values = values.filter(as_of__lte=as_of).filter(
            Q(report__reviewed_at__isnull=True) | Q(report__reviewed_at__lt=end_of(as_of))
        )
    latest: dict[int, TargetValue] = {}
    for target_value in values.order_by("as_of", "report__period__number", "pk"):
        latest[target_value.target_id] = target_value
    rows = []
    for task in tasks:
        for target in task.targets.all():
            reading = readings.get(target.pk)
            if reading is not None:
                rows.append(
                    TargetRow(target, task, reading.value, reading.measure_unit, reading.status, "监测", reading.as_of)
                )
                continue
            value = latest.get(target.pk)
            if value is None or target.value is None:
                status = TargetStanding.NO_DATA
            else:
                status = (
                    TargetStanding.MET if target_met(target.op, target.value, value.value) else TargetStanding.MISSED
                )
            rows.append(
                TargetRow(
                    target,
                    task,
                    value.value.normalize() if value else None,
                    target.measure_unit,
                    status,
                    "填报",
                    value.as_of if value else None,
                )
            )
    return rows
