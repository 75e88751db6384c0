"""Plans and monitoring sit below progress and never import it: they send `plans.signals.plan_changing` before a
change to what decides statuses, and progress (its receivers) freezes the periods already closed first."""

from datetime import date

from ecotarget.monitoring.services import exclusion_add
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.models import PeriodStatus


def june_kept(plan) -> int:
    return PeriodStatus.objects.filter(period__plan=plan, period__number=6).count()


def test_a_task_edit_after_june_closed_keeps_june_as_it_closed(published, personas, clock):
    clock(date(2022, 7, 1))
    assert june_kept(published) == 0
    twelve = tasks_with_details(published.tasks.filter(number=12))[0]
    edit = TaskEdit.of(twelve)
    edit.deadlines = [(date(2022, 9, 30), "完成")]
    task_update(task=twelve, user=personas.coordinator, edit=edit)
    assert june_kept(published) == published.tasks.count()
    assert not PeriodStatus.objects.filter(period__plan=published, period__number=7).exists()


def test_a_deducted_day_after_june_closed_keeps_june_as_it_closed(published, personas, clock):
    clock(date(2022, 7, 1))
    assert june_kept(published) == 0
    exclusion_add(region=published.region, day=date(2022, 6, 3), reason="沙尘天气过程", user=personas.coordinator)
    assert june_kept(published) == published.tasks.count()
