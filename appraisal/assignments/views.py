"""Appraiser assignments of a period, for the body's administrator: list with workload, bulk assign, remove.

Every view loads the period (or the assignment) through appraisal.access, which answers 404 to anyone but the
administrator of its body; every change is one service call of appraisal.assignments.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.accounts.switcher import chosen_body_id
from scoring.idempotency.http import request_once
from scoring.models import User

from ..access import assignment_get, assignment_period_get, assignment_periods
from . import services
from .forms import AssignmentForm
from .selectors import assignment_page

TEMPLATE = "appraisal/assignments/page.html"


@login_required
@require_GET
def assignment_home(request: HttpRequest) -> HttpResponse:
    """Go to the latest period the user administers (the menu's link)."""
    periods = assignment_periods(request.user).order_by("-year", "body__name")
    chosen = chosen_body_id(request)
    period = (periods.filter(body_id=chosen).first() if chosen else None) or periods.first()
    if period is None:
        raise Http404(_("Không tìm thấy kỳ đánh giá."))
    return redirect("appraisal:assignments", period_id=period.pk)


def _page_url(period_id: int) -> str:
    return reverse("appraisal:assignments", kwargs={"period_id": period_id})


def _create(request: HttpRequest, form: AssignmentForm, period) -> bool:
    """Return whether the form's assignments were made; otherwise put the refusal on the form."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    appraiser = User.objects.filter(pk=data["appraiser"]).first()
    if appraiser is None:
        form.add_error("appraiser", _("Chọn người thẩm định."))
        return False

    def create() -> dict:
        result = services.assignments_create(
            actor=request.user,
            period=period,
            appraiser=appraiser,
            unit_ids=data["units"],
            field_codes=data["field_codes"],
        )
        return {"created": len(result.created), "existing": len(result.existing)}

    try:
        # A double click posts the form's key twice: the second POST creates nothing and shows the first result.
        once = request_once(request, scope=f"appraiser_assignments:{period.pk}", action=create)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    created, existing = once.result["created"], once.result["existing"]
    messages.success(
        request,
        ngettext(
            "Đã phân công %(count)s mục cho %(name)s.", "Đã phân công %(count)s mục cho %(name)s.", created
        )
        % {"count": created, "name": appraiser},
    )
    if existing:
        messages.info(
            request,
            ngettext(
                "Bỏ qua %(count)s mục đã được phân công từ trước.",
                "Bỏ qua %(count)s mục đã được phân công từ trước.",
                existing,
            )
            % {"count": existing},
        )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def assignment_list(request: HttpRequest, period_id: int) -> HttpResponse:
    period = assignment_period_get(user=request.user, period_id=period_id)
    if request.method == "POST":
        form = AssignmentForm(request.POST, period=period)
        if _create(request, form, period):
            return redirect(_page_url(period.pk))
        status = 400
    else:
        wanted = [int(u) for u in request.GET.getlist("unit") if u.isdigit()]
        form = AssignmentForm(initial={"units": wanted}, period=period)
        status = 200
    context = {
        "page": assignment_page(period=period),
        "periods": assignment_periods(request.user).select_related("body").order_by("-year", "body__name"),
        "form": form,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_get(user=request.user, pk=pk)
    period_id = assignment.period_id
    services.assignment_delete(actor=request.user, assignment=assignment)
    messages.success(request, _("Đã bỏ phân công: %(what)s.") % {"what": assignment})
    return redirect(_page_url(period_id))
