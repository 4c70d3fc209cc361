"""Who may open the survey pages: a body administrator of the period's body (the body administrator does the
survey work); anyone else gets 404, as if the period did not exist."""

from __future__ import annotations

from django.http import Http404, HttpRequest

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
