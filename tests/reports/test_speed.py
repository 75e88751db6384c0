"""A year-end report of the sample plan with a whole year of reports is drafted and exported in under 2 s, and
the ledger of that year too."""

import time
from datetime import date

import pytest

from ecotarget.progress.models import Report
from ecotarget.reports.docx import report_docx
from ecotarget.reports.ledger import ledger_xlsx
from ecotarget.reports.selectors import ledger
from ecotarget.reports.services import written_report_generate


@pytest.fixture
def a_year_of_reports(plan, personas, bulk_reports):
    units_and_tasks = bulk_reports(
        plan,
        personas.coordinator,
        range(1, 13),
        lambda month: {
            "progress": "done" if month == 12 else "in_progress",
            "percent": min(100, month * 9),
            "work_done": f"{month}月：按计划推进，完成阶段任务",
            "problems": "部分项目资金尚未到位" if month % 3 else "无",
            "next_steps": "继续推进",
        },
    )
    assert Report.objects.filter(task__plan=plan).count() == 12 * units_and_tasks > 1800
    return plan


def test_a_year_end_report_with_a_year_of_reports_is_drafted_and_exported_in_under_two_seconds(
    a_year_of_reports, personas
):
    started = time.perf_counter()
    version = written_report_generate(
        plan=a_year_of_reports, kind="year_end", user=personas.coordinator, day=date(2023, 1, 10)
    )
    content = report_docx(version, issuer="将乐县人民政府", signed_on=date(2023, 1, 10))
    elapsed = time.perf_counter() - started
    assert version.as_of == date(2022, 12, 31) and len(content) > 20_000
    assert "已完成64项" in version.sections[0]["text"]
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_the_ledger_of_a_year_is_exported_in_under_two_seconds(a_year_of_reports):
    started = time.perf_counter()
    content = ledger_xlsx(ledger(a_year_of_reports))
    assert time.perf_counter() - started < 2.0 and len(content) > 50_000
