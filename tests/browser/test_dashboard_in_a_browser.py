"""A leader opens the dashboard on a desktop and on a phone, and clicks from a chart to the tasks behind it."""

from datetime import date

from playwright.sync_api import expect

from dashboard.scenario import half_year
from ecotarget.organisation.models import Unit
from progress.helpers import clock, published

__all__ = ["clock", "half_year", "published"]

CLEAN = {"so2": 5, "no2": 10, "pm10": 30, "co": 0.5, "o3": 60}


def click_bar(page, chart: str, series: int, value: float, category: int) -> None:
    """Click the middle of a bar: ECharts converts the data point to pixels inside the chart's box."""
    x, y = page.evaluate(
        """([selector, series, point]) => echarts.getInstanceByDom(document.querySelector(selector))
             .convertToPixel({seriesIndex: series}, point)""",
        [chart, series, [value, category]],
    )
    box = page.locator(chart).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_dashboard_on_a_desktop_leads_from_a_bar_to_its_tasks(
    half_year, bound, air_days, personas, logged_in, live_server, screenshot
):
    air_days({date(2022, m, d): CLEAN | {"pm2_5": 12 + m} for m in range(1, 7) for d in (1, 2, 3)})
    page = logged_in(personas.leader, width=1366, height=900)
    expect(page).to_have_url(f"{live_server.url}/dashboard/plans/{half_year.pk}/")  # the landing page
    expect(page.locator("h1")).to_have_text("目标任务总览")
    for chart in ("sections", "pm25", "on_time"):
        expect(page.locator(f'[data-chart="{chart}"] svg')).to_be_visible()
    screenshot(page, "dashboard-desktop")

    # The first section's "未报送" bar: the tasks of that section nobody has reported on.
    data = page.evaluate("JSON.parse(document.getElementById('chart-sections').textContent)")
    counts = [s["data"][0] for s in data["series"]]
    before = sum(counts[:5])
    click_bar(page, '[data-chart="sections"]', 5, before + counts[5] / 2, 0)
    expect(page).to_have_url(data["series"][5]["urls"][0].join([f"{live_server.url}", ""]))
    expect(page.locator("h1")).to_contain_text("未报送")
    expect(page.locator("#task-rows tbody tr")).to_have_count(counts[5])
    screenshot(page, "dashboard-click-through")


def test_a_units_on_time_bar_leads_to_the_units_tasks(half_year, personas, logged_in, live_server):
    page = logged_in(personas.coordinator, width=1366, height=900)
    page.goto(f"{live_server.url}/dashboard/plans/{half_year.pk}/")
    expect(page.locator('[data-chart="on_time"] svg')).to_be_visible()
    data = page.evaluate("JSON.parse(document.getElementById('chart-on-time').textContent)")
    index = data["categories"].index("住建局")
    page.locator('[data-chart="on_time"]').scroll_into_view_if_needed()
    click_bar(page, '[data-chart="on_time"]', 0, data["data"][index] / 2, index)
    zhujian = Unit.objects.get(region=half_year.region, name="住建局")
    expect(page).to_have_url(f"{live_server.url}/dashboard/plans/{half_year.pk}/tasks/?unit={zhujian.pk}")
    expect(page.locator("#task-rows tbody tr")).to_have_count(9)
    # Narrowing the list by status is an htmx swap of the table alone.
    page.select_option("select[name=status]", "done")
    expect(page.locator("#task-rows tbody tr")).to_have_count(1)
    expect(page.locator("#task-rows tbody tr").first).to_have_attribute("data-task", "43")


def test_the_dashboard_fits_a_phone(half_year, personas, logged_in, live_server, screenshot):
    page = logged_in(personas.leader, width=390, height=844)
    expect(page.locator("h1")).to_have_text("目标任务总览")
    expect(page.locator('[data-chart="sections"] svg')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "dashboard-phone")
