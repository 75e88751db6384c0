"""A plan with items the parser could not read is imported all the same: those items are flagged 需核对 with
their reasons, listed first in the preview, marked on the plan, task and editor pages, and the flag is cleared
by the coordinator saving the task in the editor — a recorded action. Each unit keeps what gave it its role,
and the plan's own targets are shown on its page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecotarget.core.actions import task_timeline
from ecotarget.organisation.models import Unit
from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Plan, TaskChange
from ecotarget.plans.services import plan_import
from rendered_forms import the_form

PLAN = """将乐县2023年度生态环境保护目标责任分解方案
一、改善环境质量
目标任务:全县PM2.5年均浓度不高于20微克/立方米。
1.加强建筑工地扬尘管控。(住建局牵头,交通局、水南镇配合)
2.开展秸秆禁烧巡查。
3.推进城区污水管网改造。责任单位:住建局、水利局、古镛"""


def upload(client):
    return client.post(reverse("plans:upload"), {"document": SimpleUploadedFile("分解方案.txt", PLAN.encode())})


def test_the_preview_lists_the_flagged_items_first_with_their_reasons(jiangle, personas, client_for):
    page = upload(client_for(personas.coordinator)).content.decode()
    flagged = page.index('id="flagged"')
    assert flagged < page.index('class="tasks"')
    card = page[flagged : page.index("</section>", flagged)]
    assert "需核对的任务（2 项）" in card
    assert "未标注责任单位" in card and "开展秸秆禁烧巡查" in card
    assert "单位名称“古镛”不完整，未导入" in card
    assert "全县PM2.5年均浓度" in page[page.index('id="goals"') :]
    assert "2 项任务需核对（任务2、3）" in page
    assert Plan.objects.count() == 0


def test_confirming_imports_every_item_flagged_ones_included_with_the_source_of_each_unit(
    jiangle, personas, client_for
):
    lin = client_for(personas.coordinator)
    upload(lin)
    lin.post(reverse("plans:import_confirm"))
    plan = Plan.objects.get()
    tasks = {t.number: t for t in plan.tasks.all()}
    assert sorted(tasks) == [1, 2, 3]
    assert tasks[1].review_reasons == []
    assert tasks[2].review_reasons == ["未标注责任单位：请在任务编辑页指定牵头单位"]
    assert not tasks[2].assignments.exists()
    assert [(a.unit.name, a.role) for a in tasks[3].assignments.all()] == [("住建局", "lead"), ("水利局", "co")]
    assert [(a.unit.name, a.source) for a in tasks[1].assignments.all()] == [
        ("住建局", "动词“牵头”"),
        ("交通局", "动词“配合”"),
        ("水南镇", "动词“配合”"),
    ]
    assert plan.goals[0]["targets"][0]["metric"] == "全县PM2.5年均浓度"


def test_the_plan_page_marks_the_flagged_tasks_and_shows_the_plans_own_targets(jiangle, personas, client_for):
    plan = plan_import(parse_text(PLAN), region=jiangle).plan
    page = client_for(personas.leader).get(reverse("plans:overview", args=[plan.pk])).content.decode()
    assert "方案总体目标" in page and "全县PM2.5年均浓度 ≤ 20 微克/立方米" in page
    assert page.count('class="tag review"') == 3  # the legend's count and tasks 2 and 3
    assert "任务2</a>、<a" in page


def test_the_coordinator_clears_the_flag_by_saving_the_task_in_the_editor(jiangle, personas, client_for):
    plan = plan_import(parse_text(PLAN), region=jiangle).plan
    task = plan.tasks.get(number=2)
    lin = client_for(personas.coordinator)
    assert "未标注责任单位" in lin.get(reverse("plans:task", args=[task.pk])).content.decode()
    url = reverse("plans:task_edit", args=[task.pk])
    editor = lin.get(url).content.decode()
    assert 'id="review"' in editor and "未标注责任单位" in editor

    agriculture = Unit.objects.get(region=jiangle, name="农业农村局")
    response = lin.post(url, the_form(editor, url).data(**{f"unit_{agriculture.pk}": "lead"}))
    assert response.status_code == 302

    task.refresh_from_db()
    assert task.review_reasons == []
    owners = [(a.unit.name, a.role, a.source) for a in task.assignments.all()]
    assert owners == [("农业农村局", "lead", "任务编辑页指定")]
    change = TaskChange.objects.get(task=task, action=TaskChange.Action.EDIT)
    assert change.user == personas.coordinator
    assert change.changes["review"] == [["未标注责任单位：请在任务编辑页指定牵头单位"], []]
    logged = task_timeline(task.pk).first()
    assert "已核对" in logged.summary
    assert 'id="review"' not in lin.get(reverse("plans:task", args=[task.pk])).content.decode()


def test_a_reporter_cannot_clear_the_flag(jiangle, personas, client_for):
    plan = plan_import(parse_text(PLAN), region=jiangle).plan
    task = plan.tasks.get(number=2)
    response = client_for(personas.zhujian).get(reverse("plans:task_edit", args=[task.pk]))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.review_reasons
