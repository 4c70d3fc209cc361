"""Uploading published results of earlier years: the form, the job's progress, a sample file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from scoring.models import EvaluatingBody

from . import io as published_io
from . import selectors as selectors_import
from . import services
from .forms import PublishedResultsUploadForm


def _admin_body(request: HttpRequest, code: str) -> tuple[EvaluatingBody, list[EvaluatingBody]]:
    """Return the body asked for (or the first) among those the user administers; 404 otherwise."""
    body, bodies = selectors_import.import_body_for_user(user=request.user, code=code)
    if body is None:
        raise Http404
    return body, bodies


@login_required
@require_http_methods(["GET", "POST"])
def published_results_import(request: HttpRequest) -> HttpResponse:
    body, bodies = _admin_body(request, request.POST.get("body") or request.GET.get("body") or "")
    form = PublishedResultsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            body=body,
            upload=form.cleaned_data["file"],
            year=form.cleaned_data["year"],
            actor=request.user,
            replace=form.cleaned_data["replace"],
        )
        return redirect("reports:import_job_detail", pk=job.pk)
    context = {
        "body": body,
        "bodies": bodies,
        "form": form,
        "jobs": selectors_import.import_job_list(body=body),
        "columns": published_io.COLUMN_HELP,
    }
    return render(request, "reports/published_results_import.html", context)


@login_required
@require_GET
def import_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors_import.import_job_get_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404
    summary = services.summary_text(job.summary) if job.summary else ""
    would_replace = any(e.get("would_replace") for e in job.errors or [])
    # htmx polls only the status fragment; it stops when the fragment no longer asks to be polled.
    template = "reports/import_job.html#status" if request.htmx else "reports/import_job.html"
    return render(request, template, {"job": job, "summary": summary, "would_replace": would_replace})


@login_required
@require_GET
def published_results_sample(request: HttpRequest) -> HttpResponse:
    # The BOM makes Excel open the file as UTF-8, so the diacritics survive.
    response = HttpResponse("\ufeff" + published_io.sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-ket-qua-da-cong-bo.csv"'
    return response
