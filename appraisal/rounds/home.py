"""What the appraisal puts on the home page: the appraiser's dossiers, the rounds to send, the council's units
waiting, and what the appraisers asked a unit.

The newest open period of each body the user belongs to; a fixed number of queries per body, never per unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from scoring.home.calc import Countdown, countdown
from scoring.home.panels import Panel, register_home_panels
from scoring.models import Assessment, Period, User
from scoring.workflow import Status

from ..access import assessments_assigned, home_duties, own_units
from ..models import Round

# An appraiser's list on the home page; the appraisal list has them all.
MAX_LISTED = 8
WAITING_FOR_APPRAISER = (Status.SUBMITTED, Status.ROUND_1, Status.ROUND_2)


@dataclass(frozen=True, slots=True)
class AppraiserWork:
    period: Period
    waiting: list[Assessment]
    total: int


@dataclass(frozen=True, slots=True)
class AdminRounds:
    period: Period
    counts: dict[str, int]  # assessments by status


@dataclass(frozen=True, slots=True)
class UnitAsk:
    assessment: Assessment
    items: int
    countdown: Countdown | None


def _status_counts(period: Period) -> dict[str, int]:
    rows = Assessment.objects.filter(period=period).values("status").annotate(n=Count("pk"))
    return Counter({row["status"]: row["n"] for row in rows})


def unit_asks(*, user: User, now: datetime) -> list[UnitAsk]:
    """Return the user's units' dossiers waiting for an explanation, with how many items the appraisers flagged."""
    unit_ids = own_units(user)
    if not unit_ids:
        return []
    assessments = (
        Assessment.objects.filter(unit_id__in=unit_ids, status=Status.EXPLANATION)
        .select_related("unit", "period")
        .annotate(
            flagged=Count(
                "item_appraisals",
                filter=Q(item_appraisals__round=Round.FIRST, item_appraisals__needs_explanation=True),
            )
        )
        .order_by("period__year", "unit__name")
    )
    return [
        UnitAsk(assessment=a, items=a.flagged, countdown=countdown(a.period.explanation_deadline, now))
        for a in assessments
    ]


def appraisal_panels(user: User) -> list[Panel]:
    now = timezone.now()
    panels = []
    asks = unit_asks(user=user, now=now)
    if asks:
        panels.append(Panel(template="appraisal/home/unit_asks.html", order=11, context={"asks": asks}))
    work, rounds, council = [], [], []
    for duties in home_duties(user):
        period = duties.period
        if duties.appraises:
            base = Assessment.objects.filter(period=period, status__in=WAITING_FOR_APPRAISER).select_related(
                "unit"
            )
            mine = assessments_assigned(user=user, base=base, period=period).order_by(
                "unit__group__order", "unit__name"
            )
            work.append(AppraiserWork(period=period, waiting=list(mine[:MAX_LISTED]), total=mine.count()))
        if duties.administers:
            rounds.append(AdminRounds(period=period, counts=_status_counts(period)))
        elif duties.sits_on_council:
            council.append(AdminRounds(period=period, counts=_status_counts(period)))
    if work:
        panels.append(Panel(template="appraisal/home/appraiser.html", order=20, context={"work": work}))
    if council:
        panels.append(Panel(template="appraisal/home/council.html", order=30, context={"council": council}))
    if rounds:
        panels.append(Panel(template="appraisal/home/rounds.html", order=41, context={"rounds": rounds}))
    return panels


def register() -> None:
    register_home_panels(appraisal_panels)
