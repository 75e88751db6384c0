"""A year-end report and the ledger of the sample plan with a whole year of reports: what they say, and that
the number of SQL queries does not grow with the reports. How long they take is measured in
bench/reports_bench.py (`make bench`), never asserted here: a test must not fail on a busy machine."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecotarget.progress.models import ProgressReport
from ecotarget.reports.docx import report_docx
from ecotarget.reports.ledger import ledger_xlsx
from ecotarget.reports.selectors import ledger
from ecotarget.reports.services import written_report_generate


def a_year(plan, personas, bulk_reports, months):
    pairs = bulk_reports(
        plan,
        personas.coordinator,
        months,
        lambda month: {
            "progress": "done" if month == 12 else "in_progress",
            "percent": min(100, month * 9),
            "work_done": f"{month}月：按计划推进，完成阶段任务",
            "problems": "部分项目资金尚未到位" if month % 3 else "无",
            "next_steps": "继续推进",
        },
    )
    assert ProgressReport.objects.filter(task__plan=plan).count() == len(months) * pairs
    return plan


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.fixture
def a_year_of_reports(plan, personas, bulk_reports):
    return a_year(plan, personas, bulk_reports, range(1, 13))


def test_a_year_end_report_with_a_year_of_reports_says_every_task_is_done(a_year_of_reports, personas):
    version, _ = written_report_generate(
        plan=a_year_of_reports, kind="year_end", user=personas.coordinator, day=date(2023, 1, 10)
    )
    content = report_docx(version, issuer="将乐县人民政府", signed_on=date(2023, 1, 10))
    assert version.as_of == date(2022, 12, 31) and not version.provisional and len(content) > 20_000
    assert "已完成64项" in version.sections[0]["text"]


def test_the_ledger_of_a_year_holds_every_report(a_year_of_reports):
    content = ledger_xlsx(ledger(a_year_of_reports, as_of=date(2023, 1, 10)))
    assert len(content) > 50_000


@pytest.mark.parametrize("what", ["year-end report", "ledger"])
def test_drafting_and_the_ledger_take_as_many_queries_for_one_month_as_for_twelve(plan, personas, bulk_reports, what):
    """The queries are counted for one month of reports, then again after eleven more months are added."""
    days = iter(date(2023, 1, d) for d in range(10, 20))

    def run():
        # A new day each time: a draft that says nothing new would make no version (and take fewer queries).
        day = next(days)
        if what == "ledger":
            ledger_xlsx(ledger(plan, as_of=day))
        else:
            written_report_generate(plan=plan, kind="year_end", user=personas.coordinator, day=day)

    a_year(plan, personas, bulk_reports, [1])
    run()  # the first generation creates the report; count the second
    one_month = queries(run)
    ProgressReport.objects.filter(task__plan=plan).delete()
    a_year(plan, personas, bulk_reports, range(1, 13))
    assert queries(run) == one_month
