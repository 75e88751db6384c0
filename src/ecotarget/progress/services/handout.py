"""Setting a plan up for reporting and handing it out (交办): set-up, the 有关乡(镇) groups, receipts."""

from dataclasses import dataclass, fields
from datetime import date

from django.contrib.auth.models import User
from django.db import models, transaction

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details

from .. import webhooks
from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import GroupOwner, PlanSetup, ProgressReport, Receipt
from ..rules import Thresholds, is_group
from ..selectors import GroupOnTask, plan_groups, publish_refusal, reporting_units, work_calendar
from ..status import setup_defaults
from .holidays import _sync_periods
from .permits import require_reporter
from .reminders import robot_address_check


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


def _setting_words(setup: PlanSetup, name: str) -> str | None:
    """A setting as the set-up page shows it (a robot's address without its secret)."""
    value = getattr(setup, name)
    if name == "frequency":
        return setup.get_frequency_display()
    if name == "webhook_kind":
        return setup.get_webhook_kind_display() or None
    if name == "webhook_url":
        return webhooks.masked(value) if value else None
    return None if value is None else str(value)


def _label(name: str) -> str:
    field = PlanSetup._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _settings(setup: PlanSetup) -> dict[str, str | None]:
    return {_label(f.name): _setting_words(setup, f.name) for f in fields(SetupData)}


@transaction.atomic
def plan_setup_save(*, plan: Plan, user: User | None, data: SetupData) -> PlanSetup:
    """Save how the plan is reported on. These settings decide statuses (thresholds, due dates), so each change is
    logged with its value before and after; saving the same settings again logs nothing."""
    try:
        Thresholds(lagging=data.lagging_threshold, serious=data.serious_threshold)
    except ValueError as exc:
        raise ProgressError(str(exc)) from None
    if bool(data.webhook_kind) != bool(data.webhook_url):
        raise ProgressError("群机器人类型和地址须同时填写")
    if data.webhook_url:
        robot_address_check(data.webhook_url)
    if data.starts_on and data.starts_on.year != plan.year:
        raise ProgressError(f"序时起点须在 {plan.year} 年内")
    setup = PlanSetup.objects.select_for_update().filter(plan=plan).first() or setup_defaults(plan)
    periods_close_due(plan=plan)  # thresholds and due dates decide statuses: closed periods keep theirs
    if setup.pk and data.frequency != setup.frequency and ProgressReport.objects.filter(period__plan=plan).exists():
        raise ProgressError("已有单位填报，不能再更改填报频次")
    before = _settings(setup) if setup.pk else dict.fromkeys(_settings(setup))
    for name, value in vars(data).items():
        if name == "starts_on":
            value = value or setup.starts_on
        setattr(setup, name, value)
    setup.updated_by, setup.updated_at = user, clock.now()
    setup.save()
    _sync_periods(setup, work_calendar(plan.region_id))
    after = _settings(setup)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        record(
            user,
            "plan.setup",
            setup,
            f"{'修改' if any(old is not None for old, _ in changes.values()) else '设置'}填报设置："
            + "、".join(changes),
            changes,
            label=f"《{plan.title}》填报设置",
            plan=plan,
        )
    return setup


@transaction.atomic
def plan_publish(*, plan: Plan, user: User) -> list[Receipt]:
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
    first = setup.published_at == now
    have = set(Receipt.objects.filter(plan=plan).values_list("unit_id", flat=True))
    handed = Receipt.objects.bulk_create(
        Receipt(plan=plan, unit=unit, handed_at=now) for unit in reporting_units(plan) if unit.pk not in have
    )
    if first or handed:
        names = "、".join(r.unit.name for r in handed)
        record(
            user,
            "plan.publish",
            plan,
            f"{'交办' if first else '补充交办'}方案《{plan.title}》：{len(handed)} 个单位待签收责任清单",
            {"交办单位": [None, names]} if names else {},
            plan=plan,
        )
    return list(Receipt.objects.filter(plan=plan).select_related("unit"))


@transaction.atomic
def receipt_sign(*, receipt: Receipt, user: User) -> Receipt:
    require_reporter(user, receipt.unit_id, "只能签收本单位的责任清单")
    receipt = Receipt.objects.select_for_update().select_related("unit", "plan").get(pk=receipt.pk)
    if receipt.signed_at is None:
        receipt.signed_at, receipt.signed_by = clock.now(), user
        receipt.save(update_fields=["signed_at", "signed_by"])
        record(
            user,
            "receipt.sign",
            receipt,
            f"{receipt.unit.name}签收《{receipt.plan.title}》责任清单",
            label=f"{receipt.unit.name}责任清单签收",
            plan=receipt.plan,
        )
    return receipt


@transaction.atomic
def plan_group_keep(*, task: Task, group: Unit, owner: Unit, user: User) -> GroupOnTask:
    """Keep a group on a task, with one of the task's own units answering for it (recorded with who decided)."""
    task = tasks_with_details(Task.objects.select_for_update(of=("self",)).filter(pk=task.pk))[0]
    units = {a.unit_id: a.unit for a in task.assignments.all()}
    if group.pk not in units or not is_group(group):
        raise ProgressError(f"“{group.name}”不是任务 {task.number} 的乡镇组")
    if owner.pk not in units or is_group(owner):
        raise ProgressError(f"负责单位须是任务 {task.number} 的责任单位")
    kept = GroupOwner.objects.select_for_update().select_related("owner").filter(task=task, group=group).first()
    before = kept.owner.name if kept is not None else None
    if kept is None:
        kept = GroupOwner(task=task, group=group)
    if before != owner.name:
        kept.owner, kept.decided_by, kept.decided_at = owner, user, clock.now()
        kept.save()
        record(
            user,
            "group.keep",
            kept,
            f"任务{task.number}保留“{group.name}”，由{owner.name}负责",
            {"负责单位": [before, owner.name]},
            label=f"任务{task.number} {group.name}",
            plan=task.plan,
            unit=group,
            task=task,
        )
    return next(g for g in plan_groups(task.plan) if g.task.pk == task.pk and g.group.pk == group.pk)


def plan_groups_keep_with_leads(*, plan: Plan, user: User) -> list[GroupOnTask]:
    """Keep every unresolved group with its task's first lead unit (the 交办 page's "all by lead units")."""
    kept = []
    for item in plan_groups(plan):
        if item.owner is None and item.candidates:
            kept.append(plan_group_keep(task=item.task, group=item.group, owner=item.candidates[0], user=user))
    return kept
