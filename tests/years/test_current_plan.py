"""Several plans and years: every landing page opens the plan whose year contains the day (or the one the member
chose in the header's switcher), not merely the newest one; a reporter sees the open periods of every plan its
unit has tasks in."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Plan
from ecotarget.plans.services import plan_import
from ecotarget.progress.services.handout import SetupData, plan_groups_keep_with_leads, plan_publish, plan_setup_save
from ecotarget.samples import JIANGLE_2022_PLAN

from .pages import form_data, soup


def import_sample(jiangle, old: str, new: str) -> Plan:
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace(old, new)
    return plan_import(parse_text(text), region=jiangle).plan


@pytest.fixture
def two_years(published, jiangle, personas):
    """The 2022 sample plan (handed out in March 2022) and next year's plan, imported and set up in July 2022."""
    next_year = import_sample(jiangle, "2022", "2023")
    plan_setup_save(plan=next_year, user=personas.coordinator, data=SetupData())
    assert (published.year, next_year.year) == (2022, 2023)
    return published, next_year


def landings(plan: Plan, persona: str) -> dict[str, str]:
    """Each landing URL and where it should send the persona for `plan`."""
    if persona in ("zhujian", "guyong"):
        mine = reverse("progress:my_unit", args=[plan.pk])
        return {reverse("home"): mine}
    pages = {reverse("home"): reverse("dashboard:plan", args=[plan.pk])}
    if persona == "coordinator":
        pages[reverse("reports:home")] = reverse("reports:plan", args=[plan.pk])
    return pages


def assert_lands_on(client: Client, plan: Plan, persona: str) -> None:
    for url, expected in landings(plan, persona).items():
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, expected), url
    ledger = soup(client.get(reverse("reports:ledger_home")))
    assert ledger.select("section h2")[0].text == plan.title  # the current plan comes first


@pytest.mark.parametrize("persona", ["coordinator", "leader", "zhujian", "guyong"])
def test_in_july_2022_every_landing_page_opens_the_2022_plan_though_2023_is_imported(
    two_years, personas, client_for, clock, persona
):
    this_year, _ = two_years
    clock(date(2022, 7, 8))
    assert_lands_on(client_for(getattr(personas, persona)), this_year, persona)


@pytest.mark.parametrize("persona", ["coordinator", "leader", "zhujian"])
def test_in_2023_the_landing_pages_open_the_2023_plan(two_years, personas, client_for, clock, persona):
    _, next_year = two_years
    clock(date(2023, 2, 10))
    assert_lands_on(client_for(getattr(personas, persona)), next_year, persona)


def test_after_the_last_plan_year_the_latest_plan_opens(two_years, personas, client_for, clock):
    _, next_year = two_years
    clock(date(2025, 3, 1))
    assert_lands_on(client_for(personas.leader), next_year, "leader")


def switcher(response):
    form = soup(response).select_one("header form.plan-switch")
    assert form is not None, "the header has no plan switcher"
    return form


@pytest.mark.parametrize("persona", ["coordinator", "leader", "zhujian"])
def test_the_header_lists_the_plans_and_the_choice_is_remembered_for_the_member(
    two_years, personas, client_for, clock, persona
):
    this_year, next_year = two_years
    clock(date(2022, 7, 8))
    user = getattr(personas, persona)
    client = client_for(user)
    page = reverse("home")
    start = client.get(page, follow=True)
    form = switcher(start)
    group = form.select_one("optgroup")
    assert group["label"] == "将乐县"
    options = {o.text: o["value"] for o in group.select("option")}
    assert options == {
        f"2022年 · {this_year.title}": str(this_year.pk),
        f"2023年 · {next_year.title}": str(next_year.pk),
    }
    assert form.select_one("option[selected]")["value"] == str(this_year.pk)

    switched = client.post(form["action"], form_data(form, plan=next_year.pk))
    # The same page, for the plan chosen.
    assert switched.status_code == 302
    assert switched["Location"] == start.redirect_chain[-1][0].replace(f"/{this_year.pk}/", f"/{next_year.pk}/")
    assert_lands_on(client, next_year, persona)
    assert switcher(client.get(page, follow=True)).select_one("option[selected]")["value"] == str(next_year.pk)

    # Another member, or the same one in another session, is not moved.
    assert_lands_on(client_for(personas.leader if persona != "leader" else personas.coordinator), this_year, "leader")


def test_switching_on_a_page_of_one_task_goes_to_the_landing_page_of_the_plan_chosen(
    two_years, personas, client_for, clock
):
    this_year, next_year = two_years
    clock(date(2022, 7, 8))
    client = client_for(personas.leader)
    form = switcher(client.get(reverse("progress:task", args=[this_year.tasks.get(number=12).pk])))
    response = client.post(form["action"], form_data(form, plan=next_year.pk))
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("dashboard:plan", args=[next_year.pk])


def test_the_switcher_only_knows_the_members_own_plans(two_years, personas, client_for, clock):
    this_year, _ = two_years
    clock(date(2022, 7, 8))
    url = reverse("dashboard:switch")
    assert client_for(personas.outsider).post(url, {"plan": this_year.pk, "next": "/"}).status_code == 404
    assert client_for(personas.nobody).post(url, {"plan": this_year.pk}).status_code == 403
    assert Client().post(url, {"plan": this_year.pk})["Location"].startswith(reverse("login"))
    assert client_for(personas.leader).get(url).status_code == 405
    # An address of another site is never followed.
    response = client_for(personas.leader).post(url, {"plan": this_year.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_a_reporter_sees_the_open_periods_of_every_plan_its_unit_has_tasks_in(
    two_years, jiangle, personas, client_for, clock
):
    this_year, _ = two_years
    special = import_sample(jiangle, "2022年度党政领导", "2022年度专项行动")
    assert special.year == 2022 and special.title != this_year.title
    plan_groups_keep_with_leads(plan=special, user=personas.coordinator)
    plan_publish(plan=special, user=personas.coordinator)
    clock(date(2022, 7, 8))
    page = soup(client_for(personas.zhujian).get(reverse("home"), follow=True))
    links = {a["href"]: a.text for a in page.select(".open-periods a")}
    assert set(links) == {
        reverse("progress:my_unit", args=[plan.pk]) + "?period=7" for plan in (this_year, special)
    }  # not 2023: none of its periods is open in July 2022
    assert sorted(text.split(" · ")[0] for text in links.values()) == ["2022年7月（7月25日截止）"] * 2
    titles = sorted(text.split(" · ")[1][:13] for text in links.values())
    assert titles == ["将乐县2022年度专项行动", "将乐县2022年度党政领导"]
    # Coordinators and leaders are not reporting: no such strip.
    assert not soup(client_for(personas.leader).get(reverse("home"), follow=True)).select(".open-periods")
