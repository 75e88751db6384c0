"""An item of the scheme changed in the browser: its points, how it is scored (each kind's parameters in labelled
fields) and what it is mapped to — sent as the page renders it, checked by the scoring core, kept and logged;
only the region's office may, and not once the results are approved."""

from datetime import date

import pytest
from django.urls import reverse

from ecotarget.assessment import services
from ecotarget.assessment.models import Assessment, SchemeItem
from ecotarget.core.models import Action
from ecotarget.plans.models import Task
from rendered_forms import errors_in, the_form

from .conftest import item


def edit_form(client, pk: int):
    url = reverse("assessment:item_edit", args=[pk])
    return the_form(client.get(url).content.decode(), "http://testserver" + url)


def test_the_rendered_form_sent_back_unchanged_keeps_the_rule(scheme, personas, client_for):
    pm25 = item(scheme, "4")
    before = (pm25.points, pm25.kind, pm25.params, set(pm25.targets.values_list("pk", flat=True)))
    form = edit_form(client_for(personas.coordinator), pm25.pk)
    response = client_for(personas.coordinator).post(form.url, form.data(), follow=True)
    assert errors_in(response.content.decode()) == []
    pm25.refresh_from_db()
    assert (pm25.points, pm25.kind, pm25.params, set(pm25.targets.values_list("pk", flat=True))) == before


def test_the_office_changes_a_gap_rule_in_words(scheme, personas, client_for):
    lin = client_for(personas.coordinator)
    pm25 = item(scheme, "4")
    form = edit_form(lin, pm25.pk)
    data = form.data(points="10", gap_per_step="1", gap_basis="monthly", gap_annual_cancels="on")
    page = lin.post(form.url, data, follow=True).content.decode()
    assert errors_in(page) == []
    assert "按月考核，PM2.5浓度高于目标值的，每差1微克/立方米扣1分；年均值达到目标的，不扣月度分，扣完为止" in page
    pm25.refresh_from_db()
    assert pm25.params["per_step"] == "1" and pm25.params["basis"] == "monthly" and pm25.params["annual_cancels"]
    logged = Action.objects.filter(verb="scheme_item.update", object_id=pm25.pk).latest("pk")
    assert logged.changes["分值"] == ["8.00", "10"]


def test_an_item_becomes_an_events_item_with_its_categories_one_a_line(scheme, personas, client_for):
    lin = client_for(personas.coordinator)
    water = item(scheme, "8")
    form = edit_form(lin, water.pk)
    data = form.data(kind="events", events_categories="不达标 5\n反弹为劣Ⅴ类 10", events_per="month", events_cap="")
    page = lin.post(form.url, data, follow=True).content.decode()
    assert errors_in(page) == []
    assert "不达标每月次扣5分，反弹为劣Ⅴ类每月次扣10分，扣完为止" in page
    water.refresh_from_db()
    assert water.kind == "events"
    assert water.params["categories"] == [{"name": "不达标", "points": "5"}, {"name": "反弹为劣Ⅴ类", "points": "10"}]


def test_a_rule_the_core_refuses_is_shown_on_the_form_and_not_kept(scheme, personas, client_for):
    lin = client_for(personas.coordinator)
    pm25 = item(scheme, "4")
    form = edit_form(lin, pm25.pk)
    refused = lin.post(form.url, form.data(gap_metric=""))
    assert refused.status_code == 200 and "缺少指标名称" in refused.content.decode()
    unreadable = lin.post(form.url, form.data(kind="events", events_categories="不达标"))
    assert "扣分情形第1行应为“情形名称 扣分”" in unreadable.content.decode()
    pm25.refresh_from_db()
    assert pm25.kind == "gap" and pm25.params["metric"] == "PM2.5浓度"


def test_the_items_tasks_and_units_are_ticked_on_the_form(scheme, personas, client_for):
    lin = client_for(personas.coordinator)
    survey = item(scheme, "17")
    form = edit_form(lin, survey.pk)
    wanted = Task.objects.get(plan=scheme.plan, number=12)
    zhujian = scheme.plan.region.units.get(name="住建局")
    data = form.data()
    data["tasks"] = [str(wanted.pk)]
    data["units"] = [str(zhujian.pk)]
    assert errors_in(lin.post(form.url, data, follow=True).content.decode()) == []
    survey.refresh_from_db()
    assert list(survey.tasks.all()) == [wanted] and list(survey.units.all()) == [zhujian]


# persona → status of the edit page: only the office of the region edits its scheme.
PAGE = {"coordinator": 200, "zhujian": 403, "guyong": 403, "leader": 403, "outsider": 404, "nobody": 403}


@pytest.mark.parametrize("persona", sorted(PAGE))
def test_who_may_open_and_send_the_edit_page(scheme, personas, client_for, persona):
    url = reverse("assessment:item_edit", args=[item(scheme, "4").pk])
    client = client_for(getattr(personas, persona))
    assert client.get(url).status_code == PAGE[persona]
    if PAGE[persona] != 200:
        assert client.post(url, {"points": "1", "kind": "manual", "content": "x"}).status_code == PAGE[persona]
        assert SchemeItem.objects.get(pk=item(scheme, "4").pk).kind == "gap"


def test_the_scheme_is_not_edited_once_its_results_are_approved(scheme, personas, client_for, clock):
    Assessment.objects.filter(scheme=scheme).update(state=Assessment.State.APPROVAL)
    clock(date(2023, 1, 15))
    services.scheme_approve(scheme=scheme, user=personas.leader)
    lin = client_for(personas.coordinator)
    assert "/edit/" not in lin.get(reverse("assessment:scheme", args=[scheme.pk])).content.decode()
    form = edit_form(lin, item(scheme, "4").pk)
    page = lin.post(form.url, form.data(points="10")).content.decode()
    assert "考核结果已审批发布，评分细则不能再修改" in page
