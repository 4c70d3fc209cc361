"""Evidence of a self-assessment: upload to an item, link and unlink, delete, list, download.

Files are served only here, after the same visibility check as the scoring page (404 otherwise), with the
original (Vietnamese) file name and the content type recorded at upload, never guessed by the browser.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.assessment import services
from scoring.assessment.forms import EvidenceLinkForm, EvidenceUploadForm
from scoring.assessment.pages import (
    EditState,
    evidence_get_for_user,
    item_anchor,
    render_item,
)
from scoring.assessment.selectors import assessment_get_for_user, scoring_sheet
from scoring.idempotency.http import request_once
from scoring.models import Assessment, CriteriaItem, Evidence


def _item_or_404(assessment: Assessment, item_id: object) -> CriteriaItem:
    try:
        pk = int(item_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(CriteriaItem, pk=pk, criteria_set_id=assessment.criteria_set_id)


def _back_to_item(
    request: HttpRequest, *, assessment: Assessment, item: CriteriaItem, state: EditState | None, status: int
) -> HttpResponse:
    """Return the redrawn item (htmx) or go back to it on the page, messages carrying the outcome."""
    if request.htmx:
        return render_item(request, assessment=assessment, item_id=item.pk, edit_state=state, status=status)
    if state is not None:
        for message in (state.error, *state.upload_errors):
            if message:
                messages.error(request, message)
    if state is not None and state.notice:
        messages.success(request, state.notice)
    return redirect(item_anchor(assessment.pk, item.code))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the files chosen for one item; each file is accepted or refused on its own."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    item = _item_or_404(assessment, request.POST.get("item"))
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        state = EditState(item_id=item.pk, upload_errors=tuple(_errors(form)))
        return _back_to_item(request, assessment=assessment, item=item, state=state, status=422)

    def upload() -> dict:
        errors: list[str] = []
        saved: list[str] = []
        for uploaded in form.uploaded:
            try:
                evidence = services.evidence_upload(
                    assessment=assessment, uploaded_file=uploaded, item_ids=[item.pk], actor=request.user
                )
            except services.PermissionDenied:
                raise
            except services.AssessmentError as exc:
                errors.append(f"{uploaded.name}: {exc.message}")
            else:
                saved.append(evidence.original_name)
        return {"saved": saved, "errors": errors}

    # A double click (or a resent form) carries the same key: the files are stored once and the item is shown
    # as the first POST left it.
    done = request_once(request, scope=f"evidence_upload:{assessment.pk}", action=upload).result
    saved, errors = done["saved"], done["errors"]
    notice = _("Đã tải lên: %(names)s.") % {"names": ", ".join(saved)} if saved else ""
    state = EditState(item_id=item.pk, upload_errors=tuple(errors), notice=notice)
    return _back_to_item(
        request, assessment=assessment, item=item, state=state, status=422 if errors else 200
    )


def _errors(form) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


@login_required
@require_http_methods(["GET", "POST"])
def evidence_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose already uploaded files for one item (GET: the picker) and link them (POST)."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    item = _item_or_404(assessment, request.GET.get("item") or request.POST.get("item"))
    candidates = list(
        Evidence.objects.filter(assessment=assessment).exclude(items=item).order_by("original_name", "pk")
    )
    form = EvidenceLinkForm(
        request.POST if request.method == "POST" else None,
        evidence_choices=[(e.pk, e.original_name) for e in candidates],
    )
    if request.method == "POST":
        if not form.is_valid():
            state = EditState(item_id=item.pk, upload_errors=tuple(_errors(form)))
            return _back_to_item(request, assessment=assessment, item=item, state=state, status=422)
        chosen = [e for e in candidates if e.pk in set(form.cleaned_data["evidence"])]
        try:
            for evidence in chosen:
                services.evidence_link(evidence=evidence, item_ids=[item.pk], actor=request.user)
        except services.PermissionDenied:
            raise
        except services.AssessmentError as exc:
            state = EditState(item_id=item.pk, upload_errors=(exc.message,))
            return _back_to_item(request, assessment=assessment, item=item, state=state, status=422)
        notice = _("Đã dùng %(count)s tài liệu cho tiêu chí %(code)s.") % {
            "count": len(chosen),
            "code": item.code,
        }
        return _back_to_item(
            request, assessment=assessment, item=item, state=EditState(item.pk, notice=notice), status=200
        )
    context = {"assessment": assessment, "item": item, "candidates": candidates}
    template = "scoring/assessment/evidence_picker.html"
    if request.htmx:
        template += "#picker"
    return render(request, template, context)


@login_required
@require_POST
def evidence_unlink(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Stop a file backing one item; the file stays in the dossier."""
    evidence, assessment = evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    item = _item_or_404(assessment, request.POST.get("item"))
    state = None
    try:
        services.evidence_unlink(evidence=evidence, item=item, actor=request.user)
    except services.PermissionDenied:
        raise
    except services.AssessmentError as exc:
        state = EditState(item_id=item.pk, upload_errors=(exc.message,))
    return _back_to_item(request, assessment=assessment, item=item, state=state, status=422 if state else 200)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Delete a file from the dossier: at once when no item uses it, after a confirmation otherwise."""
    evidence, assessment = evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    item_codes = list(evidence.items.order_by("order").values_list("code", flat=True))
    if request.method == "POST" and (not item_codes or request.POST.get("confirm")):
        try:
            services.evidence_delete(evidence=evidence, actor=request.user)
        except services.PermissionDenied:
            raise
        except services.AssessmentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã xóa tài liệu «%(name)s».") % {"name": evidence.original_name})
        return redirect("assessment:evidence_list", pk=assessment.pk)
    context = {"assessment": assessment, "evidence": evidence, "item_codes": item_codes}
    return render(request, "scoring/assessment/evidence_delete.html", context)


@login_required
@require_GET
def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Show every file of the dossier, the items each one backs, and the total size."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    sheet = scoring_sheet(assessment=assessment, user=request.user)
    codes = {}
    for sheet_field in sheet.fields:
        for criterion in sheet_field.criteria:
            for item in criterion.items:
                codes[item.id] = item.code
    rows = [(e, [codes[i] for i in e.item_ids if i in codes]) for e in sheet.evidence]
    context = {"assessment": assessment, "sheet": sheet, "rows": rows}
    return render(request, "scoring/assessment/evidence_list.html", context)


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Stream one evidence file under its original name, to those who may see the unit only."""
    evidence, _assessment = evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Private documents of a unit: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
