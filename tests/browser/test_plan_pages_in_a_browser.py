"""A coordinator logs in and walks the plan pages in Chromium; screenshots go to artifacts/screenshots/."""

import re

from playwright.sync_api import expect


def test_the_coordinator_opens_the_overview_filters_it_and_sees_a_units_list_and_the_matrix(
    plan, personas, logged_in, live_server, screenshot
):
    page = logged_in(personas.coordinator)
    expect(page).to_have_url(re.compile(rf"/dashboard/plans/{plan.pk}/$"))  # coordinators land on the dashboard
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    expect(page.locator("h1")).to_have_text(plan.title)
    expect(page.locator("#task-table tbody tr:not(.section-row)")).to_have_count(64)
    screenshot(page, "plan-overview")

    page.select_option("select[name=unit]", label="住建局")
    expect(page.locator("#task-table")).to_contain_text("（已筛选）")
    rows = page.locator("#task-table tbody tr:not(.section-row)")
    expect(rows.first).to_contain_text("推进生活垃圾分类")
    assert rows.count() == plan.tasks.filter(assignments__unit__name="住建局").count()
    assert "unit=" in page.url  # the filter is in the address, so the view can be shared

    page.click("text=住建局责任清单")
    expect(page.locator("h2").first).to_contain_text("住建局责任清单")
    expect(page.locator("h2.lead + table tbody tr")).to_have_count(
        plan.tasks.filter(assignments__unit__name="住建局", assignments__role="lead").count()
    )
    screenshot(page, "unit-list")

    page.click("text=责任矩阵")
    expect(page.locator("table.matrix tbody tr")).to_have_count(64)
    expect(page.locator("table.matrix thead th.unit").first).to_be_visible()
    screenshot(page, "responsibility-matrix")


def test_a_reporter_reads_the_plan_on_a_phone_but_has_no_edit_button(
    plan, personas, logged_in, live_server, screenshot
):
    page = logged_in(personas.guyong, width=390, height=844)
    task = plan.tasks.get(number=16)
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/")
    expect(page.locator("h1")).to_have_text("任务 16")
    expect(page.get_by_text("古镛镇（配合）")).to_be_visible()
    expect(page.get_by_text("修改任务")).to_have_count(0)
    screenshot(page, "task-phone")


def test_the_coordinator_corrects_a_task_in_the_editor_and_sees_it_in_the_history(
    plan, personas, logged_in, live_server, screenshot
):
    page = logged_in(personas.coordinator)
    task = plan.tasks.get(number=3)
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/edit/")
    page.fill("textarea[name=text]", "强化水耗总量和强度双控。")
    page.fill("input[name=targets-0-metric]", "万元GDP用水量下降率")
    page.select_option("select[name=targets-0-op]", ">=")
    page.fill("input[name=targets-0-value]", "3")
    page.fill("input[name=targets-0-measure_unit]", "%")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已保存修改")
    expect(page.locator(".diff").first).to_contain_text("强化水耗总量和强度双控。")
    expect(page.locator(".target").first).to_contain_text("万元GDP用水量下降率 ≥ 3 %")
    screenshot(page, "task-history")
