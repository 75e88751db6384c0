"""A reporter on a phone sends a report the server refuses: the refusal shows inside that task's card, the page
around it (navigation, the other tasks) stays, and the corrected report goes through — with DEBUG on (where
django-htmx's debug script used to put the bare error card over the whole page) and off (where nothing showed)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from progress.helpers import clock, published

__all__ = ["clock", "published"]  # fixtures shared with tests/progress

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])
def test_a_refused_report_is_explained_in_its_card_and_the_page_stays(
    published, personas, clock, logged_in, live_server, screenshot, settings, debug
):
    settings.DEBUG = debug
    clock(date(2022, 7, 8))
    plan = published
    task = plan.tasks.get(number=14)

    phone = logged_in(personas.guyong, width=390, height=844)
    phone.goto(f"{live_server.url}/progress/plans/{plan.pk}/unit/")
    cards = phone.locator("article.task-card")
    count = cards.count()
    assert count > 1
    card = phone.locator(f"#task-{task.pk}")
    card.get_by_label("推进中").check()
    card.locator("input[name$=percent]").fill("40")
    card.get_by_role("button", name="报送").click()  # without 工作进展

    card = phone.locator(f"#task-{task.pk}")
    expect(card.get_by_role("alert")).to_have_text("报送前请填写工作进展")
    screenshot(phone, f"errors-in-place-{'debug' if debug else 'production'}")
    expect(phone.locator("header.topbar nav")).to_be_visible()
    expect(cards).to_have_count(count)
    expect(card.locator("input[name$=percent]")).to_have_value("40")  # what was typed is kept

    card.locator("textarea[name$=work_done]").fill("完成河道巡查4次")
    card.get_by_role("button", name="报送").click()
    card = phone.locator(f"#task-{task.pk}")
    expect(card).to_contain_text("已报送")
    expect(card.get_by_role("alert")).to_have_count(0)
    expect(cards).to_have_count(count)
