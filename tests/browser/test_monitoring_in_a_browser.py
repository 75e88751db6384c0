"""A leader opens a measured target on a phone and a desktop: the chart draws from locally served ECharts."""

from datetime import date

from playwright.sync_api import expect

CLEAN = {"so2": 5, "no2": 10, "pm10": 30, "co": 0.5, "o3": 60}


def test_the_pm25_page_draws_its_monthly_chart_with_the_target_line(
    plan, bound, air_days, personas, logged_in, live_server, screenshot, settings
):
    settings.ECOTARGET_TODAY = "2022-03-31"
    air_days({date(2022, m, d): CLEAN | {"pm2_5": 10 + 5 * m} for m in (1, 2, 3) for d in (1, 2, 3)})
    for width, name in ((1366, "indicator-pm25"), (390, "indicator-pm25-phone")):
        page = logged_in(personas.leader, width=width, height=900)
        page.goto(f"{live_server.url}/monitoring/indicators/{bound['PM2.5浓度'].pk}/")
        expect(page.locator("h1")).to_have_text("PM2.5浓度")
        expect(page.locator("#indicator-chart svg")).to_be_visible()
        expect(page.locator("#indicator-chart")).to_contain_text("目标 15")
        expect(page.locator("table.monthly tbody td").first).to_have_text("15")
        screenshot(page, name)
    page.click("text=监测指标")
    expect(page.locator("table.tasks tbody tr")).to_have_count(12)
    screenshot(page, "plan-indicators-phone")
