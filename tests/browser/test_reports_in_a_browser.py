"""The coordinator drafts the half-year report in the browser, edits a section and its 成文日期, saves it as a new
version and downloads it as Word; a year-end report in July only as a forecast the coordinator confirms; a
leader downloads the ledger."""

from playwright.sync_api import expect

from dashboard.scenario import half_year
from progress.helpers import clock, published
from reports.files import docx, lines_of, workbook

__all__ = ["clock", "half_year", "published"]


def test_the_coordinator_drafts_edits_and_downloads_the_half_year_report(
    half_year, personas, logged_in, live_server, screenshot
):
    page = logged_in(personas.coordinator, width=1366, height=900)
    page.click("nav >> text=书面报告")
    page.click("text=生成半年工作报告草稿")
    expect(page.locator("h1")).to_have_text("将乐县2022年上半年生态环境保护目标责任书落实情况的报告")
    expect(page.locator(".messages")).to_contain_text("已生成第1版")
    expect(page.locator("input[name=signed_on]")).to_have_value("2022-07-08")
    page.fill("textarea[name=text-next_steps]", "下半年重点抓好雨污分流改造。")
    page.fill("input[name=signed_on]", "2022-07-12")
    page.click("text=保存为新版本")
    expect(page.locator(".messages")).to_contain_text("已保存为第2版")
    expect(page.locator("p.meta", has_text="数据截至")).to_contain_text("成文日期 2022年7月12日")
    screenshot(page, "report-edit")
    with page.expect_download() as download:
        page.click("text=导出 Word（第2版）")
    lines = lines_of(docx(download.value.path().read_bytes()))
    assert "下半年重点抓好雨污分流改造。" in lines and lines[-1] == "2022年7月12日"


def test_a_year_end_report_in_july_is_drafted_only_as_a_confirmed_forecast(
    half_year, personas, logged_in, live_server, screenshot
):
    page = logged_in(personas.coordinator, width=1366, height=900)
    page.click("nav >> text=书面报告")
    year_end = page.locator("#kind-year_end")
    expect(year_end).to_contain_text("报告期尚未结束")
    screenshot(page, "report-forecast-offer")
    year_end.locator("text=我了解报告期尚未结束，确认生成预报稿").click()
    year_end.locator("button", has_text="生成年度工作报告预报稿").click()
    expect(page.locator(".messages")).to_contain_text("已生成第1版：预报稿")
    expect(page.locator("p.warning[role=note]")).to_contain_text("数据截至2022年7月8日")


def test_a_leader_downloads_the_ledger(half_year, personas, logged_in, live_server):
    page = logged_in(personas.leader, width=390, height=844)
    page.click("nav >> text=台账")
    with page.expect_download() as download:
        page.click("text=导出全部单位台账")
    book = workbook(download.value.path().read_bytes())
    assert len(book.sheetnames) == 8 and book.sheetnames[0] == "说明"
