"""Unit reports: drafts, submission, co-units' parts, review, history that is never lost, two people editing."""

from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from ecotarget.progress.errors import ProgressError, StaleReport
from ecotarget.progress.models import Evidence, Instruction, ProgressReport, ReportEvent
from ecotarget.progress.selectors import unit_page
from ecotarget.progress.services.oversight import instruction_give
from ecotarget.progress.services.reporting import (
    ReportData,
    evidence_remove,
    report_accept,
    report_return,
    report_save,
    report_withdraw,
)
from rendered_forms import errors_in, the_form

from .helpers import PDF, PNG, period, submit, task, unit


def draft(plan, user, number, month, unit_name, version=0, **fields):
    return report_save(
        period=period(plan, month),
        task=task(plan, number),
        unit=unit(unit_name),
        user=user,
        data=ReportData(**fields),
        version=version,
    )


def test_a_reporter_saves_a_draft_then_submits_it(published, personas, clock):
    clock(date(2022, 5, 10))
    report = draft(published, personas.zhujian, 12, 5, "住建局", progress="in_progress", percent=30, work_done="已启动")
    assert (report.state, report.version, report.submitted_at) == ("draft", 1, None)
    report = report_save(
        period=report.period,
        task=report.task,
        unit=report.unit,
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=40, work_done="已完成招标", problems="资金未到位"),
        version=1,
        submit=True,
    )
    assert (report.state, report.version, report.percent, report.late) == ("submitted", 2, 40, False)
    actions = list(report.events.order_by("id").values_list("action", "user__username"))
    assert actions == [("save", "wang"), ("submit", "wang")]
    assert report.events.order_by("id").last().changes["percent"] == [30, 40]


def test_a_submitted_report_is_refused_without_its_progress_text_or_with_an_impossible_percent(
    published, personas, clock
):
    clock(date(2022, 5, 10))
    with pytest.raises(ProgressError, match="工作进展"):
        submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局", work_done="")
    with pytest.raises(ProgressError, match="已完成"):
        submit(published, personas.zhujian, 12, 5, 90, unit_name="住建局", progress="done")
    with pytest.raises(ProgressError, match="未启动"):
        submit(published, personas.zhujian, 12, 5, 10, unit_name="住建局", progress="not_started")
    assert not ProgressReport.objects.exists()


def test_a_period_not_yet_open_cannot_be_reported_and_a_late_report_is_marked_late(published, personas, clock):
    clock(date(2022, 5, 10))
    with pytest.raises(ProgressError, match="尚未开始"):
        submit(published, personas.zhujian, 12, 7, 30, unit_name="住建局")
    late = submit(published, personas.zhujian, 12, 3, 20, unit_name="住建局")
    assert late.late
    assert not submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局").late


def test_a_reporter_reports_only_for_its_own_unit_and_its_own_tasks(published, personas, clock):
    clock(date(2022, 5, 10))
    with pytest.raises(ProgressError, match="本单位"):
        submit(published, personas.guyong, 12, 5, 30, unit_name="住建局")
    with pytest.raises(ProgressError, match="不承担"):
        submit(published, personas.zhujian, 14, 5, 30, unit_name="住建局")
    with pytest.raises(ProgressError, match="填报员"):
        submit(published, personas.coordinator, 12, 5, 30, unit_name="住建局")


def test_co_units_report_their_part_and_the_lead_units_page_shows_it(published, personas, clock):
    clock(date(2022, 5, 10))
    part = submit(published, personas.guyong, 17, 5, 50, unit_name="古镛镇", work_done="古镛镇完成分类屋 12 座")
    lead = submit(published, personas.zhujian, 17, 5, 40, unit_name="住建局")
    assert (part.is_lead, lead.is_lead) == (False, True)
    page = unit_page(published, unit("住建局"), period(published, 5), date(2022, 5, 10), with_drafts=True)
    row = next(r for r in page.rows if r.task.number == 17)
    assert [p.unit.name for p in row.co_parts] == ["古镛镇"]
    assert row.co_parts[0].work_done == "古镛镇完成分类屋 12 座"
    guyong_row = next(
        r
        for r in unit_page(published, unit("古镛镇"), period(published, 5), date(2022, 5, 10), with_drafts=True).rows
        if r.task.number == 17
    )
    assert guyong_row.co_parts == []  # a co-unit sees its own part only


def test_the_second_of_two_people_saving_the_same_report_is_refused_and_nothing_is_overwritten(
    published, personas, clock
):
    clock(date(2022, 5, 10))
    first = draft(
        published, personas.zhujian, 12, 5, "住建局", progress="in_progress", percent=30, work_done="王的版本"
    )
    # 王 and a colleague both opened version 1; 王 saves first.
    draft(published, personas.zhujian, 12, 5, "住建局", version=1, progress="in_progress", percent=35, work_done="王改")
    with pytest.raises(StaleReport, match="您的修改未保存"):
        draft(
            published,
            personas.zhujian,
            12,
            5,
            "住建局",
            version=1,
            progress="in_progress",
            percent=90,
            work_done="覆盖",
        )
    first.refresh_from_db()
    assert (first.percent, first.work_done, first.version) == (35, "王改", 2)


def test_two_people_creating_the_same_report_at_once_cannot_both_win(published, personas, clock):
    clock(date(2022, 5, 10))
    draft(published, personas.zhujian, 12, 5, "住建局", progress="in_progress", percent=30)
    with pytest.raises(StaleReport):
        draft(published, personas.zhujian, 12, 5, "住建局", version=0, progress="in_progress", percent=60)


def test_a_returned_report_goes_back_with_the_comment_and_the_replaced_version_stays_in_the_history(
    published, personas, clock
):
    clock(date(2022, 5, 10))
    report = submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局", work_done="推进中")
    with pytest.raises(ProgressError, match="填写意见"):
        report_return(report=report, user=personas.coordinator, version=report.version, comment=" ")
    report = report_return(
        report=report, user=personas.coordinator, version=report.version, comment="请补充分类屋建设数量"
    )
    assert (report.state, report.review_comment, report.reviewed_by) == (
        "returned",
        "请补充分类屋建设数量",
        personas.coordinator,
    )
    page = unit_page(published, unit("住建局"), period(published, 5), date(2022, 5, 10), with_drafts=True)
    assert next(r for r in page.rows if r.task.number == 12).report.review_comment == "请补充分类屋建设数量"

    clock(date(2022, 5, 11))
    fixed = submit(published, personas.zhujian, 12, 5, 35, unit_name="住建局", work_done="推进中，已建分类屋 20 座")
    fixed = report_accept(report=fixed, user=personas.coordinator, version=fixed.version)
    assert fixed.state == "accepted"
    events = list(fixed.events.order_by("id"))
    assert [e.action for e in events] == ["submit", "return", "submit", "accept"]
    assert events[0].content["work_done"] == "推进中" and events[0].content["percent"] == 30
    assert events[1].comment == "请补充分类屋建设数量"
    assert events[2].changes["work_done"] == ["推进中", "推进中，已建分类屋 20 座"]


def test_a_withdrawn_report_becomes_a_draft_and_what_was_submitted_stays_on_record(published, personas, clock):
    clock(date(2022, 5, 10))
    report = submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局", work_done="第一次报送")
    report = report_withdraw(report=report, user=personas.zhujian, version=report.version)
    assert report.state == "draft"
    assert report.events.filter(action="submit").get().content["work_done"] == "第一次报送"
    accepted = submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局")
    accepted = report_accept(report=accepted, user=personas.coordinator, version=accepted.version)
    with pytest.raises(ProgressError, match="撤回"):
        report_withdraw(report=accepted, user=personas.zhujian, version=accepted.version)
    with pytest.raises(ProgressError, match="不能修改"):
        submit(published, personas.zhujian, 12, 5, 50, unit_name="住建局")


def test_a_review_of_a_report_changed_since_it_was_opened_is_refused(published, personas, clock):
    clock(date(2022, 5, 10))
    report = submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局")
    seen = report.version
    report = report_withdraw(report=report, user=personas.zhujian, version=seen)
    submit(published, personas.zhujian, 12, 5, 60, unit_name="住建局")
    with pytest.raises(StaleReport):
        report_accept(report=ProgressReport.objects.get(pk=report.pk), user=personas.coordinator, version=seen)


def test_only_the_coordinator_of_the_region_reviews(published, personas, clock):
    clock(date(2022, 5, 10))
    report = submit(published, personas.zhujian, 12, 5, 30, unit_name="住建局")
    for user in (personas.leader, personas.zhujian, personas.outsider):
        with pytest.raises(ProgressError, match="管理员"):
            report_accept(report=report, user=user, version=report.version)


def test_target_values_are_kept_with_their_as_of_date(published, personas, clock):
    clock(date(2022, 5, 10))
    target = task(published, 35).targets.get()
    report = submit(
        published,
        personas.zhujian,
        35,
        5,
        40,
        unit_name="住建局",
        values={target.pk: (Decimal("93.5"), date(2022, 4, 30))},
    )
    value = report.values.get()
    assert (value.value, value.as_of) == (Decimal("93.5"), date(2022, 4, 30))
    with pytest.raises(ProgressError, match="晚于今天"):
        report = report_withdraw(report=report, user=personas.zhujian, version=report.version)
        submit(
            published,
            personas.zhujian,
            35,
            5,
            40,
            unit_name="住建局",
            values={target.pk: (Decimal(95), date(2022, 6, 1))},
        )


def test_a_leaders_instruction_must_be_answered_in_the_lead_units_next_report(published, personas, clock):
    clock(date(2022, 5, 10))
    instruction, _ = instruction_give(task=task(published, 17), user=personas.leader, text="请加快推进，6月底前全覆盖")
    # The co-unit is not asked to answer; the lead unit is.
    submit(published, personas.guyong, 17, 5, 50, unit_name="古镛镇")
    with pytest.raises(ProgressError, match="批示落实情况"):
        submit(published, personas.zhujian, 17, 5, 40, unit_name="住建局")
    report = submit(published, personas.zhujian, 17, 5, 40, unit_name="住建局", instruction_answer="已增派人员")
    instruction.refresh_from_db()
    assert (instruction.answered_by, report.instruction) == (report, instruction)
    assert report.events.filter(action="submit").exists()


def test_a_returned_answer_reopens_the_instruction(published, personas, clock):
    clock(date(2022, 5, 10))
    instruction, _ = instruction_give(task=task(published, 12), user=personas.leader, text="请说明进度")
    report = submit(published, personas.zhujian, 12, 5, 40, unit_name="住建局", instruction_answer="已落实")
    report_return(report=report, user=personas.coordinator, version=report.version, comment="答复太简单")
    assert Instruction.objects.get(pk=instruction.pk).answered_by is None


def test_evidence_is_checked_stored_under_a_generated_name_and_removal_keeps_it(published, personas, clock, settings):
    clock(date(2022, 5, 10))
    report = report_save(
        period=period(published, 5),
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=20, work_done="x"),
        version=0,
        files=[("../../etc/passwd 现场.png", PNG), ("验收.pdf", PDF)],
    )
    stored = list(Evidence.objects.filter(report=report))
    assert [e.extension for e in stored] == ["png", "pdf"]
    for item in stored:
        assert item.file.name.startswith("evidence/2022/05/") and "passwd" not in item.file.name
        assert (settings.MEDIA_ROOT / item.file.name).read_bytes() in (PNG, PDF)
    with pytest.raises(ProgressError, match="不是可接受"):
        report_save(
            period=period(published, 5),
            task=task(published, 12),
            unit=unit("住建局"),
            user=personas.zhujian,
            data=ReportData(progress="in_progress", percent=90, work_done="y"),
            version=report.version,
            files=[("宏.xlsx", b"MZ\x90\x00 not a spreadsheet")],
        )
    assert ProgressReport.objects.get(pk=report.pk).percent == 20  # the rejected file rejected the whole save
    evidence_remove(item=stored[0], user=personas.zhujian)
    assert Evidence.objects.filter(report=report).count() == 2
    assert ReportEvent.objects.filter(report=report, action="evidence_remove").exists()


def test_a_round_value_comes_back_into_the_form_as_written_not_in_exponent_form(published, personas, clock, client_for):
    clock(date(2022, 5, 10))
    target = task(published, 30).targets.get()  # 配套率 ≥ 100 %
    report = submit(
        published,
        personas.zhujian,
        30,
        5,
        40,
        unit_name="住建局",
        values={target.pk: (Decimal("100"), date(2022, 5, 1))},
    )
    report_withdraw(report=report, user=personas.zhujian, version=report.version)
    url = reverse("progress:my_unit", args=[published.pk]) + "?period=5"
    page = client_for(personas.zhujian).get(url).content.decode()
    assert f'name="t{target.task_id}-value_{target.pk}" value="100"' in page
    assert "1E+2" not in page


# --- errors shown in place (htmx) ---------------------------------------------------------------------------------


def _card_form(client, plan, number: int, month: int):
    url = reverse("progress:my_unit", args=[plan.pk]) + f"?period={month}"
    action = reverse("progress:report_edit", args=[plan.pk, month, task(plan, number).pk])
    return action, the_form(client.get(url).content.decode(), url, action)


def _post(client, action, data, button: str):
    pairs: dict[str, list[str]] = {}
    for name, value in [*data, ("action", button)]:
        pairs.setdefault(name, []).append(value)
    return client.post(action, pairs, headers={"HX-Request": "true", "HX-Target": "task"})


def test_a_refused_submission_comes_back_as_its_own_card_with_the_reason_and_what_was_typed(
    published, personas, clock, client_for
):
    clock(date(2022, 5, 10))
    wang = client_for(personas.zhujian)
    pk = task(published, 43).pk
    action, form = _card_form(wang, published, 43, 5)
    data = [(n, v) for n, v in form.controls if n != f"t{pk}-work_done"] + [(f"t{pk}-problems", "资金未到位")]
    response = _post(wang, action, data, "submit")  # 报送 without 工作进展

    assert response.status_code == 200  # htmx swaps only 2xx answers
    fragment = response.content.decode()
    assert "<html" not in fragment
    (card,) = lxml.html.fragments_fromstring(fragment)
    assert card.get("id") == f"task-{pk}"  # the card the form's hx-target names, and nothing else
    assert errors_in(fragment) == ["报送前请填写工作进展"]
    assert "资金未到位" in fragment
    assert not ProgressReport.objects.filter(task_id=pk).exists()


def test_an_invalid_field_is_marked_next_to_the_field_in_the_card(published, personas, clock, client_for):
    clock(date(2022, 5, 10))
    wang = client_for(personas.zhujian)
    pk = task(published, 43).pk
    action, form = _card_form(wang, published, 43, 5)
    data = [(n, "150" if n == f"t{pk}-percent" else v) for n, v in form.controls]
    response = _post(wang, action, data, "save")
    assert response.status_code == 200
    card = lxml.html.fragment_fromstring(response.content.decode())
    label = card.xpath(f"//input[@name='t{pk}-percent']/parent::label")[0]
    errors = label.getnext()
    assert "errorlist" in errors.get("class") and "100" in errors.text_content()


def test_a_review_refused_for_want_of_a_comment_comes_back_in_place(published, personas, clock, client_for):
    clock(date(2022, 5, 10))
    report = submit(published, personas.zhujian, 43, 5, 50, unit_name="住建局")
    lin = client_for(personas.coordinator)
    url = reverse("progress:review", args=[published.pk])
    action = reverse("progress:report_review", args=[report.pk])
    form = the_form(lin.get(url).content.decode(), url, action)
    returning = next(b for b in form.buttons if b.value == "return")
    response = lin.post(action, dict(form.submission(returning)), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert lxml.html.fragment_fromstring(response.content.decode()).get("id") == f"report-{report.pk}"
    assert errors_in(response.content.decode())
    assert ProgressReport.objects.get(pk=report.pk).state == "submitted"
