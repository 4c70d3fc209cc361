"""Workload of the appraisers and the dossiers nobody covers: pure functions over plain values (no ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dossier:
    """A submitted dossier of the period: its id, unit and criteria set."""

    assessment_id: int
    unit_id: int
    criteria_set_id: int


@dataclass(frozen=True, slots=True)
class Grant:
    """One assignment: an appraiser to a whole unit (field_code "") or to a field across all units (unit_id None)."""

    appraiser_id: int
    unit_id: int | None
    field_code: str


@dataclass(frozen=True, slots=True)
class Workload:
    """What one appraiser has to appraise: the dossiers touched and their appraisal items in scope."""

    appraiser_id: int
    assignments: int
    dossiers: int
    items: int


def workloads(
    *,
    appraiser_ids: Iterable[int],
    grants: Iterable[Grant],
    dossiers: Iterable[Dossier],
    items_per_field: Mapping[tuple[int, str], int],
) -> dict[int, Workload]:
    """Return each appraiser's workload; `items_per_field` counts appraisal items by (criteria set, field).

    A unit assignment covers every item of the unit's dossier; a field assignment covers that field's items in
    every dossier. Both for one dossier count its items once (the unit already covers the field).
    """
    dossiers = list(dossiers)
    by_appraiser: dict[int, list[Grant]] = {pk: [] for pk in appraiser_ids}
    for grant in grants:
        by_appraiser.setdefault(grant.appraiser_id, []).append(grant)
    totals: dict[tuple[int, int], int] = {}
    for (set_id, _field), count in items_per_field.items():
        totals[(set_id, 0)] = totals.get((set_id, 0), 0) + count
    result = {}
    for appraiser_id, own in by_appraiser.items():
        units = {g.unit_id for g in own if g.unit_id is not None}
        fields = {g.field_code for g in own if g.unit_id is None}
        touched = items = 0
        for dossier in dossiers:
            if dossier.unit_id in units:
                touched += 1
                items += totals.get((dossier.criteria_set_id, 0), 0)
            elif fields:
                touched += 1
                items += sum(items_per_field.get((dossier.criteria_set_id, code), 0) for code in fields)
        result[appraiser_id] = Workload(
            appraiser_id=appraiser_id, assignments=len(own), dossiers=touched, items=items
        )
    return result


def unassigned(*, grants: Iterable[Grant], dossiers: Iterable[Dossier]) -> list[int]:
    """Return the ids of the dossiers nobody is assigned to: no appraiser of their unit and no field assigned."""
    grants = list(grants)
    if any(g.unit_id is None for g in grants):
        # A field assignment reaches every unit: somebody appraises part of each dossier.
        return []
    covered = {g.unit_id for g in grants}
    return [d.assessment_id for d in dossiers if d.unit_id not in covered]
