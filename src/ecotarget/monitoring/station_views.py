"""The 监测点位 page: the region's stations and water sections, and one station's page with its history.

Coordinators add, change, retire and reinstate stations and load a station file; leaders see the register read
only; reporters, who report their units' work and not the monitoring, are not shown it. Every member sees their
own region's stations only: another region's station is not found.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core.actions import for_object
from ecotarget.core.errors import Refusal
from ecotarget.organisation.access import (
    COORDINATORS_ONLY,
    may_configure_monitoring,
    may_follow_region,
    member_required,
)
from ecotarget.organisation.requests import MemberRequest

from .models import Station
from .station_forms import RetireForm, StationFileForm, StationForm
from .stations import (
    StationFileRefused,
    station_register,
    station_reinstate,
    station_retire,
    station_update,
    stations_load_file,
)
from .uploads import as_file

FOLLOWERS_ONLY = "监测点位由管理员（督查）维护，领导可查看"


def _stations(request: MemberRequest) -> QuerySet[Station]:
    if not may_follow_region(request.membership, request.membership.region_id):
        raise PermissionDenied(FOLLOWERS_ONLY)
    return Station.objects.filter(region_id=request.membership.region_id)


def _may_change(request: MemberRequest) -> bool:
    # The stations decide what the region's measured figures are computed from: the monitoring settings' policy.
    return may_configure_monitoring(request.membership, request.membership)


def _list(request: MemberRequest, file_form: StationFileForm, loaded=None, refused=None) -> HttpResponse:
    medium = request.GET.get("medium", "")
    stations = _stations(request).select_related("retired_by").order_by("medium", "level", "code")
    if medium in Station.Medium.values:
        stations = stations.filter(medium=medium)
    shown = list(stations)
    return render(
        request,
        "monitoring/stations.html",
        {
            "in_service": [s for s in shown if s.in_service],
            "retired": [s for s in shown if not s.in_service],
            "medium": medium,
            "media": Station.Medium.choices,
            "may_change": _may_change(request),
            "synthetic": any(s.synthetic for s in shown),
            "file_form": file_form,
            "loaded": loaded,
            "refused": refused,
        },
    )


@member_required
def station_list(request: MemberRequest) -> HttpResponse:
    return _list(request, StationFileForm())


@member_required
@require_POST
def station_file_load(request: MemberRequest) -> HttpResponse:
    _stations(request)
    if not _may_change(request):
        raise PermissionDenied(COORDINATORS_ONLY)
    form = StationFileForm(request.POST, request.FILES)
    loaded = refused = None
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            with as_file(upload, upload.name) as path:
                loaded = stations_load_file(
                    path=path,
                    file_name=upload.name,
                    region=request.membership.region,
                    only_region=True,
                    user=request.user,
                )
        except StationFileRefused as exc:
            refused = exc
        except Refusal as exc:
            form.add_error("document", str(exc))
    return _list(request, form, loaded, refused)


@member_required
@require_http_methods(["GET", "POST"])
def station_new(request: MemberRequest) -> HttpResponse:
    _stations(request)
    if not _may_change(request):
        raise PermissionDenied(COORDINATORS_ONLY)
    initial = {"medium": request.GET["medium"]} if request.GET.get("medium") in Station.Medium.values else {}
    form = StationForm(request.POST or None, initial={"evaluates_city": True, **initial})
    if request.method == "POST" and form.is_valid():
        try:
            station = station_register(region=request.membership.region, values=form.values(), user=request.user)
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新增点位 {station.name}（{station.code}）")
            return redirect("monitoring:station", pk=station.pk)
    return render(request, "monitoring/station_new.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def station_detail(request: MemberRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(_stations(request).select_related("retired_by"), pk=pk)
    form, retire_form = StationForm.of(station), RetireForm()
    if request.method == "POST":
        if not _may_change(request):
            raise PermissionDenied(COORDINATORS_ONLY)
        action = request.POST.get("action")
        try:
            if action == "update":
                form = StationForm(request.POST, initial=form.initial)
                if form.is_valid():
                    station_update(station=station, values=form.values(), user=request.user)
                    return redirect("monitoring:station", pk=station.pk)
            elif action == "retire":
                retire_form = RetireForm(request.POST)
                if retire_form.is_valid():
                    station_retire(station=station, reason=retire_form.cleaned_data["reason"], user=request.user)
                    return redirect("monitoring:station", pk=station.pk)
            elif action == "reinstate":
                station_reinstate(station=station, user=request.user)
                return redirect("monitoring:station", pk=station.pk)
        except Refusal as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "monitoring/station_detail.html",
        {
            "station": station,
            "form": form,
            "retire_form": retire_form,
            "may_change": _may_change(request),
            "history": for_object(station).order_by("-at", "-pk"),
        },
    )
