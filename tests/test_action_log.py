"""Every service that changes data writes the one action log (core.models.Action): who, what, on which object.

The walk finds every public function of every `ecotarget.<app>.services` module (and of every module of a
`services` package), and of the few modules outside them that hold actions (ACTION_MODULES), by introspection.
Each is either run through a scenario below, which says which action it must log (verb, actor, object), or
declared in READ_ONLY with the reason it changes nothing. A new service in neither makes
`test_every_service_is_walked_or_declared_read_only` fail, saying what to do.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import models
from django.urls import reverse

from ecotarget.assessment import demo as assessment_demo
from ecotarget.assessment import loading as assessment_loading
from ecotarget.assessment import services as assessment
from ecotarget.assessment.models import Assessment, SchemeItem
from ecotarget.assessment.workbook import read_scheme
from ecotarget.core import actions
from ecotarget.core.models import Action
from ecotarget.monitoring import services as monitoring
from ecotarget.monitoring import stations as monitoring_stations
from ecotarget.monitoring.models import DayExclusion, ImportBatch, IndicatorBinding
from ecotarget.organisation import firstrun
from ecotarget.organisation import services as organisation
from ecotarget.organisation.models import Post, Unit
from ecotarget.organisation.workbooks import DirectoryRow
from ecotarget.plandoc import parse_text
from ecotarget.plans import services as plans
from ecotarget.plans.models import Plan
from ecotarget.progress import closing as progress_closing
from ecotarget.progress import selectors as progress_selectors
from ecotarget.progress.models import ChangeRequest, GroupOwner, ProgressReport, Receipt
from ecotarget.progress.selectors import GroupOnTask
from ecotarget.progress.services import changes as progress_changes
from ecotarget.progress.services import handout as progress_handout
from ecotarget.progress.services import holidays as progress_holidays
from ecotarget.progress.services import oversight as progress_oversight
from ecotarget.progress.services import reminders as progress_reminders
from ecotarget.progress.services import reporting as progress_reporting
from ecotarget.reports import services as reports
from ecotarget.reports.models import WrittenReport
from ecotarget.samples import JIANGLE_2022_PLAN
from progress import helpers as progress_helpers
from progress.helpers import clock, published

__all__ = ["clock", "published"]  # fixtures of the progress scenarios, shared with tests/progress

# Public functions of the services modules that change nothing, each with the reason.
READ_ONLY = {
    "ecotarget.organisation.services.unit_index": "reads the region's unit names",
    "ecotarget.organisation.services.directory_check": "checks a 通讯录 against the region (the preview)",
    # It writes, but no action: the first read of a unit's people fills in its three standing posts, empty. What
    # people do with a post (a hand-over) is `tenure_hand_over`, which logs.
    "ecotarget.organisation.services.posts_of": "reads a unit's posts (creating its three empty posts on first use)",
    "ecotarget.monitoring.services.binding_words": "words a binding for the history",
    "ecotarget.monitoring.services.plan_bindings": "reads the plan's measured targets",
    "ecotarget.monitoring.stations.unknown_stations": "reads an import's issues for the stations it did not know",
    "ecotarget.progress.services.permits.require_overseer": "asks the access policy; refuses, changes nothing",
    "ecotarget.progress.services.reminders.robot_address_check": "refuses a robot address; changes nothing",
    "ecotarget.progress.services.permits.require_reporter": "asks the access policy; refuses, changes nothing",
    "ecotarget.progress.services.permits.require_reviewer": "asks the access policy; refuses, changes nothing",
    "ecotarget.progress.services.reminders.reminder_text": "words a reminder",
    "ecotarget.progress.services.reporting.report_content": "reads a report's content for its history",
    "ecotarget.assessment.services.scheme_preview": "reads what importing a 评分细则 would write",
}

# Modules outside the `services` modules whose public functions change data. Closing a period is not a service:
# the first read after a due date closes it, so the status pages call it (a selector may not import a service).
# The station register's actions live in their own module of the monitoring app (monitoring/stations.py).
ACTION_MODULES = ["ecotarget.progress.closing", "ecotarget.monitoring.stations"]


def services_modules() -> list[ModuleType]:
    """`services` of every ecotarget app, every module of a `services` package, and ACTION_MODULES."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ecotarget."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.services":
                raise
            continue
        found.append(module)
        if hasattr(module, "__path__"):
            found += [
                importlib.import_module(info.name)
                for info in pkgutil.walk_packages(module.__path__, prefix=f"{module.__name__}.")
            ]
    return found + [importlib.import_module(name) for name in ACTION_MODULES]


def public_services() -> dict[str, Callable]:
    """Every public function defined in a services module, by its dotted name."""
    return {
        f"{module.__name__}.{name}": function
        for module in services_modules()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


# --- the scenarios ------------------------------------------------------------------------------------------------


@dataclass
class World:
    plan: Plan
    personas: object
    bound: dict[str, IndicatorBinding]
    request: pytest.FixtureRequest

    @property
    def coordinator(self):
        return self.personas.coordinator

    def travel(self, day: date) -> None:
        """Set the clock to `day` (10:00 in Shanghai), as the progress tests do."""
        self.request.getfixturevalue("clock")(day)


@dataclass
class Expected:
    verb: str
    actor: object  # a user, or None: the system
    obj: models.Model


def _region_load(w: World) -> Expected:
    region = organisation.region_load(path=organisation.DATA_DIR / "350428-jiangle.json").region
    return Expected("region.load", None, region)


def _tenure_hand_over(w: World) -> Expected:
    unit = Unit.objects.get(region=w.plan.region, name="住建局")
    post = next(p for p in organisation.posts_of(unit) if p.kind == Post.Kind.CONTACT)
    tenure = organisation.tenure_hand_over(
        post=post, successor=organisation.Person(name="李联络"), on=date(2022, 3, 1), by=w.coordinator
    )
    return Expected("tenure.hand_over", w.coordinator, tenure)


def _password_change(w: World) -> Expected:
    organisation.password_change(user=w.personas.zhujian, password="新的密码-2022")
    return Expected("account.password_change", w.personas.zhujian, w.personas.zhujian)


def _password_reset_by_coordinator(w: World) -> Expected:
    organisation.password_reset_by_coordinator(target=w.personas.leader, by=w.coordinator)
    return Expected("account.password_reset", w.coordinator, w.personas.leader)


def _entry(name: str = "李联络", username: str = "lilianluo") -> DirectoryRow:
    return DirectoryRow(row=2, unit="住建局", name=name, duty="联系人", phone="13800000001", username=username)


def _account_create(w: World) -> Expected:
    new = organisation.account_create(region=w.plan.region, by=w.coordinator, entry=_entry())
    return Expected("account.create", w.coordinator, new.user)


def _accounts_import(w: World) -> Expected:
    organisation.accounts_import(region=w.plan.region, by=w.coordinator, rows=[_entry()], file_name="通讯录.xlsx")
    return Expected("accounts.import", w.coordinator, w.plan.region)


def _account_deactivate(w: World) -> Expected:
    organisation.account_deactivate(target=w.personas.zhujian.membership, by=w.coordinator)
    return Expected("account.deactivate", w.coordinator, w.personas.zhujian)


def _account_reactivate(w: World) -> Expected:
    organisation.account_deactivate(target=w.personas.zhujian.membership, by=w.coordinator)
    organisation.account_reactivate(target=w.personas.zhujian.membership, by=w.coordinator)
    return Expected("account.reactivate", w.coordinator, w.personas.zhujian)


def _region_init(w: World) -> Expected:
    # A first run happens on an empty database; this one holds the sample region, so it is taken as empty.
    w.request.getfixturevalue("monkeypatch").setattr(firstrun, "setup_needed", lambda: True)
    result = organisation.region_init(
        path=organisation.DATA_DIR / "350428-jiangle.json", username="newlin", full_name="新督查"
    )
    return Expected("region.init", None, result.region)


def _plan_import(w: World) -> Expected:
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022年度", "2023年度")
    result = plans.plan_import(parse_text(text), user=w.coordinator, region=w.plan.region)
    return Expected("plan.import", w.coordinator, result.plan)


def _task_update(w: World) -> Expected:
    task = w.plan.tasks.get(number=3)
    edit = replace(plans.TaskEdit.of(task), text=task.text + "（已细化）")
    plans.task_update(task=task, user=w.coordinator, edit=edit)
    return Expected("task.update", w.coordinator, task)


def _stations_load(w: World) -> Expected:
    monitoring.stations_load(region=w.plan.region, path=STATIONS)
    return Expected("station.load", None, w.plan.region)


def _station(w: World):
    values = monitoring_stations.StationFields(code="JL-X01", name="县政府站", medium="air", level="county")
    return monitoring_stations.station_register(region=w.plan.region, values=values, user=w.coordinator)


def _station_register(w: World) -> Expected:
    return Expected("station.register", w.coordinator, _station(w))


def _station_update(w: World) -> Expected:
    station = _station(w)
    values = replace(monitoring_stations.StationFields.of(station), name="县政府新站")
    monitoring_stations.station_update(station=station, values=values, user=w.coordinator)
    return Expected("station.update", w.coordinator, station)


def _station_retire(w: World) -> Expected:
    station = monitoring_stations.station_retire(station=_station(w), reason="点位撤销", user=w.coordinator)
    return Expected("station.retire", w.coordinator, station)


def _station_reinstate(w: World) -> Expected:
    station = monitoring_stations.station_retire(station=_station(w), reason="点位撤销", user=w.coordinator)
    monitoring_stations.station_reinstate(station=station, user=w.coordinator)
    return Expected("station.reinstate", w.coordinator, station)


def _stations_load_file(w: World, tmp_path: Path) -> Expected:
    path = tmp_path / "stations.csv"
    path.write_text("点位编码,点位名称,类别,介质\nJL-X01,县政府站,县控,空气\n", encoding="utf-8")
    outcome = monitoring_stations.stations_load_file(path=path, region=w.plan.region, user=w.coordinator)
    return Expected("station.register", w.coordinator, outcome.created[0])


def _measurements_import(w: World, tmp_path: Path) -> Expected:
    path = tmp_path / "air.csv"
    path.write_text("站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3\n县城站（演示）,2022-03-01 01:00,20,35,6,12,0.6,70\n")
    outcome = monitoring.measurements_import(
        region=w.plan.region, path=path, file_name="air.csv", kind=ImportBatch.Kind.AIR, user=w.coordinator
    )
    return Expected("data.import", w.coordinator, outcome.batch)


def _exclusion_add(w: World) -> Expected:
    exclusion = monitoring.exclusion_add(region=w.plan.region, day=date(2022, 3, 5), reason="沙尘", user=w.coordinator)
    return Expected("exclusion.add", w.coordinator, exclusion)


def _exclusion_remove(w: World) -> Expected:
    exclusion = DayExclusion.objects.create(region=w.plan.region, day=date(2022, 3, 5), reason="沙尘")
    monitoring.exclusion_remove(exclusion=exclusion, user=w.coordinator, reason="经核实非沙尘")
    return Expected("exclusion.retire", w.coordinator, exclusion)


def _annual_figure_set(w: World) -> Expected:
    figure = monitoring.annual_figure_set(
        region=w.plan.region,
        indicator="good_day_ratio",
        scope="",
        year=2021,
        value=Decimal("98.9"),
        source="2021年公报",
        user=w.coordinator,
    )
    return Expected("annual_figure.set", w.coordinator, figure)


def _binding_set(w: World) -> Expected:
    binding = w.bound["PM2.5浓度"]
    monitoring.binding_set(target=binding.target, indicator=binding.indicator, edition="2026", user=w.coordinator)
    return Expected("binding.set", w.coordinator, binding.target)


def _binding_set_edition(w: World) -> Expected:
    binding = w.bound["PM2.5浓度"]
    monitoring.binding_set_edition(binding=binding, edition="2026", user=w.coordinator)
    return Expected("binding.edition", w.coordinator, binding.target)


def _binding_remove(w: World) -> Expected:
    binding = w.bound["PM2.5浓度"]
    monitoring.binding_remove(binding=binding, user=w.coordinator, reason="改由单位填报")
    return Expected("binding.remove", w.coordinator, binding.target)


def _unbound(w: World):
    """A target whose wording names an indicator, left unbound (as if imported before imports bound targets)."""
    binding = w.bound["PM2.5浓度"]
    binding.delete()
    return binding.target


def _bindings_suggest(w: World) -> Expected:
    target = _unbound(w)
    monitoring.bindings_suggest(targets=[target], user=w.coordinator)
    return Expected("binding.suggest", w.coordinator, target)


def _bindings_apply(w: World) -> Expected:
    target = _unbound(w)
    monitoring.bindings_apply(plan=w.plan, user=w.coordinator)
    return Expected("binding.suggest", w.coordinator, target)


def _written_report_generate(w: World) -> Expected:
    version, _ = reports.written_report_generate(
        plan=w.plan, kind=WrittenReport.Kind.HALF_YEAR, user=w.coordinator, day=date(2022, 7, 8)
    )
    return Expected("written_report.generate", w.coordinator, version.report)


def _written_report_edit(w: World) -> Expected:
    version, _ = reports.written_report_generate(
        plan=w.plan, kind=WrittenReport.Kind.HALF_YEAR, user=None, day=date(2022, 7, 8)
    )
    edit = reports.ReportEdit(title="将乐县2022年上半年生态环境保护目标责任书落实情况", texts={})
    reports.written_report_edit(report=version.report, base=version.number, user=w.coordinator, edit=edit)
    return Expected("written_report.edit", w.coordinator, version.report)


# --- progress: set-up and hand-out ---


def _plan_setup_save(w: World, published: Plan) -> Expected:
    setup = progress_handout.plan_setup_save(
        plan=published,
        user=w.coordinator,
        data=progress_handout.SetupData(lagging_threshold=12, starts_on=date(2022, 1, 1)),
    )
    return Expected("plan.setup", w.coordinator, setup)


def _plan_publish(w: World) -> Expected:
    w.travel(date(2022, 3, 1))
    progress_handout.plan_groups_keep_with_leads(plan=w.plan, user=w.coordinator)
    progress_handout.plan_publish(plan=w.plan, user=w.coordinator)
    return Expected("plan.publish", w.coordinator, w.plan)


def _receipt_sign(w: World, published: Plan) -> Expected:
    w.travel(date(2022, 3, 2))
    receipt = Receipt.objects.get(plan=published, unit=progress_helpers.unit("住建局"))
    progress_handout.receipt_sign(receipt=receipt, user=w.personas.zhujian)
    return Expected("receipt.sign", w.personas.zhujian, receipt)


def _open_group(w: World) -> GroupOnTask:
    return next(g for g in progress_selectors.plan_groups(w.plan) if g.owner is None and g.candidates)


def _plan_group_keep(w: World) -> Expected:
    item = _open_group(w)
    progress_handout.plan_group_keep(task=item.task, group=item.group, owner=item.candidates[0], user=w.coordinator)
    return Expected("group.keep", w.coordinator, GroupOwner.objects.get(task=item.task, group=item.group))


def _plan_groups_keep_with_leads(w: World) -> Expected:
    item = _open_group(w)
    progress_handout.plan_groups_keep_with_leads(plan=w.plan, user=w.coordinator)
    return Expected("group.keep", w.coordinator, GroupOwner.objects.get(task=item.task, group=item.group))


def _holiday_year_save(w: World) -> Expected:
    year = progress_holidays.holiday_year_save(
        region=w.plan.region,
        year=2031,
        user=w.coordinator,
        notice="国办发明电〔2030〕1号",
        holidays=[(date(2031, 10, 1), "国庆节")],
        workdays=[date(2031, 10, 11)],
    )
    return Expected("holiday_year.save", w.coordinator, year)


# --- progress: reports and their review ---


def _submitted(w: World, plan: Plan, percent: int = 50, number: int = 12) -> ProgressReport:
    w.travel(date(2022, 3, 20))
    return progress_helpers.submit(plan, w.personas.zhujian, number, 3, percent, unit_name="住建局")


def _report_save(w: World, published: Plan) -> Expected:
    return Expected("report.submit", w.personas.zhujian, _submitted(w, published))


def _report_withdraw(w: World, published: Plan) -> Expected:
    report = _submitted(w, published)
    progress_reporting.report_withdraw(report=report, user=w.personas.zhujian, version=report.version)
    return Expected("report.withdraw", w.personas.zhujian, report)


def _report_return(w: World, published: Plan) -> Expected:
    report = _submitted(w, published)
    progress_reporting.report_return(report=report, user=w.coordinator, version=report.version, comment="请补充照片")
    return Expected("report.return", w.coordinator, report)


def _report_accept(w: World, published: Plan) -> Expected:
    report = _submitted(w, published)
    progress_reporting.report_accept(report=report, user=w.coordinator, version=report.version)
    return Expected("report.accept", w.coordinator, report)


def _reports_review(w: World, published: Plan) -> Expected:
    report = _submitted(w, published)
    progress_reporting.reports_review(reports=[(report, report.version)], user=w.coordinator, accept=True)
    return Expected("report.accept", w.coordinator, report)


def _draft(w: World, plan: Plan) -> ProgressReport:
    w.travel(date(2022, 3, 20))
    return progress_reporting.report_save(
        period=progress_helpers.period(plan, 3),
        task=progress_helpers.task(plan, 12),
        unit=progress_helpers.unit("住建局"),
        user=w.personas.zhujian,
        data=progress_reporting.ReportData(progress="in_progress", percent=30, work_done="已启动"),
        version=0,
    )


def _evidence_add(w: World, published: Plan) -> Expected:
    item = progress_reporting.evidence_add(
        report=_draft(w, published), user=w.personas.zhujian, name="现场.png", data=progress_helpers.PNG
    )
    return Expected("evidence.add", w.personas.zhujian, item)


def _evidence_remove(w: World, published: Plan) -> Expected:
    item = progress_reporting.evidence_add(
        report=_draft(w, published), user=w.personas.zhujian, name="现场.png", data=progress_helpers.PNG
    )
    progress_reporting.evidence_remove(item=item, user=w.personas.zhujian)
    return Expected("evidence.remove", w.personas.zhujian, item)


def _task_reopen(w: World, published: Plan) -> Expected:
    report = _submitted(w, published, percent=100, number=17)
    progress_reporting.report_accept(report=report, user=w.coordinator, version=report.version)
    progress_reporting.task_reopen(task=report.task, user=w.coordinator, reason="验收发现问题，需继续整改")
    return Expected("task.reopen", w.coordinator, report.task)


# --- progress: change requests and oversight ---


def _change_request(w: World, plan: Plan) -> ChangeRequest:
    w.travel(date(2022, 3, 20))
    return progress_changes.change_request_create(
        task=progress_helpers.task(plan, 12),
        unit=progress_helpers.unit("住建局"),
        user=w.personas.zhujian,
        kind=ChangeRequest.Kind.WORDING,
        proposal="推进城镇污水管网建设（含公共机构）",
        reason="范围扩大",
    )


def _change_request_create(w: World, published: Plan) -> Expected:
    return Expected("change_request.create", w.personas.zhujian, _change_request(w, published))


def _change_request_decide(w: World, published: Plan) -> Expected:
    request = _change_request(w, published)
    progress_changes.change_request_decide(change_request=request, user=w.coordinator, grant=False, note="不宜扩大")
    return Expected("change_request.refuse", w.coordinator, request)


def _task_watch(w: World) -> Expected:
    watch = progress_oversight.task_watch(task=w.plan.tasks.get(number=12), user=w.personas.leader, watch=True)
    return Expected("task.watch", w.personas.leader, watch)


def _instruction_give(w: World) -> Expected:
    task = w.plan.tasks.get(number=12)
    instruction, _ = progress_oversight.instruction_give(task=task, user=w.personas.leader, text="请加快进度")
    return Expected("instruction.give", w.personas.leader, instruction)


# --- progress: reminders, channels and closing periods ---


def _chase(w: World, plan: Plan):
    w.travel(date(2022, 3, 20))
    chases = progress_selectors.chase_list(plan, progress_helpers.period(plan, 3), date(2022, 3, 20))
    return progress_helpers.period(plan, 3), next(c for c in chases if c.unit.name == "住建局")


def _reminder_send(w: World, published: Plan) -> Expected:
    period, chase = _chase(w, published)
    sent = progress_reminders.reminder_send(period=period, chase=chase, user=w.coordinator)
    return Expected("reminder.send", w.coordinator, sent[0])


def _reminders_send(w: World, published: Plan) -> Expected:
    period, chase = _chase(w, published)
    sent = progress_reminders.reminders_send(period=period, chases=[chase], user=w.coordinator)
    return Expected("reminder.send", w.coordinator, sent[0])


def _reminders_due(w: World, published: Plan) -> Expected:
    w.travel(date(2022, 3, 22))  # within three working days of the 25th
    sent = progress_reminders.reminders_due()
    return Expected("reminder.send", None, sent[0])


def _unit_channel_set(w: World) -> Expected:
    zhujian = Unit.objects.get(region=w.plan.region, name="住建局")
    url = "https://oapi.dingtalk.com/robot/send?access_token=secret"
    progress_reminders.unit_channel_set(unit=zhujian, user=w.coordinator, kind="dingtalk", url=url)
    assert "secret" not in str(Action.objects.filter(verb="unit_channel.set").values_list("changes", flat=True)[0])
    return Expected("unit_channel.set", w.coordinator, zhujian)


def _period_close(w: World, published: Plan) -> Expected:
    w.travel(date(2022, 4, 1))
    period = progress_helpers.period(published, 3)
    progress_closing.period_close(period=period)
    return Expected("period.close", None, period)


def _periods_close_due(w: World, published: Plan) -> Expected:
    w.travel(date(2022, 4, 1))
    progress_closing.periods_close_due(plan=published)
    return Expected("period.close", None, progress_helpers.period(published, 3))


def _scheme_import(w: World) -> Expected:
    parsed = read_scheme(assessment_demo.demo_workbook(), "演示.xlsx")
    scheme = assessment.scheme_import(plan=w.plan, parsed=parsed, title="考核", level="county", user=w.coordinator)
    return Expected("scheme.import", w.coordinator, scheme)


def _demo_scheme(w: World):
    return assessment_loading.demo_scheme_load(plan=w.plan, user=w.coordinator)[0]


def _scheme_copy(w: World) -> Expected:
    scheme = _demo_scheme(w)
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022年度", "2023年度")
    next_plan = plans.plan_import(parse_text(text), user=w.coordinator, region=w.plan.region).plan
    copy = assessment.scheme_copy(scheme=scheme, plan=next_plan, user=w.coordinator)
    return Expected("scheme.copy", w.coordinator, copy)


def _scheme_item_update(w: World) -> Expected:
    item = SchemeItem.objects.get(part__scheme=_demo_scheme(w), number="17")
    assessment.scheme_item_update(item=item, user=w.coordinator, points=Decimal(4), kind="manual", params={})
    return Expected("scheme_item.update", w.coordinator, item)


def _item_review(w: World) -> Expected:
    scheme = _demo_scheme(w)
    target = Assessment.objects.get(scheme=scheme, unit__name="水南镇")
    item = SchemeItem.objects.get(part__scheme=scheme, number="4")
    row = assessment.item_review(
        assessment=target, item=item, user=w.coordinator, score=Decimal(7), reason="扣除沙尘天气影响"
    )
    return Expected("item_score.review", w.coordinator, row)


def _assessment_compute(w: World) -> Expected:
    scheme = _demo_scheme(w)
    assessment.assessment_compute(scheme=scheme, user=w.coordinator, day=date(2022, 7, 8))
    return Expected("assessment.compute", w.coordinator, scheme)


def _zhujian_assessment(w: World) -> Assessment:
    return Assessment.objects.get(scheme=_demo_scheme(w), unit__name="住建局")


def _self_score_save(w: World) -> Expected:
    target = _zhujian_assessment(w)
    item = SchemeItem.objects.get(part__scheme=target.scheme, number="2")
    row = assessment.self_score_save(
        assessment=target, item=item, user=w.personas.zhujian, score=Decimal(4), note="城区已覆盖"
    )
    return Expected("item_score.self", w.personas.zhujian, row)


def _assessment_submit(w: World) -> Expected:
    target = assessment.assessment_submit(assessment=_zhujian_assessment(w), user=w.personas.zhujian, report="自评")
    return Expected("assessment.submit", w.personas.zhujian, target)


def _assessment_return(w: World) -> Expected:
    target = assessment.assessment_submit(assessment=_zhujian_assessment(w), user=w.personas.zhujian, report="自评")
    assessment.assessment_return(assessment=target, user=w.coordinator, reason="请补充佐证")
    return Expected("assessment.return", w.coordinator, target)


def _assessment_review_done(w: World) -> Expected:
    target = assessment.assessment_submit(assessment=_zhujian_assessment(w), user=w.personas.zhujian, report="自评")
    assessment.assessment_review_done(assessment=target, user=w.coordinator)
    return Expected("assessment.review_done", w.coordinator, target)


def _scheme_approve(w: World) -> Expected:
    scheme = _demo_scheme(w)
    Assessment.objects.filter(scheme=scheme).update(state=Assessment.State.APPROVAL)
    w.travel(date(2023, 1, 20))
    assessment.scheme_approve(scheme=scheme, user=w.personas.leader)
    return Expected("scheme.approve", w.personas.leader, scheme)


def _published_score_change(w: World) -> Expected:
    scheme = _demo_scheme(w)
    Assessment.objects.filter(scheme=scheme).update(state=Assessment.State.APPROVAL)
    w.travel(date(2023, 1, 20))
    assessment.scheme_approve(scheme=scheme, user=w.personas.leader)
    target = _zhujian_assessment(w)
    item = SchemeItem.objects.get(part__scheme=scheme, number="17")
    assessment.published_score_change(
        assessment=target, item=item, user=w.coordinator, score=Decimal(3), reason="申诉查实，重评满意度"
    )
    return Expected("item_score.change", w.coordinator, target.scores.get(item=item))


STATIONS = monitoring.DATA_DIR / "350428-jiangle-stations.json"

# Each service that changes data, run as a person (or the system) would, and the action it must log.
SCENARIOS: dict[str, Callable[..., Expected]] = {
    "ecotarget.organisation.services.region_load": _region_load,
    "ecotarget.organisation.services.tenure_hand_over": _tenure_hand_over,
    "ecotarget.organisation.services.password_change": _password_change,
    "ecotarget.organisation.services.password_reset_by_coordinator": _password_reset_by_coordinator,
    "ecotarget.organisation.services.account_create": _account_create,
    "ecotarget.organisation.services.accounts_import": _accounts_import,
    "ecotarget.organisation.services.account_deactivate": _account_deactivate,
    "ecotarget.organisation.services.account_reactivate": _account_reactivate,
    "ecotarget.organisation.services.region_init": _region_init,
    "ecotarget.plans.services.plan_import": _plan_import,
    "ecotarget.plans.services.task_update": _task_update,
    "ecotarget.monitoring.services.stations_load": _stations_load,
    "ecotarget.monitoring.services.measurements_import": _measurements_import,
    "ecotarget.monitoring.stations.station_register": _station_register,
    "ecotarget.monitoring.stations.station_update": _station_update,
    "ecotarget.monitoring.stations.station_retire": _station_retire,
    "ecotarget.monitoring.stations.station_reinstate": _station_reinstate,
    "ecotarget.monitoring.stations.stations_load_file": _stations_load_file,
    "ecotarget.monitoring.services.exclusion_add": _exclusion_add,
    "ecotarget.monitoring.services.exclusion_remove": _exclusion_remove,
    "ecotarget.monitoring.services.annual_figure_set": _annual_figure_set,
    "ecotarget.monitoring.services.binding_set": _binding_set,
    "ecotarget.monitoring.services.binding_set_edition": _binding_set_edition,
    "ecotarget.monitoring.services.binding_remove": _binding_remove,
    "ecotarget.monitoring.services.bindings_suggest": _bindings_suggest,
    "ecotarget.monitoring.services.bindings_apply": _bindings_apply,
    "ecotarget.reports.services.written_report_generate": _written_report_generate,
    "ecotarget.reports.services.written_report_edit": _written_report_edit,
    "ecotarget.progress.services.handout.plan_setup_save": _plan_setup_save,
    "ecotarget.progress.services.handout.plan_publish": _plan_publish,
    "ecotarget.progress.services.handout.receipt_sign": _receipt_sign,
    "ecotarget.progress.services.handout.plan_group_keep": _plan_group_keep,
    "ecotarget.progress.services.handout.plan_groups_keep_with_leads": _plan_groups_keep_with_leads,
    "ecotarget.progress.services.holidays.holiday_year_save": _holiday_year_save,
    "ecotarget.progress.services.reporting.report_save": _report_save,
    "ecotarget.progress.services.reporting.report_withdraw": _report_withdraw,
    "ecotarget.progress.services.reporting.report_return": _report_return,
    "ecotarget.progress.services.reporting.report_accept": _report_accept,
    "ecotarget.progress.services.reporting.reports_review": _reports_review,
    "ecotarget.progress.services.reporting.evidence_add": _evidence_add,
    "ecotarget.progress.services.reporting.evidence_remove": _evidence_remove,
    "ecotarget.progress.services.reporting.task_reopen": _task_reopen,
    "ecotarget.progress.services.changes.change_request_create": _change_request_create,
    "ecotarget.progress.services.changes.change_request_decide": _change_request_decide,
    "ecotarget.progress.services.oversight.task_watch": _task_watch,
    "ecotarget.progress.services.oversight.instruction_give": _instruction_give,
    "ecotarget.progress.services.reminders.reminder_send": _reminder_send,
    "ecotarget.progress.services.reminders.reminders_send": _reminders_send,
    "ecotarget.progress.services.reminders.reminders_due": _reminders_due,
    "ecotarget.progress.services.reminders.unit_channel_set": _unit_channel_set,
    "ecotarget.progress.closing.period_close": _period_close,
    "ecotarget.progress.closing.periods_close_due": _periods_close_due,
    "ecotarget.assessment.services.scheme_import": _scheme_import,
    "ecotarget.assessment.services.scheme_copy": _scheme_copy,
    "ecotarget.assessment.services.scheme_item_update": _scheme_item_update,
    "ecotarget.assessment.services.item_review": _item_review,
    "ecotarget.assessment.services.assessment_compute": _assessment_compute,
    "ecotarget.assessment.services.published_score_change": _published_score_change,
    "ecotarget.assessment.services.self_score_save": _self_score_save,
    "ecotarget.assessment.services.assessment_submit": _assessment_submit,
    "ecotarget.assessment.services.assessment_return": _assessment_return,
    "ecotarget.assessment.services.assessment_review_done": _assessment_review_done,
    "ecotarget.assessment.services.scheme_approve": _scheme_approve,
}


def test_every_service_is_walked_or_declared_read_only():
    found = public_services()
    unknown = sorted(n for n in found if n not in SCENARIOS and n not in READ_ONLY)
    assert not unknown, (
        f"{', '.join(unknown)}: not walked. If it changes data, make it call core.actions.record inside its "
        "transaction and add a scenario to SCENARIOS in tests/test_action_log.py that runs it and names the action "
        "it must log; if it changes nothing, list it in READ_ONLY there with the reason."
    )
    stale = sorted(n for n in [*SCENARIOS, *READ_ONLY] if n not in found)
    assert not stale, f"{', '.join(stale)}: no such service any more; take it out of tests/test_action_log.py"


@pytest.mark.parametrize("service", sorted(SCENARIOS))
def test_a_service_that_changes_data_logs_who_did_what_to_which_object(service, plan, bound, personas, request):
    scenario = SCENARIOS[service]
    world = World(plan=plan, personas=personas, bound=bound, request=request)
    # What a scenario needs besides the world (a published plan, a folder) is set up before the log is read.
    needs = {name: request.getfixturevalue(name) for name in list(inspect.signature(scenario).parameters)[1:]}
    last = Action.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    expected = scenario(world, **needs)
    logged = Action.objects.filter(pk__gt=last)
    assert logged.exists(), f"{service} changed data and logged nothing"
    match = logged.filter(
        verb=expected.verb,
        object_type=expected.obj._meta.label_lower,
        object_id=expected.obj.pk,
        actor=expected.actor,
        by_system=expected.actor is None,
    )
    assert match.exists(), (
        f"{service} logged {[(a.verb, a.object_type, a.object_id, a.actor_name) for a in logged]}, "
        f"not {expected.verb} on {expected.obj._meta.label_lower} {expected.obj.pk} by {expected.actor or '系统'}"
    )
    action = match.get()
    assert action.summary and action.object_label
    if expected.actor is not None:
        assert action.actor_name == (expected.actor.get_full_name() or expected.actor.username)


def test_a_refused_change_logs_nothing(plan, personas):
    """The log is written in the transaction of the change: a refusal rolls both back."""
    before = Action.objects.count()
    with pytest.raises(monitoring.SettingError):
        monitoring.exclusion_add(region=plan.region, day=date(2022, 3, 5), reason=" ", user=personas.coordinator)
    task = plan.tasks.get(number=3)
    with pytest.raises(plans.TaskEditError):
        plans.task_update(task=task, user=personas.coordinator, edit=replace(plans.TaskEdit.of(task), text=" "))
    assert Action.objects.count() == before


@pytest.mark.django_db(transaction=True)  # no test transaction around it: as a view runs without one
def test_an_action_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        actions.record(None, "test.noop", None, "无", object_type="test.none", label="无")
    assert not Action.objects.exists()


# --- the timelines the pages read from the log ---------------------------------------------------------------------


def _page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_plan_unit_and_task_pages_read_their_timelines_from_the_log(plan, personas, client_for):
    lin = personas.coordinator
    monitoring.exclusion_add(region=plan.region, day=date(2022, 3, 5), reason="沙尘天气过程", user=lin)
    zhujian = Unit.objects.get(region=plan.region, name="住建局")
    post = next(p for p in organisation.posts_of(zhujian) if p.kind == Post.Kind.CONTACT)
    organisation.tenure_hand_over(post=post, successor=organisation.Person(name="李联络"), on=date(2022, 3, 1), by=lin)
    task = plan.tasks.get(number=3)
    plans.task_update(task=task, user=lin, edit=replace(plans.TaskEdit.of(task), text=task.text + "（已细化）"))
    client = client_for(personas.leader)

    history = _page_text(client, reverse("plans:history", args=[plan.pk]))
    assert "扣除2022-03-05（沙尘天气过程）" in history and "修改任务3：任务内容" in history
    assert "住建局联系人/填报员交接：李联络" in history and "林督查" in history

    unit_page = _page_text(client, reverse("plans:unit", args=[plan.pk, zhujian.pk]))
    assert "住建局联系人/填报员交接：李联络" in unit_page
    guyong = Unit.objects.get(region=plan.region, name="古镛镇")
    assert "李联络" not in _page_text(client, reverse("plans:unit", args=[plan.pk, guyong.pk]))

    task_page = _page_text(client, reverse("plans:task", args=[task.pk]))
    assert "修改任务3：任务内容" in task_page and "扣除2022-03-05" not in task_page


def test_another_regions_actions_stay_off_the_plans_timeline(plan, personas, client_for):
    other = personas.outsider
    monitoring.exclusion_add(region=other.membership.region, day=date(2022, 3, 6), reason="外县沙尘", user=other)
    history = _page_text(client_for(personas.coordinator), reverse("plans:history", args=[plan.pk]))
    assert "外县沙尘" not in history


def test_the_progress_task_page_shows_reports_reviews_and_instructions_from_the_log(
    published, personas, clock, client_for
):
    clock(date(2022, 3, 20))
    report = progress_helpers.submit(published, personas.zhujian, 12, 3, 50, unit_name="住建局")
    progress_reporting.report_return(
        report=report, user=personas.coordinator, version=report.version, comment="请补充照片"
    )
    twelve = published.tasks.get(number=12)
    progress_oversight.instruction_give(task=twelve, user=personas.leader, text="请加快进度")
    client = client_for(personas.leader)

    page = BeautifulSoup(client.get(reverse("progress:task", args=[twelve.pk])).content, "html.parser")
    rows = [li.get_text(" ", strip=True) for li in page.find("ul", class_="timeline").find_all("li")]

    def row(words: str) -> str:
        return next(r for r in rows if words in r)

    assert "张县长" in row("对任务12作出批示：请加快进度")
    returned = row("住建局 2022年3月报告 退回（第2版）：请补充照片")
    assert "林督查" in returned and "状态： 已报送 → 已退回" in returned
    submitted = row("住建局 2022年3月报告 报送（第1版）")
    assert "王填报" in submitted and "完成比例： 50%" in submitted
    # Newest first: the instruction, then the return, then the submission.
    assert rows.index(row("作出批示")) < rows.index(returned) < rows.index(submitted)

    # The unit's pages (its reporting page, its list under the plan) show what it did and what was done to it;
    # another unit's do not.
    def unit_history(who, name: str) -> str:
        url = reverse("progress:my_unit", args=[published.pk])
        reporting = BeautifulSoup(client_for(who).get(url).content, "html.parser").find(id="unit-history")
        listing = _page_text(client, reverse("plans:unit", args=[published.pk, progress_helpers.unit(name).pk]))
        return reporting.get_text(" ", strip=True) + listing

    assert "住建局 2022年3月报告 退回（第2版）：请补充照片" in unit_history(personas.zhujian, "住建局")
    assert "住建局 2022年3月报告" not in unit_history(personas.guyong, "古镛镇")


def test_the_set_up_logs_each_setting_before_and_after(published, personas):
    setup = progress_handout.plan_setup_save(
        plan=published, user=personas.coordinator, data=progress_handout.SetupData(lagging_threshold=12, due_day=20)
    )
    action = actions.for_object(setup).filter(verb="plan.setup").first()
    assert action.changes == {"每期报送日": ["25", "20"], "滞后阈值（百分点）": ["10", "12"]}
    assert action.summary == "修改填报设置：每期报送日、滞后阈值（百分点）"
    before = Action.objects.count()
    progress_handout.plan_setup_save(
        plan=published, user=personas.coordinator, data=progress_handout.SetupData(lagging_threshold=12, due_day=20)
    )
    assert Action.objects.count() == before  # the same settings again change nothing


def test_a_holiday_year_logs_the_days_added_and_taken_off(plan, personas):
    entered = progress_holidays.holiday_year_save(
        region=plan.region,
        year=2031,
        user=personas.coordinator,
        notice="",
        holidays=[(date(2031, 10, 1), "国庆节")],
        workdays=[],
    )
    progress_holidays.holiday_year_save(
        region=plan.region,
        year=2031,
        user=personas.coordinator,
        notice="",
        holidays=[(date(2031, 10, 2), "国庆节")],
        workdays=[date(2031, 10, 11)],
    )
    action = actions.for_object(entered).first()
    assert action.summary == "修改2031年节假日安排：新增2天，取消1天"
    assert action.changes == {"放假": ["10月1日国庆节", "10月2日国庆节"], "调休上班": [None, "10月11日"]}
