"""Projected indices if the points judged recoverable are recovered; pure, no Django.

The method of the province's own analysis (seeds/000 §4.1): a field's target index is its points plus the
points it can recover, over the field's maximum (2020 field 1: 7,72 + 0,08 of 8,5 → 91,76 %). A field never
projects above its maximum; the total is the sum over fields.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring import calc

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class FieldStanding:
    """A field's points of its maximum in the year the points were lost."""

    code: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class Recovery:
    """Points of one field judged recoverable (only those counted: recoverable and not dropped)."""

    field_code: str
    points: Decimal


def _index(points: Decimal, maximum: Decimal) -> Decimal | None:
    return points * HUNDRED / maximum if maximum > 0 else None


@dataclass(frozen=True, slots=True)
class FieldProjection:
    code: str
    points: Decimal
    max_points: Decimal
    recovered: Decimal  # counted toward the projection, capped at what the field lost
    planned: Decimal  # as listed in the plan, before the cap

    @property
    def projected_points(self) -> Decimal:
        return self.points + self.recovered

    @property
    def index(self) -> Decimal | None:
        return _index(self.points, self.max_points)

    @property
    def projected_index(self) -> Decimal | None:
        return _index(self.projected_points, self.max_points)

    @property
    def index_change(self) -> Decimal | None:
        return calc.printed_change(self.index, self.projected_index)


@dataclass(frozen=True, slots=True)
class Projection:
    fields: tuple[FieldProjection, ...]

    @property
    def points(self) -> Decimal:
        return sum((f.points for f in self.fields), ZERO)

    @property
    def max_points(self) -> Decimal:
        return sum((f.max_points for f in self.fields), ZERO)

    @property
    def recovered(self) -> Decimal:
        return sum((f.recovered for f in self.fields), ZERO)

    @property
    def projected_points(self) -> Decimal:
        return self.points + self.recovered

    @property
    def index(self) -> Decimal | None:
        return _index(self.points, self.max_points)

    @property
    def projected_index(self) -> Decimal | None:
        return _index(self.projected_points, self.max_points)


def project(fields: Sequence[FieldStanding], recoveries: Iterable[Recovery]) -> Projection:
    """Return each field's projection; recoveries of a field not listed raise ValueError."""
    planned: dict[str, Decimal] = defaultdict(lambda: ZERO)
    codes = {f.code for f in fields}
    for recovery in recoveries:
        if recovery.field_code not in codes:
            raise ValueError(f"recovery for unknown field {recovery.field_code!r}")
        if recovery.points < 0:
            raise ValueError("recoverable points cannot be negative")
        planned[recovery.field_code] += recovery.points
    result = []
    for f in fields:
        if f.points < 0 or f.points > f.max_points:
            raise ValueError(f"field {f.code}: points {f.points} outside 0..{f.max_points}")
        lost = f.max_points - f.points
        result.append(
            FieldProjection(
                code=f.code,
                points=f.points,
                max_points=f.max_points,
                recovered=min(planned[f.code], lost),
                planned=planned[f.code],
            )
        )
    return Projection(fields=tuple(result))
