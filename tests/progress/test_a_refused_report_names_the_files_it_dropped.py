"""A refused report stores none of the files chosen with it, and a browser cannot put them back into the file input:
the card must say which files were not uploaded, or the reporter submits later without the photo and never knows.
(Found by the township reporter's browser journey, tests/browser/test_journeys.py.)"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecotarget.progress.models import Evidence
from rendered_forms import errors_in, the_form

from .helpers import PNG, task


def task_14_form_in_may(client, plan):
    """古镛镇's report form for task 14 in May, as its unit page renders it."""
    pk = task(plan, 14).pk
    url = reverse("progress:my_unit", args=[plan.pk]) + "?period=5"
    return pk, the_form(client.get(url).content.decode(), url, reverse("progress:report_edit", args=[plan.pk, 5, pk]))


def test_a_refused_report_with_a_photo_says_the_photo_must_be_chosen_again(published, personas, clock, client_for):
    clock(date(2022, 5, 10))
    chen = client_for(personas.guyong)
    pk, form = task_14_form_in_may(chen, published)
    data: dict[str, list] = form.data(
        **{f"t{pk}-work_done": None, f"t{pk}-progress": "in_progress", f"t{pk}-percent": "40"},  # 报送 without 工作进展
        action="submit",
    )
    data[f"t{pk}-evidence"] = [SimpleUploadedFile("河道巡查.png", PNG, content_type="image/png")]

    response = chen.post(form.url, data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert errors_in(response.content.decode()) == [
        "报送前请填写工作进展。所选佐证材料未上传，请重新选择：河道巡查.png"
    ]
    assert not Evidence.objects.exists()


def test_a_refused_report_without_files_says_only_why(published, personas, clock, client_for):
    clock(date(2022, 5, 10))
    chen = client_for(personas.guyong)
    pk, form = task_14_form_in_may(chen, published)
    data = form.data(
        **{f"t{pk}-progress": "in_progress", f"t{pk}-percent": "40", f"t{pk}-work_done": ""}, action="submit"
    )

    response = chen.post(form.url, data, headers={"HX-Request": "true"})

    assert errors_in(response.content.decode()) == ["报送前请填写工作进展"]
