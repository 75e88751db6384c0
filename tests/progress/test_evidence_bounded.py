"""Evidence is read in chunks and refused once past its limit, and a unit's evidence has a quota (issue 10)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecotarget.progress.evidence import EvidenceRejected, read_within
from ecotarget.progress.models import Evidence

from .helpers import PNG, task


def test_an_evidence_file_is_read_in_chunks_and_refused_once_past_its_limit():
    taken = []

    def endless():
        while True:
            taken.append(1)
            yield b"0" * 1024

    try:
        read_within("大.pdf", endless(), limit=10 * 1024)
    except EvidenceRejected as exc:
        assert "“大.pdf”超过" in str(exc)
    assert len(taken) == 11  # stopped at the first chunk past the limit


def _report_with(client, plan, files, version=0):
    pk = task(plan, 14).pk
    url = reverse("progress:report_edit", args=[plan.pk, 5, pk])
    data = {
        f"t{pk}-version": str(version),
        f"t{pk}-progress": "in_progress",
        f"t{pk}-percent": "40",
        f"t{pk}-work_done": "巡查河道",
        f"t{pk}-evidence": files,
        "action": "save",
    }
    return client.post(url, data, headers={"HX-Request": "true"})


def test_an_evidence_file_over_its_limit_is_refused(published, personas, clock, client_for, settings):
    clock(date(2022, 5, 10))
    settings.ECOTARGET_MAX_EVIDENCE_BYTES = 1024 * 1024
    big = SimpleUploadedFile("现场.png", PNG + b"\x00" * (3 * 1024 * 1024))
    response = _report_with(client_for(personas.guyong), published, [big])
    assert "“现场.png”超过 1 MB 的上限" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_units_evidence_quota_is_kept_and_the_refusal_says_how_much_is_used(
    published, personas, clock, client_for, settings
):
    clock(date(2022, 5, 10))
    settings.ECOTARGET_EVIDENCE_QUOTA_BYTES = 3 * 1024 * 1024
    photo = PNG + b"\x00" * (2 * 1024 * 1024)
    chen = client_for(personas.guyong)
    _report_with(chen, published, [SimpleUploadedFile("一.png", photo)])
    assert Evidence.objects.count() == 1
    response = _report_with(chen, published, [SimpleUploadedFile("二.png", photo)], version=1)
    assert "本单位的佐证材料已用 2.0 MB" in response.content.decode() and "3 MB 的总额度" in response.content.decode()
    assert Evidence.objects.count() == 1
