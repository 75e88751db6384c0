"""The demo tells its year through the site's clock (issue 8, J): nothing it writes is dated after its last day,
and each report's history is in the order it happened."""

import io
from datetime import datetime, time, timedelta

from django.core.management import call_command

from ecotarget.core import clock
from ecotarget.monitoring.models import ImportBatch
from ecotarget.plans.models import TaskChange
from ecotarget.progress.models import ProgressReport, Receipt, ReportEvent
from ecotarget.samples import DEMO_TODAY


def test_the_demo_writes_its_history_in_order_and_nothing_after_its_last_day(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ECOTARGET_TODAY = ""  # loaded on the real date, as `make demo` does
    call_command("load_demo", stdout=io.StringIO())

    end = datetime.combine(DEMO_TODAY + timedelta(days=1), time(), tzinfo=clock.zone())
    stamps = [
        *TaskChange.objects.values_list("at", flat=True),
        *ReportEvent.objects.values_list("at", flat=True),
        *ProgressReport.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True),
        *Receipt.objects.values_list("handed_at", flat=True),
        *ImportBatch.objects.values_list("at", flat=True),
    ]
    assert len(stamps) > 1000
    assert max(stamps) < end

    history: dict[int, list] = {}
    for report_id, at in ReportEvent.objects.order_by("report_id", "id").values_list("report_id", "at"):
        history.setdefault(report_id, []).append(at)
    assert ProgressReport.objects.filter(events__action=ReportEvent.Action.RETURN).exists()  # some went back and forth
    assert all(stamps == sorted(stamps) for stamps in history.values())
