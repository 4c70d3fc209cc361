"""Report jobs in the browser: the list and request form, a job's progress page, retry and download.

Thin: every check is in reports.jobs.services (services and selectors) and reports.access.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.render.files import CONTENT_TYPES
from scoring.idempotency.http import request_once
from scoring.jobs.pages import JobPage, job_page_context, job_template
from scoring.models import EvaluatingBody, Job

from . import services as report_jobs

FIELDS = ("kind", "year", "unit_code", "format", "body")


def _body(request: HttpRequest, code: str) -> tuple[EvaluatingBody, list[EvaluatingBody]]:
    bodies = report_jobs.report_body_list_for_user(user=request.user)
    # A body the user has no role in is reported as missing, so its existence is not revealed.
    body = next((b for b in bodies if b.code == code), None) if code else next(iter(bodies), None)
    if body is None:
        raise Http404
    return body, bodies


def _jobs_page(
    request: HttpRequest,
    *,
    body: EvaluatingBody,
    bodies: list[EvaluatingBody],
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    options = report_jobs.report_request_options(user=request.user, body=body)
    jobs = report_jobs.report_job_list_for_user(user=request.user, body=body)
    recomputes = report_jobs.recompute_job_list(body=body) if options.may_recompute else {}
    context = {
        "body": body,
        "bodies": bodies,
        "options": options,
        "formats": report_jobs.FORMATS_BY_KIND,
        "jobs": jobs,
        "year_texts": [str(year) for year in options.years],
        "recompute_rows": [(year, recomputes.get(year)) for year in options.years]
        if options.may_recompute
        else [],
        "values": values or {},
        "errors": errors or {},
        "polling": any(not job.is_finished for job in jobs),
    }
    template = "reports/jobs/list.html#job-table" if request.htmx else "reports/jobs/list.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def report_jobs_page(request: HttpRequest) -> HttpResponse:
    body, bodies = _body(request, request.GET.get("body", ""))
    values = {name: request.GET.get(name, "") for name in ("kind", "year", "unit_code", "format")}
    return _jobs_page(request, body=body, bodies=bodies, values=values)


@login_required
@require_POST
def report_job_create(request: HttpRequest) -> HttpResponse:
    values = {name: request.POST.get(name, "").strip() for name in FIELDS}

    def create() -> dict:
        job = report_jobs.report_job_request(
            actor=request.user,
            kind=values["kind"],
            year=values["year"],
            format=values["format"],
            unit_code=values["unit_code"],
            body_code=values["body"],
        )
        return {"id": job.pk}

    try:
        # A double click posts the form's key twice: the second POST follows the job the first one asked for.
        job_id = request_once(request, scope="report_job", action=create).result["id"]
    except report_jobs.ReportJobNotFound as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"form": exc.messages}
        status = 400
    except PermissionDenied as exc:
        errors, status = {"form": [str(exc)]}, 403
    else:
        return redirect("reports:report_job_detail", pk=job_id)
    body, bodies = _body(request, values["body"])
    return _jobs_page(request, body=body, bodies=bodies, values=values, errors=errors, status=status)


def _job(request: HttpRequest, pk: int) -> Job:
    try:
        return report_jobs.report_job_get_for_user(user=request.user, pk=pk)
    except report_jobs.ReportJobNotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def report_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    page = JobPage(
        poll_url=reverse("reports:report_job_detail", args=[job.pk]),
        section_id="report-job-status",
        box_class="report-job-status-box",
        download_url=reverse("reports:report_job_download", args=[job.pk]),
        retry_url=reverse("reports:report_job_retry", args=[job.pk]),
        progress_when_done=True,
    )
    # htmx polls only the status fragment; it stops when the fragment no longer asks to be polled.
    template = "reports/jobs/detail.html" if not request.htmx else job_template(htmx=True)
    return render(request, template, job_page_context(job, page))


@login_required
@require_POST
def report_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        report_jobs.report_job_retry(job=job, actor=request.user)
    except report_jobs.ReportJobNotFound as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:report_job_detail", pk=job.pk)


@login_required
@require_GET
def report_job_download(request: HttpRequest, pk: int) -> FileResponse:
    """Stream the job's file under its readable name, to those who may read it at this moment only."""
    job = _job(request, pk)
    if not job.has_file:
        raise Http404(_("Báo cáo chưa có tệp."))
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404(_("Tệp báo cáo không còn trên máy chủ; hãy tạo lại.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Reports of unpublished figures and of one unit: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
