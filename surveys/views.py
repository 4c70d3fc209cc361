"""Survey pages: shared access rules and the survey home page.

Only a body administrator of the period's body gets these pages (the body administrator does the survey
work); anyone else gets 404, as if the period did not exist. The pages themselves live in views_entry.py
(ballot entry, double entry), views_stats.py (tracking, statistics) and views_design.py (forms, sample plan).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.evaluation.selectors import bodies_administered_by
from scoring.models import Period


def admin_period(request: HttpRequest, period_id: int) -> Period:
    """Return the period if the user administers its body; 404 otherwise."""
    period = (
        Period.objects.filter(pk=period_id, body__in=bodies_administered_by(user=request.user))
        .select_related("body")
        .first()
    )
    if period is None:
        raise Http404
    return period


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """List the periods whose survey the user runs, newest first, with a link to each survey page."""
    periods = list(
        Period.objects.filter(body__in=bodies_administered_by(user=request.user))
        .select_related("body")
        .order_by("-year", "body__name")
    )
    if not periods:
        raise Http404
    return render(request, "surveys/home.html", {"periods": periods})
