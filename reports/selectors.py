"""Read-only queries of published results, turned into calc inputs and ranked by calc.

The ranking table is built in a fixed number of queries, whatever the number of units:
the page, the Excel download and the API all read it and never query on their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring import calc
from scoring.models import EvaluatingBody, Period, Unit

from .models import PublishedResult


class RankingNotFound(LookupError):
    """The requested year or group has no published results; str(exc) is shown to the user."""


@dataclass(frozen=True, slots=True)
class ClassCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class GroupChoice:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One unit's line in the table: calc's RankedUnit plus what a reader needs to name it."""

    unit_code: str
    unit_name: str
    group_code: str
    ranked: calc.RankedUnit
    change: calc.Change | None  # None when the previous year has no results at all
    # True when the unit was scored on less than its group's usual scale (items not applicable).
    below_common_scale: bool

    @property
    def unit_id(self) -> int:
        return self.ranked.unit_id

    @property
    def appraisal_points(self) -> Decimal:
        return self.ranked.totals.appraisal_points

    @property
    def survey_points(self) -> Decimal:
        return self.ranked.totals.survey_points

    @property
    def total_points(self) -> Decimal:
        return self.ranked.totals.total_points

    @property
    def max_points(self) -> Decimal:
        return self.ranked.totals.max_points

    @property
    def index(self) -> Decimal:
        return self.ranked.index

    @property
    def band(self) -> calc.Band:
        return self.ranked.band

    @property
    def rank(self) -> int:
        return self.ranked.rank

    @property
    def index_change(self) -> Decimal | None:
        return self.change.index_change if self.change else None

    @property
    def rank_change(self) -> int | None:
        return self.change.rank_change if self.change else None


@dataclass(frozen=True, slots=True)
class RankingGroup:
    code: str
    name: str
    rows: tuple[RankingRow, ...]
    summary: calc.GroupSummary
    class_counts: tuple[ClassCount, ...]
    common_max_points: Decimal

    @property
    def average_index(self) -> Decimal:
        return self.summary.average_index

    @property
    def reduced_scale_rows(self) -> tuple[RankingRow, ...]:
        return tuple(row for row in self.rows if row.below_common_scale)


@dataclass(frozen=True, slots=True)
class RankingTable:
    body_code: str
    body_name: str
    year: int
    publication_decision: str
    published_on: date | None
    previous_year: int | None  # set only when the previous year has published results
    bands: tuple[calc.Band, ...]
    groups: tuple[RankingGroup, ...]  # in the body's group order, after the group filter
    group_choices: tuple[GroupChoice, ...]  # every group ranked that year, for the filter
    selected_group: str | None  # group code, when filtered

    @property
    def rows(self) -> tuple[RankingRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def has_changes(self) -> bool:
        return self.previous_year is not None


def most_common_scale(scales: Iterable[Decimal]) -> Decimal | None:
    """Return the scale most units of a group were scored on (the larger on a tie), or None."""
    counts = Counter(scales)
    if not counts:
        return None
    # On a tie the larger scale is the "full" one: the others lost items as not applicable.
    return max(counts, key=lambda scale: (counts[scale], scale))


def ranking_year_list(*, body: EvaluatingBody) -> list[int]:
    """Return the body's years that have published results, newest first."""
    return list(
        Period.objects.filter(body=body, published_results__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
    )


def _totals(result: PublishedResult) -> calc.UnitTotals:
    return calc.UnitTotals(
        unit_id=result.unit_id,
        group=result.unit_group.code,
        appraisal_points=result.appraisal_points,
        survey_points=result.survey_points,
        max_points=result.max_points,
        # .all() reads the prefetch; ordering it here would query again per unit.
        fields=tuple(f.as_field_total() for f in result.fields.all()),
        published_index=result.published_index,
    )


def _lineage(unit_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return the predecessors of each unit, in one query."""
    lineage: dict[int, list[int]] = defaultdict(list)
    links = Unit.predecessors.through.objects.filter(from_unit_id__in=unit_ids)
    for unit_id, predecessor_id in links.values_list("from_unit_id", "to_unit_id"):
        lineage[unit_id].append(predecessor_id)
    return lineage


def _group_code(choices: Sequence[GroupChoice], wanted: str, year: int) -> str:
    for choice in choices:
        if wanted in (choice.code, choice.name):
            return choice.code
    raise RankingNotFound(
        _("Không có nhóm đơn vị “%(group)s” trong kết quả năm %(year)s.") % {"group": wanted, "year": year}
    )


def ranking_table(*, body: EvaluatingBody, year: int, group: str | None = None) -> RankingTable:
    """Return the year's published results ranked per group, with the change against last year."""
    periods = {
        p.year: p
        for p in Period.objects.filter(body=body, year__in=(year, year - 1)).prefetch_related("bands")
    }
    period = periods.get(year)
    if period is None:
        raise RankingNotFound(_("Không có kỳ đánh giá năm %(year)s.") % {"year": year})

    results = list(
        PublishedResult.objects.filter(period__in=periods.values())
        .select_related("unit", "unit_group")
        .prefetch_related("fields")
    )
    current = [r for r in results if r.period_id == period.pk]
    if not current:
        raise RankingNotFound(_("Chưa có kết quả đã công bố của năm %(year)s.") % {"year": year})
    previous = [r for r in results if r.period_id != period.pk]

    bands = tuple(b.as_band() for b in period.bands.all())
    ranked = calc.rank_units((_totals(r) for r in current), bands)
    summaries = calc.summarize_groups(ranked, bands)

    changes: dict[int, calc.Change] = {}
    previous_year = None
    if previous:
        previous_year = year - 1
        previous_bands = [b.as_band() for b in periods[previous_year].bands.all()]
        previous_ranked = calc.rank_units((_totals(r) for r in previous), previous_bands)
        changes = calc.compare_periods(ranked, previous_ranked, _lineage([r.unit_id for r in current]))

    result_of = {r.unit_id: r for r in current}
    unit_groups = {r.unit_group.code: r.unit_group for r in current}
    group_choices = tuple(
        GroupChoice(code=g.code, name=g.name)
        for g in sorted(unit_groups.values(), key=lambda g: (g.order, g.name, g.code))
    )
    selected = _group_code(group_choices, group, year) if group else None
    labels = {b.code: b.label for b in bands}

    groups: list[RankingGroup] = []
    for choice in group_choices:
        if selected and choice.code != selected:
            continue
        members = [r for r in ranked if r.group == choice.code]
        common = most_common_scale(r.totals.max_points for r in members)
        # Equal ranks are listed by name so the order does not depend on database ids.
        members.sort(key=lambda r: (r.rank, -r.index, result_of[r.unit_id].unit.name, r.unit_id))
        rows = tuple(
            RankingRow(
                unit_code=result_of[r.unit_id].unit.code,
                unit_name=result_of[r.unit_id].unit.name,
                group_code=choice.code,
                ranked=r,
                change=changes.get(r.unit_id),
                below_common_scale=common is not None and r.totals.max_points < common,
            )
            for r in members
        )
        summary = summaries[choice.code]
        groups.append(
            RankingGroup(
                code=choice.code,
                name=choice.name,
                rows=rows,
                summary=summary,
                class_counts=tuple(
                    ClassCount(code=code, label=labels[code], count=count)
                    for code, count in summary.class_counts
                ),
                common_max_points=common or calc.ZERO,
            )
        )

    return RankingTable(
        body_code=body.code,
        body_name=body.name,
        year=year,
        publication_decision=period.publication_decision,
        published_on=period.published_on,
        previous_year=previous_year,
        bands=tuple(sorted(bands, key=lambda b: b.min_index, reverse=True)),
        groups=tuple(groups),
        group_choices=group_choices,
        selected_group=selected,
    )
