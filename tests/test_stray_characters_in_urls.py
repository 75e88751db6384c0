"""A stray character where a page expects a number (a pasted "²", a circled "①") is ignored or not found, never a
server error: `str.isdigit` says yes to those, `int` says no."""

import pytest
from django.urls import reverse

from progress.helpers import clock, published

__all__ = ["clock", "published"]


@pytest.mark.parametrize("stray", ["²", "①", "١٢"])
def test_a_stray_number_in_a_query_or_a_form_is_not_a_server_error(published, personas, client_for, stray):
    lin = client_for(personas.coordinator)
    pages = [
        reverse("plans:overview", args=[published.pk]) + f"?section={stray}",
        reverse("dashboard:tasks", args=[published.pk]) + f"?section={stray}&unit={stray}",
        reverse("progress:review", args=[published.pk]) + f"?period={stray}",
    ]
    for url in pages:
        assert lin.get(url).status_code == 200, url
    batch = lin.post(
        reverse("progress:review_batch", args=[published.pk]), {"report": f"{stray}:1", "action": "accept"}
    )
    assert batch.status_code in (200, 302)
    keep = lin.post(reverse("progress:publish", args=[published.pk]), {"action": "keep", "task": stray, "group": stray})
    assert keep.status_code == 404
