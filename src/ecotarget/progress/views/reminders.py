"""Reminders (催办): the coordinator's page of who to chase and what was sent, and a unit's own group robot."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.organisation.access import coordinator_required
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest

from .. import selectors
from ..forms import ChannelForm
from ..models import Period, Reminder
from ..services import reminders as reminder_services
from .common import plan_of


def _sent_message(sent: list[Reminder]) -> tuple[int, str]:
    """The message level and words that tell the coordinator what came of a round of reminders."""
    failed = [r for r in sent if r.result != Reminder.Result.SENT]
    if not sent:
        return messages.WARNING, "请先勾选要催办的单位"
    if failed:
        return messages.ERROR, f"已发送 {len(sent) - len(failed)} 条；{len(failed)} 条未送达：" + "；".join(
            f"{r.unit.name}（{r.get_channel_display()}）{r.get_result_display()}" for r in failed
        )
    return messages.SUCCESS, f"已发送 {len(sent)} 条催办"


@coordinator_required
@require_http_methods(["GET", "POST"])
def reminders(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    day = today()
    period: Period | None = selectors.period_or_current(
        plan, day, request.GET.get("period") or request.POST.get("period")
    )
    chases = selectors.chase_list(plan, period, day) if period else []
    if request.method == "POST" and period is not None:
        chosen = set(request.POST.getlist("unit"))
        sent = reminder_services.reminders_send(
            period=period, chases=[c for c in chases if str(c.unit.pk) in chosen], user=request.user
        )
        messages.add_message(request, *_sent_message(sent))
        return redirect(reverse("progress:reminders", args=[plan.pk]) + f"?period={period.number}")
    context = {
        "plan": plan,
        "period": period,
        "periods": list(plan.periods.all()),
        "chases": chases,
        "log": selectors.reminder_log(period)[:200] if period else [],
        "today": day,
    }
    return render(request, "progress/reminders.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def unit_channel(request: MemberRequest, pk: int) -> HttpResponse:
    """A unit's own group robot for reminders (else the plan's is used)."""
    unit = get_object_or_404(Unit, pk=pk, region_id=request.membership.region_id)
    channel = selectors.unit_channel(unit)
    initial = {"webhook_kind": channel.webhook_kind, "webhook_url": channel.webhook_url} if channel else None
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_services.unit_channel_set(
                unit=unit,
                user=request.user,
                kind=form.cleaned_data["webhook_kind"],
                url=form.cleaned_data["webhook_url"],
            )
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存群机器人设置")
            return redirect("progress:channel", pk=unit.pk)
    return render(request, "progress/channel.html", {"unit": unit, "form": form})
