"""Written reports (coordinators only) and the ledger (everyone in the region; a reporter only its own unit)."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core import jobs
from ecotarget.core.clock import today
from ecotarget.core.errors import Refusal
from ecotarget.core.models import Job
from ecotarget.organisation.access import ledger_limited_to, may_write_reports, member_required, requires
from ecotarget.organisation.models import Unit
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.current import current_plan
from ecotarget.plans.models import Plan
from ecotarget.plans.selectors import plan_units, plans_visible_to

from . import selectors, tasks
from .docx import report_docx
from .ledger import ledger_xlsx
from .models import ReportVersion, WrittenReport
from .services import ReportEdit, written_report_edit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request: MemberRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def _report(request: MemberRequest, pk: int) -> WrittenReport:
    return get_object_or_404(selectors.written_reports_visible_to(request.membership), pk=pk)


TABLE_NAMES = {"tasks": "目标任务推进情况表", "indicators": "主要指标完成情况表", "lagging": "滞后任务清单"}


def _tables(version: ReportVersion) -> list[tuple[str, dict]]:
    return [(label, version.tables[key]) for key, label in TABLE_NAMES.items() if key in version.tables]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@requires(may_write_reports)
def home(request: MemberRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return redirect("plans:list")
    return redirect("reports:plan", pk=plan.pk)


@requires(may_write_reports)
def plan_reports(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    reports = {r.kind: r for r in selectors.written_reports_of(plan)}
    day = today()
    kinds = []
    for kind, label in WrittenReport.Kind.choices:
        period_end = selectors.period_end_of(plan, kind)
        over = selectors.period_is_over(period_end, day)
        report = reports.get(kind)
        kinds.append({"kind": kind, "label": label, "report": report, "period_end": period_end, "over": over})
    context = {"plan": plan, "kinds": kinds, "units": plan_units(plan), "today": day}
    return render(request, "reports/plan_reports.html", context)


@require_POST
@requires(may_write_reports)
def generate(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in WrittenReport.Kind.values:
        messages.error(request, "请选择报告类型")
        return redirect("reports:plan", pk=plan.pk)
    job = jobs.start(
        tasks.report_generate,
        user=request.user,
        region_id=plan.region_id,
        title=f"生成{plan.year}年{WrittenReport.Kind(kind).label}",
        plan=plan.pk,
        kind=kind,
        day=today().isoformat(),
        early=request.POST.get("early") == "1",
    )
    if job.status == Job.Status.DONE:  # a backend that runs jobs at once: straight to the report
        generated = job.result
        if generated["new"]:
            messages.success(request, f"已生成第{generated['number']}版：{generated['note']}")
        else:
            messages.info(request, f"报告内容与第{generated['number']}版相同，未生成新版本")
        return redirect("reports:edit", pk=generated["report"])
    if job.status == Job.Status.FAILED:
        messages.error(request, job.error)
        return redirect("reports:plan", pk=plan.pk)
    return redirect("core:job", pk=job.pk)


@require_http_methods(["GET", "POST"])
@requires(may_write_reports)
def report_edit(request: MemberRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    if not versions:
        raise PermissionDenied("该报告尚未生成")
    current = versions[0]
    if request.method == "POST":
        try:
            signed_on = date.fromisoformat(request.POST["signed_on"]) if request.POST.get("signed_on") else None
        except ValueError:
            messages.error(request, "成文日期格式不正确（应为年-月-日）")
            return redirect("reports:edit", pk=report.pk)
        edit = ReportEdit(
            title=request.POST.get("title", ""),
            texts={s["key"]: request.POST.get(f"text-{s['key']}", s["text"]) for s in current.sections},
            adopt=request.POST.get("adopt", ""),
            dismiss=request.POST.get("dismiss", ""),
            signed_on=signed_on,
        )
        try:
            version = written_report_edit(
                report=report, base=int(request.POST.get("base", "0") or 0), user=request.user, edit=edit
            )
        except Refusal as error:
            messages.error(request, str(error))
            return redirect("reports:edit", pk=report.pk)
        if version.number == current.number:
            messages.info(request, "内容没有变化")
        else:
            messages.success(request, f"已保存为第{version.number}版")
        return redirect("reports:edit", pk=report.pk)
    context = {"report": report, "plan": report.plan, "version": current, "versions": versions, "editable": True}
    context["tables"] = _tables(current)
    return render(request, "reports/report_edit.html", context)


@requires(may_write_reports)
def version_detail(request: MemberRequest, pk: int, number: int) -> HttpResponse:
    report = _report(request, pk)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    context = {"report": report, "plan": report.plan, "version": version, "versions": versions, "editable": False}
    context["tables"] = _tables(version)
    return render(request, "reports/report_edit.html", context)


@requires(may_write_reports)
def version_docx(request: MemberRequest, pk: int, number: int) -> HttpResponse:
    report = _report(request, pk)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    issuer = f"{report.plan.region.name}人民政府"
    content = report_docx(version, issuer=issuer, signed_on=version.signed_on)
    return _download(content, DOCX, f"{version.title}（第{version.number}版）.docx")


def _ledger_unit(request: MemberRequest, plan: Plan) -> Unit | None:
    """The unit whose ledger is asked for: a reporter always gets its own unit, and only that."""
    wanted = request.GET.get("unit", "")
    only = ledger_limited_to(request.membership)
    if only is not None:
        if wanted and wanted != str(only.pk):
            raise PermissionDenied("填报员只能导出本单位的台账")
        return only
    if not wanted:
        return None
    if not wanted.isdigit():
        raise PermissionDenied("单位参数无效")
    return get_object_or_404(Unit, pk=int(wanted), region_id=plan.region_id)


@member_required
def ledger_export(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    unit = _ledger_unit(request, plan)
    day = today()
    content = ledger_xlsx(selectors.ledger(plan, unit, as_of=day))
    name = f"{plan.year}年目标任务台账{'（' + unit.name + '）' if unit else ''}_截至{day:%Y%m%d}.xlsx"
    return _download(content, XLSX, name)


@member_required
def ledger_home(request: MemberRequest) -> HttpResponse:
    current = current_plan(request)
    plans = sorted(plans_visible_to(request.membership), key=lambda p: p != current)  # the current plan first
    only = ledger_limited_to(request.membership)
    rows = [(plan, [] if only else plan_units(plan)) for plan in plans]
    return render(request, "reports/ledger_home.html", {"rows": rows, "only": only})
