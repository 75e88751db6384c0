"""The page of one background job, and the fragment of it that the page (and any page showing the job) polls."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from . import jobs
from .htmx import partial_or_page
from .models import Job


def job_context(job: Job) -> dict:
    """What `core/job.html#job-status` shows: the job, how far it got, and its result once done."""
    done, total, stage = jobs.progress_of(job)
    percent = min(100, done * 100 // total) if total else None
    return {"job": job, "done": done, "total": total, "stage": stage, "percent": percent, **jobs.result_context(job)}


@login_required
def job_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Anyone else is told the job does not exist: its title names a file and a region."""
    job = get_object_or_404(Job.objects.select_related("user"), pk=pk)
    if not jobs.may_see(request.user, job):
        raise Http404("没有该后台任务")
    return partial_or_page(request, "core/job.html", job_context(job), partial="job-status")
