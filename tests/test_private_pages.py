"""Nothing a logged-in user is sent is kept by a browser's or a proxy's cache (pages, evidence, exports), and the
Content-Security-Policy allows no inline script: no template holds one or an inline event handler."""

import re
from datetime import date
from pathlib import Path

from django.test import Client
from django.urls import reverse

import ecotarget
from ecotarget.progress.services import reporting
from progress import helpers
from progress.helpers import clock, published

__all__ = ["clock", "published"]

TEMPLATES = sorted(Path(ecotarget.__file__).parent.rglob("templates/**/*.html"))


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_evidence_and_exports_to_a_member_are_not_stored(published, personas, client_for, clock):
    clock(date(2022, 3, 20))
    report = reporting.report_save(
        period=helpers.period(published, 3),
        task=helpers.task(published, 12),
        unit=helpers.unit("住建局"),
        user=personas.zhujian,
        data=reporting.ReportData(progress="in_progress", percent=30, work_done="已启动"),
        version=0,
    )
    item = reporting.evidence_add(report=report, user=personas.zhujian, name="现场.png", data=helpers.PNG)
    coordinator, reporter = client_for(personas.coordinator), client_for(personas.zhujian)
    for member, url in [
        (coordinator, reverse("plans:list")),
        (coordinator, reverse("plans:export", args=[published.pk])),
        (coordinator, reverse("reports:ledger", args=[published.pk])),
        (reporter, reverse("progress:evidence", args=[item.pk])),  # a draft's file: its own unit's only
    ]:
        response = member.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_every_response_carries_a_policy_with_no_inline_script(personas, client_for):
    for response in [Client().get(reverse("login")), client_for(personas.coordinator).get(reverse("plans:list"))]:
        policy = dict(
            (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split(";") if part
        )
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_no_template_holds_an_inline_script_or_event_handler():
    assert TEMPLATES
    inline = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                inline.append(f"{path.name}: {match.group(0)}")
        inline += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
        inline += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"javascript:|hx-on", text)]
    assert not inline, inline
