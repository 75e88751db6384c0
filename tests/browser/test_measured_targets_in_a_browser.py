"""The coordinator, in Chromium: imports a month of air data with one impossible hour and keeps the good rows;
then, on task 14's page, changes where a target's value comes from and finds the change in the history."""

from playwright.sync_api import expect

from ecotarget.monitoring.models import AirHour, IndicatorBinding

CSV = (
    "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3\n"
    "县城站（演示）,2022-07-09 23:00,20,35,6,12,0.6,70\n"
    "水南站（演示）,2022-07-09 23:00,22,38,5,14,0.7,66\n"
    "县城站（演示）,2022-07-09 25:00,21,36,6,12,0.6,70\n"
)


def test_a_partial_import_keeps_the_good_rows_and_names_the_bad_one(
    stations, personas, logged_in, live_server, tmp_path, screenshot
):
    data = tmp_path / "7月空气小时值.csv"
    data.write_text(CSV, encoding="utf-8")
    page = logged_in(personas.coordinator)
    page.goto(f"{live_server.url}/monitoring/import/")
    page.set_input_files("input[type=file]", str(data))
    page.get_by_label("仍导入正确的行", exact=False).check()
    page.click("button:has-text('导入')")
    report = page.locator("#import-report")
    expect(report).to_contain_text("已导入 12 个监测值")
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr td").nth(0)).to_have_text("7月空气小时值.csv")
    expect(report.locator("tbody tr td").nth(1)).to_have_text("4")
    screenshot(page, "data-import-partial")
    assert AirHour.objects.count() == 2


def test_the_coordinator_changes_a_targets_scope_on_the_task_page(plan, personas, logged_in, live_server, screenshot):
    task = plan.tasks.get(number=14)
    target = task.targets.get(metric="流域水质优良比例")
    page = logged_in(personas.coordinator)
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/")
    row = page.locator("tr.target-source", has_text="流域水质优良比例 ≥ 100 %").first
    expect(row.locator(".source")).to_contain_text("由监测数据计算：断面水质优良（Ⅰ~Ⅲ类）比例（全部点位）")
    row.get_by_label("范围").select_option(label="省控")
    row.locator("button:has-text('保存')").click()
    row = page.locator("tr.target-source", has_text="流域水质优良比例 ≥ 100 %").first
    expect(row.locator(".source")).to_contain_text("断面水质优良（Ⅰ~Ⅲ类）比例（省控）")
    expect(page.locator("table.history tbody tr").first).to_contain_text("监测指标绑定")
    expect(page.locator("table.history tbody tr").first).to_contain_text("林督查")
    screenshot(page, "task-binding")
    assert IndicatorBinding.objects.get(target=target).scope == "provincial"
