"""Helpers for the progress tests: they write reports through the services exactly as the pages do."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Task
from ecotarget.progress.models import Period, ProgressReport
from ecotarget.progress.services.handout import plan_groups_keep_with_leads, plan_publish
from ecotarget.progress.services.reporting import ReportData, report_accept, report_save

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def unit(name: str) -> Unit:
    return Unit.objects.get(region__code="350428", name=name)


def task(plan, number: int) -> Task:
    return plan.tasks.get(number=number)


def period(plan, month: int) -> Period:
    return Period.objects.get(plan=plan, number=month)


def submit(
    plan, user, number: int, month: int, percent: int, *, unit_name: str, progress=None, **extra
) -> ProgressReport:
    """Save and submit a unit's report for task `number` in the monthly period `month`."""
    progress = progress or (
        "done" if percent == 100 else ("not_started" if percent == 0 else ProgressReport.Progress.IN_PROGRESS)
    )
    current = ProgressReport.objects.filter(
        period__plan=plan, period__number=month, task__number=number, unit__name=unit_name
    )
    version = current.first().version if current.exists() else 0
    extra.setdefault("work_done", "按计划推进")
    data = ReportData(progress=progress, percent=percent, **extra)
    return report_save(
        period=period(plan, month),
        task=task(plan, number),
        unit=unit(unit_name),
        user=user,
        data=data,
        version=version,
        submit=True,
    )


def accept(report: ProgressReport, coordinator) -> ProgressReport:
    return report_accept(report=report, user=coordinator, version=report.version)


# Small real files of each accepted kind, and some that must be refused.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le") + b"\x00" * 100


@pytest.fixture
def clock():
    """Travel to a day (10:00 in Shanghai): `clock(date(2022, 5, 10))`; the clock does not tick."""
    travellers = []

    def travel(day: date, hour: int = 10):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def published(plan, personas, clock, settings, tmp_path):
    """The sample plan with default reporting (monthly, due the 25th), handed out on 1 March 2022."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ECOTARGET_WEBHOOK_BACKOFF_MS = 10
    clock(date(2022, 3, 1))
    plan_groups_keep_with_leads(plan=plan, user=personas.coordinator)  # 有关乡(镇) followed by the lead
    plan_publish(plan=plan, user=personas.coordinator)
    return plan
