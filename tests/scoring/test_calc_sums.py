"""Totals from points the database summed per field and method equal the totals from the items themselves."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given

from scoring import calc
from scoring.calc import METHOD_APPRAISAL, METHOD_SURVEY, FieldMethodSum, unit_totals_from_sums

from .test_calc import item_lists


def _summed(items):
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for i in items:
        maxima[i.field_code] += Decimal(0)
        if i.applicable:
            maxima[i.field_code] += i.max_points
            sums[(i.field_code, i.method)] += i.points or Decimal(0)
    return [FieldMethodSum(field_code=f, method=m, points=p) for (f, m), p in sums.items()], dict(maxima)


@given(item_lists())
def test_sums_give_the_same_totals_as_items(items):
    sums, maxima = _summed(items)

    from_items = calc.unit_totals_from_items(calc.UnitItems(unit_id=1, group="g", items=tuple(items)))
    from_sums = unit_totals_from_sums(unit_id=1, group="g", sums=sums, field_maxima=maxima)

    assert from_sums == from_items


def test_points_above_the_fields_maximum_or_of_an_unknown_field_are_refused():
    with pytest.raises(ValueError):
        unit_totals_from_sums(
            unit_id=1,
            group="g",
            sums=[FieldMethodSum("1", METHOD_APPRAISAL, Decimal(5))],
            field_maxima={"1": 4},
        )
    with pytest.raises(ValueError):
        unit_totals_from_sums(
            unit_id=1, group="g", sums=[FieldMethodSum("2", METHOD_SURVEY, Decimal(1))], field_maxima={"1": 4}
        )
    with pytest.raises(ValueError):
        unit_totals_from_sums(
            unit_id=1, group="g", sums=[FieldMethodSum("1", "guess", Decimal(1))], field_maxima={"1": 4}
        )
