"""Only coordinators draft, edit and export written reports; everyone else is refused, another county sees
nothing. The pages drive the same services as the tests of versions."""

import pytest
from django.urls import reverse

from ecotarget.reports.models import WrittenReport
from reports.files import docx


def generate(client, plan, kind="half_year"):
    return client.post(reverse("reports:generate", args=[plan.pk]), {"kind": kind})


@pytest.fixture
def drafted(half_year, personas, client_for):
    response = generate(client_for(personas.coordinator), half_year)
    report = WrittenReport.objects.get(plan=half_year, kind="half_year")
    assert response.status_code == 302 and response["Location"] == reverse("reports:edit", args=[report.pk])
    return report


def urls(plan, report) -> list[str]:
    return [
        reverse("reports:home"),
        reverse("reports:plan", args=[plan.pk]),
        reverse("reports:edit", args=[report.pk]),
        reverse("reports:version", args=[report.pk, 1]),
        reverse("reports:docx", args=[report.pk, 1]),
    ]


def test_the_coordinator_drafts_reads_and_exports_a_report(half_year, drafted, personas, client_for):
    client = client_for(personas.coordinator)
    for url in urls(half_year, drafted):
        assert client.get(url, follow=True).status_code == 200
    page = client.get(reverse("reports:edit", args=[drafted.pk])).content.decode()
    assert "一、总体情况" in page and 'name="text-overview"' in page and "第1版" in page
    response = client.get(reverse("reports:docx", args=[drafted.pk, 1]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    assert docx(response.content).paragraphs[0].text.startswith("将乐县2022年上半年")


@pytest.mark.parametrize("persona", ["leader", "zhujian", "guyong", "nobody"])
def test_everyone_else_in_the_region_is_refused(half_year, drafted, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for url in urls(half_year, drafted):
        assert client.get(url).status_code == 403
    assert generate(client, half_year).status_code == 403
    assert drafted.versions.count() == 1


def test_another_county_finds_neither_the_plan_nor_the_report(half_year, drafted, personas, client_for):
    client = client_for(personas.outsider)
    for url in urls(half_year, drafted)[1:]:
        assert client.get(url).status_code == 404
    assert generate(client, half_year).status_code == 404


def test_an_edit_in_the_browser_is_saved_as_a_new_version_with_the_editor(half_year, drafted, personas, client_for):
    client = client_for(personas.coordinator)
    current = drafted.versions.get()
    data = {f"text-{s['key']}": s["text"] for s in current.sections} | {"base": 1, "title": current.title}
    data["text-next_steps"] = "下半年重点抓好雨污分流改造。"
    response = client.post(reverse("reports:edit", args=[drafted.pk]), data)
    assert response.status_code == 302
    latest = drafted.versions.order_by("-number").first()
    assert (latest.number, latest.source, latest.created_by) == (2, "edited", personas.coordinator)
    assert latest.sections[4]["text"] == "下半年重点抓好雨污分流改造。"
    stale = client.post(
        reverse("reports:edit", args=[drafted.pk]), data | {"text-next_steps": "另一种说法"}, follow=True
    )
    assert "已被他人修改" in stale.content.decode() and drafted.versions.count() == 2


def test_regenerating_in_the_browser_shows_the_new_draft_beside_the_edited_text(
    half_year, drafted, personas, client_for
):
    client = client_for(personas.coordinator)
    current = drafted.versions.get()
    data = {f"text-{s['key']}": s["text"] for s in current.sections} | {"base": 1, "title": current.title}
    client.post(reverse("reports:edit", args=[drafted.pk]), data | {"text-overview": "我们自己的总体情况。"})
    half_year.title = "将乐县2022年度分解方案（修订）"
    half_year.save()
    generate(client, half_year)
    page = client.get(reverse("reports:edit", args=[drafted.pk])).content.decode()
    assert "我们自己的总体情况。" in page and "按最新数据重新生成的草稿" in page and "采用新草稿" in page
    latest = drafted.versions.order_by("-number").first()
    data = {f"text-{s['key']}": s["text"] for s in latest.sections} | {"base": latest.number, "title": latest.title}
    client.post(reverse("reports:edit", args=[drafted.pk]), data | {"adopt": "overview"})
    adopted = drafted.versions.order_by("-number").first()
    assert "（修订）" in adopted.sections[0]["text"] and adopted.pending_proposals == 0


def test_an_unknown_kind_is_refused_with_a_message(half_year, personas, client_for):
    response = client_for(personas.coordinator).post(
        reverse("reports:generate", args=[half_year.pk]), {"kind": "weekly"}, follow=True
    )
    assert "请选择报告类型" in response.content.decode() and not WrittenReport.objects.exists()
