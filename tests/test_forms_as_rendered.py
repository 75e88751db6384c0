"""Every form of the site, submitted back exactly as the page renders it, saves without an error.

The walk takes every URL pattern of the site, fills its path arguments from the data (plans, tasks, units,
reports… of a plan half-way through its year, with monitoring bound and reports in every state), opens each
page as every persona, and sends each form as a browser would (see `rendered_forms`): to its action, or where
its hx-post / hx-get says with the HX-Request header. A form passes when it saves: a redirect to a page without
an error message, or a 200 without error markup; an htmx form must answer 2xx with a fragment (htmx swaps
nothing else). Every <input type=date> must hold YYYY-MM-DD. Each submission is rolled back, so every form is
tried on the same data. A new page or form is walked without a new test; a new kind of path argument makes
the walk fail until `ARGUMENT_SOURCES` says where its values come from.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dashboard.scenario import half_year
from ecotarget.assessment.loading import demo_scheme_load
from ecotarget.assessment.models import Assessment, Scheme, SchemeItem
from ecotarget.core.models import Job
from ecotarget.monitoring.models import IndicatorBinding, Station
from ecotarget.monitoring.services import exclusion_add
from ecotarget.monitoring.stations import station_retire
from ecotarget.organisation.models import Membership, Unit
from ecotarget.plans.models import Plan, Target
from ecotarget.progress.models import ChangeRequest, Evidence, Instruction, Period, ProgressReport, Receipt
from ecotarget.progress.services.changes import change_request_create
from ecotarget.progress.services.oversight import instruction_give
from ecotarget.progress.services.reporting import ReportData, report_return, report_save
from ecotarget.reports.models import ReportVersion, WrittenReport
from ecotarget.reports.services import written_report_generate
from progress.helpers import PNG, accept, clock, published, submit, task, unit
from rendered_forms import ISO_DATE, RenderedForm, date_inputs, errors_in, forms_in, links_in

# Forms left out of the walk, each for a stated reason. Nothing else may be skipped.
EXCLUDED_FORMS = {
    # The walk is logged in: signing out would end the session the walk runs in.
    ("post", "/logout/"): "ends the session",
    # Need the person's own password, which no page renders.
    ("post", "/login/"): "needs a password",
    ("post", "/organisation/password/"): "needs the current password",
    # Need a file (a plan document, a monitoring data file); their own tests upload real files.
    ("post", "/plans/import/"): "needs a plan document",
    ("post", "/monitoring/import/"): "needs a data file",
    ("post", "/organisation/accounts/import/"): "needs a 通讯录 file (tests/test_accounts.py uploads real ones)",
    ("post", "/assessment/import/"): "needs a 评分细则 workbook",
    ("post", "/monitoring/stations/load/"): "needs a station file",
}
# URL namespaces that are not this project's pages.
EXCLUDED_NAMESPACES = {"admin"}  # Django's own admin, for staff only


__all__ = ["clock", "half_year", "published"]  # fixtures of the scenario this walk builds on


class _Rollback(Exception):
    pass


# --- the data ----------------------------------------------------------------------------------------------------


@pytest.fixture
def walk_data(half_year, bound, personas):
    """The half-year of tests/dashboard/scenario.py (reports of March–June, all accepted), the measured targets
    bound, and on 8 July: a draft, a submitted report with a photo, a returned report, an open instruction, a
    pending change request, a drafted half-year written report and a deducted day."""
    plan = half_year
    lin, wang, chen, zhang = personas.coordinator, personas.zhujian, personas.guyong, personas.leader
    july = Period.objects.get(plan=plan, number=7)
    report_save(
        period=july,
        task=task(plan, 12),
        unit=unit("住建局"),
        user=wang,
        data=ReportData(progress="in_progress", percent=30, work_done="开工"),
        version=0,
    )
    report_save(
        period=july,
        task=task(plan, 14),
        unit=unit("古镛镇"),
        user=chen,
        data=ReportData(progress="in_progress", percent=60, work_done="巡河"),
        version=0,
        submit=True,
        files=[("巡河.png", PNG)],
    )
    returned = submit(plan, wang, 29, 7, 40, unit_name="住建局")
    report_return(report=returned, user=lin, version=returned.version, comment="请补充佐证材料")
    instruction_give(task=task(plan, 45), user=zhang, text="请加快进度")
    change_request_create(
        task=task(plan, 48),
        unit=unit("住建局"),
        user=wang,
        kind="deadline",
        proposal="",
        reason="资金未到位",
        new_due_on=date(2022, 11, 30),
    )
    written_report_generate(plan=plan, kind="half_year", user=lin, day=date(2022, 7, 8))
    accept(submit(plan, chen, 15, 6, 50, unit_name="古镛镇"), lin)
    exclusion_add(region=plan.region, day=date(2022, 3, 15), reason="沙尘天气过程", user=lin)  # its 取消扣除 form
    demo_scheme_load(plan=plan, user=lin)  # the assessment pages: the scheme, the score sheets, the ranking
    # A retired station: its page offers 恢复使用 instead of the retire form.
    station_retire(station=Station.objects.filter(region=plan.region).last(), reason="点位撤销", user=lin)
    return plan


# --- the URLs ----------------------------------------------------------------------------------------------------


def _sample_tasks(plan: Plan) -> list[int]:
    """One task of each shape the editor and the pages render differently, rather than all of them."""
    shapes: dict[tuple, int] = {}
    bound = set(IndicatorBinding.objects.filter(target__task__plan=plan).values_list("target__task_id", flat=True))
    busy = set(ProgressReport.objects.filter(period__plan=plan).values_list("task_id", flat=True))
    busy |= set(Instruction.objects.filter(task__plan=plan).values_list("task_id", flat=True))
    busy |= set(ChangeRequest.objects.filter(task__plan=plan).values_list("task_id", flat=True))
    for t in plan.tasks.prefetch_related("targets", "milestones", "assignments__unit").order_by("number"):
        shape = (
            frozenset(("value" if x.value is not None else x.baseline or "none") for x in t.targets.all()),
            bool(t.milestones.all()),
            t.pk in bound,
            len(t.assignments.all()) > 1,
            any(a.unit.kind == Unit.Kind.GROUP for a in t.assignments.all()),
        )
        if t.pk in busy:
            shape += (t.pk,)  # every task with reports, instructions or requests
        shapes.setdefault(shape, t.pk)
    return sorted(shapes.values())


def _sample_units(plan: Plan) -> list[int]:
    kinds: dict[tuple, int] = {}
    with_tasks = set(plan.tasks.values_list("assignments__unit", flat=True))
    for u in Unit.objects.filter(region=plan.region).order_by("order", "pk"):
        kinds.setdefault((u.kind, u.pk in with_tasks), u.pk)
    reporting = set(ProgressReport.objects.filter(period__plan=plan).values_list("unit_id", flat=True))
    return sorted(set(kinds.values()) | reporting)


def _measured():
    return IndicatorBinding.objects.in_force().values("target")


# Where the values of a path argument come from, by the path segment before it ("app/segment" first).
def _stations_of(plan: Plan) -> list[int]:
    stations = Station.objects.filter(region_id=plan.region_id).order_by("pk")
    return [stations.filter(retired_at=None).first().pk, stations.exclude(retired_at=None).first().pk]


ARGUMENT_SOURCES = {
    "plans": lambda plan: [plan.pk],
    "tasks": _sample_tasks,
    "units": _sample_units,
    "periods": lambda plan: sorted(
        set(ProgressReport.objects.filter(period__plan=plan).values_list("period__number", flat=True))
    ),
    "receipts": lambda plan: list(Receipt.objects.filter(plan=plan).values_list("pk", flat=True)),
    "progress/reports": lambda plan: list(
        ProgressReport.objects.filter(period__plan=plan).values_list("pk", flat=True)
    ),
    "reports/reports": lambda plan: list(WrittenReport.objects.filter(plan=plan).values_list("pk", flat=True)),
    "versions": lambda plan: sorted(
        set(ReportVersion.objects.filter(report__plan=plan).values_list("number", flat=True))
    ),
    "evidence": lambda plan: list(Evidence.objects.values_list("pk", flat=True)),
    "change-requests": lambda plan: list(ChangeRequest.objects.values_list("pk", flat=True)),
    "indicators": lambda plan: list(
        IndicatorBinding.objects.filter(target__task__plan=plan).values_list("pk", flat=True)
    ),
    "holidays": lambda plan: [plan.year, plan.year + 5],
    # A background job's page (its card polls it): no form, whoever started the job.
    "jobs": lambda plan: [str(pk) for pk in Job.objects.values_list("pk", flat=True)],
    "schemes": lambda plan: list(Scheme.objects.filter(plan=plan).values_list("pk", flat=True)),
    # A department's and a township's score sheet, and one item of each kind they have.
    "sheets": lambda plan: list(
        Assessment.objects.filter(scheme__plan=plan, unit__name__in=["住建局", "古镛镇"]).values_list("pk", flat=True)
    ),
    "items": lambda plan: list(
        SchemeItem.objects.filter(part__scheme__plan=plan, number__in=["4", "14", "17"]).values_list("pk", flat=True)
    ),
    # A station in service and a retired one: their pages offer the edit form and retire, or reinstate.
    "monitoring/stations": _stations_of,
    # A password reset link (organisation/password/set/<uidb64>/<token>/): a member's id and a spent token; a
    # good link only redirects, and its form needs a new password typed twice (tests/test_passwords.py).
    "organisation/set": lambda plan: [urlsafe_base64_encode(force_bytes(Membership.objects.first().user_id))],
    "organisation/<uidb64>": lambda plan: ["cg1xyz-0123456789abcdef0123456789abcdef"],
    # A measured target and one reported by hand: the task page's binding form sets up and takes down both.
    "targets": lambda plan: [
        Target.objects.filter(task__plan=plan, pk__in=_measured()).order_by("pk").values_list("pk", flat=True)[0],
        Target.objects.filter(task__plan=plan)
        .exclude(pk__in=_measured())
        .order_by("pk")
        .values_list("pk", flat=True)[0],
    ],
}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, route


def _source(route: str, start: int) -> str:
    segments = [s for s in route[:start].split("/") if s]
    key = f"{segments[0]}/{segments[-1]}" if segments else ""
    if key in ARGUMENT_SOURCES:
        return key
    if segments and segments[-1] in ARGUMENT_SOURCES:
        return segments[-1]
    raise AssertionError(f"no ARGUMENT_SOURCES entry for the argument at {route!r}[{start}:]: say where it comes from")


def site_urls(plan: Plan) -> list[tuple[str, str]]:
    """(route, URL) for every URL of the site's patterns, with the arguments filled from the data."""
    urls = []
    for namespace, route in _patterns():
        if namespace in EXCLUDED_NAMESPACES or route.startswith(tuple(f"{n}/" for n in EXCLUDED_NAMESPACES)):
            continue
        arguments = list(ARGUMENT.finditer(route))
        choices = [ARGUMENT_SOURCES[_source(route, m.start())](plan) for m in arguments]
        for values in itertools.product(*choices):
            url, last = "/", 0
            for match, value in zip(arguments, values, strict=True):
                url += route[last : match.start()] + str(value)
                last = match.end()
            url += route[last:]
            urls.append((route, url.replace("^", "").replace("$", "")))
    return urls


# --- the walk ----------------------------------------------------------------------------------------------------


@dataclass
class Walk:
    pages: int = 0
    forms: int = 0
    problems: list[str] = field(default_factory=list)
    bad_dates: list[str] = field(default_factory=list)
    seen_forms: set = field(default_factory=set)

    def check_dates(self, persona: str, where: str, html: str) -> None:
        for name, value in date_inputs(html):
            if value and not ISO_DATE.match(value):
                self.bad_dates.append(f"{persona} {where}: {name}={value!r}")


def _send(client: Client, form: RenderedForm, button) -> object:
    headers = {"HX-Request": "true", "HX-Target": form.hx_target.lstrip("#")} if form.htmx else {}
    if form.method == "get":
        url = form.url.split("?")[0] + "?" + urlencode(form.submission(button))
        return client.get(url, headers=headers)
    return client.post(form.url, form.data(button), headers=headers)


def _outcome(client: Client, form: RenderedForm, response) -> str:
    """'' when the form saved; otherwise what went wrong, as a person would see it."""
    status = response.status_code
    if status in (301, 302, 303):
        if form.htmx:
            return ""  # htmx follows the redirect itself
        landing = client.get(response["Location"])
        errors = errors_in(landing.content.decode()) if landing.status_code == 200 else []
        return f"redirected to a page saying {errors}" if errors else ""
    body = response.content.decode() if "html" in response.get("Content-Type", "") else ""
    if form.htmx and not 200 <= status < 300:
        return f"htmx answer {status} (htmx swaps nothing, or a debug error page over the whole page)"
    if form.htmx and form.hx_target and "<html" in body.lower():
        return "htmx answer is a whole page, swapped into a part of the page"
    if status != 200:
        return f"answered {status}"
    errors = errors_in(body)
    return f"errors {errors}" if errors else ""


def walk(personas, plan: Plan, client_for) -> Walk:
    result = Walk()
    urls = site_urls(plan)
    for persona, user in personas.all().items():
        client = client_for(user)
        queue, visited, post_only = list(urls), set(), set()
        while queue:
            route, url = queue.pop(0)
            if url in visited or route in post_only:
                continue
            visited.add(url)
            response = client.get(url)
            if response.status_code == 405:  # an action, reached through the forms that post to it
                post_only.add(route)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            result.pages += 1
            result.check_dates(persona, url, html)
            # Links to the same page with other query strings (period pickers, filters): one level deep.
            if "?" not in url:
                same = [u for u in links_in(html, "http://testserver" + url) if urlsplit(u).path == url]
                queue += [(route, urlsplit(u).path + "?" + urlsplit(u).query) for u in same if urlsplit(u).query][:12]
            for form in forms_in(html, url):
                reason = EXCLUDED_FORMS.get((form.method, form.path))
                if reason:
                    continue
                key = (persona, form.method, form.path, tuple(form.controls))
                if key in result.seen_forms:
                    continue
                result.seen_forms.add(key)
                result.forms += 1
                if form.needs_file:
                    result.problems.append(f"{persona}: {form.describe()} needs a file; list it in EXCLUDED_FORMS")
                    continue
                for index, button in enumerate(form.buttons or [None]):
                    try:
                        with transaction.atomic():
                            answer = _send(client, form, button)
                            if "html" in answer.get("Content-Type", ""):  # a page or fragment shown after it
                                result.check_dates(persona, form.describe(button), answer.content.decode())
                            problem = _outcome(client, form, answer)
                            raise _Rollback
                    except _Rollback:
                        pass
                    # The default button must save; another (报送 beside 保存草稿) may refuse, but in place.
                    if problem and (index == 0 or "htmx" in problem or "answered 5" in problem):
                        result.problems.append(f"{persona}: {form.describe(button)}: {problem}")
    return result


def test_every_form_of_every_page_saves_as_rendered_and_shows_iso_dates(walk_data, personas, client_for, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # the walk meets many a 403/404 by design
    plan = walk_data
    walked = walk(personas, plan, client_for)

    # The walk reached the pages and forms of every role (else passing would prove nothing).
    reached = {(persona, path) for persona, _, path, _ in walked.seen_forms}
    expected = {
        ("coordinator", reverse("plans:task_edit", args=[plan.tasks.get(number=1).pk])),
        ("coordinator", reverse("progress:setup", args=[plan.pk])),
        ("coordinator", reverse("progress:report_review", args=[ProgressReport.objects.get(state="submitted").pk])),
        ("zhujian", reverse("progress:report_edit", args=[plan.pk, 7, plan.tasks.get(number=12).pk])),
        ("guyong", reverse("progress:withdraw", args=[ProgressReport.objects.get(state="submitted").pk])),
        ("leader", reverse("progress:instruct", args=[plan.tasks.get(number=12).pk])),
    }
    assert expected <= reached, expected - reached

    failures = walked.problems + [f"date input not YYYY-MM-DD: {d}" for d in walked.bad_dates]
    assert not failures, "\n".join(failures)
