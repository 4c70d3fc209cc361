"""A unit's papers to sign, downloaded as PDFs from its dossier and appraisal pages (404 to whoever may not see them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from reports.render.files import RenderedFile

from . import render


def _file(rendered: RenderedFile) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    return response


@login_required
@require_GET
def dossier_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(render.dossier_pdf(user=request.user, pk=pk))


@login_required
@require_GET
def appraisal_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(render.appraisal_notice_pdf(user=request.user, pk=pk))
