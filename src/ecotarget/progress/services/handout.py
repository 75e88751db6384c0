"""Setting a plan up for reporting and handing it out (交办): set-up, the 有关乡(镇) groups, receipts."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ecotarget.core import clock
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details

from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import GroupOwner, PlanSetup, Receipt, Report
from ..rules import Thresholds, is_group
from ..selectors import GroupOnTask, plan_groups, publish_refusal, reporting_units, work_calendar
from ..status import setup_defaults
from .holidays import sync_periods
from .permits import require_reporter


@dataclass
class SetupData:
    frequency: str = PlanSetup.Frequency.MONTHLY
    due_day: int = 25
    starts_on: date | None = None
    lagging_threshold: int = 10
    serious_threshold: int = 25
    risk_margin: int = 5
    reminder_lead_days: int = 3
    webhook_kind: str = ""
    webhook_url: str = ""


@transaction.atomic
def plan_setup_save(*, plan: Plan, user: AbstractBaseUser | None, data: SetupData) -> PlanSetup:
    try:
        Thresholds(lagging=data.lagging_threshold, serious=data.serious_threshold)
    except ValueError as exc:
        raise ProgressError(str(exc)) from None
    if bool(data.webhook_kind) != bool(data.webhook_url):
        raise ProgressError("群机器人类型和地址须同时填写")
    if data.starts_on and data.starts_on.year != plan.year:
        raise ProgressError(f"序时起点须在 {plan.year} 年内")
    setup = PlanSetup.objects.select_for_update().filter(plan=plan).first() or setup_defaults(plan)
    periods_close_due(plan=plan)  # thresholds and due dates decide statuses: closed periods keep theirs
    if setup.pk and data.frequency != setup.frequency and Report.objects.filter(period__plan=plan).exists():
        raise ProgressError("已有单位填报，不能再更改填报频次")
    for name, value in vars(data).items():
        if name == "starts_on":
            value = value or setup.starts_on
        setattr(setup, name, value)
    setup.updated_by, setup.updated_at = user, clock.now()
    setup.save()
    sync_periods(setup, work_calendar())
    return setup


@transaction.atomic
def plan_publish(*, plan: Plan, user: AbstractBaseUser) -> list[Receipt]:
    """Hand every unit its list (交办): each must sign for it. Publishing again adds receipts for new units only.
    Refused while a 有关乡(镇)-style group on a task has no townships named and no unit answering for it."""
    refusal = publish_refusal(plan)
    if refusal:
        raise ProgressError(refusal)
    setup = PlanSetup.objects.select_for_update().filter(plan=plan).first()
    if setup is None:
        setup = plan_setup_save(plan=plan, user=user, data=SetupData())
    now = clock.now()
    if setup.published_at is None:
        setup.published_at, setup.published_by = now, user
        setup.save(update_fields=["published_at", "published_by"])
    have = set(Receipt.objects.filter(plan=plan).values_list("unit_id", flat=True))
    Receipt.objects.bulk_create(
        Receipt(plan=plan, unit=unit, handed_at=now) for unit in reporting_units(plan) if unit.pk not in have
    )
    return list(Receipt.objects.filter(plan=plan).select_related("unit"))


@transaction.atomic
def receipt_sign(*, receipt: Receipt, user: AbstractBaseUser) -> Receipt:
    require_reporter(user, receipt.unit_id, "只能签收本单位的责任清单")
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.signed_at is None:
        receipt.signed_at, receipt.signed_by = clock.now(), user
        receipt.save(update_fields=["signed_at", "signed_by"])
    return receipt


@transaction.atomic
def plan_group_keep(*, task: Task, group: Unit, owner: Unit, user: AbstractBaseUser) -> "GroupOnTask":
    """Keep a group on a task, with one of the task's own units answering for it (recorded with who decided)."""
    task = tasks_with_details(Task.objects.select_for_update(of=("self",)).filter(pk=task.pk))[0]
    units = {a.unit_id: a.unit for a in task.assignments.all()}
    if group.pk not in units or not is_group(group):
        raise ProgressError(f"“{group.name}”不是任务 {task.number} 的乡镇组")
    if owner.pk not in units or is_group(owner):
        raise ProgressError(f"负责单位须是任务 {task.number} 的责任单位")
    GroupOwner.objects.update_or_create(task=task, group=group, defaults={"owner": owner, "decided_by": user})
    return next(g for g in plan_groups(task.plan) if g.task.pk == task.pk and g.group.pk == group.pk)


def plan_groups_keep_with_leads(*, plan: Plan, user: AbstractBaseUser) -> list[GroupOnTask]:
    """Keep every unresolved group with its task's first lead unit (the 交办 page's "all by lead units")."""
    kept = []
    for item in plan_groups(plan):
        if item.owner is None and item.candidates:
            kept.append(plan_group_keep(task=item.task, group=item.group, owner=item.candidates[0], user=user))
    return kept
