"""The province's targets per field: progress through the year and the verdict at the end; pure, no Django.

A target is an index with a comparison ("từ 83 % trở lên" at_least, "trên 84,83 %" above, "90 %" equal)
and a rank range (28–30). Through the year, progress is the index the field would reach with the
recovery actions already done (plan_calc.project over last year's points); at the end, the achieved
index and rank decide "Đạt" or "Không đạt".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from reports.plans.calc import FieldStanding, Recovery, project

AT_LEAST, ABOVE, EQUAL = "at_least", "above", "equal"
COMPARISONS = (AT_LEAST, ABOVE, EQUAL)
# "Đạt 90 %" is met by 89,996 %: the published index has two decimals.
EQUAL_TOLERANCE = Decimal("0.005")
TOTAL = "total"
DONE, DROPPED = "done", "dropped"
ZERO = Decimal(0)


def index_met(comparison: str, target: Decimal, achieved: Decimal) -> bool:
    """Return whether the achieved index meets the target index under the comparison."""
    if comparison == AT_LEAST:
        return achieved >= target
    if comparison == ABOVE:
        return achieved > target
    if comparison == EQUAL:
        return achieved >= target - EQUAL_TOLERANCE
    raise ValueError(f"unknown comparison {comparison!r}")


def rank_met(best: int | None, worst: int | None, achieved: int) -> bool | None:
    """Return whether the achieved rank is within the range or better; None when there is no range.

    Rank 1 is the best, so a range is best ≤ rank ≤ worst; a rank better than the range's best
    exceeds the target and counts as met.
    """
    if best is None and worst is None:
        return None
    limit = worst if worst is not None else best
    return achieved <= limit  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class Target:
    field_code: str
    comparison: str
    target_index: Decimal
    rank_best: int | None = None
    rank_worst: int | None = None


@dataclass(frozen=True, slots=True)
class Achieved:
    """A field's published index and rank in the target year (either may be missing)."""

    index: Decimal | None
    rank: int | None


@dataclass(frozen=True, slots=True)
class Action:
    """One recovery action of the province's plan for the target year."""

    field_code: str
    points: Decimal  # counted points: recoverable and not dropped
    status: str


@dataclass(frozen=True, slots=True)
class Verdict:
    index_met: bool | None
    rank_met: bool | None

    @property
    def met(self) -> bool | None:
        """Return True when every part that can be judged is met, None when nothing can be judged."""
        parts = [p for p in (self.index_met, self.rank_met) if p is not None]
        if self.index_met is None:
            return None
        return all(parts)


def verdict(target: Target, achieved: Achieved | None) -> Verdict:
    """Return the target's verdict once the year's result is known (None parts when a figure is missing)."""
    if achieved is None:
        return Verdict(index_met=None, rank_met=None)
    by_index = (
        index_met(target.comparison, target.target_index, achieved.index)
        if achieved.index is not None
        else None
    )
    by_rank = (
        rank_met(target.rank_best, target.rank_worst, achieved.rank) if achieved.rank is not None else None
    )
    return Verdict(index_met=by_index, rank_met=by_rank)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a field stands through the target year."""

    last_index: Decimal | None  # last year's index
    projected_index: Decimal | None  # last year's points plus the points of the actions done
    actions_done: int
    actions_total: int  # dropped actions are not counted

    @property
    def share_done(self) -> Decimal | None:
        """Return the percentage of actions done, None when the field has none."""
        if not self.actions_total:
            return None
        return Decimal(self.actions_done) * 100 / Decimal(self.actions_total)


def _counted(actions: Iterable[Action]) -> list[Action]:
    return [a for a in actions if a.status != DROPPED]


def progress(
    *,
    fields: Sequence[FieldStanding],
    actions: Sequence[Action],
    last_total_index: Decimal | None = None,
) -> dict[str, Progress]:
    """Return each field's progress, and the whole index's under "total".

    fields: last year's points of maximum per field (fields without both are simply absent). The total
    projects last year's index (points of 100) plus the points the done actions recover in all fields,
    each field capped at what it lost.
    """
    known = {f.code for f in fields}
    counted = _counted(actions)
    done = [a for a in counted if a.status == DONE]
    projection = project(fields, [Recovery(a.field_code, a.points) for a in done if a.field_code in known])
    result: dict[str, Progress] = {}
    for field in projection.fields:
        field_actions = [a for a in counted if a.field_code == field.code]
        result[field.code] = Progress(
            last_index=field.index,
            projected_index=field.projected_index,
            actions_done=sum(1 for a in field_actions if a.status == DONE),
            actions_total=len(field_actions),
        )
    for code in sorted({a.field_code for a in counted} - known):
        field_actions = [a for a in counted if a.field_code == code]
        result[code] = Progress(
            last_index=None,
            projected_index=None,
            actions_done=sum(1 for a in field_actions if a.status == DONE),
            actions_total=len(field_actions),
        )
    # Points of a field whose maximum is unknown cannot be capped: counted as planned.
    uncapped = sum((a.points for a in done if a.field_code not in known), ZERO)
    result[TOTAL] = Progress(
        last_index=last_total_index,
        projected_index=(
            min(last_total_index + projection.recovered + uncapped, Decimal(100))
            if last_total_index is not None
            else None
        ),
        actions_done=len(done),
        actions_total=len(counted),
    )
    return result
