"""Importing ballots from a spreadsheet: the upload page with the errors table, and the template download.

Body administrators only (surveys.access.admin_period); anyone else gets 404. A small file is imported in the
request; a large one (the benchmark's 100,000 ballots take about a minute) becomes a job (scoring.models.Job) run by
Celery, whose page htmx polls until it is done. Either way the import is all or nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from scoring.idempotency.http import request_once
from scoring.jobs.pages import JobPage, job_page_context, job_template
from scoring.models import Job

from ..access import admin_period
from . import io as ballot_io
from .services import (
    BALLOT_IMPORT_KIND,
    ballot_import_job_create,
    ballot_template,
    ballots_import,
    summary_text,
)

# Larger files (about 10,000 ballots) are imported in the background so that the request does not time out.
SYNC_IMPORT_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # 100,000 ballots × 30 answers make an .xlsx of about 11 MB


class BallotUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp phiếu (.xlsx hoặc .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 50 MB; hãy chia thành nhiều tệp."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def ballots_upload(request: HttpRequest, period_id: int) -> HttpResponse:
    """GET shows the upload form; POST imports the file (all rows or none) and lists the errors if any."""
    period = admin_period(request, period_id)
    form = BallotUploadForm(request.POST or None, request.FILES or None)
    errors: list[ballot_io.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def run() -> dict:
            if upload.size > SYNC_IMPORT_BYTES:
                job = ballot_import_job_create(period=period, upload=upload, actor=request.user)
                return {"job": job.pk}
            summary = ballots_import(
                period=period, content=upload.read(), filename=upload.name, actor=request.user
            )
            return {"summary": str(summary)}

        try:
            # A double click posts the form's key twice: the file is imported (or queued) once.
            done = request_once(request, scope=f"ballots_upload:{period.pk}", action=run).result
        except ballot_io.BallotFileError as exc:
            errors = exc.errors
        else:
            if "job" in done:
                return redirect("surveys:ballots_import_job", period_id=period.pk, pk=done["job"])
            messages.success(request, _("Đã nhập phiếu: %(summary)s") % {"summary": done["summary"]})
            return redirect("surveys:ballots_upload", period_id=period.pk)
    context = {
        "period": period,
        "form": form,
        "errors": errors,
        "columns": ballot_io.COLUMN_HELP,
        "max_errors": ballot_io.MAX_ERRORS,
    }
    return render(request, "surveys/ballots_upload.html", context, status=400 if errors else 200)


@login_required
@require_GET
def ballots_template(request: HttpRequest, period_id: int) -> HttpResponse:
    period = admin_period(request, period_id)
    response = HttpResponse(
        ballot_template(period=period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-phieu-{period.year}.xlsx"'
    return response


@login_required
@require_GET
def ballots_import_job(request: HttpRequest, period_id: int, pk: int) -> HttpResponse:
    period = admin_period(request, period_id)
    job = Job.objects.filter(period=period, kind=BALLOT_IMPORT_KIND, pk=pk).first()
    if job is None:
        # A bookmark from before the one job model: the job kept its old id as params["legacy_id"].
        moved = (
            Job.objects.filter(period=period, kind=BALLOT_IMPORT_KIND, params__legacy_id=pk)
            .order_by("pk")
            .first()
        )
        if moved is None:
            raise Http404
        return redirect("surveys:ballots_import_job", period.pk, moved.pk, permanent=True)
    count = len(job.errors or [])
    page = JobPage(
        poll_url=reverse("surveys:ballots_import_job", args=[period.pk, job.pk]),
        section_id="import-status",
        success_text=f"{_('Đã nhập phiếu:')} {summary_text(job.summary)}",
        failure_text=ngettext(
            "Tệp không được nhập vì có %(counter)s lỗi; chưa lưu phiếu nào.",
            "Tệp không được nhập vì có %(counter)s lỗi; chưa lưu phiếu nào.",
            count,
        )
        % {"counter": count},
    )
    # htmx polls only the status fragment; it stops when the fragment no longer asks to be polled.
    template = "surveys/ballots_import_job.html" if not request.htmx else job_template(htmx=True)
    return render(request, template, job_page_context(job, page, period=period))
