"""Every service that changes data writes the one action log (core.models.Action): who, what, on which object.

The walk finds every public function of every `ecotarget.<app>.services` module (and of every module of a
`services` package) by introspection. Each is either run through a scenario below, which says which action it
must log (verb, actor, object), or declared in READ_ONLY with the reason it changes nothing. A new service in
neither makes `test_every_service_is_walked_or_declared_read_only` fail, saying what to do.
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
from django.apps import apps
from django.db import models
from django.urls import reverse

from ecotarget.core import actions
from ecotarget.core.models import Action
from ecotarget.monitoring import services as monitoring
from ecotarget.monitoring.models import DayExclusion, ImportBatch, IndicatorBinding
from ecotarget.organisation import services as organisation
from ecotarget.organisation.models import Post, Unit
from ecotarget.plandoc import parse_text
from ecotarget.plans import services as plans
from ecotarget.plans.models import Plan
from ecotarget.reports import services as reports
from ecotarget.reports.models import WrittenReport
from ecotarget.samples import JIANGLE_2022_PLAN

# Public functions of the services modules that change nothing, each with the reason.
READ_ONLY = {
    "ecotarget.organisation.services.unit_index": "reads the region's unit names",
    # It writes, but no action: the first read of a unit's people fills in its three standing posts, empty. What
    # people do with a post (a hand-over) is `tenure_hand_over`, which logs.
    "ecotarget.organisation.services.posts_of": "reads a unit's posts (creating its three empty posts on first use)",
    "ecotarget.monitoring.services.binding_words": "words a binding for the history",
    "ecotarget.monitoring.services.plan_bindings": "reads the plan's measured targets",
}

# PENDING (round two of issue 9): progress's services are being split into modules by job; they log once moved.
# Matched by function name anywhere under ecotarget.progress, so the split does not break the list. The lead
# empties it: each name moves to SCENARIOS (it changes data) or to READ_ONLY (it does not).
PENDING_PROGRESS = {
    # change data
    "change_request_create",
    "change_request_decide",
    "evidence_add",
    "evidence_remove",
    "holiday_year_save",
    "instruction_give",
    "period_close",
    "periods_close_due",
    "plan_group_keep",
    "plan_groups_keep_with_leads",
    "plan_publish",
    "plan_setup_save",
    "receipt_sign",
    "reminder_send",
    "reminders_due",
    "report_accept",
    "report_return",
    "report_save",
    "report_withdraw",
    "reports_review",
    "task_reopen",
    "task_watch",
    # look read-only
    "open_instruction",
    "plan_groups",
    "publish_refusal",
    "publish_summary",
    "reminder_text",
    "report_content",
    "reporting_units",
    "setup_defaults",
    "unit_emails",
    "unit_webhook",
    "work_calendar",
}


def services_modules() -> list[ModuleType]:
    """`services` of every ecotarget app, and every module of a `services` package."""
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
    return found


def public_services() -> dict[str, Callable]:
    """Every public function defined in a services module, by its dotted name."""
    return {
        f"{module.__name__}.{name}": function
        for module in services_modules()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


def is_pending(name: str) -> bool:
    return name.startswith("ecotarget.progress.") and name.rsplit(".", 1)[1] in PENDING_PROGRESS


# --- the scenarios ------------------------------------------------------------------------------------------------


@dataclass
class World:
    plan: Plan
    personas: object
    bound: dict[str, IndicatorBinding]

    @property
    def coordinator(self):
        return self.personas.coordinator


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
    monitoring.binding_remove(binding=binding, user=w.coordinator)
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
    version = reports.written_report_generate(
        plan=w.plan, kind=WrittenReport.Kind.HALF_YEAR, user=w.coordinator, day=date(2022, 7, 8)
    )
    return Expected("written_report.generate", w.coordinator, version.report)


def _written_report_edit(w: World) -> Expected:
    version = reports.written_report_generate(
        plan=w.plan, kind=WrittenReport.Kind.HALF_YEAR, user=None, day=date(2022, 7, 8)
    )
    edit = reports.ReportEdit(title="将乐县2022年上半年生态环境保护目标责任书落实情况", texts={})
    reports.written_report_edit(report=version.report, base=version.number, user=w.coordinator, edit=edit)
    return Expected("written_report.edit", w.coordinator, version.report)


STATIONS = monitoring.DATA_DIR / "350428-jiangle-stations.json"

# Each service that changes data, run as a person (or the system) would, and the action it must log.
SCENARIOS: dict[str, Callable[..., Expected]] = {
    "ecotarget.organisation.services.region_load": _region_load,
    "ecotarget.organisation.services.tenure_hand_over": _tenure_hand_over,
    "ecotarget.plans.services.plan_import": _plan_import,
    "ecotarget.plans.services.task_update": _task_update,
    "ecotarget.monitoring.services.stations_load": _stations_load,
    "ecotarget.monitoring.services.measurements_import": _measurements_import,
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
}


def test_every_service_is_walked_or_declared_read_only():
    found = public_services()
    unknown = sorted(n for n in found if n not in SCENARIOS and n not in READ_ONLY and not is_pending(n))
    assert not unknown, (
        f"{', '.join(unknown)}: not walked. If it changes data, make it call core.actions.record inside its "
        "transaction and add a scenario to SCENARIOS in tests/test_action_log.py that runs it and names the action "
        "it must log; if it changes nothing, list it in READ_ONLY there with the reason."
    )
    stale = sorted(n for n in [*SCENARIOS, *READ_ONLY] if n not in found)
    stale += sorted(
        f"progress: {n}" for n in PENDING_PROGRESS if not any(is_pending(f) and f.endswith(f".{n}") for f in found)
    )
    assert not stale, f"{', '.join(stale)}: no such service any more; take it out of tests/test_action_log.py"


@pytest.mark.parametrize("service", sorted(SCENARIOS))
def test_a_service_that_changes_data_logs_who_did_what_to_which_object(service, plan, bound, personas, tmp_path):
    scenario = SCENARIOS[service]
    world = World(plan=plan, personas=personas, bound=bound)
    last = Action.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    expected = scenario(world, tmp_path) if "tmp_path" in inspect.signature(scenario).parameters else scenario(world)
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
