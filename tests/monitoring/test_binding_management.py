"""On the task page the coordinator decides where each target's value comes from: bind it to a monitored
indicator, change indicator, scope or edition, or unbind it. Each change is one recorded action in the task's
history with who made it; leaders and reporters see the source read-only; other counties see nothing."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.monitoring.readings import measured_readings
from ecotarget.monitoring.services import binding_remove
from ecotarget.plans.models import TaskChange


def task_page(client, task):
    return BeautifulSoup(client.get(reverse("plans:task", args=[task.pk])).content, "html.parser")


def binding_form(page, target):
    """The form of one target, with the values the page renders (what the browser would send untouched)."""
    form = page.find("form", action=reverse("monitoring:binding", args=[target.pk]))
    assert form is not None, "the page has no source form for this target"
    data = {}
    for field in form.find_all(["input", "select"]):
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[field["name"]] = chosen.get("value", "")
        elif field.get("name"):
            data[field["name"]] = field.get("value", "")
    return form, data


def choose(form, data, label: str, text: str) -> dict:
    """Pick the option showing `text` in the select labelled `label`, as a user does."""
    select = next(s for s in form.find_all("select") if s.find_parent("label").get_text().strip().startswith(label))
    option = next(o for o in select.find_all("option") if o.get_text().strip() == text)
    return data | {select["name"]: option["value"]}


def post(client, target, data):
    return client.post(reverse("monitoring:binding", args=[target.pk]), data)


def binding_changes(task):
    return TaskChange.objects.filter(task=task, action=TaskChange.Action.BINDING).order_by("id")


@pytest.fixture
def task15(plan):
    return plan.tasks.get(number=15)


@pytest.fixture
def task14(plan):
    return plan.tasks.get(number=14)


def test_the_coordinator_binds_a_reported_target_to_an_indicator(task14, personas, client_for):
    client = client_for(personas.coordinator)
    target = task14.targets.get(metric="流域水质优良比例")
    binding_remove(
        binding=IndicatorBinding.objects.get(target=target), user=personas.coordinator, reason="改由单位填报"
    )
    before = binding_changes(task14).count()
    form, data = binding_form(task_page(client, task14), target)
    data = choose(form, data, "数据来源", "断面水质优良（Ⅰ~Ⅲ类）比例")
    data = choose(form, data, "范围", "省控")
    response = post(client, target, data)

    assert response.status_code == 302
    binding = IndicatorBinding.objects.in_force().get(target=target)
    assert (binding.indicator, binding.scope) == ("section_good_ratio", "provincial")
    change = binding_changes(task14).last()
    assert binding_changes(task14).count() == before + 1 and change.user == personas.coordinator
    history = task_page(client, task14).find("table", class_="history").get_text(" ", strip=True)
    assert "流域水质优良比例 ≥ 100 %：由监测数据计算（断面水质优良（Ⅰ~Ⅲ类）比例，省控）" in history
    assert "由责任单位填报 → " in history


def test_the_coordinator_changes_the_scope_and_the_edition(task15, personas, client_for):
    client = client_for(personas.coordinator)
    target = task15.targets.get(metric="PM2.5浓度")
    form, data = binding_form(task_page(client, task15), target)
    data = choose(form, data, "标准版本", "HJ 633-2026 / GB 3095-2026")
    post(client, target, choose(form, data, "范围", "国控"))
    binding = IndicatorBinding.objects.get(target=target)
    assert (binding.indicator, binding.scope, binding.edition) == ("pm2_5_annual", "national", "2026")
    assert "HJ 633-2026" in binding_changes(task15).last().changes["binding"][1]


def test_the_coordinator_unbinds_a_target_and_its_units_report_it_again(task15, personas, client_for):
    client = client_for(personas.coordinator)
    target = task15.targets.get(metric="PM10浓度")
    page = task_page(client, task15)
    form, data = binding_form(page, target)
    data = choose(form, data, "数据来源", "由责任单位填报")
    refused = post(client, target, data)  # without a reason: refused, nothing changes
    assert "请写明改为由责任单位填报的原因" in client.get(refused["Location"]).content.decode()
    assert IndicatorBinding.objects.in_force().filter(target=target).exists()
    post(client, target, data | {f"t{target.pk}-reason": "该点位停测，改由单位填报"})
    # The binding decided the official figure: it is retired with who and why, never deleted.
    retired = IndicatorBinding.objects.get(target=target)
    assert (retired.retired_by, retired.retired_reason) == (personas.coordinator, "该点位停测，改由单位填报")
    assert retired.retired_at is not None and target.pk not in measured_readings(task15.plan, date(2022, 7, 1))
    old, new = binding_changes(task15).last().changes["binding"]
    assert "PM10年均浓度" in old and new == "PM10浓度 ≤ 29 微克/立方米：由责任单位填报"
    form, _ = binding_form(task_page(client, task15), target)
    source = form.find_parent(class_="target-source").find(class_="source").get_text(strip=True)
    assert source.startswith("由责任单位填报")


def test_every_form_posted_as_rendered_changes_and_records_nothing(task14, task15, personas, client_for):
    client = client_for(personas.coordinator)
    before = {(b.target_id, b.indicator, b.scope, b.edition) for b in IndicatorBinding.objects.all()}
    changes = TaskChange.objects.count()
    for task in (task14, task15):
        page = task_page(client, task)
        for target in task.targets.all():
            _, data = binding_form(page, target)
            assert post(client, target, data).status_code == 302
    assert {(b.target_id, b.indicator, b.scope, b.edition) for b in IndicatorBinding.objects.all()} == before
    assert TaskChange.objects.count() == changes


@pytest.mark.parametrize("persona", ["leader", "zhujian", "guyong"])
def test_leaders_and_reporters_see_the_source_read_only_and_may_not_change_it(task15, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    page = task_page(client, task15)
    target = task15.targets.get(metric="PM2.5浓度")
    assert "由监测数据计算：PM2.5年均浓度（全部点位）" in page.find(id="measured").get_text(strip=True)
    assert page.find("form", action=reverse("monitoring:binding", args=[target.pk])) is None
    data = {f"t{target.pk}-indicator": "", f"t{target.pk}-scope": "", f"t{target.pk}-edition": "auto"}
    assert post(client, target, data).status_code == 403
    assert IndicatorBinding.objects.in_force().filter(target=target).exists()


def test_another_countys_coordinator_cannot_find_the_target(task15, personas, client_for):
    client = client_for(personas.outsider)
    target = task15.targets.get(metric="PM2.5浓度")
    assert client.get(reverse("plans:task", args=[task15.pk])).status_code == 404
    data = {f"t{target.pk}-indicator": "", f"t{target.pk}-scope": "", f"t{target.pk}-edition": "auto"}
    assert post(client, target, data).status_code == 404
    assert IndicatorBinding.objects.in_force().filter(target=target).exists()


def test_an_unknown_indicator_is_refused_with_the_reason(task15, personas, client_for):
    client = client_for(personas.coordinator)
    target = task15.targets.get(metric="PM2.5浓度")
    _, data = binding_form(task_page(client, task15), target)
    response = post(client, target, data | {f"t{target.pk}-indicator": "ozone_max8h"})
    assert IndicatorBinding.objects.get(target=target).indicator == "pm2_5_annual"
    assert "ozone_max8h" in BeautifulSoup(client.get(response["Location"]).content, "html.parser").get_text()


def test_the_edition_changed_on_the_settings_page_is_recorded_too(plan, task15, personas, client_for):
    binding = IndicatorBinding.objects.get(target__task=task15, target__metric="重污染天气")
    client = client_for(personas.coordinator)
    client.post(
        reverse("monitoring:settings", args=[plan.pk]), {"action": "edition", "id": binding.pk, "edition": "2012"}
    )
    change = binding_changes(task15).last()
    assert change.user == personas.coordinator
    assert change.changes["binding"][1].endswith("（重污染天数，HJ 633-2012 / GB 3095-2012）")


def test_the_task_page_makes_as_many_queries_with_five_measured_targets_as_with_reported_ones(
    plan, personas, client_for
):
    client = client_for(personas.coordinator)
    counts = []
    for number in (15, 22):  # five measured targets; two reported by units
        url = reverse("plans:task", args=[plan.tasks.get(number=number).pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]
