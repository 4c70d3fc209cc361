"""Survey tracking: issued / returned / accepted / rejected ballots per unit and form, and the voided ones.

They read tallies the database computes (GROUP BY), never ballot by ballot, so their cost does not grow with
the number of ballots or units (a fixed number of queries).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from scoring.models import Period, Unit

from .. import calc
from ..models import (
    Ballot,
    BallotForm,
    BallotStatus,
    SamplePlan,
)


@dataclass(frozen=True, slots=True)
class TrackingTable:
    tracking: calc.Tracking
    units: dict[int, Unit]
    forms: dict[int, BallotForm]


def tracking_table(*, period: Period) -> TrackingTable:
    """Return issued / returned / accepted / rejected by reason per unit × form, per unit, per form and in total.

    Counts the first entry round (round 2 only re-keys the same paper ballots); voided ballots count nowhere.
    Four queries.
    """
    plans = [
        calc.PlanInput(unit_id=u, form_id=f, issued=n)
        for u, f, n in SamplePlan.objects.filter(form__period=period).values_list(
            "unit_id", "form_id", "issued"
        )
    ]
    # An accepted ballot has an empty reason (a database constraint), so one GROUP BY gives both counts.
    ballots = [
        calc.BallotTally(unit_id=u, form_id=f, reject_reason=reason, count=n)
        for u, f, reason, n in Ballot.objects.filter(period=period, entry_round=1)
        .exclude(status=BallotStatus.VOIDED)
        .values("unit_id", "form_id", "reject_reason")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "form_id", "reject_reason", "n")
    ]
    table = calc.tracking(plans, ballots)
    forms = {f.pk: f for f in BallotForm.objects.filter(period=period).select_related("target_group")}
    unit_ids = {r.unit_id for r in table.rows}
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=unit_ids).select_related("group").in_official_order()
    }
    return TrackingTable(tracking=table, units=units, forms=forms)


def voided_ballots(*, period: Period, limit: int = 20) -> tuple[int, list[Ballot]]:
    """Return how many first-round ballots of the period are voided, and the latest `limit` of them; two queries."""
    voided = Ballot.objects.filter(period=period, entry_round=1, status=BallotStatus.VOIDED)
    latest = list(voided.select_related("form", "unit").order_by("-version", "-pk")[:limit])
    return voided.count(), latest
