"""The coordinator keeps the county's stations in Chromium: adds a water section through the page's form, finds it
in the list, retires a station with a reason and sees it set apart, with the step in its history."""

from playwright.sync_api import expect

from ecotarget.monitoring.models import Station


def test_the_coordinator_adds_a_section_and_retires_a_station(stations, personas, logged_in, live_server, screenshot):
    page = logged_in(personas.coordinator)
    page.click("nav >> text=监测点位")
    expect(page.locator("h1")).to_contain_text("监测点位")
    expect(page.locator("#stations-in-service tbody tr")).to_have_count(len(stations))
    screenshot(page, "stations-list")

    page.click("text=新增点位")
    page.fill("input[name=code]", "JL-S21")
    page.fill("input[name=name]", "金溪水南断面")
    page.select_option("select[name=medium]", "water")
    page.select_option("select[name=level]", "provincial")
    page.select_option("select[name=water_kind]", "river")
    page.fill("input[name=water_body]", "金溪")
    page.fill("input[name=latitude]", "26.7203")
    page.fill("input[name=longitude]", "117.4790")
    screenshot(page, "stations-new")
    page.click("button:has-text('新增')")
    expect(page.locator("h1")).to_contain_text("金溪水南断面（JL-S21）")
    expect(page.locator("#station-history")).to_contain_text("新增地表水点位 金溪水南断面（JL-S21）")
    section = Station.objects.get(code="JL-S21")
    assert (section.level, section.water_body, str(section.latitude)) == ("provincial", "金溪", "26.720300")

    page.click("text=← 监测点位")
    page.click("#stations-in-service >> text=水南站（演示）")
    page.fill("#station-retire input[name=reason]", "点位搬迁")
    page.click("#station-retire button")
    expect(page.locator("#retired-note")).to_contain_text("原因：点位搬迁")
    expect(page.locator("#station-history")).to_contain_text("停用点位 水南站（演示）（JL-A02）（原因：点位搬迁）")
    expect(page.locator("#station-reinstate button")).to_be_visible()
    screenshot(page, "stations-retired-station")

    page.click("text=← 监测点位")
    expect(page.locator("#stations-retired")).to_contain_text("水南站（演示）")
    expect(page.locator("#stations-in-service")).to_contain_text("金溪水南断面")
    expect(page.locator("#stations-in-service")).not_to_contain_text("水南站（演示）")
    page.select_option("#station-filter select[name=medium]", "water")
    expect(page).to_have_url(f"{live_server.url}/monitoring/stations/?medium=water")
    expect(page.locator("#stations-in-service")).not_to_contain_text("县城站（演示）")
    screenshot(page, "stations-list-water")


def test_an_import_naming_unregistered_stations_says_which_and_where_to_add_them(
    stations, personas, logged_in, live_server, screenshot, tmp_path
):
    data = tmp_path / "国家实时数据.csv"
    rows = ["县城站（演示）,2022-07-09 23:00,20,35,6,12,0.6,70"]
    rows += [f"{code},2022-07-09 23:00,20,35,6,12,0.6,70" for code in ("2324A", "2325A", "2326A")]
    data.write_text("站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page = logged_in(personas.coordinator)
    page.goto(f"{live_server.url}/monitoring/import/")
    page.set_input_files("input[name=document]", str(data))
    page.click("button:has-text('导入')")
    notice = page.locator("#unknown-stations")
    expect(notice).to_contain_text("3 个未登记的监测点位（3 条记录）：2324A、2325A、2326A。")
    screenshot(page, "import-unknown-stations")
    notice.locator("a").click()
    expect(page.locator("h1")).to_contain_text("监测点位")
