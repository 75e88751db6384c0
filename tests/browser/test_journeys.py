"""One journey per role through the 2022 year, in Chromium, each asserting what the user sees after every step, and
each run with DEBUG on and off (the live server runs in this process, so pytest-django's `settings` reaches it).

The clock is frozen and moved by `on(day)`: time_machine for every timestamp, ECOTARGET_TODAY for the pages' today.

- 林督查 (coordinator) imports the plan from a .docx, fixes a task, changes a target's monitoring source, hands the
  plan out, reviews June's reports in one batch (May's report beside June's, the photo shown in the page) and
  downloads the half-year report.
- 陈填报 (古镛镇 reporter), on a phone, signs for its list, reports with a photo, is refused in place, corrects and
  submits; the county's measured PM2.5 is shown to it, never asked of it.
- 张县长 (leader) opens the dashboard, switches to next year's plan and back, opens a task from it, watches and
  instructs (a double click does each once); 住建局 answers in its next report; the leader reads the answer on
  我的关注与批示.
"""

import re
from datetime import date

import numpy as np
import pytest
from playwright.sync_api import expect

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Plan
from ecotarget.plans.services import plan_import
from ecotarget.progress.models import Instruction, ProgressReport, Receipt, Watch
from ecotarget.progress.services.reporting import ReportData, report_save
from ecotarget.samples import JIANGLE_2022_PLAN
from plandoc.test_docx_and_html_read_like_text import sample_docx
from progress.helpers import PDF, PNG, accept, clock, period, published, submit, unit
from reports.files import docx, lines_of
from reports.png import write_png

__all__ = ["clock", "published"]  # fixtures shared with tests/progress

pytestmark = pytest.mark.django_db(transaction=True)

DEBUG = pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])


@pytest.fixture
def on(clock, settings):
    """Move the whole site to a day of the year: `on(date(2022, 6, 20))`."""

    def travel(day: date) -> None:
        clock(day)
        settings.ECOTARGET_TODAY = day.isoformat()

    return travel


def shot(screenshot, page, name: str, debug: bool) -> None:
    screenshot(page, f"journey-{name}-{'debug' if debug else 'production'}")


def real_png(tmp_path) -> bytes:
    """A small picture a browser can actually draw (the helpers' PNG is only a valid signature), 90 pixels wide."""
    rgb = np.zeros((60, 90, 3), dtype=np.uint8)
    rgb[:, :, 1] = 160
    write_png(tmp_path / "site.png", rgb)
    return (tmp_path / "site.png").read_bytes()


@DEBUG
def test_the_coordinator_runs_the_year_from_a_word_file_to_the_half_year_report(
    jiangle, personas, on, settings, tmp_path, logged_in, live_server, screenshot, debug
):
    settings.DEBUG = debug
    settings.MEDIA_ROOT = tmp_path / "media"
    on(date(2022, 2, 25))
    desk = logged_in(personas.coordinator)

    # Import: upload the .docx, read the preview (it lists the measured targets), confirm.
    desk.goto(f"{live_server.url}/plans/import/")
    desk.set_input_files(
        "input[type=file]",
        files=[{"name": "将政办〔2022〕13号.docx", "mimeType": "application/octet-stream", "buffer": sample_docx()}],
    )
    desk.get_by_role("button", name="上传并预览").click()
    expect(desk.locator("h1")).to_contain_text("预览")
    expect(desk.get_by_text("将新建方案，共 64 项任务")).to_be_visible()
    measured = desk.locator("#measured")
    expect(measured.locator("h2")).to_contain_text("由监测数据计算的指标")
    expect(measured.locator("tbody tr", has_text="PM2.5").first).to_contain_text("15")
    expect(measured.locator("tbody tr", has_text="流域水质优良比例").first).to_be_visible()
    shot(screenshot, desk, "coordinator-1-preview", debug)
    assert Plan.objects.count() == 0  # nothing stored before confirming
    desk.get_by_role("button", name="确认导入").click()
    plan = Plan.objects.get()
    expect(desk).to_have_url(f"{live_server.url}/plans/{plan.pk}/")
    assert plan.tasks.count() == 64

    # Fix task 32 in the editor: its deadline is shown as a date the browser keeps, and saving changes only the text.
    task = plan.tasks.get(number=32)
    desk.goto(f"{live_server.url}/plans/tasks/{task.pk}/edit/")
    deadlines = desk.locator("input[type=date]")
    expect(deadlines.first).to_have_value(re.compile(r"^2022-\d\d-\d\d$"))
    kept = sorted(d.isoformat() for d in task.milestones.values_list("due_on", flat=True))
    text = desk.locator("textarea[name=text]")
    text.fill(text.input_value() + "（经核对）")
    shot(screenshot, desk, "coordinator-2-task-edit", debug)
    desk.get_by_role("button", name="保存").click()
    expect(desk.locator(".messages")).to_contain_text("已保存修改")
    expect(desk.locator(".diff").first).to_contain_text("（经核对）")
    assert sorted(d.isoformat() for d in task.milestones.values_list("due_on", flat=True)) == kept

    # Change where a target's value comes from, on task 14's page; the history says who did it.
    task = plan.tasks.get(number=14)
    desk.goto(f"{live_server.url}/plans/tasks/{task.pk}/")
    row = desk.locator("tr.target-source", has_text="流域水质优良比例").first
    expect(row.locator(".source")).to_contain_text("由监测数据计算：断面水质优良（Ⅰ~Ⅲ类）比例（全部点位）")
    row.get_by_label("范围").select_option(label="省控")
    row.get_by_role("button", name="保存").click()
    row = desk.locator("tr.target-source", has_text="流域水质优良比例").first
    expect(row.locator(".source")).to_contain_text("断面水质优良（Ⅰ~Ⅲ类）比例（省控）")
    expect(desk.locator("table.history tbody tr").first).to_contain_text("监测指标绑定")
    expect(desk.locator("table.history tbody tr").first).to_contain_text("林督查")
    shot(screenshot, desk, "coordinator-3-binding", debug)
    assert IndicatorBinding.objects.get(target__task=task, target__metric="流域水质优良比例").scope == "provincial"

    # Hand out on 1 March: refused while a 有关乡(镇) group is open; name an owner for one, keep the rest with leads.
    on(date(2022, 3, 1))
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/setup/")
    desk.get_by_role("link", name="交办方案…").click()
    expect(desk.get_by_role("alert")).to_contain_text("任务 16（有关乡(镇)）")
    expect(desk.get_by_role("button", name="确认交办，请各单位签收")).to_have_count(0)
    row16 = desk.locator("#groups tr", has_text="任务 16")
    row16.get_by_label("任务 16 的负责单位").select_option(label="公安局")
    row16.get_by_role("button", name="保留").click()
    expect(desk.locator(".messages")).to_contain_text("任务 16：保留“有关乡(镇)”，由公安局负责落实")
    desk.get_by_role("button", name="其余全部保留，由各任务的牵头单位负责").click()
    expect(desk.get_by_role("alert")).to_have_count(0)
    expect(desk.locator("section", has_text="将向").locator("tr", has_text="住建局")).to_contain_text("本次交办")
    shot(screenshot, desk, "coordinator-4-hand-out", debug)
    desk.get_by_role("button", name="确认交办，请各单位签收").click()
    expect(desk.locator(".messages")).to_contain_text("已交办")
    assert Receipt.objects.filter(plan=plan, unit__name="古镛镇").exists()
    assert Receipt.objects.filter(plan=plan, unit__name="住建局").exists()

    # May's report on task 12 is accepted. June: three reports arrive, task 12's with a photo and a PDF; the
    # coordinator sees May's beside June's and the photo in the page, accepts two in one batch, leaves the third.
    on(date(2022, 5, 20))
    may = submit(plan, personas.zhujian, 12, 5, 15, unit_name="住建局", work_done="五月：完成管网摸排")
    accept(may, personas.coordinator)
    on(date(2022, 6, 20))
    report_save(
        period=period(plan, 6),
        task=plan.tasks.get(number=12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=20, work_done="完成3个小区雨污分流改造"),
        version=0,
        submit=True,
        files=[("现场.png", real_png(tmp_path)), ("验收单.pdf", PDF)],
    )
    submit(plan, personas.guyong, 14, 6, 80, unit_name="古镛镇", work_done="完成河道巡查4次")
    submit(plan, personas.zhujian, 43, 6, 60, unit_name="住建局", work_done="黑臭水体整治过半")
    desk = logged_in(personas.coordinator)  # months later: the March session has expired
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/review/?period=6")
    expect(desk.locator("article.review-item")).to_have_count(3)
    twelve = desk.locator("article.review-item", has_text="任务 12")
    expect(twelve.locator(".previous")).to_contain_text("五月：完成管网摸排")
    picture = twelve.locator("img.preview")
    expect(picture).to_be_visible()
    # Drawn from the checked download: wait until the browser has decoded it, then read its real width.
    picture.element_handle().wait_for_element_state("stable")
    desk.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") == 90
    desk.get_by_label("选择任务 12（住建局）").check()
    desk.get_by_label("选择任务 14（古镛镇）").check()
    desk.get_by_label("批量审核意见").fill("同意")
    shot(screenshot, desk, "coordinator-5-batch", debug)
    desk.get_by_role("button", name="勾选的报告审核通过").click()
    expect(desk.locator(".messages")).to_contain_text("已审核通过 2 份报告")
    expect(desk.locator("article.review-item")).to_have_count(1)  # the accepted ones leave the waiting list
    expect(desk.locator("article.review-item")).to_contain_text("任务 43")
    states = dict(ProgressReport.objects.filter(period__number=6).values_list("task__number", "state"))
    assert states == {12: "accepted", 14: "accepted", 43: "submitted"}

    # 8 July: draft the half-year report and download it as Word.
    on(date(2022, 7, 8))
    desk = logged_in(personas.coordinator)
    desk.locator("header nav").get_by_role("link", name="书面报告").click()
    desk.get_by_role("button", name="生成半年工作报告草稿").click()
    title = "将乐县2022年上半年生态环境保护目标责任书落实情况的报告"
    expect(desk.locator("h1")).to_have_text(title)
    expect(desk.locator(".messages")).to_contain_text("已生成第1版")
    expect(desk.locator("input[name=signed_on]")).to_have_value("2022-07-08")
    shot(screenshot, desk, "coordinator-6-report", debug)
    with desk.expect_download() as download:
        desk.get_by_role("link", name=re.compile("导出 Word")).click()
    assert download.value.suggested_filename.endswith(".docx")
    lines = lines_of(docx(download.value.path().read_bytes()))
    assert title in lines
    body = "\n".join(lines)
    assert "64项目标任务" in body and "截至2022年6月30日" in body, body[:2000]
    assert lines[-1] == "2022年7月8日"


@DEBUG
def test_a_township_reporter_signs_reports_with_a_photo_and_is_corrected_in_place_on_a_phone(
    published, personas, on, settings, air_days, logged_in, live_server, screenshot, debug
):
    settings.DEBUG = debug
    plan = published
    air_days({date(2022, 7, d): {"pm2_5": 18, "pm10": 30, "so2": 6, "no2": 12, "co": 0.6, "o3": 70} for d in (1, 2, 3)})
    on(date(2022, 7, 8))
    phone = logged_in(personas.guyong, width=390, height=844)

    # Land on the unit's page for July and sign for the list handed out in March.
    phone.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    expect(phone.locator("h2")).to_have_text("古镛镇 · 进展填报")
    expect(phone.locator(".warning")).to_contain_text("交办本单位责任清单，请确认后签收")
    shot(screenshot, phone, "reporter-1-unsigned", debug)
    phone.get_by_role("button", name="签收").click()
    expect(phone.get_by_text("已于 2022年7月8日签收责任清单")).to_be_visible()
    expect(phone.get_by_role("button", name="签收")).to_have_count(0)
    assert Receipt.objects.get(plan=plan, unit__name="古镛镇").signed_by == personas.guyong

    # The county's PM2.5 is measured: shown on task 15's card, never asked for.
    fifteen = phone.locator(f"#task-{plan.tasks.get(number=15).pk}")
    reading = fifteen.locator(".measured .reading", has_text="PM2.5浓度")
    expect(reading).to_contain_text("监测")
    expect(reading.locator("b")).to_have_text(re.compile(r"^\d+(\.\d+)? 微克/立方米$"))
    expect(fifteen.locator("form")).to_be_visible()
    expect(fifteen.locator(".values", has_text="PM2.5")).to_have_count(0)  # no field to type it in

    # Task 14: a photo, 40 %, but 报送 without 工作进展: refused inside the card, the other cards stay.
    cards = phone.locator("article.task-card")
    count = cards.count()
    assert count > 1
    card = phone.locator(f"#task-{plan.tasks.get(number=14).pk}")
    expect(card.locator(".measured")).to_contain_text("流域水质优良比例")  # measured, so not typed
    expect(card.locator(".values")).to_have_count(0)
    card.get_by_label("推进中").check()
    card.locator("input[name$=percent]").fill("40")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "河道巡查.png", "mimeType": "image/png", "buffer": PNG}]
    )
    shot(screenshot, phone, "reporter-2-filled", debug)
    card.get_by_role("button", name="报送").click()
    card = phone.locator(f"#task-{plan.tasks.get(number=14).pk}")
    expect(card.get_by_role("alert")).to_have_text("报送前请填写工作进展。所选佐证材料未上传，请重新选择：河道巡查.png")
    expect(card.locator("input[name$=percent]")).to_have_value("40")
    expect(cards).to_have_count(count)
    expect(phone.locator("header.topbar nav")).to_be_visible()
    shot(screenshot, phone, "reporter-3-refused", debug)

    # Corrected, the photo chosen again as the card asks, then submitted.
    card.locator("textarea[name$=work_done]").fill("完成河道巡查4次，清理漂浮物2吨")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "河道巡查.png", "mimeType": "image/png", "buffer": PNG}]
    )
    card.get_by_role("button", name="报送").click()
    card = phone.locator(f"#task-{plan.tasks.get(number=14).pk}")
    expect(card.get_by_role("heading")).to_contain_text("已报送")
    expect(card.get_by_role("status")).to_have_text("已报送")
    expect(card.get_by_role("alert")).to_have_count(0)
    expect(card.get_by_role("link", name="河道巡查.png")).to_be_visible()
    expect(card).to_contain_text("完成河道巡查4次，清理漂浮物2吨")
    expect(cards).to_have_count(count)
    shot(screenshot, phone, "reporter-4-submitted", debug)
    report = ProgressReport.objects.get(task__number=14, unit__name="古镛镇")
    assert (report.state, report.percent, report.period.number) == ("submitted", 40, 7)
    assert [e.original_name for e in report.evidence.all()] == ["河道巡查.png"]


@DEBUG
def test_a_leader_watches_and_instructs_from_the_dashboard_and_reads_the_lead_units_answer(
    published, personas, on, settings, logged_in, live_server, screenshot, debug
):
    settings.DEBUG = debug
    plan = published
    task = plan.tasks.get(number=12)
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022", "2023")
    next_year = plan_import(parse_text(text), region=plan.region).plan
    on(date(2022, 5, 20))
    submit(plan, personas.zhujian, 12, 5, 15, unit_name="住建局", work_done="五月：完成管网摸排")

    # 10 June: the leader lands on this year's dashboard, looks at next year's plan and comes back, then opens
    # task 12 from the task list.
    on(date(2022, 6, 10))
    leader = logged_in(personas.leader)
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{plan.pk}/")
    expect(leader.locator("main")).to_contain_text("截至 2022年6月10日")
    shot(screenshot, leader, "leader-1-dashboard", debug)
    switcher = leader.get_by_label("切换方案")
    expect(switcher).to_have_value(str(plan.pk))
    switcher.select_option(str(next_year.pk))
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{next_year.pk}/")
    leader.get_by_label("切换方案").select_option(str(plan.pk))
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{plan.pk}/")
    leader.get_by_role("link", name="目标任务").first.click()
    expect(leader.locator("h1")).to_contain_text("任务清单")
    leader.get_by_role("link", name="12", exact=True).click()
    expect(leader).to_have_url(f"{live_server.url}/progress/tasks/{task.pk}/")
    expect(leader.locator("h1")).to_contain_text("任务 12")

    # Watch it and instruct, each with an impatient double click: each is done once.
    leader.get_by_role("button", name="关注此任务").dblclick()
    expect(leader.get_by_role("button", name="取消关注")).to_be_visible()
    expect(leader.locator("h1")).to_contain_text("领导关注")
    leader.locator("textarea[name=text]").fill("请加快进度，7月底前开工")
    leader.get_by_role("button", name="发出批示").dblclick()
    expect(leader.locator(".messages")).to_contain_text("批示已发出")
    expect(leader.locator("main")).to_contain_text("请加快进度，7月底前开工")
    shot(screenshot, leader, "leader-2-instructed", debug)
    assert Watch.objects.filter(task=task, user=personas.leader, until__isnull=True).count() == 1
    assert Instruction.objects.filter(task=task).count() == 1

    # 20 June: 住建局 sees the instruction on its card and answers it in June's report.
    on(date(2022, 6, 20))
    desk = logged_in(personas.zhujian)
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    card = desk.locator(f"#task-{task.pk}")
    expect(card.locator(".instruction")).to_contain_text("请加快进度，7月底前开工")
    card.get_by_label("推进中").check()
    card.locator("input[name$=percent]").fill("20")
    card.locator("textarea[name$=work_done]").fill("完成3个小区雨污分流改造")
    card.locator("textarea[name$=instruction_answer]").fill("已召开专题会，资金已落实")
    card.get_by_role("button", name="报送").click()
    card = desk.locator(f"#task-{task.pk}")
    expect(card.get_by_role("status")).to_have_text("已报送")
    expect(card).to_contain_text("批示落实情况：已召开专题会，资金已落实")
    shot(screenshot, desk, "leader-3-answered-by-unit", debug)

    # The leader reads the answer on its own page.
    leader.locator("header").get_by_role("link", name="我的关注与批示").click()
    expect(leader.locator("h1")).to_have_text("我的关注与批示")
    watched = leader.locator("table").first
    expect(watched).to_contain_text("任务 12")
    expect(watched).to_contain_text("住建局")
    answer = leader.locator("table.instructions tbody tr", has_text="请加快进度，7月底前开工")
    expect(answer).to_contain_text("住建局")
    expect(answer).to_contain_text("已召开专题会，资金已落实")
    expect(answer.locator(".flag")).to_have_count(0)  # no longer 待答复
    shot(screenshot, leader, "leader-4-desk", debug)
    assert Instruction.objects.get(task=task).answered_by.unit.name == "住建局"
