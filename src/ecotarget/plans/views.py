"""Plan pages: overview, a unit's list, the responsibility matrix, task editing, import and exports."""

import hashlib
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core import actions
from ecotarget.core.errors import Refusal
from ecotarget.core.htmx import partial_or_page
from ecotarget.core.params import whole_number
from ecotarget.organisation.access import (
    COORDINATORS_ONLY,
    may_edit_task,
    may_import_plan,
    member_required,
    requires,
    timeline_seen_by,
)
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plandoc import PlanParseError, extract_text, parse_text

from . import exports
from .forms import (
    DeadlineFormSet,
    PlanUploadForm,
    TargetFormSet,
    TaskTextForm,
    TaskUnitsForm,
    kept_rows,
)
from .models import Plan, Section, Task
from .previews import preview_discard, preview_load, preview_save
from .selectors import (
    TaskFilter,
    plan_tasks,
    plan_units,
    plans_visible_to,
    responsibility_matrix,
    tasks_with_details,
    unit_tasks,
)
from .services import StaleTaskEdit, TaskEdit, plan_import, task_update
from .snapshots import snapshot_task, task_fingerprint

IMPORT_SESSION_KEY = "plan_import_draft"
TIMELINE_ROWS = 500  # the newest actions a page shows


def _plan(request: MemberRequest, pk: int) -> Plan:
    """A plan of the user's own region, or 404 (another region's plans do not exist for this user)."""
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def _task(request: MemberRequest, pk: int) -> Task:
    return get_object_or_404(Task.objects.filter(plan__in=plans_visible_to(request.membership)), pk=pk)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@member_required
def plan_list(request: MemberRequest) -> HttpResponse:
    plans = plans_visible_to(request.membership).select_related("region")
    return render(request, "plans/plan_list.html", {"plans": plans})


@member_required
def overview(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    units = plan_units(plan)
    sections = list(
        plan.sections.filter(parent=None).prefetch_related(
            Prefetch("children", queryset=Section.objects.order_by("order"))
        )
    )
    units_by_id = {str(u.pk): u for u in units}
    task_filter = TaskFilter(
        unit=units_by_id.get(request.GET.get("unit", "")),
        section_id=whole_number(request.GET.get("section")),
        text=request.GET.get("q", "").strip()[:100],
    )
    tasks = plan_tasks(plan, task_filter)
    context = {
        "plan": plan,
        "goals": plan.goal_rows(),
        "flagged": [task for task in tasks if task.review_reasons],
        "units": units,
        "sections": sections,
        "tasks": tasks,
        "task_filter": task_filter,
        "filtered": bool(task_filter.unit or task_filter.section_id or task_filter.text),
    }
    return partial_or_page(request, "plans/overview.html", context, partial="task-table")


@member_required
def unit_list(request: MemberRequest, pk: int, unit_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk, region_id=plan.region_id)
    listing = unit_tasks(plan, unit)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.unit_list_xlsx(plan, listing), f"{unit.name}责任清单.xlsx")
    timeline = timeline_seen_by(request.membership, actions.unit_timeline(unit.pk, plan.pk))[:TIMELINE_ROWS]
    return render(
        request,
        "plans/unit_list.html",
        {"plan": plan, "listing": listing, "units": plan_units(plan), "timeline": timeline},
    )


@member_required
def matrix(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "plans/matrix.html", {"plan": plan, "matrix": responsibility_matrix(plan)})


@member_required
def breakdown_export(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _xlsx(exports.breakdown_xlsx(plan, plan_tasks(plan)), f"{plan.title}任务分解表.xlsx")


@member_required
def task_detail(request: MemberRequest, pk: int) -> HttpResponse:
    task = tasks_with_details(Task.objects.filter(pk=_task(request, pk).pk))[0]
    timeline = timeline_seen_by(request.membership, actions.task_timeline(task.pk))[:TIMELINE_ROWS]
    return render(request, "plans/task_detail.html", {"task": task, "plan": task.plan, "timeline": timeline})


@member_required
@require_http_methods(["GET", "POST"])
def task_edit(request: MemberRequest, pk: int) -> HttpResponse:
    task = tasks_with_details(Task.objects.filter(pk=_task(request, pk).pk))[0]
    if not may_edit_task(request.membership, task):
        raise PermissionDenied(COORDINATORS_ONLY)
    region_units = list(Unit.objects.filter(region_id=task.plan.region_id))
    assignments = list(task.assignments.all())
    roles = {a.unit_id: a.role for a in assignments}
    data = request.POST if request.method == "POST" else None
    text_form = TaskTextForm(data, initial={"text": task.text})
    units_form = TaskUnitsForm(data, units=region_units, initial_roles=roles)
    current = TaskEdit.of(task)  # each target row keeps its id, so an edited target stays the same target
    targets = TargetFormSet(data, prefix="targets", initial=current.targets)
    deadlines = DeadlineFormSet(
        data, prefix="deadlines", initial=[{"due_on": due_on, "what": what} for due_on, what in current.deadlines]
    )
    forms_valid = all(f.is_valid() for f in (text_form, units_form, targets, deadlines))
    # The task as this page shows it; a save made on an older one is refused (see task_update).
    fingerprint = task_fingerprint(snapshot_task(task))
    stale = ""
    if request.method == "POST" and forms_valid:
        edit = TaskEdit(
            text=text_form.cleaned_data["text"],
            units=units_form.owners({a.unit_id: a.order for a in assignments}),
            targets=[
                {**row, "measure_unit": row["measure_unit"] or "", "baseline": row["baseline"] or ""}
                for row in kept_rows(targets)
            ],
            deadlines=[(row["due_on"], row["what"]) for row in kept_rows(deadlines)],
        )
        try:
            change = task_update(task=task, user=request.user, edit=edit, seen=request.POST.get("seen", ""))
        except StaleTaskEdit as exc:
            stale = str(exc)  # the typed values stay on the page (bound forms); `seen` is now the current task
        else:
            messages.success(request, "已保存修改" if change else "内容没有变化")
            return redirect("plans:task", pk=task.pk)
    return render(
        request,
        "plans/task_edit.html",
        {
            "task": task,
            "plan": task.plan,
            "text_form": text_form,
            "units_form": units_form,
            "targets": targets,
            "deadlines": deadlines,
            "seen": fingerprint,
            "stale": stale,
            "invalid": request.method == "POST" and not stale,
        },
    )


@requires(may_import_plan)
@require_http_methods(["GET", "POST"])
def plan_upload(request: MemberRequest) -> HttpResponse:
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        data = upload.read()
        try:
            text = extract_text(data, source=upload.name)
            document = parse_text(text, source=upload.name)
            preview = plan_import(
                document,
                user=request.user,
                region=request.membership.region,
                source_name=upload.name,
                # The preview shows what confirming would do, a replacement included (the page asks before it).
                replace=True,
                dry_run=True,
            )
        except (PlanParseError, Refusal) as exc:
            form.add_error("document", str(exc))
        else:
            if earlier := request.session.get(IMPORT_SESSION_KEY):
                preview_discard(earlier.get("token", ""))
            request.session[IMPORT_SESSION_KEY] = {
                "name": upload.name,
                "token": preview_save(text),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            return render(request, "plans/import_preview.html", {"document": document, "preview": preview})
    return render(request, "plans/import_upload.html", {"form": form})


@requires(may_import_plan)
@require_POST
def plan_import_confirm(request: MemberRequest) -> HttpResponse:
    draft = request.session.get(IMPORT_SESSION_KEY)
    if not draft:
        messages.error(request, "没有待导入的文件，请重新上传")
        return redirect("plans:upload")
    text = preview_load(draft.get("token", ""))
    if text is None:
        messages.error(request, "预览已过期，请重新上传")
        return redirect("plans:upload")
    try:
        document = parse_text(text, source=draft["name"])
        result = plan_import(
            document,
            user=request.user,
            region=request.membership.region,
            source_name=draft["name"],
            source_sha256=draft["sha256"],
            replace=request.POST.get("replace") == "1",
        )
    except (PlanParseError, Refusal) as exc:
        messages.error(request, str(exc))
        return redirect("plans:upload")
    preview_discard(draft["token"])
    del request.session[IMPORT_SESSION_KEY]
    (messages.warning if result.conflict else messages.success)(request, result.summary())
    return redirect("plans:overview", pk=result.plan.pk)


@member_required
def plan_history(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    timeline = timeline_seen_by(request.membership, actions.plan_timeline(plan.pk, plan.region_id))[:TIMELINE_ROWS]
    live_tasks = set(plan.tasks.values_list("pk", flat=True))  # a removed task is named, not linked
    return render(request, "plans/plan_history.html", {"plan": plan, "timeline": timeline, "live_tasks": live_tasks})
