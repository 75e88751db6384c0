"""A request is bounded as a whole: refused by its Content-Length before its body is read, and by the number of
files (issue 10: a 300 MiB evidence upload was read into memory before being refused; Django allowed 100 files)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from progress.helpers import PNG


@override_settings(ECOTARGET_MAX_REQUEST_BYTES=100_000)
def test_a_request_over_the_total_is_refused_by_its_content_length(jiangle, personas, client_for):
    client = client_for(personas.coordinator)
    big = SimpleUploadedFile("plan.txt", b"x" * 200_000)
    response = client.post(reverse("plans:upload"), {"document": big})
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode() and "97.7\xa0KB" in response.content.decode()


def test_more_files_than_allowed_in_one_request_are_refused(jiangle, personas, client_for, settings):
    files = [SimpleUploadedFile(f"{i}.png", PNG) for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    assert len(files) <= 20  # Django's own default allowed 100 files of any size
    response = client_for(personas.coordinator).post(reverse("plans:upload"), {"document": files})
    assert response.status_code == 400


def test_large_uploads_go_to_disk_not_memory(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024
    assert settings.ECOTARGET_MAX_REQUEST_BYTES < settings.DATA_UPLOAD_MAX_NUMBER_FILES * (
        settings.ECOTARGET_MAX_EVIDENCE_BYTES
    )
