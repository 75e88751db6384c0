"""Reminders (催办): by e-mail and group robot, sent by hand or by the scheduled run; every attempt is logged."""

import enum
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.core.clock import today
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan

from .. import webhooks
from ..closing import periods_close_due
from ..errors import ProgressError
from ..models import Period, PlanSetup, Reminder, UnitChannel, WebhookKind
from ..selectors import Chase, chase_list, current_period, last_closed_period, unit_emails, unit_webhook, work_calendar
from ..workdays import WorkCalendar
from .permits import require_reviewer


class Route(enum.StrEnum):
    """How a reminder reaches a unit: by e-mail, or by its group robot (钉钉 or 企业微信, as the unit set it)."""

    EMAIL = "email"
    WEBHOOK = "webhook"


def reminder_text(plan: Plan, period: Period, chase: Chase) -> tuple[str, str]:
    title = f"【催办】{chase.unit.name}：{period.label}进展填报"
    body = "\n".join(
        [
            f"{chase.unit.full_name or chase.unit.name}：",
            f"《{plan.title}》{period.label}进展应于 {period.due_on:%Y年%-m月%-d日} 前报送。",
            *[f"- {reason}" for reason in chase.reasons],
            "请登录生态环境保护目标责任管理系统及时填报。",
        ]
    )
    return title, body


@transaction.atomic
def _log(
    period: Period,
    chase: Chase,
    channel: str,
    trigger: str,
    recipient: str,
    message: str,
    result: str,
    attempts: list,
    user: User | None,
) -> Reminder:
    """Keep one delivery (Reminder, with its attempts) and log it: by the coordinator, or by the system's run."""
    reminder = Reminder.objects.create(
        period=period,
        unit=chase.unit,
        channel=channel,
        trigger=trigger,
        reasons=chase.reasons,
        recipient=recipient[:500],
        message=message,
        result=result,
        attempts=attempts,
        sent_by=user,
    )
    record(
        user,
        "reminder.send",
        reminder,
        f"{reminder.get_trigger_display()}{chase.unit.name}（{period.label}，{reminder.get_channel_display()}）："
        f"{reminder.get_result_display()}",
        {"催办事项": [None, "；".join(chase.reasons)]} if chase.reasons else {},
        label=f"{chase.unit.name} {period.label}催办",
        plan=period.plan_id,
        region=chase.unit.region_id,
    )
    return reminder


def reminder_send(
    *,
    period: Period,
    chase: Chase,
    user: User | None,
    trigger: str = Reminder.Trigger.MANUAL,
    channels: tuple[str, ...] = (Route.EMAIL, Route.WEBHOOK),
) -> list[Reminder]:
    """Remind one unit by e-mail and by its group robot. Every attempt is logged; a failure is reported, not dropped.

    Not one transaction: each delivery's log row is committed as soon as the delivery ends.
    """
    setup = PlanSetup.objects.filter(plan_id=period.plan_id).select_related("plan").first()
    plan = setup.plan if setup else period.plan
    title, body = reminder_text(plan, period, chase)
    sent: list[Reminder] = []
    stamp = clock.now().isoformat(timespec="seconds")
    if Route.EMAIL in channels:
        emails = unit_emails(chase.unit)
        if not emails:
            sent.append(
                _log(period, chase, Reminder.Channel.EMAIL, trigger, "", body, Reminder.Result.NO_ADDRESS, [], user)
            )
        else:
            try:
                send_mail(title, body, None, emails, fail_silently=False)
                attempts, result = [{"at": stamp, "ok": True, "detail": "ok"}], Reminder.Result.SENT
            except Exception as exc:  # any mail backend error is a failed delivery to report
                attempts, result = [{"at": stamp, "ok": False, "detail": str(exc)[:300]}], Reminder.Result.FAILED
            sent.append(
                _log(period, chase, Reminder.Channel.EMAIL, trigger, ", ".join(emails), body, result, attempts, user)
            )
    if Route.WEBHOOK in channels:
        hook = unit_webhook(chase.unit, setup)
        if hook is not None:
            kind, url = hook
            delivery = webhooks.deliver(
                url,
                webhooks.payload(kind, title, body),
                retries=settings.ECOTARGET_WEBHOOK_RETRIES,
                backoff_ms=settings.ECOTARGET_WEBHOOK_BACKOFF_MS,
                allowed_hosts=settings.ECOTARGET_WEBHOOK_HOSTS,
            )
            result = Reminder.Result.SENT if delivery.ok else Reminder.Result.FAILED
            sent.append(_log(period, chase, kind, trigger, webhooks.masked(url), body, result, delivery.attempts, user))
    return sent


def reminders_send(*, period: Period, chases: list[Chase], user: User) -> list[Reminder]:
    """The coordinator reminds the units it ticked, each by e-mail and by its group robot (every attempt logged)."""
    sent: list[Reminder] = []
    for chase in chases:
        sent += reminder_send(period=period, chase=chase, user=user)
    return sent


def reminders_due(*, now: datetime | None = None) -> list[Reminder]:
    """What the scheduled `send_reminders` command sends; safe to run as often as cron likes.

    Within the plan's lead time before a period's due date, units with missing or returned reports get a
    reminder; the first days after the due date (until the next period is due), an overdue notice. Each
    (period, unit, channel, kind) is sent once: a delivery that failed is tried again on the next run.
    """
    day = clock.local_date(now) if now else today()
    sent: list[Reminder] = []
    calendars: dict[int, WorkCalendar] = {}
    for setup in PlanSetup.objects.filter(published_at__isnull=False).select_related("plan"):
        plan = setup.plan
        if plan.region_id not in calendars:
            calendars[plan.region_id] = work_calendar(plan.region_id)
        calendar = calendars[plan.region_id]
        periods_close_due(plan=plan, day=day)
        jobs = []
        period = current_period(plan, day)
        if period is not None and day >= calendar.add(period.due_on, -setup.reminder_lead_days):
            jobs.append((period, Reminder.Trigger.DUE_SOON, False))
        closed = last_closed_period(plan, day)
        if closed is not None and (period is None or period.number == closed.number + 1):
            jobs.append((closed, Reminder.Trigger.OVERDUE, True))
        for job_period, trigger, include_lagging in jobs:
            done = set(
                Reminder.objects.filter(period=job_period, trigger=trigger)
                .exclude(result=Reminder.Result.FAILED)
                .values_list("unit_id", "channel")
            )
            for chase in chase_list(plan, job_period, day):
                if not include_lagging:
                    chase.lagging = []
                if not chase:
                    continue
                channels = []
                if (chase.unit.pk, Reminder.Channel.EMAIL) not in done:
                    channels.append(Route.EMAIL)
                hook = unit_webhook(chase.unit, setup)
                if hook is not None and (chase.unit.pk, hook[0]) not in done:
                    channels.append(Route.WEBHOOK)
                if channels:
                    sent += reminder_send(
                        period=job_period, chase=chase, user=None, trigger=trigger, channels=tuple(channels)
                    )
    return sent


def robot_address_check(url: str) -> None:
    """Refuse, when it is set, a robot address reminders would not post to (https to a robot's host only)."""
    try:
        webhooks.check(url, settings.ECOTARGET_WEBHOOK_HOSTS)
    except webhooks.Refused as refused:
        raise ProgressError(str(refused)) from None


@transaction.atomic
def unit_channel_set(*, unit: Unit, user: User, kind: str, url: str) -> UnitChannel | None:
    """Give a unit its own group robot for reminders, or clear it (both left empty): it then gets the plan's."""
    require_reviewer(user, unit.region_id, "设置群机器人")
    if url:
        robot_address_check(url)
    current = UnitChannel.objects.select_for_update().filter(unit=unit).first()
    before = _channel_words(current.webhook_kind, current.webhook_url) if current is not None else None
    channel = None
    if kind and url:
        channel, _ = UnitChannel.objects.update_or_create(
            unit=unit, defaults={"webhook_kind": kind, "webhook_url": url}
        )
    elif current is not None:
        current.delete()
    after = _channel_words(kind, url) if channel is not None else None
    if before != after:
        record(
            user,
            "unit_channel.set" if channel is not None else "unit_channel.clear",
            unit,
            f"{'设置' if channel is not None else '取消'}{unit.name}的催办群机器人"
            + ("" if channel is not None else "，改用方案的群机器人"),
            {"群机器人": [before, after]},
            label=f"{unit.name}催办群机器人",
            region=unit.region_id,
            unit=unit,
        )
    return channel


def _channel_words(kind: str, url: str) -> str:
    # The robot's address without its secret: the log is read by everyone who may read the unit's timeline.
    return f"{WebhookKind(kind).label} {webhooks.masked(url)}"
