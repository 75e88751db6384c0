"""One full reporting cycle in Chromium: a reporter submits with an attachment on a phone, the coordinator returns
it, the reporter fixes and resubmits, the coordinator accepts, and the task's status changes. Screenshots go to
artifacts/screenshots/."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ecotarget.progress.models import Report
from progress.helpers import PNG, clock, published

__all__ = ["clock", "published"]  # fixtures shared with tests/progress

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_report_goes_round_the_whole_cycle_and_the_task_status_changes(
    published, personas, clock, logged_in, live_server, screenshot
):
    clock(date(2022, 5, 10))
    plan = published
    task = plan.tasks.get(number=12)

    # 王填报 of 住建局 reports on a phone, with a photo of the site.
    phone = logged_in(personas.zhujian, width=390, height=844)
    phone.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    card = phone.locator(f"#task-{task.pk}")
    expect(card).to_contain_text("任务 12")
    card.get_by_label("推进中").check()
    card.locator("input[name$=percent]").fill("30")
    card.locator("textarea[name$=work_done]").fill("已启动城区垃圾分类试点")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "分类屋.png", "mimeType": "image/png", "buffer": PNG}]
    )
    screenshot(phone, "progress-reporter-phone")
    card.get_by_role("button", name="报送").click()
    card = phone.locator(f"#task-{task.pk}")
    expect(card).to_contain_text("已报送")
    expect(card.get_by_role("link", name="分类屋.png")).to_be_visible()
    screenshot(phone, "progress-reporter-phone-submitted")

    # 林督查 returns it with a comment.
    desk = logged_in(personas.coordinator)
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/")
    row = desk.locator(f"#task-{task.pk}")
    expect(row.locator("[data-status]")).to_have_text("未报送")
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/review/")
    item = desk.locator("article.review-item", has_text="任务 12")
    expect(item).to_contain_text("已启动城区垃圾分类试点")
    item.locator("textarea[name=comment]").fill("请补充分类屋建设数量")
    screenshot(desk, "progress-review-list")
    item.get_by_role("button", name="退回修改").click()
    expect(desk.locator("article.review-item", has_text="任务 12")).to_contain_text("已退回")

    # The reporter sees the comment, fixes the report and submits it again.
    phone.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    card = phone.locator(f"#task-{task.pk}")
    expect(card.locator(".comment")).to_contain_text("请补充分类屋建设数量")
    screenshot(phone, "progress-reporter-phone-returned")
    card.locator("textarea[name$=work_done]").fill("已启动城区垃圾分类试点，建成分类屋 20 座")
    card.get_by_role("button", name="报送").click()
    expect(phone.locator(f"#task-{task.pk}")).to_contain_text("已报送")

    # The coordinator accepts it; the task is now on track.
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/review/")
    item = desk.locator("article.review-item", has_text="任务 12")
    expect(item).to_contain_text("建成分类屋 20 座")
    item.get_by_role("button", name="审核通过").click()
    expect(desk.locator("article.review-item", has_text="任务 12")).to_contain_text("已审核")
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/")
    expect(desk.locator(f"#task-{task.pk} [data-status]")).to_have_text("序时推进")
    screenshot(desk, "progress-dashboard")

    report = Report.objects.get(task=task)
    assert report.state == "accepted"
    assert [e.action for e in report.events.order_by("id")] == ["evidence_add", "submit", "return", "submit", "accept"]

    desk.goto(f"{live_server.url}/progress/tasks/{task.pk}/")
    expect(desk.locator(".timeline")).to_contain_text("审核通过")
    screenshot(desk, "progress-task-history")


def real_png() -> bytes:
    """A small picture a browser can actually draw (the helpers' PNG is only a valid signature)."""
    import tempfile
    from pathlib import Path

    import numpy as np

    from reports.png import write_png

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "site.png"
        rgb = np.zeros((60, 90, 3), dtype=np.uint8)
        rgb[:, :, 1] = 160
        write_png(path, rgb)
        return path.read_bytes()


def test_the_coordinator_hands_out_after_resolving_groups_then_reviews_a_batch_with_previews(
    plan, personas, clock, logged_in, live_server, screenshot, settings, tmp_path
):
    from ecotarget.progress import services
    from ecotarget.progress.models import Receipt
    from progress.helpers import PDF, period, submit, unit

    settings.MEDIA_ROOT = tmp_path / "media"
    clock(date(2022, 3, 1))
    desk = logged_in(personas.coordinator)
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/setup/")
    desk.get_by_role("link", name="交办方案…").click()
    alert = desk.get_by_role("alert")
    expect(alert).to_contain_text("任务 16（有关乡(镇)）")
    expect(desk.get_by_role("button", name="确认交办，请各单位签收")).to_have_count(0)
    screenshot(desk, "progress-hand-out-refused")
    row16 = desk.locator("#groups tr", has_text="任务 16")
    row16.get_by_label("任务 16 的负责单位").select_option(label="公安局")
    row16.get_by_role("button", name="保留").click()
    expect(desk.locator(".messages")).to_contain_text("任务 16：保留“有关乡(镇)”，由公安局负责落实")
    desk.get_by_role("button", name="其余全部保留，由各任务的牵头单位负责").click()
    expect(desk.get_by_role("alert")).to_have_count(0)
    expect(desk.locator("section", has_text="将向").locator("tr", has_text="住建局")).to_contain_text("本次交办")
    screenshot(desk, "progress-hand-out-confirm")
    desk.get_by_role("button", name="确认交办，请各单位签收").click()
    expect(desk.locator(".messages")).to_contain_text("已交办")
    assert Receipt.objects.filter(plan=plan, unit__name="住建局").exists()

    # May accepted; in June three reports wait, one with a photo and a PDF.
    clock(date(2022, 5, 20))
    services.report_accept(
        report=(r := submit(plan, personas.zhujian, 12, 5, 15, unit_name="住建局", work_done="五月：完成管网摸排")),
        user=personas.coordinator,
        version=r.version,
    )
    clock(date(2022, 6, 20))
    services.report_save(
        period=period(plan, 6),
        task=plan.tasks.get(number=12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=services.ReportData(progress="in_progress", percent=20, work_done="六月：完成3个小区雨污分流改造"),
        version=0,
        submit=True,
        files=[("现场.png", real_png()), ("验收单.pdf", PDF)],
    )
    submit(plan, personas.guyong, 14, 6, 80, unit_name="古镛镇")
    submit(plan, personas.zhujian, 43, 6, 60, unit_name="住建局")

    desk = logged_in(personas.coordinator)  # months later: a new session
    desk.goto(f"{live_server.url}/progress/plans/{plan.pk}/review/?period=6")
    twelve = desk.locator("article.review-item", has_text="任务 12")
    expect(twelve.locator(".previous")).to_contain_text("五月：完成管网摸排")
    picture = twelve.locator("img.preview")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 90  # drawn from the checked download
    twelve.get_by_label("选择任务 12（住建局）").check()
    desk.locator("article.review-item", has_text="任务 14").get_by_label("选择任务 14（古镛镇）").check()
    desk.get_by_label("批量审核意见").fill("同意")
    screenshot(desk, "progress-review-batch")
    desk.get_by_role("button", name="勾选的报告审核通过").click()
    expect(desk.locator(".messages")).to_contain_text("已审核通过 2 份报告")
    states = dict(Report.objects.filter(period__number=6).values_list("task__number", "state"))
    assert states == {12: "accepted", 14: "accepted", 43: "submitted"}


def test_a_leader_switches_year_watches_and_instructs_with_a_double_click_and_sees_the_answer(
    published, jiangle, personas, clock, logged_in, live_server, screenshot
):
    from ecotarget.plandoc import parse_text
    from ecotarget.plans.services import plan_import
    from ecotarget.progress.models import Instruction, Watch
    from ecotarget.samples import JIANGLE_2022_PLAN
    from progress.helpers import submit

    next_year = plan_import(
        parse_text(JIANGLE_2022_PLAN.read_text(encoding="utf-8").replace("2022", "2023")), region=jiangle
    ).plan
    clock(date(2022, 6, 10))
    leader = logged_in(personas.leader)
    leader.goto(live_server.url)
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{published.pk}/")
    switcher = leader.get_by_label("切换方案")
    expect(switcher).to_have_value(str(published.pk))
    switcher.select_option(str(next_year.pk))
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{next_year.pk}/")
    screenshot(leader, "leader-switched-to-2023")
    leader.get_by_label("切换方案").select_option(str(published.pk))
    expect(leader).to_have_url(f"{live_server.url}/dashboard/plans/{published.pk}/")

    task = published.tasks.get(number=12)
    leader.goto(f"{live_server.url}/progress/tasks/{task.pk}/")
    leader.get_by_role("button", name="关注此任务").dblclick()
    expect(leader.get_by_role("button", name="取消关注")).to_be_visible()
    leader.locator("textarea[name=text]").fill("请加快进度，7月底前开工")
    leader.get_by_role("button", name="发出批示").dblclick()
    expect(leader.locator(".messages")).to_contain_text("批示已发出")
    assert Watch.objects.filter(task=task, until__isnull=True).count() == 1
    assert Instruction.objects.filter(task=task).count() == 1

    clock(date(2022, 6, 20))
    submit(published, personas.zhujian, 12, 6, 20, unit_name="住建局", instruction_answer="已召开专题会，资金已落实")
    leader.locator("header").get_by_role("link", name="我的关注与批示").click()
    expect(leader.locator("table").first).to_contain_text("任务 12")
    expect(leader.locator("table.instructions")).to_contain_text("住建局")
    expect(leader.locator("table.instructions")).to_contain_text("已召开专题会，资金已落实")
    screenshot(leader, "leader-desk")
