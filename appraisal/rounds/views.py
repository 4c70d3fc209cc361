"""Appraisal rounds: the appraiser's list, the round sheet, item saves, bulk actions, workflow buttons, history.

Every view loads the assessment through appraisal.access.access_for (404 for anyone who may not see it) and
every change goes through one service of appraisal.rounds.services, which decides whether it is allowed.
Item saves answer htmx with a fragment and plain forms with a redirect, so the page works without JS.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.models import CriteriaItem, unit_order
from scoring.workflow import Status

from ..access import (
    Access,
    access_for,
    actions_for,
    appraisal_periods,
    assessment_load,
    period_access,
    status_at_least,
)
from ..assignments.selectors import unassigned_assessment_ids
from . import services
from .forms import ItemAppraisalForm, ItemSelectionForm, OverwriteForm, ReasonForm
from .pages import AppraisalPage, appraisal_page, page_item_locate, round1_open_items
from .selectors import assessments_for_appraiser

SHEET_TEMPLATE = "appraisal/rounds/sheet.html"
ITEM_RESPONSE_TEMPLATE = "appraisal/rounds/item_response.html"


@dataclass(frozen=True, slots=True)
class EditState:
    """One item as the appraiser left it when a save was refused: the message and the values typed."""

    item_id: int
    error: str
    error_field: str = "points"
    points: str = ""
    comment: str = ""
    needs_explanation: bool = False
    conflict: bool = False


# --- the list -------------------------------------------------------------------------------------------


@login_required
@require_GET
def appraisal_list(request: HttpRequest) -> HttpResponse:
    """The assessments of one period the user appraises (or, for staff and council, every submitted one)."""
    periods = list(appraisal_periods(request.user).select_related("body").order_by("-year", "body__name"))
    period = None
    wanted = request.GET.get("period", "")
    if wanted.isdigit():
        period = next((p for p in periods if p.pk == int(wanted)), None)
        if period is None:
            raise Http404(_("Không tìm thấy kỳ đánh giá."))
    elif periods:
        period = periods[0]
    rows = []
    access = period_access(user=request.user, period=period) if period is not None else None
    if period is not None and access is not None:
        if access.sees_all_dossiers:
            rows = list(
                period.assessments.exclude(status=Status.SELF_ASSESSMENT)
                .select_related("unit", "unit__group")
                .order_by(*unit_order("unit__"))
            )
        elif access.is_appraiser:
            rows = list(assessments_for_appraiser(user=request.user, period=period))
    # The administrator sees which dossiers nobody appraises yet, with a link to assign them.
    unassigned = set()
    if period is not None and access is not None and access.is_admin:
        unassigned = set(unassigned_assessment_ids(period=period))
    context = {
        "periods": periods,
        "period": period,
        "rows": rows,
        "unassigned": unassigned,
        "is_admin": bool(access and access.is_admin),
        "may_start": bool(access and access.may_start),
        "sees_council": bool(access and access.sees_council),
    }
    return render(request, "appraisal/rounds/list.html", context)


# --- the round sheet ------------------------------------------------------------------------------------


def _context(request: HttpRequest, *, page: AppraisalPage, access: Access, **extra) -> dict:
    return {
        "assessment": page.assessment,
        "page": page,
        "access": access,
        "actions": actions_for(access=access, status=page.status),
        "edit_state": None,
        "item_oob": False,
        **extra,
    }


@login_required
@require_GET
def appraisal_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    if not access.sees_sheet:
        # The unit's people have their own page: round-1 results (once sent) and their explanation.
        return redirect("appraisal:explanation", pk=assessment.pk)
    return _render_sheet(request, assessment=assessment, access=access)


def _render_sheet(request, *, assessment, access, edit_state: EditState | None = None, status: int = 200):
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    context = _context(request, page=page, access=access, edit_state=edit_state)
    return render(request, SHEET_TEMPLATE, context, status=status)


def _render_item(request, *, assessment, access, item_id, edit_state=None, status=200, whole_item=True):
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    try:
        page_item, page_field = page_item_locate(page, item_id)
    except LookupError:
        raise Http404 from None
    context = _context(
        request, page=page, access=access, item=page_item, field=page_field, edit_state=edit_state
    )
    context["item_oob"] = not whole_item
    response = render(request, ITEM_RESPONSE_TEMPLATE, context, status=status)
    if whole_item:
        response["HX-Retarget"] = "closest .item"
        response["HX-Reswap"] = "outerHTML"
    return response


def _item_anchor(pk: int, code: str) -> str:
    return f"{reverse('appraisal:sheet', args=[pk])}#item-{code}"


def _is_conflict(exc: services.AppraisalError) -> bool:
    # A stale version is a rule of its own: the page shows both values and answers 409.
    return isinstance(exc, services.VersionConflict)


@login_required
@require_POST
def item_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Save one item's appraised score, comment and flag in the open round."""
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    if not access.sees_sheet:
        raise Http404
    item = CriteriaItem.objects.filter(pk=item_id, criteria_set_id=assessment.criteria_set_id).first()
    if item is None:
        raise Http404
    form = ItemAppraisalForm(request.POST)
    if not form.is_valid():
        state = EditState(
            item_id=item.pk, error=form.first_error(), error_field=next(iter(form.errors)), **form.typed()
        )
        return _refused(request, assessment=assessment, access=access, state=state, status=422)
    data = form.cleaned_data
    current_round = 2 if assessment.status == Status.ROUND_2 else 1
    try:
        services.item_appraisal_save(
            assessment=assessment,
            item=item,
            round=current_round,
            points=data["points"],
            comment=data["comment"],
            # Round 2 re-scores the flagged items; the flag belongs to round 1.
            needs_explanation=data["needs_explanation"] if current_round == 1 else False,
            expected_version=data["version"],
            actor=request.user,
        )
    except services.AppraisalPermissionDenied:
        raise
    except services.AppraisalError as exc:
        conflict = _is_conflict(exc)
        state = EditState(
            item_id=item.pk,
            error=exc.message,
            error_field="points" if conflict else (exc.field or "points"),
            conflict=conflict,
            **form.typed(),
        )
        return _refused(
            request, assessment=assessment, access=access, state=state, status=409 if conflict else 422
        )
    if not request.htmx:
        messages.success(request, _("Đã lưu kết quả thẩm định tiêu chí %(code)s.") % {"code": item.code})
        return redirect(_item_anchor(assessment.pk, item.code))
    return _render_item(
        request,
        assessment=assessment,
        access=access,
        item_id=item.pk,
        whole_item=bool(request.POST.get("resolve")),
    )


def _refused(request, *, assessment, access, state: EditState, status: int) -> HttpResponse:
    if request.htmx:
        return _render_item(
            request,
            assessment=assessment,
            access=access,
            item_id=state.item_id,
            edit_state=state,
            status=status,
        )
    return _render_sheet(request, assessment=assessment, access=access, edit_state=state, status=status)


def _bulk_done(request: HttpRequest, *, result: services.BulkResult, done: str) -> None:
    if result.saved:
        messages.success(request, done % {"n": len(result.saved)})
    if result.changed:
        # Confirmed, but saved by someone since: their value stays; the person sees it and decides again.
        messages.warning(
            request,
            _("Tiêu chí %(codes)s vừa được lưu lại sau khi bạn xác nhận nên chưa bị thay; hãy xem lại.")
            % {"codes": ", ".join(h.code for h in result.changed)},
        )
    if not result.saved and not result.changed:
        messages.info(request, _("Không có tiêu chí nào thay đổi; các giá trị đã nhập được giữ nguyên."))


def _bulk(request: HttpRequest, pk: int, *, kind: str) -> HttpResponse:
    """Run a bulk action: first what nobody entered, then (a second POST, confirm=1) the replacements chosen."""
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    if not access.sees_sheet:
        raise Http404
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    editable = [i.id for i in page.items.values() if i.editable]
    call = services.round1_accept_self_scores if kind == "accept" else services.round1_flag_missing_evidence
    args: dict = {}
    if request.POST.get("confirm"):
        form = OverwriteForm(request.POST, item_ids=editable)
        if not form.is_valid():
            messages.error(request, str(next(iter(form.errors.values()))[0]))
            return redirect("appraisal:sheet", pk=assessment.pk)
        if not form.cleaned_data["versions"]:
            messages.info(request, _("Không thay tiêu chí nào; các giá trị đã nhập được giữ nguyên."))
            return redirect("appraisal:sheet", pk=assessment.pk)
        args["overwrite"] = form.cleaned_data["versions"]
        if kind == "accept":
            args["item_ids"] = ()
    elif kind == "accept":
        form = ItemSelectionForm(request.POST, item_ids=editable)
        if not form.is_valid():
            messages.error(request, str(next(iter(form.errors.values()))[0]))
            return redirect("appraisal:sheet", pk=assessment.pk)
        args["item_ids"] = form.cleaned_data["items"]
    try:
        result = call(assessment=assessment, actor=request.user, **args)
    except services.AppraisalError as exc:
        messages.error(request, exc.message)
        return redirect("appraisal:sheet", pk=assessment.pk)
    if kind == "accept":
        done = _("Đã chấp nhận điểm tự chấm của %(n)d tiêu chí chưa thẩm định.")
        if "overwrite" in args:
            done = _("Đã thay điểm thẩm định của %(n)d tiêu chí bằng điểm tự chấm (đã xác nhận).")
    else:
        done = _("Đã đánh dấu %(n)d tiêu chí thiếu tài liệu kiểm chứng.")
    if "overwrite" in args or not result.held:
        _bulk_done(request, result=result, done=done)
        return redirect("appraisal:sheet", pk=assessment.pk)
    # Some items carry a person's work: say what was done, list them, and replace only on an explicit choice.
    context = {
        "assessment": assessment,
        "kind": kind,
        "done": done % {"n": len(result.saved)} if result.saved else "",
        "held": result.held,
        "action_url": reverse(
            "appraisal:accept" if kind == "accept" else "appraisal:flag_missing", args=[pk]
        ),
    }
    return render(request, "appraisal/rounds/bulk_confirm.html", context)


@login_required
@require_POST
def accept_self_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Bulk: take the unit's own score as the round-1 score of the ticked items nobody has appraised yet."""
    return _bulk(request, pk, kind="accept")


@login_required
@require_POST
def flag_missing_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Bulk: flag the items without evidence that nobody has appraised yet as needing an explanation."""
    return _bulk(request, pk, kind="flag")


# --- workflow buttons -----------------------------------------------------------------------------------


def _workflow(request: HttpRequest, pk: int, *, call, done: str) -> HttpResponse:
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    if not access.sees_sheet:
        raise Http404
    try:
        call(assessment=assessment, actor=request.user)
    except services.AppraisalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("appraisal:sheet", pk=assessment.pk)


@login_required
@require_POST
def round_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, call=services.appraisal_round_start, done=_("Đã bắt đầu thẩm định vòng 1."))


def _confirm(
    request,
    *,
    assessment,
    title: str,
    lines: list[str],
    open_items,
    button: str,
    action_url: str,
    cancel_url: str,
) -> HttpResponse:
    """Render the confirmation a one-way step asks first: what is left undone, then the explicit submit."""
    context = {
        "assessment": assessment,
        "title": title,
        "lines": lines,
        "open_items": open_items,
        "button": button,
        "action_url": action_url,
        "cancel_url": cancel_url,
    }
    return render(request, "appraisal/confirm.html", context)


@login_required
@require_POST
def round1_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send round-1 results to the unit: the first POST shows what is left undone, confirmed=1 sends."""
    if not request.POST.get("confirmed"):
        assessment = assessment_load(pk)
        access = access_for(user=request.user, assessment=assessment)
        if not access.sees_sheet:
            raise Http404
        page = appraisal_page(assessment=assessment, user=request.user, access=access)
        open_items, total = round1_open_items(page)
        lines = [
            _("%(open)d/%(total)d tiêu chí chưa có điểm thẩm định vòng 1 (sẽ giữ điểm tự chấm).")
            % {"open": len(open_items), "total": total}
            if open_items
            else _("Cả %(total)d tiêu chí đã có điểm thẩm định vòng 1.") % {"total": total},
            _("%(n)d tiêu chí cần đơn vị giải trình/bổ sung.") % {"n": page.flagged_count},
            _("Sau khi gửi, kết quả vòng 1 không sửa được nữa; cán bộ và thủ trưởng đơn vị được thông báo."),
        ]
        return _confirm(
            request,
            assessment=assessment,
            title=_("Gửi kết quả thẩm định vòng 1?"),
            lines=lines,
            open_items=open_items,
            button=_("Xác nhận gửi kết quả vòng 1"),
            action_url=reverse("appraisal:send", args=[pk]),
            cancel_url=reverse("appraisal:sheet", args=[pk]),
        )
    return _workflow(
        request,
        pk,
        call=services.round1_send,
        done=_("Đã gửi kết quả thẩm định vòng 1 cho đơn vị giải trình."),
    )


@login_required
@require_POST
def round1_skip(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        call=services.round1_skip_explanation,
        done=_("Không cần giải trình: hồ sơ chuyển sang vòng 2."),
    )


@login_required
@require_POST
def return_for_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the assessment one step back, with the reason required; a refusal keeps the typed reason."""
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    if not access.sees_sheet:
        raise Http404
    form = ReasonForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.return_for_correction(
                assessment=assessment,
                to=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.AppraisalError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã trả lại hồ sơ để sửa."))
            return redirect("appraisal:sheet", pk=assessment.pk)
    else:
        error = str(next(iter(form.errors.values()))[0])
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    context = _context(
        request, page=page, access=access, return_error=error, return_reason=request.POST.get("reason", "")
    )
    return render(request, SHEET_TEMPLATE, context, status=422)


# --- the item history -----------------------------------------------------------------------------------


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Side by side: self-score | round 1 | explanation | round 2 | final, each as stored."""
    assessment = assessment_load(pk)
    access = access_for(user=request.user, assessment=assessment)
    page = appraisal_page(assessment=assessment, user=request.user, access=access)
    try:
        page_item, page_field = page_item_locate(page, item_id)
    except LookupError:
        raise Http404 from None
    context = {
        "assessment": assessment,
        "page": page,
        "access": access,
        "item": page_item,
        "field": page_field,
        "shows_explanation": access.released.explanation
        and (access.sees_sheet or status_at_least(assessment.status, Status.EXPLANATION)),
    }
    return render(request, "appraisal/rounds/history.html", context)
