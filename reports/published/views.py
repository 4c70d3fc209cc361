"""Uploading published results of earlier years: the form, the job's progress, a sample file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from scoring.idempotency.http import request_once
from scoring.jobs.pages import JobPage, job_page_context, job_template
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

        def create() -> dict:
            job = services.import_job_create(
                body=body,
                upload=form.cleaned_data["file"],
                year=form.cleaned_data["year"],
                actor=request.user,
                replace=form.cleaned_data["replace"],
            )
            return {"id": job.pk}

        # A double click posts the form's key twice: one import job, and both POSTs follow it.
        done = request_once(request, scope="published_import", action=create).result
        return redirect("reports:import_job_detail", pk=done["id"])
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
        # A bookmark from before the one job model: the job kept its old id as params["legacy_id"].
        moved = selectors_import.import_job_moved_for_user(user=request.user, legacy_id=pk)
        if moved is None:
            raise Http404
        return redirect("reports:import_job_detail", moved.pk, permanent=True)
    summary = services.summary_text(job.summary) if job.summary else ""
    would_replace = any(e.get("would_replace") for e in job.errors or [])
    count = len(job.errors or [])
    page = JobPage(
        poll_url=reverse("reports:import_job_detail", args=[job.pk]),
        section_id="import-status",
        success_text=f"{_('Đã nhập xong:')} {summary}",
        failure_text=ngettext(
            "Không nhập được: %(counter)s lỗi. Chưa lưu gì; hãy sửa tệp rồi tải lên lại.",
            "Không nhập được: %(counter)s lỗi. Chưa lưu gì; hãy sửa tệp rồi tải lên lại.",
            count,
        )
        % {"counter": count},
        failure_note=_(
            "Tệp có số khác với kết quả đã nhập trước đó: các dòng trên sẽ bị thay. Nếu đúng là muốn thay, hãy "
            "tải lại tệp và đánh dấu «Thay các kết quả đã nhập trước đó»."
        )
        if would_replace
        else "",
    )
    # htmx polls only the status fragment; it stops when the fragment no longer asks to be polled.
    template = "reports/import_job.html" if not request.htmx else job_template(htmx=True)
    return render(request, template, job_page_context(job, page))


@login_required
@require_GET
def published_results_sample(request: HttpRequest) -> HttpResponse:
    # The BOM makes Excel open the file as UTF-8, so the diacritics survive.
    response = HttpResponse("\ufeff" + published_io.sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-ket-qua-da-cong-bo.csv"'
    return response
