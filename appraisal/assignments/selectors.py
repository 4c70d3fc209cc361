"""Reads of the assignments pages and API: a period's assignments, the appraisers' workload, uncovered dossiers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from scoring.models import Assessment, CriteriaItem, Level, Method, Period, Unit, User, unit_order
from scoring.workflow import Status

from ..access import appraisers_of_body
from ..models import AppraiserAssignment
from . import calc


@dataclass(frozen=True, slots=True)
class AppraiserRow:
    """One appraiser of the body with their assignments and workload."""

    appraiser: User
    assignments: list[AppraiserAssignment]
    workload: calc.Workload


@dataclass(frozen=True, slots=True)
class AssignmentPage:
    period: Period
    rows: list[AppraiserRow]
    # Assignments naming someone who no longer holds the appraiser role: shown so they can be removed.
    stray: list[AppraiserAssignment]
    unassigned: list[Assessment]


def assignment_list(*, period: Period) -> QuerySet[AppraiserAssignment]:
    """Return the period's assignments with the people and units the pages show."""
    return (
        AppraiserAssignment.objects.filter(period=period)
        .select_related("appraiser", "unit")
        .order_by("appraiser__username", *unit_order("unit__"), "field_code")
    )


def appraiser_choices(*, period: Period) -> QuerySet[User]:
    """Return the people an assignment of the period may name (the body's active appraisers)."""
    return appraisers_of_body(period.body_id).order_by("full_name", "username")


def unit_choices(*, period: Period) -> QuerySet[Unit]:
    return Unit.objects.filter(body_id=period.body_id).select_related("group").in_official_order()


def field_choices(*, period: Period) -> list[tuple[str, str]]:
    """Return the (code, name) of the fields of the period's criteria sets, once per code."""
    rows = CriteriaItem.objects.filter(criteria_set__period=period, level=Level.FIELD).order_by("order", "pk")
    seen: dict[str, str] = {}
    for code, name in rows.values_list("code", "name"):
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda pair: [int(p) if p.isdecimal() else 0 for p in pair[0].split(".")])


def _dossiers(period: Period) -> tuple[list[calc.Dossier], dict[int, Assessment]]:
    rows = list(
        period.assessments.exclude(status=Status.SELF_ASSESSMENT)
        .select_related("unit", "unit__group")
        .order_by(*unit_order("unit__"))
    )
    dossiers = [calc.Dossier(a.pk, a.unit_id, a.criteria_set_id) for a in rows]
    return dossiers, {a.pk: a for a in rows}


def _grants(assignments: list[AppraiserAssignment]) -> list[calc.Grant]:
    return [calc.Grant(a.appraiser_id, a.unit_id, a.field_code) for a in assignments]


def _items_per_field(period: Period) -> dict[tuple[int, str], int]:
    """Return the number of appraisal items (leaves) per (criteria set, field) of the period."""
    rows = list(
        CriteriaItem.objects.filter(criteria_set__period=period).values_list(
            "pk", "parent_id", "criteria_set_id", "code", "level", "method"
        )
    )
    parents = {parent for _pk, parent, *_rest in rows if parent}
    counts: Counter[tuple[int, str]] = Counter()
    for pk, _parent, set_id, code, level, method in rows:
        if pk not in parents and level != Level.FIELD and method == Method.APPRAISAL:
            counts[(set_id, code.split(".")[0])] += 1
    return dict(counts)


def unassigned_assessment_ids(*, period: Period) -> list[int]:
    """Return the ids of the period's submitted dossiers nobody is assigned to."""
    dossiers, _rows = _dossiers(period)
    # Only assignments of people who still hold the appraiser role count: nobody else sees the dossier.
    current = AppraiserAssignment.objects.filter(
        period=period, appraiser__in=appraisers_of_body(period.body_id)
    )
    return calc.unassigned(grants=_grants(list(current)), dossiers=dossiers)


def assignment_page(*, period: Period) -> AssignmentPage:
    """Return the period's appraisers with their assignments and workload, and the dossiers nobody covers."""
    assignments = list(assignment_list(period=period))
    appraisers = list(appraiser_choices(period=period))
    dossiers, by_id = _dossiers(period)
    grants = _grants(assignments)
    loads = calc.workloads(
        appraiser_ids=[u.pk for u in appraisers],
        grants=grants,
        dossiers=dossiers,
        items_per_field=_items_per_field(period),
    )
    appraiser_ids = {u.pk for u in appraisers}
    rows = [
        AppraiserRow(
            appraiser=user,
            assignments=[a for a in assignments if a.appraiser_id == user.pk],
            workload=loads[user.pk],
        )
        for user in appraisers
    ]
    return AssignmentPage(
        period=period,
        rows=rows,
        stray=[a for a in assignments if a.appraiser_id not in appraiser_ids],
        unassigned=[
            by_id[pk]
            for pk in calc.unassigned(
                grants=[g for g in grants if g.appraiser_id in appraiser_ids], dossiers=dossiers
            )
        ],
    )
