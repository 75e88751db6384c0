"""Assessment pages: a plan's schemes and the import of a 评分细则 (coordinators), a scheme's tree, a unit's score
sheet (a reporter only its own unit's), the ranking (coordinators and leaders), and the sheet as .xlsx.

Access is the assessment's policy (`organisation.access`): the office runs it (`may_run_assessment`), a unit's
reporters self-assess (`may_self_assess`), leaders approve (`may_approve_assessment`), the office and leaders see
every result (`may_see_assessment_results`), a reporter its own unit's sheet (`may_see_score_sheet`). The services
behind the pages ask the same policy again."""

import json
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ecotarget.core import clock
from ecotarget.core.errors import Refusal, form_errors_in_words
from ecotarget.organisation.access import (
    may_approve_assessment,
    may_run_assessment,
    may_see_assessment_results,
    may_see_score_sheet,
    may_self_assess,
    member_required,
)
from ecotarget.organisation.requests import MemberRequest
from ecotarget.plans.current import current_plan
from ecotarget.plans.models import Plan
from ecotarget.plans.previews import preview_discard, preview_load, preview_save
from ecotarget.plans.selectors import plans_visible_to
from ecotarget.progress.models import Evidence
from ecotarget.scoring import rules

from . import demo, selectors, services
from .docx import report_docx
from .forms import ItemEditForm, ItemReviewForm, PublishedChangeForm, SchemeCopyForm, SchemeUploadForm, SelfScoreForm
from .models import Assessment, Scheme, SchemeItem
from .sheets import sheet_xlsx
from .workbook import ParsedScheme, WorkbookRefused, read_scheme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SESSION_KEY = "scheme_import_draft"


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _plan(request: MemberRequest, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.membership).select_related("region"), pk=pk)


def _scheme(request: MemberRequest, pk: int) -> Scheme:
    return get_object_or_404(selectors.schemes_of(request.membership).select_related("plan__region"), pk=pk)


def _require_reviewer(request: MemberRequest, plan: Plan) -> None:
    if not may_run_assessment(request.membership, plan.region_id):
        raise PermissionDenied("仅考核办（管理员）可以进行此操作")


@member_required
def home(request: MemberRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return redirect("plans:list")
    return redirect("assessment:plan", pk=plan.pk)


@member_required
def plan_schemes(request: MemberRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schemes = list(plan.schemes.order_by("level"))
    own = {}
    if request.membership.unit_id is not None:
        own = {a.scheme_id: a for a in Assessment.objects.filter(scheme__plan=plan, unit_id=request.membership.unit_id)}
    rows = [(s, own.get(s.pk)) for s in schemes]
    return render(
        request,
        "assessment/plan_schemes.html",
        {
            "plan": plan,
            "rows": rows,
            "may_review": may_run_assessment(request.membership, plan.region_id),
            "may_follow": may_see_assessment_results(request.membership, plan.region_id),
        },
    )


@member_required
def scheme_detail(request: MemberRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    region_id = scheme.plan.region_id
    follow = may_see_assessment_results(request.membership, region_id)
    reviewer = may_run_assessment(request.membership, region_id)
    parts = selectors.scheme_tree(scheme)
    assessments = list(scheme.assessments.select_related("unit")) if follow else []
    own = selectors.assessment_of(request.membership, scheme)
    copy_form = None
    if reviewer:
        others = plans_visible_to(request.membership).exclude(pk=scheme.plan_id).exclude(schemes__level=scheme.level)
        copy_form = SchemeCopyForm(plans=others)
    total = sum(i.points for p in parts for i in p.items.all() if i.kind in ("gap", "events", "completion", "manual"))
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": scheme,
            "plan": scheme.plan,
            "parts": parts,
            "base_total": total,
            "assessments": assessments,
            "own": own,
            "may_review": reviewer,
            "may_edit": reviewer and scheme.approved_at is None,
            "may_follow": follow,
            "copy_form": copy_form,
        },
    )


def _assessment(request: MemberRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("scheme__plan__region", "unit"),
        pk=pk,
        scheme__plan__region_id=request.membership.region_id,
    )
    if not may_see_score_sheet(request.membership, assessment.scheme.plan.region_id, assessment.unit):
        raise Http404  # another unit's sheet: not even its existence is shown
    return assessment


@member_required
def sheet(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    scheme = assessment.scheme
    results = selectors.results(scheme, only=assessment)
    found = results.sheet_of(assessment.pk)
    assert found is not None
    reviewer = may_run_assessment(request.membership, scheme.plan.region_id)
    own = may_self_assess(request.membership, assessment.unit_id)
    self_open = own and assessment.state == Assessment.State.SELF
    evidence: dict[int, list] = {}
    if self_open and assessment.unit_id is not None:
        # The unit's files from its progress reports, offered per task: its self-assessment's evidence.
        for e in Evidence.objects.filter(
            report__unit_id=assessment.unit_id, report__task__plan_id=scheme.plan_id, removed_at__isnull=True
        ).select_related("report__period", "report__task"):
            evidence.setdefault(e.report.task_id, []).append(e)
    changes = list(assessment.changes.select_related("item", "changed_by"))
    offered = {line.item.pk: [e for t in line.item.tasks.all() for e in evidence.get(t.pk, [])] for line in found.lines}
    return render(
        request,
        "assessment/sheet.html",
        {
            "scheme": scheme,
            "plan": scheme.plan,
            "assessment": assessment,
            "results": results,
            "sheet": found,
            "may_review": reviewer,
            "show_rank": may_see_assessment_results(request.membership, scheme.plan.region_id)
            or assessment.state == Assessment.State.PUBLISHED,
            "review_form": ItemReviewForm() if reviewer else None,
            "group_label": selectors.GROUP_LABELS.get(assessment.group, ""),
            "self_open": self_open,
            "offered": offered,
            "published": assessment.state == Assessment.State.PUBLISHED,
            "changes": changes,
            "changed_items": {c.item_id for c in changes},
            "may_return": reviewer and assessment.state in (Assessment.State.SUBMITTED, Assessment.State.REVIEWING),
        },
    )


@member_required
def sheet_export(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    results = selectors.results(assessment.scheme, only=assessment)
    found = results.sheet_of(assessment.pk)
    assert found is not None
    name = f"{assessment.scheme.plan.year}年考核得分表-{assessment.party}.xlsx"
    changes = list(assessment.changes.select_related("item", "changed_by"))
    return _download(sheet_xlsx(results, found, changes), name)


@member_required
def ranking(request: MemberRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    if not may_see_assessment_results(request.membership, scheme.plan.region_id):
        raise PermissionDenied("排名仅供考核办和领导查看")
    results = selectors.results(scheme)
    return render(
        request,
        "assessment/ranking.html",
        {
            "scheme": scheme,
            "plan": scheme.plan,
            "results": results,
            "groups": results.groups(),
            "may_approve": may_approve_assessment(request.membership, scheme.plan.region_id)
            and scheme.approved_at is None
            and not results.provisional
            and not scheme.assessments.exclude(state=Assessment.State.APPROVAL).exists(),
            "states": _state_counts(scheme),
        },
    )


@member_required
@require_POST
def compute(request: MemberRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    _require_reviewer(request, scheme.plan)
    try:
        result = services.assessment_compute(scheme=scheme, user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        label = "预估得分" if result.provisional else "得分"
        messages.success(request, f"已计算{len(result.sheets)}个单位的{label}（数据截至 {result.day:%Y年%m月%d日}）")
    return redirect("assessment:ranking", pk=scheme.pk)


@member_required
@require_POST
def copy(request: MemberRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    _require_reviewer(request, scheme.plan)
    form = SchemeCopyForm(request.POST, plans=plans_visible_to(request.membership))
    if not form.is_valid():
        messages.error(request, "请选择要复制到的方案")
        return redirect("assessment:scheme", pk=scheme.pk)
    try:
        new = services.scheme_copy(scheme=scheme, plan=form.cleaned_data["plan"], user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("assessment:scheme", pk=scheme.pk)
    messages.success(request, f"已复制为“{new.title}”")
    return redirect("assessment:scheme", pk=new.pk)


@member_required
@require_POST
def review(request: MemberRequest, pk: int, item_pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    _require_reviewer(request, assessment.scheme.plan)
    item = get_object_or_404(SchemeItem, pk=item_pk, part__scheme=assessment.scheme)
    form = ItemReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_in_words(form.errors))
    else:
        row = item.scores.filter(assessment=assessment).first()
        try:
            services.item_review(
                assessment=assessment,
                item=item,
                user=request.user,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                facts=row.facts if row is not None else {},
            )
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"已保存第{item.number}项的审核意见")
    return redirect(f"{reverse('assessment:sheet', args=[assessment.pk])}#item-{item.pk}")


@member_required
@require_POST
def change(request: MemberRequest, pk: int, item_pk: int) -> HttpResponse:
    """Change a published item score, with the reason the office must give (kept and shown on the sheet)."""
    assessment = _assessment(request, pk)
    _require_reviewer(request, assessment.scheme.plan)
    item = get_object_or_404(SchemeItem, pk=item_pk, part__scheme=assessment.scheme)
    form = PublishedChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_in_words(form.errors))
    else:
        _refusal_or(
            request,
            lambda: services.published_score_change(
                assessment=assessment,
                item=item,
                user=request.user,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
            ),
            f"已变更第{item.number}项得分，总分、等次和排名已重新计算",
        )
    return redirect(f"{reverse('assessment:sheet', args=[assessment.pk])}#item-{item.pk}")


@member_required
@require_http_methods(["GET", "POST"])
def item_edit(request: MemberRequest, pk: int) -> HttpResponse:
    """Change a scheme item in the browser: wording, points, how it is scored, what it is mapped to."""
    item = get_object_or_404(
        SchemeItem.objects.select_related("part__scheme__plan__region"),
        pk=pk,
        part__scheme__plan__region_id=request.membership.region_id,
    )
    scheme = item.part.scheme
    _require_reviewer(request, scheme.plan)
    form = ItemEditForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.scheme_item_update(
                item=item,
                user=request.user,
                points=data["points"],
                kind=data["kind"],
                params=form.params(),
                content=data["content"],
                standard=data["standard"],
                task_ids=[t.pk for t in data["tasks"]],
                target_ids=[t.pk for t in data["targets"]],
                unit_ids=[u.pk for u in data["units"]],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"已保存第{item.number}项")
            return redirect(f"{reverse('assessment:scheme', args=[scheme.pk])}#item-{item.pk}")
    kinds = [(k.value, k.label, [form[name] for name in ItemEditForm.KIND_FIELDS.get(k, [])]) for k in rules.Kind]
    return render(
        request,
        "assessment/item_edit.html",
        {"scheme": scheme, "plan": scheme.plan, "item": item, "form": form, "kinds": kinds},
    )


def _plan_asked(request: MemberRequest) -> Plan:
    """The plan a 评分细则 is imported into: named by the form (or the link), else the member's current plan."""
    asked = request.POST.get("plan") or request.GET.get("plan")
    if asked and asked.isdigit():
        return _plan(request, int(asked))
    plan = current_plan(request)
    if plan is None:
        raise Http404
    return plan


@member_required
@require_http_methods(["GET", "POST"])
def upload(request: MemberRequest) -> HttpResponse:
    plan = _plan_asked(request)
    _require_reviewer(request, plan)
    form = SchemeUploadForm(
        request.POST or None, request.FILES or None, initial={"title": f"{plan.year}年度生态环境保护目标责任书考核"}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        try:
            parsed = read_scheme(upload.read(), upload.name)
        except WorkbookRefused as refused:
            form.add_error("workbook", str(refused))
        else:
            preview = services.scheme_preview(parsed=parsed, plan=plan)
            if earlier := request.session.get(IMPORT_SESSION_KEY):
                preview_discard(earlier.get("token", ""))
            request.session[IMPORT_SESSION_KEY] = {
                "plan": plan.pk,
                "name": upload.name,
                "title": form.cleaned_data["title"],
                "level": form.cleaned_data["level"],
                "token": preview_save(json.dumps(parsed.to_json(), ensure_ascii=False)),
            }
            return render(
                request,
                "assessment/import_preview.html",
                {
                    "plan": plan,
                    "preview": preview,
                    "draft": request.session[IMPORT_SESSION_KEY],
                    "parts": _zip(preview),
                },
            )
    return render(request, "assessment/import_upload.html", {"plan": plan, "form": form})


def _zip(preview: services.ImportPreview) -> list:
    return list(zip(preview.parsed.parts, preview.proposals, strict=True))


@member_required
@require_POST
def upload_confirm(request: MemberRequest) -> HttpResponse:
    plan = _plan_asked(request)
    _require_reviewer(request, plan)
    draft: dict = request.session.get(IMPORT_SESSION_KEY) or {}
    text = preview_load(draft.get("token", "")) if draft.get("plan") == plan.pk else None
    if text is None:
        messages.error(request, "没有待导入的评分细则或预览已过期，请重新上传")
        return redirect(f"{reverse('assessment:upload')}?plan={plan.pk}")
    try:
        scheme = services.scheme_import(
            plan=plan,
            parsed=ParsedScheme.from_json(json.loads(text)),
            title=draft["title"],
            level=draft["level"],
            user=request.user,
            source_name=draft["name"],
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect(f"{reverse('assessment:upload')}?plan={plan.pk}")
    preview_discard(draft["token"])
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, f"已导入考核方案“{scheme.title}”")
    return redirect("assessment:scheme", pk=scheme.pk)


@member_required
def template_xlsx(request: MemberRequest) -> HttpResponse:
    """The demo 评分细则 as a template in the layout the import reads."""
    return _download(demo.demo_workbook(), "评分细则模板.xlsx")


def _state_counts(scheme: Scheme) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for state in scheme.assessments.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return [(Assessment.State(state).label, n) for state, n in sorted(counts.items())]


def _refusal_or(request: MemberRequest, action, success: str) -> None:
    try:
        action()
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)


@member_required
@require_POST
def self_score(request: MemberRequest, pk: int, item_pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    item = get_object_or_404(SchemeItem, pk=item_pk, part__scheme=assessment.scheme)
    if not may_self_assess(request.membership, assessment.unit_id):
        raise PermissionDenied("只能由本单位填报员填写本单位的自评")
    form = SelfScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_in_words(form.errors))
    else:
        _refusal_or(
            request,
            lambda: services.self_score_save(
                assessment=assessment,
                item=item,
                user=request.user,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                evidence_ids=[int(v) for v in request.POST.getlist("evidence") if v.isdigit()],
            ),
            f"已保存第{item.number}项自评",
        )
    return redirect(f"{reverse('assessment:sheet', args=[assessment.pk])}#item-{item.pk}")


@member_required
@require_POST
def submit(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    if not may_self_assess(request.membership, assessment.unit_id):
        raise PermissionDenied("只能由本单位填报员提交本单位的自评")
    _refusal_or(
        request,
        lambda: services.assessment_submit(
            assessment=assessment, user=request.user, report=request.POST.get("report", "")
        ),
        "自评已提交，等待考核办审核",
    )
    return redirect("assessment:sheet", pk=assessment.pk)


@member_required
@require_POST
def step(request: MemberRequest, pk: int) -> HttpResponse:
    """The reviewer's step on a submitted assessment: send it back with a reason, or finish the review."""
    assessment = _assessment(request, pk)
    _require_reviewer(request, assessment.scheme.plan)
    if request.POST.get("action") == "return":
        _refusal_or(
            request,
            lambda: services.assessment_return(
                assessment=assessment, user=request.user, reason=request.POST.get("reason", "")
            ),
            f"已退回{assessment.party}的自评",
        )
    else:
        _refusal_or(
            request,
            lambda: services.assessment_review_done(assessment=assessment, user=request.user),
            f"{assessment.party}审核完成，已提交审批",
        )
    return redirect("assessment:sheet", pk=assessment.pk)


@member_required
@require_POST
def approve(request: MemberRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    if not may_approve_assessment(request.membership, scheme.plan.region_id):
        raise PermissionDenied("仅县领导可以审批考核结果")
    _refusal_or(
        request,
        lambda: services.scheme_approve(scheme=scheme, user=request.user),
        f"{scheme.plan.year}年度考核结果已审批并发布",
    )
    return redirect("assessment:ranking", pk=scheme.pk)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@member_required
def report(request: MemberRequest, pk: int) -> HttpResponse:
    """The county's report of the results (.docx): for coordinators and leaders, as the ranking."""
    scheme = _scheme(request, pk)
    if not may_see_assessment_results(request.membership, scheme.plan.region_id):
        raise PermissionDenied("考核结果报告仅供考核办和领导查看")
    results = selectors.results(scheme)
    final = scheme.approved_at is not None and not results.provisional
    content = report_docx(results, issuer=scheme.plan.region.name, signed_on=clock.today(), final=final)
    response = HttpResponse(content, content_type=DOCX)
    name = f"{scheme.plan.year}年度考核结果报告{'' if final else '（预估稿）'}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
