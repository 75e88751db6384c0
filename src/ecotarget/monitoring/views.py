"""Monitoring pages: the measured targets of a plan with their standing, and one target's page with its chart."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core import jobs
from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal, form_errors_in_words
from ecotarget.core.views import job_context
from ecotarget.organisation.access import (
    COORDINATORS_ONLY,
    may_configure_monitoring,
    may_import_data,
    member_required,
    requires,
)
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.models import Target
from ecotarget.plans.selectors import plans_visible_to

from . import tasks
from .forms import AnnualFigureForm, BindingForm, DataUploadForm, ExclusionForm
from .models import AnnualFigure, DayExclusion, ImportBatch, IndicatorBinding, Station
from .readings import month_names, reading_for, readings_for
from .services import (
    annual_figure_set,
    binding_remove,
    binding_set,
    binding_set_edition,
    exclusion_add,
    exclusion_remove,
)
from .uploads import sniff_suffix


def _bindings(request: MemberRequest) -> QuerySet[IndicatorBinding]:
    return (
        IndicatorBinding.objects.in_force()
        .filter(target__task__plan__in=plans_visible_to(request.membership))
        .select_related("target__task__plan")
    )


@member_required
def plan_indicators(request: MemberRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(request.membership), pk=pk)
    as_of = today()
    bindings = _bindings(request).filter(target__task__plan=plan).order_by("target__task__number", "target__order")
    readings = readings_for(list(bindings), as_of)
    stations = (
        Station.objects.filter(region_id=plan.region_id)
        .annotate(
            n_hours=Count("air_hours", distinct=True),
            n_samples=Count("samples", distinct=True),
            first_hour=Min("air_hours__hour_end"),
            last_hour=Max("air_hours__hour_end"),
        )
        .order_by("medium", "level", "code")
    )
    batches = ImportBatch.objects.filter(region_id=plan.region_id)[:20]
    return render(
        request,
        "monitoring/plan_indicators.html",
        {
            "plan": plan,
            "readings": readings,
            "stations": stations,
            "batches": batches,
            "as_of": as_of,
            "synthetic": any(s.synthetic for s in stations),
        },
    )


@member_required
def indicator_detail(request: MemberRequest, pk: int) -> HttpResponse:
    binding = get_object_or_404(_bindings(request), pk=pk)
    reading = reading_for(binding, today())
    months = month_names()
    target_line = None if reading.threshold is None else float(reading.threshold)
    chart = {
        "months": months,
        "values": [None if v is None else float(v) for v in reading.monthly],
        "target": target_line,
        "measure_unit": reading.measure_unit,
        "name": binding.target.metric,
    }
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "binding": binding,
            "plan": binding.target.task.plan,
            "reading": reading,
            "monthly": list(zip(months, reading.monthly, strict=True)) if reading.monthly else [],
            "chart": chart,
        },
    )


@requires(may_import_data)
@require_http_methods(["GET", "POST"])
def data_upload(request: MemberRequest) -> HttpResponse:
    """The upload is checked for what it is (CSV or a workbook of a safe size), saved for the worker and imported
    in the background; the page answers at once with the job, whose bar fills as the records are stored."""
    form = DataUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            suffix = sniff_suffix(upload, upload.name)
        except Refusal as exc:
            form.add_error("document", str(exc))
        else:
            job = jobs.start(
                tasks.data_import,
                user=request.user,
                region_id=request.membership.region_id,
                title=f"导入监测数据 {upload.name}",
                files={f"upload{suffix}": upload},
                file=f"upload{suffix}",
                file_name=upload.name,
                kind=form.cleaned_data["kind"],
                accept_partial=form.cleaned_data["accept_partial"],
            )
            context |= job_context(job)
            context["form"] = DataUploadForm()  # ready for the next file
    return render(request, "monitoring/data_upload.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: MemberRequest, pk: int) -> HttpResponse:
    """Deducted days, past years' figures and each measured target's edition; coordinators change them."""
    plan = get_object_or_404(plans_visible_to(request.membership), pk=pk)
    region = plan.region
    exclusion_form, figure_form = ExclusionForm(prefix="x"), AnnualFigureForm(prefix="f")
    if request.method == "POST":
        if not may_configure_monitoring(request.membership, plan):
            raise PermissionDenied("只有管理员（督查）可以修改")
        action = request.POST.get("action")
        try:
            if action == "exclusion_add":
                exclusion_form = ExclusionForm(request.POST, prefix="x")
                if exclusion_form.is_valid():
                    exclusion_add(region=region, user=request.user, **exclusion_form.cleaned_data)
                    return redirect("monitoring:settings", pk=plan.pk)
            elif action == "exclusion_remove":
                exclusion_remove(
                    exclusion=get_object_or_404(
                        DayExclusion.objects.in_force(), pk=request.POST.get("id"), region=region
                    ),
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                )
                return redirect("monitoring:settings", pk=plan.pk)
            elif action == "figure_set":
                figure_form = AnnualFigureForm(request.POST, prefix="f")
                if figure_form.is_valid():
                    annual_figure_set(region=region, user=request.user, **figure_form.cleaned_data)
                    return redirect("monitoring:settings", pk=plan.pk)
            elif action == "edition":
                binding = get_object_or_404(_bindings(request), pk=request.POST.get("id"), target__task__plan=plan)
                binding_set_edition(binding=binding, edition=request.POST.get("edition", ""), user=request.user)
                return redirect("monitoring:settings", pk=plan.pk)
        except Refusal as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "monitoring/plan_settings.html",
        {
            "plan": plan,
            "exclusions": DayExclusion.objects.in_force().filter(region=region, day__year=plan.year).order_by("day"),
            "figures": AnnualFigure.objects.in_force().filter(region=region),
            "bindings": _bindings(request).filter(target__task__plan=plan).order_by("target__task__number"),
            "editions": IndicatorBinding.Edition.choices,
            "exclusion_form": exclusion_form,
            "figure_form": figure_form,
        },
    )


@member_required
@require_POST
def target_binding(request: MemberRequest, pk: int) -> HttpResponse:
    """The task page's per-target form: bind to an indicator, change indicator, scope or edition, or unbind."""
    target = get_object_or_404(
        Target.objects.filter(task__plan__in=plans_visible_to(request.membership)).select_related("task__plan"), pk=pk
    )
    if not may_configure_monitoring(request.membership, target.task.plan):
        raise PermissionDenied(COORDINATORS_ONLY)
    back = redirect(f"{reverse('plans:task', args=[target.task_id])}#measured")
    form = BindingForm(request.POST, prefix=f"t{target.pk}")
    if not form.is_valid():
        # An ErrorList hands out each message as text; the stubs also allow the ValidationError it stores.
        messages.error(request, form_errors_in_words(form.errors))
        return back
    choice = form.cleaned_data
    binding = IndicatorBinding.objects.in_force().filter(target=target).first()
    try:
        if choice["indicator"]:
            binding_set(
                target=target,
                indicator=choice["indicator"],
                scope=choice["scope"],
                edition=choice["edition"],
                user=request.user,
            )
        elif binding is not None:
            binding_remove(binding=binding, user=request.user, reason=choice["reason"])
    except Refusal as exc:
        messages.error(request, str(exc))
    return back
