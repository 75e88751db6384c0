"""Every way of importing a plan binds its measured targets to monitoring, says which ones before it stores
anything, and records the binding in each task's history."""

import io

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.plans.models import Plan, TaskChange
from ecotarget.samples import JIANGLE_2022_PLAN

# Task number, metric, indicator label, scope label: what the sample plan's measured targets are bound to.
EXPECTED = {
    (14, "国控断面优良比例", "断面水质优良（Ⅰ~Ⅲ类）比例", "国控"),
    (14, "小流域水质优良比例", "断面水质优良（Ⅰ~Ⅲ类）比例", "小流域"),
    (14, "农村“千吨万人”集中式生活饮用水水源地水质达标率", "饮用水水源地水质达标率", "农村“千吨万人”"),
    (15, "PM2.5浓度", "PM2.5年均浓度", "全部点位"),
    (15, "重污染天气", "重污染天数", "全部点位"),
}


def bound_now() -> set[tuple]:
    return {
        (b.target.task.number, b.target.metric, b.get_indicator_display(), b.scope_label)
        for b in IndicatorBinding.objects.select_related("target__task")
    }


def test_the_upload_preview_lists_the_measured_targets_and_confirming_binds_them(jiangle, personas, client_for):
    client = client_for(personas.coordinator)
    form = BeautifulSoup(client.get(reverse("plans:upload")).content, "html.parser").find("input", type="file")
    upload = SimpleUploadedFile("将乐县2022年分解方案.txt", JIANGLE_2022_PLAN.read_bytes())
    preview = client.post(reverse("plans:upload"), {form["name"]: upload})

    table = BeautifulSoup(preview.content, "html.parser").find(id="measured")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    assert ["15", "PM2.5浓度 ≤ 15 微克/立方米", "PM2.5年均浓度", "全部点位"] in rows
    assert ["14", "国控断面优良比例 ≥ 100 %", "断面水质优良（Ⅰ~Ⅲ类）比例", "国控"] in rows
    assert Plan.objects.count() == 0 and IndicatorBinding.objects.count() == 0

    client.post(reverse("plans:import_confirm"))
    assert bound_now() >= EXPECTED
    assert len(bound_now()) == len(rows)
    plan = Plan.objects.get()
    recorded = TaskChange.objects.filter(plan=plan, action=TaskChange.Action.BINDING)
    assert recorded.count() == len(rows) and {c.user for c in recorded} == {personas.coordinator}


def test_the_command_binds_the_measured_targets_and_says_which(jiangle):
    out = io.StringIO()
    call_command("import_plan", str(JIANGLE_2022_PLAN), stdout=out)
    assert bound_now() >= EXPECTED
    said = out.getvalue()
    assert f"由监测数据计算的指标 {IndicatorBinding.objects.count()} 项" in said
    assert "任务 15：PM2.5浓度 ≤ 15 微克/立方米 ← PM2.5年均浓度（全部点位）" in said
    assert "任务 14：国控断面优良比例 ≥ 100 % ← 断面水质优良（Ⅰ~Ⅲ类）比例（国控）" in said


def test_a_dry_run_says_which_targets_would_be_measured_and_binds_nothing(jiangle):
    out = io.StringIO()
    call_command("import_plan", str(JIANGLE_2022_PLAN), "--dry-run", stdout=out)
    assert "任务 15：PM2.5浓度 ≤ 15 微克/立方米 ← PM2.5年均浓度（全部点位）" in out.getvalue()
    assert not IndicatorBinding.objects.exists() and not Plan.objects.exists()


def test_a_reimport_does_not_bind_again_a_target_the_coordinator_unbound(plan, personas, tmp_path):
    from ecotarget.monitoring.services import binding_remove

    pm25 = IndicatorBinding.objects.get(target__task__plan=plan, target__metric="PM2.5浓度")
    binding_remove(binding=pm25, user=personas.coordinator, reason="改由单位填报")
    changed = tmp_path / "changed.txt"
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    changed.write_text(text.replace("分别不高于15、29微克", "分别不高于15、28微克"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_plan", str(changed), "--replace", stdout=out)
    assert "修改 1 项任务" in out.getvalue()
    assert not IndicatorBinding.objects.in_force().filter(target__task__plan=plan, target__metric="PM2.5浓度").exists()
    assert IndicatorBinding.objects.filter(target__task__plan=plan, target__metric="PM10浓度").exists()
