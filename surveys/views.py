"""The survey home page: the periods whose survey the user runs.

Only a body administrator of the period's body gets the survey pages (surveys.access.admin_period); anyone else
gets 404. The pages themselves live in the packages: ballots/ (entry), double_entry/, ballot_import/,
correction/, design/ (forms, sample plan), points/, stats/ (tracking, statistics) and sipas/.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import survey_periods


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """List the periods whose survey the user runs, newest first, with a link to each survey page."""
    periods = list(survey_periods(request.user).select_related("body").order_by("-year", "body__name"))
    if not periods:
        raise Http404
    return render(request, "surveys/home.html", {"periods": periods})
