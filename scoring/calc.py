"""Pure PAR INDEX scoring: totals, index, classification, rank, year-on-year change.

Nothing here touches the database or Django. Selectors build the input dataclasses,
services persist what these functions return.

Every value is an unrounded ``Decimal``. The one exception is the comparison with
published figures (classification, rank), which the province makes on the index as
printed, i.e. rounded half up to 2 places; see ``classify`` and ``rank_units``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

METHOD_APPRAISAL = "appraisal"
METHOD_SURVEY = "survey"
METHODS = (METHOD_APPRAISAL, METHOD_SURVEY)

TWO_PLACES = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def quantize_score(value: Decimal, places: int = 2) -> Decimal:
    """Return value rounded half up to `places` decimals (2 unless told), for display."""
    # Half up, not Python's default half even: the reports print 85.665 as 85,67.
    exponent = TWO_PLACES if places == 2 else Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def printed_change(before: Decimal | None, after: Decimal | None, places: int = 2) -> Decimal | None:
    """Return after - before on the figures as printed; None when either is missing.

    Subtracting unrounded values shows "▼ 0,04" between two figures printed alike, or 76,29 → 76,30
    with a change of 0,00: a reader compares what is printed, so the change is taken on that.
    """
    if before is None or after is None:
        return None
    return quantize_score(after, places) - quantize_score(before, places)


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One scored leaf item (sub-criterion, or criterion without sub-criteria)."""

    code: str
    field_code: str
    criterion_code: str
    method: str
    max_points: Decimal
    points: Decimal | None
    # Not applicable (for the whole period or for this unit): out of points AND max.
    applicable: bool = True


@dataclass(frozen=True, slots=True)
class UnitItems:
    unit_id: int
    group: str
    items: tuple[ItemScore, ...]


@dataclass(frozen=True, slots=True)
class FieldTotal:
    """Points and maximum of one field (or, from criterion_points, one criterion)."""

    code: str
    points: Decimal
    max_points: Decimal

    @property
    def component_index(self) -> Decimal | None:
        """Return points / max * 100, unrounded; None when nothing applies."""
        if self.max_points == 0:
            return None
        return self.points * HUNDRED / self.max_points


@dataclass(frozen=True, slots=True)
class UnitTotals:
    """What a unit scored, from its items or from published results."""

    unit_id: int
    group: str
    appraisal_points: Decimal
    survey_points: Decimal
    max_points: Decimal
    fields: tuple[FieldTotal, ...] = ()
    # The index printed in the publication decision, when known. Published results are final and were
    # computed from unrounded points, so it wins over a recomputation from the rounded points.
    published_index: Decimal | None = None

    @property
    def total_points(self) -> Decimal:
        """Return appraisal plus survey points."""
        return self.appraisal_points + self.survey_points

    @property
    def index(self) -> Decimal:
        """Return the published index if known, else total / max scale * 100 unrounded (0 when the scale is 0)."""
        if self.published_index is not None:
            return self.published_index
        return self.computed_index

    @property
    def computed_index(self) -> Decimal:
        """Return total / max scale * 100 from the points, unrounded; 0 when the scale is 0."""
        if self.max_points == 0:
            return ZERO
        # Multiply first so the only rounding is the division's, at 28 digits.
        return self.total_points * HUNDRED / self.max_points


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    # "10" must sort after "9", and "4.2.10" after "4.2.9", as in the criteria set.
    return tuple((0, int(part), "") if part.isdecimal() else (1, 0, part) for part in code.split("."))


def _check_items(items: Sequence[ItemScore]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            # Counting an item twice would silently inflate both points and scale.
            raise ValueError(f"item {item.code} appears twice")
        seen.add(item.code)
        if item.method not in METHODS:
            raise ValueError(f"item {item.code}: unknown method {item.method!r}")
        if item.max_points < 0:
            raise ValueError(f"item {item.code}: negative maximum {item.max_points}")
        if item.applicable and item.points is not None and not ZERO <= item.points <= item.max_points:
            raise ValueError(f"item {item.code}: points {item.points} outside 0..{item.max_points}")


def _totals_by(items: Sequence[ItemScore], key: str) -> dict[str, FieldTotal]:
    points: dict[str, Decimal] = defaultdict(Decimal)
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        code = getattr(item, key)
        # A group whose items are all not applicable is kept with max 0, so the
        # report can show it as "not applicable" rather than forget it.
        points[code] += ZERO
        maxima[code] += ZERO
        if item.applicable:
            points[code] += item.points or ZERO
            maxima[code] += item.max_points
    return {
        code: FieldTotal(code=code, points=points[code], max_points=maxima[code])
        for code in sorted(points, key=_code_key)
    }


def unit_totals_from_items(unit: UnitItems) -> UnitTotals:
    """Return the unit's totals per method and per field over its applicable items."""
    _check_items(unit.items)
    by_method = dict.fromkeys(METHODS, ZERO)
    max_points = ZERO
    for item in unit.items:
        if item.applicable:
            by_method[item.method] += item.points or ZERO
            max_points += item.max_points
    return UnitTotals(
        unit_id=unit.unit_id,
        group=unit.group,
        appraisal_points=by_method[METHOD_APPRAISAL],
        survey_points=by_method[METHOD_SURVEY],
        max_points=max_points,
        fields=tuple(_totals_by(unit.items, "field_code").values()),
    )


@dataclass(frozen=True, slots=True)
class FieldMethodSum:
    """Points of one field and method, already summed over the unit's applicable items (by the database)."""

    field_code: str
    method: str
    points: Decimal


def unit_totals_from_sums(
    *, unit_id: int, group: str, sums: Iterable[FieldMethodSum], field_maxima: Mapping[str, Decimal]
) -> UnitTotals:
    """Return the same totals as unit_totals_from_items, from points summed per field and method.

    field_maxima holds every field's maximum over the items that apply to the unit (0 when none applies).
    """
    points: dict[str, Decimal] = dict.fromkeys(field_maxima, ZERO)
    by_method = dict.fromkeys(METHODS, ZERO)
    for s in sums:
        if s.method not in METHODS:
            raise ValueError(f"field {s.field_code}: unknown method {s.method!r}")
        if s.field_code not in points:
            raise ValueError(f"points for field {s.field_code}, which has no maximum")
        points[s.field_code] += s.points
        by_method[s.method] += s.points
    for code, value in points.items():
        if not ZERO <= value <= field_maxima[code]:
            raise ValueError(f"field {code}: points {value} outside 0..{field_maxima[code]}")
    return UnitTotals(
        unit_id=unit_id,
        group=group,
        appraisal_points=by_method[METHOD_APPRAISAL],
        survey_points=by_method[METHOD_SURVEY],
        max_points=sum(field_maxima.values(), ZERO),
        fields=tuple(
            FieldTotal(code=code, points=points[code], max_points=field_maxima[code])
            for code in sorted(points, key=_code_key)
        ),
    )


def criterion_points(unit: UnitItems) -> dict[str, FieldTotal]:
    """Return points and maximum per criterion code over the applicable items."""
    _check_items(unit.items)
    return _totals_by(unit.items, "criterion_code")


def component_indices(totals: UnitTotals) -> dict[str, Decimal | None]:
    """Return the component index of each field, keyed by field code."""
    return {field.code: field.component_index for field in totals.fields}


@dataclass(frozen=True, slots=True)
class Band:
    """A classification band: the index (as published) must be at least min_index."""

    code: str
    label: str
    min_index: Decimal


LAI_CHAU_BANDS: tuple[Band, ...] = (
    Band("tot", "Tốt", Decimal(80)),
    Band("kha", "Khá", Decimal(70)),
    Band("trung_binh", "Trung bình", Decimal(50)),
    Band("yeu", "Yếu", Decimal(0)),
)


def _ordered_bands(bands: Sequence[Band]) -> list[Band]:
    if not bands:
        raise ValueError("no classification bands")
    if len({b.min_index for b in bands}) != len(bands):
        # Two bands with one threshold would make the class depend on list order.
        raise ValueError("two bands share a minimum index")
    if len({b.code for b in bands}) != len(bands):
        raise ValueError("two bands share a code")
    return sorted(bands, key=lambda b: b.min_index, reverse=True)


def classify(index: Decimal, bands: Sequence[Band]) -> Band:
    """Return the highest band whose minimum the index, rounded as published, reaches."""
    # The council classes a unit on the index it publishes (2 places, half up):
    # 79.996 is printed 80,00 and must read Tốt, or the table would contradict itself.
    published = quantize_score(index)
    for band in _ordered_bands(bands):
        if band.min_index <= published:
            return band
    raise ValueError(f"no band for index {index}")


@dataclass(frozen=True, slots=True)
class RankedUnit:
    unit_id: int
    group: str
    totals: UnitTotals
    index: Decimal  # unrounded, as totals.index
    band: Band
    rank: int


def rank_units(units: Iterable[UnitTotals], bands: Sequence[Band]) -> list[RankedUnit]:
    """Return the units ranked within their group, sorted by (group, rank, unit_id)."""
    ordered_bands = _ordered_bands(bands)
    by_group: dict[str, list[UnitTotals]] = defaultdict(list)
    seen: set[int] = set()
    for totals in units:
        if totals.unit_id in seen:
            # Two rows for one unit would make the result depend on input order.
            raise ValueError(f"unit {totals.unit_id} appears twice")
        seen.add(totals.unit_id)
        by_group[totals.group].append(totals)

    ranked: list[RankedUnit] = []
    for group, members in by_group.items():
        # Rank on the published (rounded) index: two units both printed 85,66 share
        # a rank, as in the 2020 table, and the next rank is skipped (1, 2, 2, 4).
        counts = Counter(quantize_score(t.index) for t in members)
        rank_of: dict[Decimal, int] = {}
        above = 0
        for value in sorted(counts, reverse=True):
            rank_of[value] = above + 1
            above += counts[value]
        ranked.extend(
            RankedUnit(
                unit_id=t.unit_id,
                group=group,
                totals=t,
                index=t.index,
                band=classify(t.index, ordered_bands),
                rank=rank_of[quantize_score(t.index)],
            )
            for t in members
        )
    ranked.sort(key=lambda r: (r.group, r.rank, r.unit_id))
    return ranked


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    unit_count: int
    average_index: Decimal  # unrounded mean of the unit indices; 0 when empty
    # (band code, count) for every band, highest band first, zeros included, so
    # report tables always have the same columns.
    class_counts: tuple[tuple[str, int], ...]
    best_unit_id: int | None
    worst_unit_id: int | None


def _summarize(group: str, members: Sequence[RankedUnit], codes: Sequence[str]) -> GroupSummary:
    counts = Counter(r.band.code for r in members)
    unknown = set(counts) - set(codes)
    if unknown:
        raise ValueError(f"units classed in bands not given: {sorted(unknown)}")
    average = sum((r.index for r in members), ZERO) / len(members) if members else ZERO
    # Ties for best or worst go to the lowest unit id, only to stay deterministic.
    best = min(members, key=lambda r: (r.rank, r.unit_id), default=None)
    worst = max(members, key=lambda r: (r.rank, -r.unit_id), default=None)
    return GroupSummary(
        group=group,
        unit_count=len(members),
        average_index=average,
        class_counts=tuple((code, counts[code]) for code in codes),
        best_unit_id=best.unit_id if best else None,
        worst_unit_id=worst.unit_id if worst else None,
    )


def summarize_groups(ranked: Sequence[RankedUnit], bands: Sequence[Band]) -> dict[str, GroupSummary]:
    """Return a summary per group (count, average, classes, best, worst), by group name."""
    codes = [b.code for b in _ordered_bands(bands)]
    by_group: dict[str, list[RankedUnit]] = defaultdict(list)
    for unit in ranked:
        by_group[unit.group].append(unit)
    return {g: _summarize(g, by_group[g], codes) for g in sorted(by_group)}


@dataclass(frozen=True, slots=True)
class Change:
    unit_id: int
    previous_unit_id: int | None
    points_change: Decimal | None
    index_change: Decimal | None
    rank_change: int | None  # positive = moved up (previous rank - current rank)
    # Per field code of the current unit; None when either year lacks that index.
    field_index_changes: tuple[tuple[str, Decimal | None], ...]


def _by_unit_id(units: Sequence[RankedUnit]) -> dict[int, RankedUnit]:
    result: dict[int, RankedUnit] = {}
    for unit in units:
        if unit.unit_id in result:
            raise ValueError(f"unit {unit.unit_id} appears twice")
        result[unit.unit_id] = unit
    return result


def _predecessor(
    unit_id: int,
    previous: Mapping[int, RankedUnit],
    lineage: Mapping[int, Sequence[int]],
) -> RankedUnit | None:
    if unit_id in previous:
        return previous[unit_id]
    candidates = {pid for pid in lineage.get(unit_id, ()) if pid in previous}
    # A unit formed by merging several has no single last year to compare with;
    # any one of them would be an arbitrary and misleading baseline.
    if len(candidates) == 1:
        return previous[candidates.pop()]
    return None


def _change(current: RankedUnit, prev: RankedUnit | None) -> Change:
    if prev is None:
        return Change(
            unit_id=current.unit_id,
            previous_unit_id=None,
            points_change=None,
            index_change=None,
            rank_change=None,
            field_index_changes=tuple((f.code, None) for f in current.totals.fields),
        )
    before = component_indices(prev.totals)
    field_changes: list[tuple[str, Decimal | None]] = []
    for field in current.totals.fields:
        now, then = field.component_index, before.get(field.code)
        field_changes.append((field.code, printed_change(then, now)))
    return Change(
        unit_id=current.unit_id,
        previous_unit_id=prev.unit_id,
        points_change=printed_change(prev.totals.total_points, current.totals.total_points),
        index_change=printed_change(prev.index, current.index),
        # A rank in another group (e.g. a different scale group) is not comparable.
        rank_change=prev.rank - current.rank if prev.group == current.group else None,
        field_index_changes=tuple(field_changes),
    )


def compare_periods(
    current: Sequence[RankedUnit],
    previous: Sequence[RankedUnit],
    lineage: Mapping[int, Sequence[int]],
) -> dict[int, Change]:
    """Return each current unit's change against its predecessor, by current unit id."""
    previous_by_id = _by_unit_id(previous)
    _by_unit_id(current)  # only to reject a unit listed twice, which a dict would hide
    return {
        unit.unit_id: _change(unit, _predecessor(unit.unit_id, previous_by_id, lineage)) for unit in current
    }
