"""Double entry: the ballots whose two keyings differ, and keeping round 1 or round 2 of each.

Body administrators only (surveys.access.admin_period); anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import admin_period
from ..models import BallotForm


@login_required
@require_GET
def mismatch_list(request: HttpRequest, period_id: int) -> HttpResponse:
    """One page of the ballots whose two keyings differ, each with buttons to keep round 1 or round 2."""
    from .services import ballot_mismatch_page

    period = admin_period(request, period_id)
    result = ballot_mismatch_page(period=period, page_number=request.GET.get("trang"))
    context = {"period": period, "rows": result.rows, "page": result.page, "counts": result.counts}
    return render(request, "surveys/double_entry/mismatches.html", context)


@login_required
@require_POST
def mismatch_resolve(request: HttpRequest, period_id: int) -> HttpResponse:
    from .services import ballot_mismatch_resolve

    period = admin_period(request, period_id)
    form = BallotForm.objects.filter(period=period, pk=request.POST.get("form") or 0).first()
    number = (request.POST.get("number") or "").strip()
    keep = request.POST.get("keep")
    if form is None or not number or keep not in ("1", "2"):
        messages.error(request, _("Yêu cầu đối chiếu không hợp lệ."))
        return redirect("surveys:mismatch_list", period_id=period.pk)
    try:
        ballot = ballot_mismatch_resolve(
            period=period, form=form, number=number, keep_round=int(keep), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Phiếu số %(number)s (%(form)s) đã thống nhất theo lần nhập %(round)s.")
            % {"number": ballot.number, "form": form.code, "round": keep},
        )
    return redirect("surveys:mismatch_list", period_id=period.pk)
