"""The checks before changing what a published result was computed from, for the services and the admin.

Each raises scoring.results.state.ResultsFrozen (with a Vietnamese .message) when a published result of some
period was computed from the object; every one goes through results.state.results_frozen_check.
"""

from __future__ import annotations

from scoring.models import Assessment, CriteriaItem, CriteriaSet, NotApplicableItem, Period, Unit
from scoring.results.state import results_frozen_check
from scoring.workflow import Status


def not_applicable_check(*, item: CriteriaItem, unit: Unit | None) -> None:
    """An exemption: per unit, that unit's result; period-wide, every unit scored on the item's set."""
    if unit is not None:
        results_frozen_check(period_id=item.criteria_set.period_id, unit_id=unit.pk)
    else:
        results_frozen_check(period_id=item.criteria_set.period_id, criteria_set_id=item.criteria_set_id)


def not_applicable_row_check(row: NotApplicableItem) -> None:
    not_applicable_check(item=row.item, unit=row.unit)


def criteria_set_check(criteria_set: CriteriaSet) -> None:
    """Items, maxima, methods of a set: every unit scored on it."""
    if criteria_set.pk:
        results_frozen_check(period_id=criteria_set.period_id, criteria_set_id=criteria_set.pk)


def criteria_item_check(item: CriteriaItem) -> None:
    criteria_set_check(item.criteria_set)


def bands_check(period: Period) -> None:
    """The classification bands: every published class of the period."""
    results_frozen_check(period_id=period.pk)


def unit_check(unit: Unit) -> None:
    """The unit's group and scale: its rank and the ranking of its group, in every period it is published."""
    if not unit.pk:
        return
    published = Assessment.objects.filter(unit_id=unit.pk, status=Status.PUBLISHED)
    for period_id in published.values_list("period_id", flat=True).distinct():
        results_frozen_check(period_id=period_id, unit_id=unit.pk)
