"""Self-assessment pages: the caller's dossiers, the scoring sheet, item saves, submission and withdrawal.

Every view loads the assessment through assessment_get_for_user (404 for anyone who may not see the unit);
every change goes through one service of scoring.assessment.services, which decides whether it is allowed.
Item saves answer htmx with a fragment and plain forms with a redirect, so the page works without JS.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import may_edit_self_assessment, may_submit_self_assessment
from scoring.assessment import services
from scoring.assessment.forms import SelfScoreForm, WithdrawForm
from scoring.assessment.pages import (
    EditState,
    conflict_from,
    item_anchor,
    list_page,
    render_item,
    render_sheet,
)
from scoring.assessment.selectors import (
    assessment_get_for_user,
    assessment_list_for_user,
)
from scoring.models import CriteriaItem, Period, Unit


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = list(assessment_list_for_user(user=request.user))
    page = list_page(user=request.user, assessments=assessments)
    return render(request, "scoring/assessment/list.html", {"page": page})


@login_required
@require_POST
def assessment_start(request: HttpRequest) -> HttpResponse:
    """Open the unit's self-assessment of a period (the first visit of its officer or head)."""
    unit = get_object_or_404(Unit, pk=_posted_id(request, "unit"))
    # Only the unit's own people open its dossier; anyone else learns nothing about the unit.
    if not may_edit_self_assessment(request.user, unit):
        raise Http404
    period = get_object_or_404(Period, pk=_posted_id(request, "period"), body_id=unit.body_id)
    try:
        assessment = services.assessment_get_or_create(period=period, unit=unit)
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:list")
    return redirect("assessment:sheet", pk=assessment.pk)


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def assessment_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    return render_sheet(request, assessment=assessment)


@login_required
@require_http_methods(["GET", "POST"])
def item_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Save one item's score and texts (POST), or return the item as stored (GET, "use the saved value")."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    item = get_object_or_404(CriteriaItem, pk=item_id, criteria_set_id=assessment.criteria_set_id)
    if request.method == "GET":
        if request.htmx:
            return render_item(request, assessment=assessment, item_id=item.pk)
        return redirect(item_anchor(assessment.pk, item.code))

    form = SelfScoreForm(request.POST)
    if not form.is_valid():
        field_name = next(iter(form.errors), "points")
        state = EditState(
            item_id=item.pk,
            error=form.first_error(),
            error_field=field_name,
            keeps_typed=True,
            **form.typed(),
        )
        return _refused(request, assessment=assessment, item=item, state=state, status=422)
    data = form.cleaned_data
    try:
        services.self_score_save(
            assessment=assessment,
            item=item,
            points=data["points"],
            justification=data["justification"],
            no_evidence_reason=data["no_evidence_reason"],
            expected_version=data["version"],
            actor=request.user,
        )
    except services.VersionConflict as exc:
        conflict = conflict_from(current=exc.current, typed_points=form.typed()["points"])
        state = EditState(
            item_id=item.pk, error=exc.message, conflict=conflict, keeps_typed=True, **form.typed()
        )
        return _refused(request, assessment=assessment, item=item, state=state, status=409)
    except services.PermissionDenied:
        raise
    except services.AssessmentError as exc:
        state = EditState(
            item_id=item.pk,
            error=exc.message,
            error_field=exc.field or "points",
            keeps_typed=True,
            **form.typed(),
        )
        return _refused(request, assessment=assessment, item=item, state=state, status=422)

    if not request.htmx:
        messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": item.code})
        return redirect(item_anchor(assessment.pk, item.code))
    # After a conflict the user chose to keep their value: the whole item is redrawn without the notice.
    resolving = bool(request.POST.get("resolve"))
    return render_item(request, assessment=assessment, item_id=item.pk, whole_item=resolving)


def _refused(
    request: HttpRequest, *, assessment, item: CriteriaItem, state: EditState, status: int
) -> HttpResponse:
    """Return the item (htmx) or the whole page (plain form) with the message and the values typed."""
    if request.htmx:
        return render_item(request, assessment=assessment, item_id=item.pk, edit_state=state, status=status)
    return render_sheet(request, assessment=assessment, edit_state=state, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what is missing before submission (GET); submit the dossier (POST, the unit head)."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    error = ""
    problems = None
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, actor=request.user)
        except services.SubmissionBlocked as exc:
            error, problems = exc.message, exc.problems
        except services.AssessmentError as exc:
            if isinstance(exc, services.PermissionDenied):
                raise
            error = exc.message
        else:
            messages.success(
                request,
                _("Đã gửi hồ sơ tự đánh giá của %(unit)s. Hồ sơ đã khóa, không sửa được nữa.")
                % {"unit": assessment.unit.name},
            )
            return redirect("assessment:sheet", pk=assessment.pk)
    if problems is None:
        problems = services.submission_problems(assessment=assessment)
    context = {
        "assessment": assessment,
        "problems": problems,
        "error": error,
        "can_edit": services.assessment_can_edit(assessment=assessment),
        "is_head": may_submit_self_assessment(request.user, assessment.unit),
    }
    return render(request, "scoring/assessment/submit.html", context, status=422 if error else 200)


@login_required
@require_POST
def assessment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a submitted dossier back to self-assessment (the unit head, before the deadline)."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.assessment_withdraw(assessment=assessment, actor=request.user, note=note)
    except services.PermissionDenied:
        raise
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút lại hồ sơ; đơn vị có thể sửa và gửi lại trước hạn."))
    return redirect("assessment:sheet", pk=assessment.pk)
