"""Drafting a written report as a background job: the coordinator presses 生成, the page shows the job, and when
the worker has drafted it (`services.written_report_generate`, unchanged) the page links to the new version."""

from datetime import date
from typing import Any

from ecotarget.core import jobs
from ecotarget.core.models import Job
from ecotarget.organisation.access import may_follow_region_job
from ecotarget.plans.models import Plan

from .services import written_report_generate

GENERATE = jobs.Kind(
    name="reports.generate",
    may_see=may_follow_region_job,
    result_template="reports/generate_result.html",
    result_context=lambda job: {"generated": job.result},
)


@jobs.job(GENERATE)
def report_generate(job: Job, progress: jobs.Progress, *, plan: int, kind: str, day: str, early: bool):
    """Draft the plan's report of `kind` as of `day` (the day the coordinator asked, ISO) as the job's starter."""
    progress.step("汇总数据并起草报告")
    version, new = written_report_generate(
        plan=Plan.objects.get(pk=plan), kind=kind, user=job.user, day=date.fromisoformat(day), early=early
    )
    result: dict[str, Any] = {"report": version.report_id, "number": version.number, "new": new, "note": version.note}
    return result
