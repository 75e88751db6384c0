"""Generating and editing a written report: every generation and every edit is a new version with its date and
author; a re-generation never overwrites the coordinator's words."""

from datetime import date

import pytest
from django.urls import reverse

from ecotarget.core.models import Action
from ecotarget.reports.models import ReportVersion, WrittenReport
from ecotarget.reports.services import (
    ReportEdit,
    ReportRefused,
    StaleEdit,
    written_report_edit,
    written_report_generate,
)

DAY = date(2022, 7, 8)


@pytest.fixture
def generated(half_year, personas):
    return written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=DAY)[0]


def test_the_first_draft_is_version_one_by_the_coordinator_with_data_to_30_june(generated, personas):
    assert (generated.number, generated.source, generated.created_by) == (1, "generated", personas.coordinator)
    assert generated.report.period_end == date(2022, 6, 30) and generated.as_of == date(2022, 6, 30)
    assert generated.report.get_kind_display() == "半年工作报告"
    overview = generated.sections[0]["text"]
    assert "截至2022年6月30日，已完成1项" in overview  # task 43, accepted as done in June
    lagging = [row[0] for row in generated.tables["lagging"]["rows"]]
    assert "12" in lagging
    assert "老旧小区改造资金尚未到位（任务12，住建局）。" in generated.sections[3]["text"]
    sewage = next(row for row in generated.tables["indicators"]["rows"] if row[1] == "城区生活污水处理率")
    assert sewage == ["35", "城区生活污水处理率", "城区生活污水处理率 ≥ 95 %", "93%", "未达标", "填报"]
    assert "城区生活污水处理率（未达标，当前93%）" in generated.sections[2]["text"]


def test_a_report_drafted_before_its_period_ends_is_refused_unless_asked_for_as_a_forecast(half_year, personas):
    with pytest.raises(ReportRefused, match="报告期至2022年12月31日尚未结束"):
        written_report_generate(plan=half_year, kind="year_end", user=personas.coordinator, day=DAY)
    assert not WrittenReport.objects.filter(plan=half_year).exists()
    version, _ = written_report_generate(
        plan=half_year, kind="year_end", user=personas.coordinator, day=DAY, early=True
    )
    assert version.report.period_end == date(2022, 12, 31) and version.as_of == DAY
    assert version.provisional and version.note.startswith("预报稿")


def test_a_half_year_report_on_30_june_is_still_a_forecast_and_on_1_july_it_is_not(half_year, personas):
    with pytest.raises(ReportRefused):
        written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=date(2022, 6, 30))
    forecast, _ = written_report_generate(
        plan=half_year, kind="half_year", user=personas.coordinator, day=date(2022, 6, 20), early=True
    )
    assert forecast.provisional and forecast.as_of == date(2022, 6, 20)
    final, _ = written_report_generate(
        plan=half_year, kind="half_year", user=personas.coordinator, day=date(2022, 7, 1)
    )
    assert not final.provisional and final.as_of == date(2022, 6, 30)


def edit(version, **texts) -> ReportEdit:
    return ReportEdit(title=version.title, texts={s["key"]: s["text"] for s in version.sections} | texts)


def test_an_edit_is_a_new_version_and_the_draft_it_came_from_is_kept(generated, personas):
    edited = written_report_edit(
        report=generated.report, base=1, user=personas.coordinator, edit=edit(generated, overview="上半年总体平稳。")
    )
    assert (edited.number, edited.source, edited.sections[0]["text"]) == (2, "edited", "上半年总体平稳。")
    assert ReportVersion.objects.get(report=generated.report, number=1).sections[0]["text"] != "上半年总体平稳。"
    assert edited.tables == generated.tables


def test_saving_without_a_change_makes_no_new_version(generated, personas):
    same = written_report_edit(report=generated.report, base=1, user=personas.coordinator, edit=edit(generated))
    assert same.pk == generated.pk and generated.report.versions.count() == 1


def test_an_edit_of_an_old_version_is_refused(generated, personas):
    written_report_edit(report=generated.report, base=1, user=personas.coordinator, edit=edit(generated, overview="甲"))
    with pytest.raises(StaleEdit):
        written_report_edit(
            report=generated.report, base=1, user=personas.coordinator, edit=edit(generated, overview="乙")
        )


def test_regenerating_keeps_the_edited_text_and_offers_the_new_draft_beside_it(generated, half_year, personas):
    written_report_edit(
        report=generated.report, base=1, user=personas.coordinator, edit=edit(generated, problems="我们的说法。")
    )
    again, _ = written_report_generate(
        plan=half_year, kind="half_year", user=personas.coordinator, day=date(2022, 7, 20)
    )
    problems = next(s for s in again.sections if s["key"] == "problems")
    assert problems["text"] == "我们的说法。"
    # The new draft says the same as the first one (no new data): nothing new to offer.
    assert problems["proposed"] == ""
    assert again.note == "重新生成，保留了1处人工修改" and again.number == 3
    untouched = next(s for s in again.sections if s["key"] == "overview")
    assert untouched["proposed"] == "" and untouched["text"] == untouched["drafted"]


def test_new_data_after_an_edit_is_offered_and_can_be_adopted_or_set_aside(generated, half_year, personas):
    written_report_edit(
        report=generated.report, base=1, user=personas.coordinator, edit=edit(generated, overview="我们的总体情况。")
    )
    half_year.title = "将乐县2022年度分解方案（修订）"
    half_year.save()  # the plan is renamed after the edit: the overview names it
    again, _ = written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=DAY)
    overview = again.sections[0]
    assert overview["text"] == "我们的总体情况。" and "（修订）" in overview["proposed"]
    adopted = written_report_edit(
        report=again.report, base=again.number, user=personas.coordinator, edit=ReportEdit(again.title, {}, "overview")
    )
    assert "（修订）" in adopted.sections[0]["text"] and adopted.sections[0]["proposed"] == ""
    assert adopted.pending_proposals == 0


def test_only_one_report_of_each_kind_per_plan_with_all_its_versions(generated, half_year, personas):
    half_year.title = "将乐县2022年度分解方案（修订）"
    half_year.save()  # something new to say
    written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=DAY)
    assert WrittenReport.objects.filter(plan=half_year).count() == 1
    assert list(generated.report.versions.values_list("number", flat=True)) == [2, 1]
    assert all(v.created_at is not None for v in generated.report.versions.all())


def test_generating_again_with_nothing_new_is_the_same_version_logged_once(
    generated, half_year, personas, client_for, clock
):
    """A double click on 生成 (or the button pressed again before any data changed) makes no second version."""
    again, new = written_report_generate(plan=half_year, kind="half_year", user=personas.coordinator, day=DAY)
    assert not new and again == generated
    clock(DAY)
    client = client_for(personas.coordinator)
    url = reverse("reports:generate", args=[half_year.pk])
    client.post(url, {"kind": "half_year"})
    response = client.post(url, {"kind": "half_year"}, follow=True)
    assert list(generated.report.versions.values_list("number", flat=True)) == [1]
    assert "未生成新版本" in response.content.decode()
    assert Action.objects.filter(verb="written_report.generate").count() == 1
