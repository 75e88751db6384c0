"""After publication the results are fixed: the office may still change an item's score (an error found, an
appeal upheld) but only with a reason, which is kept with who and when, shown on the unit's sheet, and the
totals, grades and ranks follow."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ecotarget.assessment import services
from ecotarget.assessment.models import Assessment, ScoreChange
from ecotarget.core.models import Action
from rendered_forms import errors_in, the_form

from .conftest import assessment, item


@pytest.fixture
def published_results(scheme, personas, clock):
    """The demo year reviewed for every unit, approved by the leader on 15 January 2023 and so published."""
    Assessment.objects.filter(scheme=scheme).update(state=Assessment.State.APPROVAL)
    clock(date(2023, 1, 15))
    services.scheme_approve(scheme=scheme, user=personas.leader)
    return scheme


def test_a_published_score_changes_only_with_a_reason_and_the_totals_follow(published_results, personas, clock):
    scheme = published_results
    zhujian = assessment(scheme, "住建局")
    total_before, grade_before = zhujian.total, zhujian.grade
    with pytest.raises(services.AssessmentRefused, match="须写明理由"):
        services.published_score_change(
            assessment=zhujian, item=item(scheme, "17"), user=personas.coordinator, score=D(2), reason=" "
        )
    clock(date(2023, 2, 3))
    change = services.published_score_change(
        assessment=zhujian,
        item=item(scheme, "17"),
        user=personas.coordinator,
        score=D("2.2"),
        reason="复核发现满意度调查样本不足，按复查结果重评",
    )
    zhujian.refresh_from_db()
    assert (change.before, change.after) == (D("4.2"), D("2.2"))
    # 住建局's base items are worth 20 points: 2 points lost there are 10 on the hundred.
    assert zhujian.total == total_before - 10
    assert (change.total_before, change.total_after) == (total_before, zhujian.total)
    assert change.grade_before == grade_before and change.grade_after == zhujian.grade
    assert change.changed_by == personas.coordinator and change.changed_at.date() == date(2023, 2, 3)
    assert zhujian.state == Assessment.State.PUBLISHED
    logged = Action.objects.get(verb="item_score.change")
    assert "复核发现满意度调查样本不足" in logged.summary
    assert logged.changes["得分"] == ["4.20", "2.2"]


def test_the_ranking_follows_a_changed_score(published_results, personas):
    scheme = published_results
    departments = Assessment.objects.filter(scheme=scheme, unit__kind="department")
    first = departments.order_by("rank", "unit__order").first()
    services.published_score_change(
        assessment=first,
        item=item(scheme, "17"),
        user=personas.coordinator,
        score=D(0),
        reason="申诉查实，满意度调查作废",
    )
    first.refresh_from_db()
    assert first.rank > 1
    assert departments.filter(rank=1).exclude(pk=first.pk).exists()


def test_a_score_is_changed_after_publication_only(scheme, personas):
    with pytest.raises(services.AssessmentRefused, match="尚未发布，请在审核中修改"):
        services.published_score_change(
            assessment=assessment(scheme, "住建局"),
            item=item(scheme, "17"),
            user=personas.coordinator,
            score=D(3),
            reason="复核",
        )


def test_only_base_items_and_scores_within_the_points_are_changed(published_results, personas):
    zhujian = assessment(published_results, "住建局")
    with pytest.raises(services.AssessmentRefused, match="加分条目"):
        services.published_score_change(
            assessment=zhujian, item=item(published_results, "18"), user=personas.coordinator, score=D(1), reason="x"
        )
    with pytest.raises(services.AssessmentRefused, match="得分应在"):
        services.published_score_change(
            assessment=zhujian, item=item(published_results, "17"), user=personas.coordinator, score=D(9), reason="x"
        )
    assert not ScoreChange.objects.exists()


@pytest.mark.parametrize("persona", ["zhujian", "leader", "guyong", "outsider"])
def test_only_the_office_changes_a_published_score(published_results, personas, persona):
    with pytest.raises(services.AssessmentRefused, match="考核办"):
        services.published_score_change(
            assessment=assessment(published_results, "住建局"),
            item=item(published_results, "17"),
            user=getattr(personas, persona),
            score=D(5),
            reason="自评满分",
        )
    assert not ScoreChange.objects.exists()


def test_the_change_is_made_on_the_sheet_and_shown_to_the_unit(published_results, personas, client_for):
    zhujian = assessment(published_results, "住建局")
    url = reverse("assessment:sheet", args=[zhujian.pk])
    lin = client_for(personas.coordinator)
    action = reverse("assessment:change", args=[zhujian.pk, item(published_results, "17").pk])
    form = the_form(lin.get(url).content.decode(), "http://testserver" + url, action)
    refused = lin.post(form.url, form.data(score="3", reason=""), follow=True).content.decode()
    assert "发布后变更得分须写明理由" in refused and not ScoreChange.objects.exists()
    done = lin.post(form.url, form.data(score="3", reason="申诉查实，噪声投诉已办结"), follow=True).content.decode()
    assert errors_in(done) == []
    seen = client_for(personas.zhujian).get(url).content.decode()
    assert "发布后的得分变更" in seen and "申诉查实，噪声投诉已办结" in seen and "林督查" in seen
    assert "/change/" not in seen  # the unit reads the change; it cannot make one
    assert client_for(personas.zhujian).post(action, {"score": "5", "reason": "x"}).status_code == 403


def test_the_exported_sheet_carries_the_change(published_results, personas, client_for, clock):
    zhujian = assessment(published_results, "住建局")
    clock(date(2023, 2, 3))
    services.published_score_change(
        assessment=zhujian,
        item=item(published_results, "17"),
        user=personas.coordinator,
        score=D("2.2"),
        reason="申诉查实，重评满意度",
    )
    response = client_for(personas.zhujian).get(reverse("assessment:sheet_xlsx", args=[zhujian.pk]))
    rows = [r for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    start = next(n for n, r in enumerate(rows) if r[0] == "发布后的得分变更")
    assert rows[start + 1][:4] == ("序号", "考核内容", "原得分", "新得分")
    change = rows[start + 2]
    assert (change[0], change[2], change[3], change[6], change[7]) == ("17", 4.2, 2.2, "申诉查实，重评满意度", "林督查")
    assert change[8].startswith("2023-02-03")
