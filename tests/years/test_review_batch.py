"""The coordinator reviews in batches: several submitted reports accepted at once (each against the version it
saw, all or none), each beside the same unit's previous report, with pictures and PDFs previewed in the page
through the access-checked evidence download."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ecotarget.progress.models import Evidence, ProgressReport, ReportEvent
from ecotarget.progress.services.reporting import ReportData, report_save, report_withdraw
from progress.helpers import PDF, PNG, accept, ooxml, period, submit, task, unit

from .pages import form_data, soup


@pytest.fixture
def june(published, personas, clock):
    """May: 住建局's task 12 accepted. June: three reports waiting, task 12's with a photo, a PDF and a Word file."""
    clock(date(2022, 5, 20))
    may = submit(published, personas.zhujian, 12, 5, 15, unit_name="住建局", work_done="五月：完成管网摸排")
    accept(may, personas.coordinator)
    clock(date(2022, 6, 20))
    report_save(
        period=period(published, 6),
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=20, work_done="六月：完成3个小区雨污分流改造"),
        version=0,
        submit=True,
        files=[("现场.png", PNG), ("验收单.pdf", PDF), ("台账.docx", ooxml("word/document.xml"))],
    )
    submit(published, personas.guyong, 14, 6, 80, unit_name="古镛镇")
    submit(published, personas.zhujian, 43, 6, 60, unit_name="住建局")
    return published


def review_page(client, plan):
    response = client.get(reverse("progress:review", args=[plan.pk]) + "?period=6&state=submitted")
    assert response.status_code == 200
    return soup(response)


def ticks(page) -> dict[int, str]:
    """Task number → the value of its batch checkbox, as rendered."""
    found = {}
    for item in page.select("article.review-item"):
        box = item.select_one("input[type=checkbox][name=report][form=batch-review]")
        found[int(item.h3.text.split("任务")[1].split("·")[0])] = box["value"]
    return found


def report(plan, number: int) -> ProgressReport:
    return ProgressReport.objects.get(period__plan=plan, period__number=6, task__number=number)


def test_several_reports_are_accepted_at_once_with_one_comment_each_recorded_as_its_own_review(
    june, personas, client_for
):
    client = client_for(personas.coordinator)
    page = review_page(client, june)
    boxes = ticks(page)
    assert set(boxes) == {12, 14, 43}
    batch = page.select_one("form#batch-review")
    data = form_data(batch, report=[boxes[12], boxes[14]], comment="同意，请继续推进", decision="accept")
    response = client.post(batch["action"], data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已审核通过 2 份报告"]
    for number in (12, 14):
        accepted = report(june, number)
        assert (accepted.state, accepted.review_comment, accepted.reviewed_by) == (
            "accepted",
            "同意，请继续推进",
            personas.coordinator,
        )
        event = ReportEvent.objects.filter(report=accepted).latest("id")
        assert (event.action, event.comment, event.user) == ("accept", "同意，请继续推进", personas.coordinator)
    assert report(june, 43).state == "submitted"  # not ticked
    assert set(ticks(review_page(client, june))) == {43}


def test_a_batch_with_one_report_changed_since_the_page_was_shown_accepts_none_and_says_which(
    june, personas, client_for
):
    client = client_for(personas.coordinator)
    page = review_page(client, june)
    boxes = ticks(page)
    # Meanwhile 古镛镇 withdraws and submits its report again: a new version the coordinator has not read.
    changed = report(june, 14)
    changed = report_withdraw(report=changed, user=personas.guyong, version=changed.version)
    submit(june, personas.guyong, 14, 6, 85, unit_name="古镛镇")
    batch = page.select_one("form#batch-review")
    response = client.post(batch["action"], form_data(batch, report=[boxes[12], boxes[14]], decision="accept"))
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message.startswith("未审核任何报告。任务 14（古镛镇）")
    assert (report(june, 12).state, report(june, 14).state) == ("submitted", "submitted")


def test_returning_a_batch_needs_a_comment(june, personas, client_for):
    client = client_for(personas.coordinator)
    page = review_page(client, june)
    batch = page.select_one("form#batch-review")
    response = client.post(batch["action"], form_data(batch, report=list(ticks(page).values()), decision="return"))
    assert "退回时请填写意见" in str(next(iter(get_messages(response.wsgi_request))))
    assert set(ProgressReport.objects.filter(period__number=6).values_list("state", flat=True)) == {"submitted"}


def test_each_report_is_shown_beside_the_same_units_previous_report(june, personas, client_for):
    page = review_page(client_for(personas.coordinator), june)
    items = {int(a.h3.text.split("任务")[1].split("·")[0]): a for a in page.select("article.review-item")}
    current, previous = items[12].select(".side-by-side section")
    assert "六月：完成3个小区雨污分流改造" in current.text and "完成 20%" in current.text
    assert "2022年5月（上次报告 · 已审核）" in previous.h4.text
    assert "五月：完成管网摸排" in previous.text and "完成 15%" in previous.text
    assert "此前没有报告" in items[43].select(".side-by-side section")[1].text


def test_pictures_and_pdfs_are_previewed_in_the_page_and_served_inline_other_files_download(june, personas, client_for):
    client = client_for(personas.coordinator)
    page = review_page(client, june)
    item = page.select_one(f"#report-{report(june, 12).pk}")
    evidence = {e.extension: e for e in Evidence.objects.filter(report=report(june, 12))}
    inline = {kind: reverse("progress:evidence", args=[evidence[kind].pk]) + "?inline=1" for kind in evidence}
    assert item.select_one("img.preview")["src"] == inline["png"]
    assert item.select_one("embed.preview-pdf")["src"] == inline["pdf"]
    assert item.select_one("embed.preview-pdf")["type"] == "application/pdf"
    assert not item.select(f"[src='{inline['docx']}']")  # a Word file is only a link

    for kind, content_type in (("png", "image/png"), ("pdf", "application/pdf")):
        response = client.get(inline[kind])
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("inline; filename*=UTF-8''")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == {"png": PNG, "pdf": PDF}[kind]
    word = client.get(inline["docx"])
    assert word["Content-Disposition"].startswith("attachment;") and word["X-Content-Type-Options"] == "nosniff"
    plain = client.get(reverse("progress:evidence", args=[evidence["png"].pk]))
    assert plain["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("persona, status", [("guyong", 404), ("outsider", 404), ("nobody", 403)])
def test_a_preview_is_refused_to_whoever_may_not_see_the_report(june, personas, client_for, persona, status):
    picture = Evidence.objects.get(extension="png")
    url = reverse("progress:evidence", args=[picture.pk]) + "?inline=1"
    assert client_for(getattr(personas, persona)).get(url).status_code == status


@pytest.mark.parametrize("persona, status", [("zhujian", 403), ("leader", 403), ("outsider", 404), ("nobody", 403)])
def test_only_the_regions_coordinator_reviews_a_batch(june, personas, client_for, persona, status):
    url = reverse("progress:review_batch", args=[june.pk])
    ours = report(june, 12)
    response = client_for(getattr(personas, persona)).post(url, {"report": f"{ours.pk}:{ours.version}"})
    assert response.status_code == status
    assert report(june, 12).state == "submitted"
