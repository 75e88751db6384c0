"""A county of its own, in Chromium, from an empty database and never through the admin:

the first-run page (with the token the server wrote into its var dir) makes 将乐县 from its region file and the
first coordinator; the coordinator imports the county's people from an .xlsx 通讯录 (preview, then all at once,
initial passwords shown once), imports the plan and hands it out; 住建局's new reporter logs in with the initial
password, is made to choose its own before anything else, and reports on its task.
"""

import json
from datetime import date

import pytest
from playwright.sync_api import expect

from ecotarget.organisation.models import Membership, Region
from ecotarget.organisation.services import DATA_DIR
from ecotarget.organisation.workbooks import directory_workbook, region_workbook
from ecotarget.plans.models import Plan
from ecotarget.progress.models import ProgressReport
from ecotarget.samples import JIANGLE_2022_PLAN
from progress.helpers import clock

__all__ = ["clock"]

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "绿水青山-2022"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIRECTORY = [
    ["住建局", "王填报", "联系人", "13800000001", "", "wang"],
    ["古镛镇", "陈填报", "联系人", "13800000002", "", "chen"],
    ["生态环境局", "刘责任", "责任人", "13800000003", "", ""],
    ["", "张县长", "领导", "13800000004", "", "zhang"],
]


@pytest.fixture
def on(clock, settings):
    def travel(day: date) -> None:
        clock(day)
        settings.ECOTARGET_TODAY = day.isoformat()

    return travel


def test_a_county_starts_from_an_empty_database_to_its_first_report(
    browser, live_server, on, settings, tmp_path, screenshot
):
    settings.ECOTARGET_SETUP_TOKEN_FILE = tmp_path / "var" / "setup-token"
    settings.MEDIA_ROOT = tmp_path / "media"
    on(date(2022, 2, 25))
    assert not Region.objects.exists()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    desk = context.new_page()

    # Every page leads to the first-run page; the template to fill in is offered there.
    desk.goto(f"{live_server.url}/")
    expect(desk).to_have_url(f"{live_server.url}/organisation/setup/")
    expect(desk.locator("h1")).to_have_text("首次安装：建立本县")
    with desk.expect_download() as template:
        desk.get_by_role("link", name="下载行政区文件模板（.xlsx）").click()
    assert template.value.suggested_filename == "行政区文件模板.xlsx"

    # The county office filled the template in; the token is read on the server.
    spec = json.loads((DATA_DIR / "350428-jiangle.json").read_text(encoding="utf-8"))
    token = settings.ECOTARGET_SETUP_TOKEN_FILE.read_text().strip()
    desk.get_by_label("安装口令").fill(token)
    desk.get_by_label("行政区文件（.xlsx 或 .json）").set_input_files(
        files=[{"name": "将乐县行政区.xlsx", "mimeType": XLSX, "buffer": region_workbook(spec)}]
    )
    desk.get_by_label("管理员账号").fill("lin")
    desk.get_by_label("管理员姓名").fill("林督查")
    desk.get_by_label("所在单位").fill("生态环境局")
    desk.get_by_label("密码", exact=True).fill(PASSWORD)
    desk.get_by_label("再次输入密码").fill(PASSWORD)
    screenshot(desk, "county-1-first-run")
    desk.get_by_role("button", name="建立").click()
    expect(desk.locator(".messages")).to_contain_text("将乐县已建立（35 个单位）")
    expect(desk.locator("header .who")).to_contain_text("将乐县 · 林督查（管理员/督查 · 生态环境局）")

    # The people, from the county's 通讯录: a preview first, then every account at once.
    desk.get_by_label("通讯录（.xlsx）").set_input_files(
        files=[{"name": "将乐县通讯录.xlsx", "mimeType": XLSX, "buffer": directory_workbook(DIRECTORY)}]
    )
    desk.get_by_role("button", name="上传并预览").click()
    expect(desk.locator("h1")).to_have_text("通讯录预览：将乐县通讯录.xlsx")
    preview = desk.locator("table.directory-preview tbody tr")
    expect(preview).to_have_count(4)
    expect(preview.nth(0)).to_contain_text("新建账号 wang（填报员 · 住建局），登记为住建局联系人")
    expect(preview.nth(2)).to_contain_text("新建账号 13800000003")
    screenshot(desk, "county-2-directory-preview")
    assert not Membership.objects.filter(user__username="wang").exists()
    desk.get_by_role("button", name="确认导入").click()
    expect(desk.locator(".messages")).to_contain_text("已从 将乐县通讯录.xlsx 新建 4 个账号")
    shown = desk.locator("code.initial-password[data-username=wang]")
    expect(shown).to_have_count(1)
    wang_password = shown.inner_text()
    screenshot(desk, "county-3-initial-passwords")
    desk.reload()  # shown once: not again
    expect(desk.locator("code.initial-password")).to_have_count(0)
    expect(desk.locator("table.accounts tr", has_text="wang")).to_contain_text("待修改初始密码")

    # Its own plan: uploaded, previewed, imported, handed out on 1 March.
    desk.locator("header nav").get_by_role("link", name="导入方案").click()
    desk.locator("input[type=file]").set_input_files(str(JIANGLE_2022_PLAN))
    desk.get_by_role("button", name="上传并预览").click()
    expect(desk.get_by_text("将新建方案，共 64 项任务")).to_be_visible()
    desk.get_by_role("button", name="确认导入").click()
    plan = Plan.objects.get()
    expect(desk).to_have_url(f"{live_server.url}/plans/{plan.pk}/")
    on(date(2022, 3, 1))
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/setup/")
    desk.get_by_role("link", name="交办方案…").click()
    desk.get_by_role("button", name="其余全部保留，由各任务的牵头单位负责").click()
    desk.get_by_role("button", name="确认交办，请各单位签收").click()
    expect(desk.locator(".messages")).to_contain_text("已交办")

    # 王填报 logs in for the first time, on a phone: the password page before anything else.
    on(date(2022, 3, 20))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "wang")
    phone.fill("input[name=password]", wang_password)
    phone.click("button[type=submit]")
    expect(phone).to_have_url(f"{live_server.url}/organisation/password/")
    expect(phone.get_by_role("status")).to_contain_text("这是管理员为您设置的初始密码")
    phone.goto(f"{live_server.url}/plans/")
    expect(phone).to_have_url(f"{live_server.url}/organisation/password/")
    screenshot(phone, "county-4-first-login")
    phone.get_by_label("旧密码").fill(wang_password)
    phone.get_by_label("新密码", exact=True).fill("碧水蓝天-2022")
    phone.get_by_label("新密码确认").fill("碧水蓝天-2022")
    phone.get_by_role("button", name="修改密码").click()
    expect(phone.locator(".messages")).to_contain_text("密码已修改")

    # …and reports on 住建局's task 12 for March.
    task = plan.tasks.get(number=12)
    phone.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    card = phone.locator(f"#task-{task.pk}")
    expect(card).to_contain_text("任务 12")
    card.get_by_label("推进中").check()
    card.locator("input[name$=percent]").fill("20")
    card.locator("textarea[name$=work_done]").fill("完成城区雨污管网摸排")
    card.get_by_role("button", name="报送").click()
    expect(phone.locator(f"#task-{task.pk}")).to_contain_text("已报送")
    screenshot(phone, "county-5-first-report")
    report = ProgressReport.objects.get(task=task, unit__name="住建局")
    assert report.state == "submitted" and report.events.last().user.username == "wang"
    context.close()
    phone.context.close()
