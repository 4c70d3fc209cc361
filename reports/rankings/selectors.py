"""Read-only queries of published results, turned into calc inputs and ranked by calc.

The ranking table is built in a fixed number of queries, whatever the number of units:
the page, the Excel download and the API all read it and never query on their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from reports.models import PublicationDecision, PublishedFieldResult, PublishedResult
from scoring import calc
from scoring.models import EvaluatingBody, Period, Unit, UnitGroup
from scoring.units.selectors import unit_name_then

# What a stage is called wherever a row is not published (reports.results.live decides the stage).
STAGE_LABELS = {
    "published": _lazy("Đã công bố"),
    "approved": _lazy("Hội đồng đã thông qua, chưa công bố"),
    "appraised": _lazy("Đã thẩm định, chưa thông qua"),
    "submitted": _lazy("Mới có điểm tự chấm"),
}


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
    # False for the live results of a period not yet published (shown to the body's staff only).
    published: bool = True
    # published / approved / appraised / submitted (reports.results.live): a submitted unit's points are its
    # self-scores, never to be labelled appraisal points, and it is not ranked with appraised units.
    stage: str = "published"
    # False for a row listed apart from the group's ranking: self-scores only, or a unit not in the published
    # ranking of its group (left out of the decision, or reopened); its rank is then only among those rows.
    is_ranked: bool = True

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, ""))

    @property
    def is_self_score(self) -> bool:
        return self.stage == "submitted"

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
    published: bool = True
    # Units listed apart from the ranking, never averaged: self-scores only (round 1 not sent), or, in a
    # published group, units not in the decision's ranking.
    unranked_rows: tuple[RankingRow, ...] = ()

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
    published: bool = True  # False: live results computed from the current assessments (some group at least)
    # When the live figures were computed, and whether something changed since (None/False when all published).
    computed_at: datetime | None = None
    stale: bool = False
    refresh_error: str = ""  # the last recompute failed: these are the figures of the one before

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


def published_results() -> QuerySet[PublishedResult]:
    """Return the results the public may read: imported ones, and those of a period with a decision."""
    # Imported results were published by the province before they reached us; appraised results are
    # public only once a decision publishes them.
    decided = PublicationDecision.objects.filter(period_id=OuterRef("period_id"))
    return PublishedResult.objects.filter(Q(source=PublishedResult.Source.IMPORT) | Exists(decided))


def ranking_year_list(*, body: EvaluatingBody) -> list[int]:
    """Return the body's years that have published results, newest first."""
    return list(
        Period.objects.filter(body=body, pk__in=published_results().values("period_id"))
        .order_by("-year")
        .values_list("year", flat=True)
    )


def _totals(result: PublishedResult, fields: Sequence[calc.FieldTotal]) -> calc.UnitTotals:
    return calc.UnitTotals(
        unit_id=result.unit_id,
        group=result.unit_group.code,
        appraisal_points=result.appraisal_points,
        survey_points=result.survey_points,
        max_points=result.max_points,
        fields=tuple(fields),
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


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One unit's totals with the unit and the group it is ranked in, as the table builder needs them."""

    totals: calc.UnitTotals
    unit: Unit
    unit_group: UnitGroup
    period_id: int | None = None
    stage: str = "published"
    # The name the unit carried in the entry's year ("" = its name today); a unit renamed since keeps its old one.
    unit_name: str = ""


def _entries(results: QuerySet[PublishedResult]) -> list[TableEntry]:
    """Return the results as table entries with their field totals, in two queries.

    The field rows are read as plain values: a province's communes are thousands of units with eight fields
    each, and model instances for them would cost more than everything else on the page.
    """
    rows = list(results.select_related("unit", "unit_group").annotate(unit_name_then=unit_name_then()))
    fields: dict[int, list[calc.FieldTotal]] = defaultdict(list)
    values = PublishedFieldResult.objects.filter(result__in=results.values("pk")).order_by(
        "result_id", "field_code"
    )
    for result_id, code, points, maximum in values.values_list(
        "result_id", "field_code", "points", "max_points"
    ):
        fields[result_id].append(calc.FieldTotal(code=code, points=points, max_points=maximum))
    return [
        TableEntry(
            totals=_totals(r, fields[r.pk]),
            unit=r.unit,
            unit_group=r.unit_group,
            period_id=r.period_id,
            unit_name=r.unit_name_then,
        )
        for r in rows
    ]


def ranking_table(*, body: EvaluatingBody, year: int, group: str | None = None) -> RankingTable:
    """Return the year's published results ranked per group, with the change against last year."""
    periods = _periods(body=body, year=year)
    period = periods[year]
    entries = _entries(published_results().filter(period__in=periods.values()))
    current = [e for e in entries if e.period_id == period.pk]
    if not current:
        raise RankingNotFound(_("Chưa có kết quả đã công bố của năm %(year)s.") % {"year": year})
    previous = [e for e in entries if e.period_id != period.pk]
    return build_ranking_table(
        body=body, periods=periods, year=year, current=current, previous=previous, group=group
    )


def _periods(*, body: EvaluatingBody, year: int) -> dict[int, Period]:
    """Return the body's periods of the year and the year before, keyed by year; RankingNotFound without the year."""
    periods = {
        p.year: p
        for p in Period.objects.filter(body=body, year__in=(year, year - 1)).prefetch_related("bands")
    }
    if year not in periods:
        raise RankingNotFound(_("Không có kỳ đánh giá năm %(year)s.") % {"year": year})
    return periods


def previous_year_entries(*, periods: dict[int, Period], year: int) -> list[TableEntry]:
    """Return last year's published results as table entries (none when the body has no period that year)."""
    if year - 1 not in periods:
        return []
    return _entries(published_results().filter(period=periods[year - 1]))


def _empty_summary(group: str, bands: Sequence[calc.Band]) -> calc.GroupSummary:
    codes = sorted(bands, key=lambda b: b.min_index, reverse=True)
    return calc.GroupSummary(
        group=group,
        unit_count=0,
        average_index=calc.ZERO,
        class_counts=tuple((b.code, 0) for b in codes),
        best_unit_id=None,
        worst_unit_id=None,
    )


def build_ranking_table(
    *,
    body: EvaluatingBody,
    periods: dict[int, Period],
    year: int,
    current: Sequence[TableEntry],
    previous: Sequence[TableEntry],
    group: str | None,
    computed_at: datetime | None = None,
    stale: bool = False,
    refresh_error: str = "",
) -> RankingTable:
    """Return the table of the current entries ranked per group, compared with the previous year's.

    Entries of the "submitted" stage (self-scores) are ranked apart and left out of averages and changes;
    a group is published when all its entries are.
    """
    period = periods[year]
    bands = tuple(b.as_band() for b in period.bands.all())
    published_groups = {e.unit_group.code for e in current if e.stage == "published"}

    def in_ranking(e: TableEntry) -> bool:
        if e.unit_group.code in published_groups:
            return e.stage == "published"
        return e.stage != "submitted"

    appraised = [e for e in current if in_ranking(e)]
    ranked = calc.rank_units((e.totals for e in appraised), bands)
    self_ranked = calc.rank_units((e.totals for e in current if not in_ranking(e)), bands)
    summaries = calc.summarize_groups(ranked, bands)

    changes: dict[int, calc.Change] = {}
    previous_year = None
    if previous:
        previous_year = year - 1
        previous_bands = [b.as_band() for b in periods[previous_year].bands.all()]
        previous_ranked = calc.rank_units((e.totals for e in previous), previous_bands)
        changes = calc.compare_periods(ranked, previous_ranked, _lineage([e.unit.pk for e in appraised]))

    entry_of = {e.unit.pk: e for e in current}
    name_of = {e.unit.pk: e.unit_name or e.unit.name for e in current}
    unit_groups = {e.unit_group.code: e.unit_group for e in current}
    group_choices = tuple(
        GroupChoice(code=g.code, name=g.name)
        for g in sorted(unit_groups.values(), key=lambda g: (g.order, g.name, g.code))
    )
    selected = _group_code(group_choices, group, year) if group else None
    labels = {b.code: b.label for b in bands}

    def row(r: calc.RankedUnit, code: str, common: Decimal | None, *, ranked: bool = True) -> RankingRow:
        entry = entry_of[r.unit_id]
        return RankingRow(
            unit_code=entry.unit.code,
            unit_name=name_of[r.unit_id],
            group_code=code,
            ranked=r,
            change=changes.get(r.unit_id) if ranked else None,
            below_common_scale=common is not None and r.totals.max_points < common,
            published=entry.stage == "published",
            stage=entry.stage,
            is_ranked=ranked,
        )

    groups: list[RankingGroup] = []
    for choice in group_choices:
        if selected and choice.code != selected:
            continue
        members = [r for r in ranked if r.group == choice.code]
        self_members = [r for r in self_ranked if r.group == choice.code]
        common = most_common_scale(r.totals.max_points for r in members + self_members)
        # Equal ranks are listed in the group's official order (then by name), never by database id.
        order = lambda r: (r.rank, -r.index, entry_of[r.unit_id].unit.order, name_of[r.unit_id], r.unit_id)  # noqa: E731
        members.sort(key=order)
        self_members.sort(key=order)
        summary = summaries.get(choice.code) or _empty_summary(choice.code, bands)
        groups.append(
            RankingGroup(
                code=choice.code,
                name=choice.name,
                rows=tuple(row(r, choice.code, common) for r in members),
                summary=summary,
                class_counts=tuple(
                    ClassCount(code=code, label=labels[code], count=count)
                    for code, count in summary.class_counts
                ),
                common_max_points=common or calc.ZERO,
                published=choice.code in published_groups
                and all(entry_of[r.unit_id].stage == "published" for r in members),
                unranked_rows=tuple(row(r, choice.code, common, ranked=False) for r in self_members),
            )
        )
    # A table is published when every group's ranking is; units listed apart (left out of a published group,
    # or reopened) carry their own stage and never make the published rankings a draft.
    all_published = all(g.published for g in groups)
    has_live = any(not r.published for g in groups for r in (*g.rows, *g.unranked_rows))
    return RankingTable(
        body_code=body.code,
        body_name=body.name,
        year=year,
        publication_decision=period.publication_decision
        if all_published or any(g.published for g in groups)
        else "",
        published_on=period.published_on if all_published or any(g.published for g in groups) else None,
        previous_year=previous_year,
        bands=tuple(sorted(bands, key=lambda b: b.min_index, reverse=True)),
        groups=tuple(groups),
        group_choices=group_choices,
        selected_group=selected,
        published=all_published,
        computed_at=computed_at if has_live else None,
        stale=stale if has_live else False,
        refresh_error=refresh_error if has_live else "",
    )
