"""Reads of a period's SIPAS: one line per evaluated unit with its result and the points it converts to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.models import CriteriaSet, Period, Unit

from ..models import SipasConversion, SipasResult
from .services import sipas_points


@dataclass(frozen=True, slots=True)
class SipasLine:
    unit: Unit
    result: SipasResult | None
    points: tuple[tuple[str, Decimal], ...]  # (item code, points) of each conversion of the unit's group


def sipas_units(*, period: Period) -> list[Unit]:
    """Return the units the period evaluates (those of a group with a criteria set), or all the body's units."""
    groups = CriteriaSet.objects.filter(period=period).values("unit_group_id")
    units = Unit.objects.filter(body_id=period.body_id).select_related("group")
    evaluated = list(units.filter(group_id__in=groups))
    return evaluated or list(units)


def sipas_lines(*, period: Period) -> list[SipasLine]:
    """Return one line per evaluated unit: its SIPAS result (None if missing) and the points it gives. Four queries."""
    results = {r.unit_id: r for r in SipasResult.objects.filter(period=period)}
    conversions = list(
        SipasConversion.objects.filter(period=period)
        .select_related("item__criteria_set")
        .order_by("item__order", "pk")
    )
    lines = []
    for unit in sipas_units(period=period):
        result = results.get(unit.pk)
        points = tuple(
            (c.item.code, sipas_points(pct=result.overall_pct, max_points=c.item.max_points, method=c.method))
            for c in conversions
            if result is not None and c.item.criteria_set.unit_group_id == unit.group_id
        )
        lines.append(SipasLine(unit=unit, result=result, points=points))
    return lines


def sipas_conversion_list(*, period: Period) -> list[SipasConversion]:
    """Return the period's SIPAS conversions with their item and the item's criteria set."""
    return list(
        SipasConversion.objects.filter(period=period)
        .select_related("item__criteria_set__unit_group")
        .order_by("item__criteria_set__unit_group__order", "item__order")
    )
