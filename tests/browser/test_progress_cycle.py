"""One full reporting cycle in Chromium: a reporter submits with an attachment on a phone, the coordinator returns
it, the reporter fixes and resubmits, the coordinator accepts, and the task's status changes. Screenshots go to
artifacts/screenshots/."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ecotarget.progress.models import ProgressReport
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

    report = ProgressReport.objects.get(task=task)
    assert report.state == "accepted"
    assert [e.action for e in report.events.order_by("id")] == ["evidence_add", "submit", "return", "submit", "accept"]

    desk.goto(f"{live_server.url}/progress/tasks/{task.pk}/")
    expect(desk.locator(".timeline")).to_contain_text("审核通过")
    screenshot(desk, "progress-task-history")
