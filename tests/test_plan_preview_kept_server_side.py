"""A plan's preview waits on the server, not in the session (issue 10: a 3.9 MB plan kept in the session slowed
every later request of that user); it is removed once imported, replaced by the next upload, or expired."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecotarget.plans.models import Plan
from ecotarget.samples import JIANGLE_2022_PLAN


@pytest.fixture
def previews(settings, tmp_path):
    settings.ECOTARGET_PREVIEW_DIR = tmp_path / "plan-previews"
    return settings.ECOTARGET_PREVIEW_DIR


def upload(client):
    document = SimpleUploadedFile("plan.txt", JIANGLE_2022_PLAN.read_bytes())
    return client.post(reverse("plans:upload"), {"document": document})


def test_the_session_keeps_a_token_and_the_text_waits_in_a_file_removed_on_import(
    jiangle, personas, client_for, previews
):
    lin = client_for(personas.coordinator)
    upload(lin)
    session = lin.session.load()
    assert len(str(session)) < 1000  # the plan itself is ~20 KB of text
    [kept] = previews.iterdir()
    assert kept.read_text(encoding="utf-8").startswith(JIANGLE_2022_PLAN.read_text(encoding="utf-8")[:50])

    lin.post(reverse("plans:import_confirm"))
    assert Plan.objects.get().tasks.count() == 64
    assert list(previews.iterdir()) == []


def test_a_new_upload_replaces_the_waiting_preview(jiangle, personas, client_for, previews):
    lin = client_for(personas.coordinator)
    upload(lin)
    upload(lin)
    assert len(list(previews.iterdir())) == 1


def test_an_expired_preview_is_removed_and_the_import_asks_for_the_file_again(
    jiangle, personas, client_for, previews, settings
):
    lin = client_for(personas.coordinator)
    upload(lin)
    [kept] = previews.iterdir()
    old = time.time() - settings.ECOTARGET_PREVIEW_SECONDS - 60
    os.utime(kept, (old, old))

    response = lin.post(reverse("plans:import_confirm"), follow=True)
    assert "预览已过期，请重新上传" in response.content.decode()
    assert not Plan.objects.exists() and not kept.exists()
