"""The coordinator, in Chromium: imports a month of air data with one impossible hour and keeps the good rows.
(Changing where a target's value comes from, on task 14's page, is a step of the coordinator's journey.)"""

from playwright.sync_api import expect

from ecotarget.monitoring.models import AirHour

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
