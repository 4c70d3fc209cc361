"""The council page of a period: body administrators record a meeting; council members and viewers read.

A meeting approves the units listed (only those in round 2) or returns some to round 2 with a reason;
appraisal.council.services.council_meeting_record checks every rule and moves the assessments.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.models import Assessment, Period, unit_order
from scoring.workflow import Status

from ..access import council_members_of, may_read_minutes, may_reopen, period_access
from ..models import CouncilDecision, CouncilMeeting
from . import services
from .forms import CouncilMeetingForm
from .selectors import CouncilBasis, council_basis

APPROVE, RETURN = "approve", "return"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A unit the meeting may decide on, with what the administrator chose (kept after a refusal)."""

    assessment: Assessment
    decision: str
    reason: str
    error: str = ""
    basis: CouncilBasis | None = None
    approval_reason: str = ""


@login_required
@require_http_methods(["GET", "POST"])
def council_page(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("body"), pk=period_id)
    access = period_access(user=request.user, period=period)
    is_admin = access.is_admin
    if not access.sees_council:
        raise Http404(_("Không tìm thấy kỳ đánh giá."))
    if request.method == "POST" and not is_admin:
        raise Http404
    members = council_members_of(period).distinct().order_by("last_name", "first_name", "username")
    in_round_2 = list(
        period.assessments.filter(status=Status.ROUND_2)
        .select_related("unit", "unit__group")
        .order_by(*unit_order("unit__"))
    )
    basis = {b.assessment.pk: b for b in council_basis(assessments=in_round_2)}
    error = ""
    if request.method == "POST":
        form = CouncilMeetingForm(request.POST, request.FILES, members=members)
        candidates = [_candidate(request, a, basis[a.pk]) for a in in_round_2]
        approved = [c.assessment.pk for c in candidates if c.decision == APPROVE]
        returned = {c.assessment.pk: c.reason.strip() for c in candidates if c.decision == RETURN}
        if not approved and not returned:
            error = _("Chưa có quyết định nào: chọn thông qua hoặc trả lại cho ít nhất một đơn vị.")
        if any(c.error for c in candidates):
            error = _("Phải nêu lý do cho mỗi đơn vị bị trả lại.")
        if form.is_valid() and not error:
            data = form.cleaned_data
            try:
                services.council_meeting_record(
                    period=period,
                    held_on=data["held_on"],
                    members=list(data["members"]),
                    minutes=data["minutes"],
                    note=data["note"],
                    approved_ids=approved,
                    returned=returned,
                    actor=request.user,
                    approval_reasons={
                        c.assessment.pk: c.approval_reason for c in candidates if c.decision == APPROVE
                    },
                )
            except services.AppraisalError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận cuộc họp hội đồng: thông qua %(a)d, trả lại %(r)d đơn vị.")
                    % {"a": len(approved), "r": len(returned)},
                )
                return redirect("appraisal:council", period_id=period.pk)
        status = 422
    else:
        form = CouncilMeetingForm(members=members)
        candidates = [Candidate(assessment=a, decision="", reason="", basis=basis[a.pk]) for a in in_round_2]
        status = 200
    meetings = list(
        CouncilMeeting.objects.filter(period=period)
        .prefetch_related("members_present")
        .order_by("-held_on", "-pk")
    )
    decisions: dict[int, list[CouncilDecision]] = {}
    for decision in CouncilDecision.objects.filter(meeting__period=period).select_related("assessment__unit"):
        decisions.setdefault(decision.meeting_id, []).append(decision)
    context = {
        "period": period,
        "is_admin": is_admin,
        "form": form,
        "candidates": candidates,
        "error": error,
        "meetings": [(m, decisions.get(m.pk, [])) for m in meetings],
        "approved": period.assessments.filter(status=Status.COUNCIL_APPROVED).select_related("unit"),
        "published": period.assessments.filter(status=Status.PUBLISHED)
        .select_related("unit")
        .order_by(*unit_order("unit__")),
        "computed_at": max((b.figures.computed_at for b in basis.values() if b.figures), default=None),
    }
    return render(request, "appraisal/council/council.html", context, status=status)


def _candidate(request: HttpRequest, assessment: Assessment, basis: CouncilBasis) -> Candidate:
    decision = request.POST.get(f"decision-{assessment.pk}", "")
    if decision not in (APPROVE, RETURN):
        decision = ""
    reason = request.POST.get(f"reason-{assessment.pk}", "")
    approval_reason = request.POST.get(f"approval-reason-{assessment.pk}", "")
    error = ""
    if decision == RETURN and not reason.strip():
        error = _("Phải nêu lý do trả lại.")
    return Candidate(
        assessment=assessment,
        decision=decision,
        reason=reason,
        error=error,
        basis=basis,
        approval_reason=approval_reason,
    )


@login_required
@require_GET
def council_minutes_download(request: HttpRequest, meeting_id: int) -> FileResponse:
    """Stream a meeting's minutes to the body's staff, council members and appraisers; 404 to anyone else.

    Minutes name every unit's result before publication, so a unit's own people never see them.
    """
    meeting = get_object_or_404(CouncilMeeting.objects.select_related("period"), pk=meeting_id)
    if not may_read_minutes(request.user, meeting.period) or not meeting.minutes:
        raise Http404(_("Không tìm thấy biên bản."))
    try:
        handle = meeting.minutes.open("rb")
    except OSError:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from None
    suffix = PurePosixPath(meeting.minutes.name).suffix
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bien-ban-hoi-dong-{meeting.held_on:%Y-%m-%d}{suffix}",
        content_type=mimetypes.guess_type(meeting.minutes.name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def council_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the council's reopening of a published dossier (body administrators only), with its reason."""
    assessment = get_object_or_404(Assessment.objects.select_related("period__body", "unit"), pk=pk)
    if not may_reopen(request.user, assessment):
        raise Http404
    try:
        services.assessment_reopen(
            assessment=assessment, reason=request.POST.get("reason", ""), actor=request.user
        )
    except services.AppraisalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Đã ghi nhận Hội đồng mở lại hồ sơ %(unit)s. Kết quả đã công bố giữ nguyên cho đến khi ban hành "
                "quyết định sửa đổi."
            )
            % {"unit": assessment.unit.name},
        )
    return redirect("appraisal:council", period_id=assessment.period_id)
