"""Under the Content-Security-Policy (scripts from this site only) the main pages of every role load in Chromium
without a single CSP violation in the console, and what used to be inline handlers still works: the plan switcher,
选全 on the review page, the unit picker."""

from datetime import date

import pytest
from django.urls import reverse

from ecotarget.plandoc import parse_text
from ecotarget.plans.services import plan_import
from ecotarget.samples import JIANGLE_2022_PLAN
from progress.helpers import clock, published, submit, task

__all__ = ["clock", "published"]

pytestmark = pytest.mark.django_db(transaction=True)


def watch_console(page) -> list[str]:
    """Every console error and page error of `page` from now on (Chromium reports a CSP refusal as one)."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def visit(page, url: str, seen: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert not seen, f"{url}: {seen}"


@pytest.fixture
def year(published, personas, clock, settings):
    clock(date(2022, 3, 20))
    settings.ECOTARGET_TODAY = "2022-03-20"
    submit(published, personas.zhujian, 12, 3, 40, unit_name="住建局")
    submit(published, personas.zhujian, 17, 3, 50, unit_name="住建局")
    return published


def test_the_login_page_runs_under_the_policy(browser, live_server):
    page = browser.new_page()
    seen = watch_console(page)
    visit(page, f"{live_server.url}/login/", seen)
    page.close()


def test_the_coordinators_pages_show_no_csp_violation(year, personas, logged_in, live_server):
    page = logged_in(personas.coordinator)
    seen = watch_console(page)
    plan = year.pk
    number_12 = task(year, 12).pk
    for url in [
        reverse("home"),
        reverse("plans:list"),
        reverse("plans:overview", args=[plan]),
        reverse("plans:matrix", args=[plan]),
        reverse("plans:task", args=[number_12]),
        reverse("progress:dashboard", args=[plan]),
        reverse("progress:task", args=[number_12]),
        reverse("progress:reminders", args=[plan]),
        reverse("monitoring:plan", args=[plan]),
        reverse("reports:home"),
        reverse("organisation:accounts"),
        reverse("organisation:password_change"),
        reverse("progress:review", args=[plan]),
    ]:
        visit(page, live_server.url + url, seen)

    # 全选 on the review page ticks every submitted report.
    boxes = page.locator("input[form=batch-review][name=report]")
    assert boxes.count() == 2
    page.get_by_label("全选").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert not seen


def test_the_reporters_pages_show_no_csp_violation(year, personas, logged_in, live_server):
    page = logged_in(personas.zhujian)
    seen = watch_console(page)
    for url in [
        reverse("progress:my_unit", args=[year.pk]),
        reverse("plans:list"),
        reverse("plans:unit", args=[year.pk, task(year, 12).assignments.first().unit_id]),
        reverse("reports:ledger_home"),
        reverse("organisation:password_change"),
    ]:
        visit(page, live_server.url + url, seen)


def test_the_leaders_pages_show_no_csp_violation_and_the_plan_switcher_works(year, personas, logged_in, live_server):
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022年度", "2023年度")
    next_year = plan_import(parse_text(text), region=year.region).plan
    page = logged_in(personas.leader)
    seen = watch_console(page)
    for url in [reverse("home"), reverse("progress:leader"), reverse("progress:task", args=[task(year, 12).pk])]:
        visit(page, live_server.url + url, seen)

    page.goto(live_server.url + reverse("plans:list"))
    with page.expect_navigation():
        page.get_by_label("切换方案").select_option(str(next_year.pk))
    assert page.get_by_label("切换方案").input_value() == str(next_year.pk)
    assert not seen
