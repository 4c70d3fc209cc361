"""Reads for the unit pages: groups with their units, one unit's history, the lineage graph of a body."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.access import bodies_managing_units, with_unit_people_counts
from scoring.models import EvaluatingBody, Unit, UnitGroup, UnitKind, UnitLineage, UnitName, User, unit_order


def managed_body_get(*, user: User, code: str | None = None, chosen_id: int | None = None) -> EvaluatingBody:
    """Return the body whose units the user keeps (named by code, else chosen in the header, else the first); 404 if none."""
    bodies = bodies_managing_units(user)
    body = (bodies.filter(code=code) if code else bodies.order_by("name")).first()
    if not code and chosen_id is not None:
        body = bodies.filter(pk=chosen_id).first() or body
    if body is None:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    return body


def managed_unit_get(*, user: User, pk: int) -> Unit:
    """Return the unit if the user keeps its body's units; 404 otherwise, so its existence is not revealed."""
    unit = (
        Unit.objects.filter(pk=pk, body__in=bodies_managing_units(user))
        .select_related("body", "group", "kind")
        .first()
    )
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def managed_group_get(*, user: User, pk: int) -> UnitGroup:
    group = (
        UnitGroup.objects.filter(pk=pk, body__in=bodies_managing_units(user)).select_related("body").first()
    )
    if group is None:
        raise Http404(_("Không tìm thấy nhóm đơn vị."))
    return group


def unit_groups_with_units(*, body: EvaluatingBody) -> list[UnitGroup]:
    """Return the body's groups in order, each with `.unit_rows` (kind, people counts): three queries in all."""
    units = with_unit_people_counts(Unit.objects.filter(body=body).select_related("kind")).order_by(
        *unit_order()
    )
    groups = list(
        UnitGroup.objects.filter(body=body)
        .order_by("order", "name")
        .prefetch_related(Prefetch("units", queryset=units, to_attr="unit_rows"))
    )
    today = timezone.localdate()
    for group in groups:
        for unit in group.unit_rows:
            unit.is_active = is_active(unit, today)
    return groups


def unit_kinds(*, body: EvaluatingBody) -> QuerySet[UnitKind]:
    return UnitKind.objects.filter(body=body).order_by("name")


def unit_kinds_with_counts(*, body: EvaluatingBody) -> QuerySet[UnitKind]:
    """Return the body's unit kinds by name, each with `unit_count` (units of the kind, closed ones too)."""
    return unit_kinds(body=body).annotate(unit_count=Count("units"))


def managed_kind_get(*, user: User, pk: int) -> UnitKind:
    """Return the unit kind if the user keeps its body's units; 404 otherwise."""
    kind = UnitKind.objects.filter(pk=pk, body__in=bodies_managing_units(user)).select_related("body").first()
    if kind is None:
        raise Http404(_("Không tìm thấy loại đơn vị."))
    return kind


def is_active(unit: Unit, on=None) -> bool:
    on = on or timezone.localdate()
    return (unit.active_from is None or unit.active_from <= on) and (
        unit.active_to is None or unit.active_to >= on
    )


@dataclass(frozen=True, slots=True)
class NamePeriod:
    name: str
    from_year: int | None  # None: since the unit was first recorded
    until_year: int | None  # None: still in use


def name_history(unit: Unit) -> list[NamePeriod]:
    """Return the unit's names, oldest first, each with the years it was used."""
    rows = list(UnitName.objects.filter(unit=unit).order_by("until_year"))
    periods, start = [], None
    for row in rows:
        periods.append(NamePeriod(row.name, start, row.until_year))
        start = row.until_year + 1
    periods.append(NamePeriod(unit.name, start, None))
    return periods


def unit_name_in(unit: Unit, year: int) -> str:
    """Return the name the unit carried in the year (the name printed by a report of that year)."""
    former = UnitName.objects.filter(unit=unit, until_year__gte=year).order_by("until_year").first()
    return former.name if former else unit.name


def unit_names_in(units: Iterable[Unit], year: int) -> dict[int, str]:
    """Return {unit id: its name in the year} for many units in one query."""
    units = list(units)
    names = {u.pk: u.name for u in units}
    found: set[int] = set()
    rows = UnitName.objects.filter(unit__in=units, until_year__gte=year).order_by("unit_id", "until_year")
    for row in rows:
        if row.unit_id not in found:
            names[row.unit_id] = row.name
            found.add(row.unit_id)
    return names


def unit_name_then(*, unit_ref: str = "unit_id", year_ref: str = "period__year") -> Coalesce:
    """Return an expression for the name a row's unit carried in the row's year (no extra query: a subquery)."""
    former = (
        UnitName.objects.filter(unit_id=OuterRef(unit_ref), until_year__gte=OuterRef(year_ref))
        .order_by("until_year")
        .values("name")[:1]
    )
    return Coalesce(Subquery(former), F(unit_ref.removesuffix("_id") + "__name"))


@dataclass(slots=True)
class UnitLineageView:
    lineages: list[UnitLineage] = field(default_factory=list)
    predecessors: list[Unit] = field(default_factory=list)
    successors: list[Unit] = field(default_factory=list)


def unit_lineage(unit: Unit) -> UnitLineageView:
    events = (
        UnitLineage.objects.filter(body_id=unit.body_id)
        .filter(Q(sources=unit) | Q(targets=unit))
        .distinct()
        .prefetch_related("sources", "targets")
        .select_related("created_by")
    )
    return UnitLineageView(
        lineages=list(events),
        predecessors=list(unit.predecessors.order_by(*unit_order())),
        successors=list(unit.successors.order_by(*unit_order())),
    )


def _links(body: EvaluatingBody) -> list[tuple[int, int]]:
    """Return the body's lineage links as (unit id, predecessor id), one query."""
    through = Unit.predecessors.through
    return list(through.objects.filter(from_unit__body=body).values_list("from_unit_id", "to_unit_id"))


def ancestor_ids(body: EvaluatingBody, unit_ids: Iterable[int]) -> set[int]:
    """Return the ids of every unit the given units descend from (their predecessors, and theirs…)."""
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in _links(body):
        parents[child].add(parent)
    seen: set[int] = set()
    stack = list(unit_ids)
    while stack:
        for parent in parents[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def predecessor_names(units: Iterable[Unit]) -> dict[int, list[str]]:
    """Return {unit id: its predecessors' names, sorted} for the audit's old → new."""
    through = Unit.predecessors.through
    names: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(from_unit__in=list(units)).values_list("from_unit_id", "to_unit__name")
    for unit_id, name in rows.order_by("to_unit__name"):
        names[unit_id].append(name)
    return dict(names)
