"""The monitoring data import as a background job: the page saves the upload, the worker imports it
(`services.measurements_import`, unchanged: its issues report, its all-or-valid-rows choice, its one transaction)
while the page shows how many records are stored, then the outcome."""

from dataclasses import asdict, dataclass, field
from typing import Any

from ecotarget.core import jobs
from ecotarget.core.models import Job
from ecotarget.organisation.access import may_follow_region_job
from ecotarget.organisation.models import Region
from ecotarget.standards.io import RowIssue

from .services import measurements_import
from .stations import UnknownStations, unknown_stations

ISSUES_KEPT = 500  # the page lists this many; the batch keeps them all


@dataclass
class ImportResult:
    """A finished import job's outcome as the page shows it (what `services.ImportOutcome` said, kept as JSON)."""

    refused: bool
    records: int
    stored: int
    issue_count: int
    issues: list[RowIssue] = field(default_factory=list)
    unknown: UnknownStations | None = None  # of all the issues, not only those kept for the page


def outcome_of(job: Job) -> ImportResult | None:
    if job.status != Job.Status.DONE:
        return None
    result = dict(job.result)
    result["issues"] = [RowIssue(**issue) for issue in result.get("issues", [])]
    result["unknown"] = UnknownStations(**result["unknown"]) if result.get("unknown") else None
    return ImportResult(**result)


IMPORT = jobs.Kind(
    name="monitoring.import",
    may_see=may_follow_region_job,
    result_template="monitoring/import_result.html",
    result_context=lambda job: {"outcome": outcome_of(job)},
)


@jobs.job(IMPORT)
def data_import(job: Job, progress: jobs.Progress, *, file: str, file_name: str, kind: str, accept_partial: bool):
    """Import the uploaded file `file` (in the job's folder) into the job's region as its starter."""
    progress.step("读取并检查文件")
    region = Region.objects.get(pk=int(job.region_id or 0))

    def storing(done: int, total: int) -> None:
        if progress.stage != "保存监测数据":
            progress.step("保存监测数据")
        progress(done, total)

    outcome = measurements_import(
        region=region,
        path=jobs.job_file(job, file),
        file_name=file_name,
        kind=kind,
        user=job.user,
        accept_partial=accept_partial,
        progress=storing,
    )
    result: dict[str, Any] = {
        "refused": outcome.refused,
        "records": outcome.records,
        "stored": outcome.stored,
        "issue_count": len(outcome.issues),
        "issues": [asdict(issue) for issue in outcome.issues[:ISSUES_KEPT]],
        "unknown": asdict(unknown) if (unknown := unknown_stations(outcome.issues)) else None,
    }
    return result
