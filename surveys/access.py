"""Who may see and do what in surveys: the only module of the app that decides it.

The survey is the body administrator's work: every survey page (design, ballot entry, double entry, import,
correction, points, SIPAS, tracking and statistics) is theirs. Anyone else gets 404, as if the period did not
exist. A superuser administers every body. The role lookups come from scoring.access.

==========================================  ==========  =========================================================
object: a period's survey                   body admin  appraiser, council member, viewer, unit officer / head,
                                                        anyone of another body
==========================================  ==========  =========================================================
survey home (the periods listed)            see         — (404)
forms, questions, shares, sample plans      see, change — (404)
ballots: entry, double entry, import        see, change — (404)
ballots: correction, voiding                see, change — (404)
SIPAS, survey points, tracking, statistics  see, change — (404)
settings: averaging, weights, SIPAS items   see, change — (404)
==========================================  ==========  =========================================================

Rules of the survey itself (a published period is frozen, quotas, versions) stay in the services.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from scoring.access import bodies_administered
from scoring.models import Period, User


def survey_periods(user: User) -> QuerySet[Period]:
    """Return the periods whose survey the user runs (those of the bodies they administer)."""
    return Period.objects.filter(body__in=bodies_administered(user))


def may_run_survey(user: User, period: Period) -> bool:
    """Return whether the user runs the period's survey: its design, SIPAS, points and statistics."""
    return survey_periods(user).filter(pk=period.pk).exists()


def may_enter_ballots(user: User, period: Period) -> bool:
    """Return whether the user enters, imports, corrects and voids the period's ballots."""
    return may_run_survey(user, period)


def admin_period(request: HttpRequest, period_id: int) -> Period:
    """Return the period if the user runs its survey; 404 otherwise (every survey page asks this first)."""
    period = survey_periods(request.user).filter(pk=period_id).select_related("body").first()
    if period is None:
        raise Http404
    return period
