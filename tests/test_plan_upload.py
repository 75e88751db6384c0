"""Uploading a plan document: a preview first, nothing stored until the coordinator confirms."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ecotarget.plans.models import Plan
from ecotarget.samples import JIANGLE_2022_PLAN


def upload(client, name: str, content: bytes):
    return client.post(reverse("plans:upload"), {"document": SimpleUploadedFile(name, content)})


def test_upload_shows_a_preview_and_stores_nothing_until_confirmed(jiangle, personas, client_for):
    lin = client_for(personas.coordinator)
    response = upload(lin, "plan.txt", JIANGLE_2022_PLAN.read_bytes())
    page = response.content.decode()
    assert response.status_code == 200
    assert "将新建方案，共 64 项任务" in page and "PM2.5" in page
    assert Plan.objects.count() == 0

    response = lin.post(reverse("plans:import_confirm"))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:overview", args=[plan.pk])
    assert plan.tasks.count() == 64 and plan.created_by == personas.coordinator


def test_uploading_the_same_plan_again_says_it_is_unchanged(plan, personas, client_for):
    response = upload(client_for(personas.coordinator), "again.txt", JIANGLE_2022_PLAN.read_bytes())
    assert "与已导入的方案相同" in response.content.decode()


def test_a_binary_file_named_txt_is_rejected_with_the_reason(jiangle, personas, client_for):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    response = upload(client_for(personas.coordinator), "plan.txt", png)
    assert response.status_code == 200
    assert "plan.txt" in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_file_of_the_wrong_kind_is_rejected_by_its_name(jiangle, personas, client_for):
    response = upload(client_for(personas.coordinator), "plan.exe", b"MZ\x90\x00")
    assert "只接受" in response.content.decode()


@override_settings(ECOTARGET_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_size_limit_is_rejected(jiangle, personas, client_for):
    response = upload(client_for(personas.coordinator), "plan.txt", JIANGLE_2022_PLAN.read_bytes())
    assert "文件过大" in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_docx_upload_is_read_by_its_content(jiangle, personas, client_for):
    from docx import Document

    doc = Document()
    for line in JIANGLE_2022_PLAN.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    response = upload(client_for(personas.coordinator), "方案.docx", buffer.getvalue())
    assert "将新建方案，共 64 项任务" in response.content.decode()


def test_confirming_without_an_upload_sends_the_coordinator_back(jiangle, personas, client_for):
    response = client_for(personas.coordinator).post(reverse("plans:import_confirm"))
    assert response.status_code == 302 and response["Location"] == reverse("plans:upload")


def test_the_preview_states_targets_as_the_task_page_will(jiangle, personas, client_for):
    page = upload(client_for(personas.coordinator), "plan.txt", JIANGLE_2022_PLAN.read_bytes()).content.decode()
    assert "PM2.5浓度 ≤ 15 微克/立方米" in page and "优质水比例 ≥ 上年" in page
    assert "previous_year" not in page and "&lt;=" not in page
