"""Change requests (调整申请): a unit asks from the task page; the coordinator lists and decides them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ecotarget.core.errors import Refusal
from ecotarget.organisation.access import coordinator_required, member_required, next_on_this_site
from ecotarget.organisation.requests import MemberRequest

from .. import selectors
from ..forms import ChangeRequestForm, DecisionForm
from ..models import ChangeRequest
from ..services import changes
from .common import plan_of, reporting_unit, task_of


@member_required
@require_POST
def change_request_create(request: MemberRequest, pk: int) -> HttpResponse:
    unit = reporting_unit(request)
    task = task_of(request, pk)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写调整事项和理由")
        return redirect("progress:task", pk=task.pk)
    try:
        changes.change_request_create(task=task, unit=unit, user=request.user, **form.cleaned_data)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "调整申请已提交，等待管理员审批")
    return redirect("progress:task", pk=task.pk)


@coordinator_required
def change_requests(request: MemberRequest, pk: int) -> HttpResponse:
    plan = plan_of(request, pk)
    items = selectors.change_requests_of(plan)
    return render(request, "progress/change_requests.html", {"plan": plan, "requests": items})


@coordinator_required
@require_POST
def change_request_decide(request: MemberRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ChangeRequest.objects.select_related("task"), pk=pk, task__plan__region_id=request.membership.region_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意")
    else:
        try:
            changes.change_request_decide(
                change_request=item,
                user=request.user,
                grant=form.cleaned_data["decision"] == "grant",
                note=form.cleaned_data["note"],
            )
        except Refusal as exc:
            messages.error(request, str(exc))
        else:
            owners = item.kind == ChangeRequest.Kind.OWNERS
            messages.success(request, "已处理调整申请" + ("，请在任务编辑中调整责任单位" if owners else ""))
    return redirect(next_on_this_site(request, reverse("progress:change_requests", args=[item.task.plan_id])))
