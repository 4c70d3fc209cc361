"""The unit's explanation page: round-1 results once sent, explanations and supplementary evidence, submission.

The unit's officers and head write; only the head submits. Round-1 results stay hidden until the body has
sent them (status explanation or later). The explanation's length cap is the server's: the form refuses an
over-long text and the service checks it again; the counter on the page only helps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.idempotency.http import request_once
from scoring.models import CriteriaItem
from scoring.workflow import Status

from ..access import access_for, assessment_load, status_at_least
from ..rounds.pages import appraisal_page, page_item_locate, unanswered_items
from . import services
from .forms import ExplanationForm

TEMPLATE = "appraisal/explanation/explanation.html"
ITEM_TEMPLATE = "appraisal/explanation/item_response.html"


@dataclass(frozen=True, slots=True)
class ExplanationState:
    """A flagged item as the unit left it after a refused save or upload: message and typed text."""

    item_id: int
    error: str = ""
    text: str = ""
    keeps_typed: bool = False
    upload_errors: tuple[str, ...] = ()
    notice: str = ""
    upload_notice: str = ""


def _load(request: HttpRequest, pk: int):
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    return assessment, access


def _context(request, *, assessment, access, state: ExplanationState | None = None) -> dict:
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    sent = status_at_least(assessment.status, Status.EXPLANATION)
    flagged = [i for i in page.items.values() if i.flagged] if sent else []
    editable = access.is_unit and assessment.status == Status.EXPLANATION
    return {
        "assessment": assessment,
        "page": page,
        "access": access,
        "sent": sent,
        "flagged": flagged,
        "editable": editable,
        "max_length": settings.EXPLANATION_MAX_LENGTH,
        "deadline": assessment.period.explanation_deadline,
        "state": state,
    }


@login_required
@require_GET
def explanation_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = _load(request, pk)
    return render(request, TEMPLATE, _context(request, assessment=assessment, access=access))


def _respond(request, *, assessment, access, item_id: int, state: ExplanationState | None, status: int = 200):
    context = _context(request, assessment=assessment, access=access, state=state)
    if request.htmx:
        try:
            context["item"], _field = page_item_locate(context["page"], item_id)
        except LookupError:
            raise Http404 from None
        return render(request, ITEM_TEMPLATE, context, status=status)
    if status == 200:
        return redirect(
            f"{reverse('appraisal:explanation', args=[assessment.pk])}#item-{context['page'].items[item_id].code}"
        )
    return render(request, TEMPLATE, context, status=status)


def _item(assessment, item_id: int) -> CriteriaItem:
    item = CriteriaItem.objects.filter(pk=item_id, criteria_set_id=assessment.criteria_set_id).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def explanation_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    assessment, access = _load(request, pk)
    if not access.is_unit:
        raise Http404
    item = _item(assessment, item_id)
    form = ExplanationForm(request.POST)
    typed = request.POST.get("text", "")
    if not form.is_valid():
        error = str(next(iter(form.errors.values()))[0])
        state = ExplanationState(item_id=item.pk, error=error, text=typed, keeps_typed=True)
        return _respond(
            request, assessment=assessment, access=access, item_id=item.pk, state=state, status=422
        )
    try:
        services.explanation_save(
            assessment=assessment,
            item=item,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        )
    except services.AppraisalPermissionDenied:
        raise
    except services.AppraisalError as exc:
        conflict = isinstance(exc, services.VersionConflict)
        state = ExplanationState(item_id=item.pk, error=exc.message, text=typed, keeps_typed=True)
        return _respond(
            request,
            assessment=assessment,
            access=access,
            item_id=item.pk,
            state=state,
            status=409 if conflict else 422,
        )
    if not request.htmx:
        messages.success(request, _("Đã lưu giải trình tiêu chí %(code)s.") % {"code": item.code})
    state = ExplanationState(item_id=item.pk, notice=_("Đã lưu."))
    return _respond(request, assessment=assessment, access=access, item_id=item.pk, state=state)


@login_required
@require_POST
def explanation_upload(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Attach supplementary evidence to a flagged item; each file is checked by the service, one by one."""
    assessment, access = _load(request, pk)
    if not access.is_unit:
        raise Http404
    item = _item(assessment, item_id)
    files = request.FILES.getlist("files")

    def upload() -> dict:
        errors: list[str] = []
        saved = 0
        if not files:
            errors.append(_("Chưa chọn tệp nào để tải lên."))
        for uploaded in files:
            try:
                services.explanation_evidence_upload(
                    assessment=assessment, item=item, uploaded_file=uploaded, actor=request.user
                )
            except services.AppraisalError as exc:
                errors.append(f"{uploaded.name}: {exc.message}")
            else:
                saved += 1
        return {"saved": saved, "errors": errors}

    # A double click posts the form's key twice: the files are stored once, the repeat shows the same outcome.
    done = request_once(request, scope=f"explanation_upload:{assessment.pk}", action=upload).result
    saved, errors = done["saved"], done["errors"]
    notice = _("Đã tải lên %(n)d tệp.") % {"n": saved} if saved else ""
    state = ExplanationState(item_id=item.pk, upload_errors=tuple(errors), upload_notice=notice)
    if not request.htmx and not errors:
        messages.success(request, notice)
    return _respond(
        request,
        assessment=assessment,
        access=access,
        item_id=item.pk,
        state=state,
        status=422 if errors else 200,
    )


@login_required
@require_POST
def explanation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head sends the explanation (after a confirmation of what is unanswered); the dossier goes to round 2."""
    assessment, access = _load(request, pk)
    if not access.is_unit:
        raise Http404
    if not request.POST.get("confirmed"):
        # One-way step: first say what is still unanswered; the submit needs the explicit confirmed=1.
        page = appraisal_page(assessment=assessment, user=request.user, access=access)
        open_items, total = unanswered_items(page)
        lines = [
            _("%(open)d/%(total)d tiêu chí cần giải trình chưa có nội dung giải trình.")
            % {"open": len(open_items), "total": total}
            if open_items
            else _("Cả %(total)d tiêu chí cần giải trình đã có nội dung giải trình.") % {"total": total},
            _("Sau khi gửi, giải trình bị khóa và hồ sơ chuyển sang thẩm định vòng 2."),
        ]
        context = {
            "assessment": assessment,
            "title": _("Gửi giải trình?"),
            "lines": lines,
            "open_items": open_items,
            "button": _("Xác nhận gửi giải trình"),
            "action_url": reverse("appraisal:explanation_submit", args=[pk]),
            "cancel_url": reverse("appraisal:explanation", args=[pk]),
        }
        return render(request, "appraisal/confirm.html", context)
    try:
        services.explanation_submit(assessment=assessment, actor=request.user)
    except services.AppraisalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi giải trình; hồ sơ chuyển sang thẩm định vòng 2."))
    return redirect("appraisal:explanation", pk=assessment.pk)
