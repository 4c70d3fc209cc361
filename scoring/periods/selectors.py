"""Reads of a year's setup: the period for its administrator, and the checklist's inputs in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from scoring.access import periods_administered, unit_people_held
from scoring.models import CriteriaItem, CriteriaSet, Level, Period, Unit, UnitGroup, User, unit_order

from . import calc
from .hooks import appraiser_coverage


def period_list_for_admin(*, user: User) -> QuerySet[Period]:
    """Return the periods the user sets up, newest first, with their bodies."""
    return periods_administered(user).select_related("body").order_by("body__name", "-year")


def period_get_for_admin(*, user: User, pk: int) -> Period | None:
    """Return the period if the user administers its body; None (a 404) otherwise."""
    return periods_administered(user).select_related("body").filter(pk=pk).first()


def period_previous(*, period: Period) -> Period | None:
    """Return the body's latest period before this one."""
    return Period.objects.filter(body_id=period.body_id, year__lt=period.year).order_by("-year").first()


def units_in_year(*, body_id: int, year: int) -> QuerySet[Unit]:
    """Return the body's units active at some time in the year (merged-away units drop out)."""
    return Unit.objects.filter(body_id=body_id).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=date(year, 12, 31)),
        Q(active_to__isnull=True) | Q(active_to__gte=date(year, 1, 1)),
    )


def checklist_inputs(*, period: Period) -> calc.ChecklistInputs:
    """Return what the checklist needs, read in a fixed number of queries whatever the number of units."""
    units = list(units_in_year(body_id=period.body_id, year=period.year).order_by(*unit_order()))
    group_ids = {u.group_id for u in units}
    sets = {
        s.unit_group_id: s.pk for s in CriteriaSet.objects.filter(period=period, unit_group__in=group_ids)
    }
    items = CriteriaItem.objects.filter(criteria_set__period=period)
    field_rows = items.filter(level=Level.FIELD).values("criteria_set_id", "code", "max_points")
    fields_total: dict[int, Decimal] = {}
    field_codes: dict[int, set[str]] = {}
    for row in field_rows:
        fields_total[row["criteria_set_id"]] = (
            fields_total.get(row["criteria_set_id"], Decimal(0)) + row["max_points"]
        )
        field_codes.setdefault(row["criteria_set_id"], set()).add(row["code"])
    scored_total = dict(
        items.scored()
        .order_by()
        .values("criteria_set_id")
        .annotate(total=Sum("max_points"))
        .values_list("criteria_set_id", "total")
    )
    groups = tuple(
        calc.GroupInput(
            id=g.pk,
            name=g.name,
            criteria_set_id=sets.get(g.pk),
            fields_total=fields_total.get(sets.get(g.pk), Decimal(0)),
            scored_total=scored_total.get(sets.get(g.pk)) or Decimal(0),
            field_codes=frozenset(field_codes.get(sets.get(g.pk), ())),
        )
        for g in UnitGroup.objects.filter(pk__in=group_ids).order_by("order", "name")
    )
    held = unit_people_held(body=period.body)
    return calc.ChecklistInputs(
        groups=groups,
        units=tuple(
            calc.UnitInput(
                id=u.pk,
                name=u.name,
                group_id=u.group_id,
                has_officer=held.get(u.pk, (False, False))[0],
                has_head=held.get(u.pk, (False, False))[1],
            )
            for u in units
        ),
        coverage=appraiser_coverage(period),
        deadlines=deadlines_of(period),
        band_count=period.bands.count(),
    )


def deadlines_of(period: Period) -> calc.Deadlines:
    return calc.Deadlines(
        starts_on=period.starts_on,
        self_assessment=period.self_assessment_deadline,
        explanation=period.explanation_deadline,
        round2=period.round2_deadline,
        council=period.council_deadline,
    )
