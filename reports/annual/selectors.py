"""The annual results report of a period (báo cáo kết quả chỉ số CCHC năm): built here, rendered by `render`.

`annual_report_build` reads everything the report prints in a fixed number of queries, whatever the number
of units, and returns plain frozen dataclasses (`data`); `render.annual_report_render` hands them to a pure
renderer (the PDF template or the Excel writer) and returns a RenderedFile. The page shows the same dataclasses.

Contents follow the reports people already file (domain §6): I. how the period was run (dossiers, appraisal,
survey ballots, publication); II. the scale groups and the units scored on a reduced scale (footnotes), then
one ranking table per group of the table with its average, best and worst unit, classes and moves against last
year; III. one section per field; IV. short statements drawn from the figures (never invented prose).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.papers.selectors import period_particulars
from reports.publication.selectors import publication_exclusions
from reports.rankings.selectors import RankingGroup, RankingRow, RankingTable, most_common_scale
from reports.results.selectors import LostItem, field_names, lost_items, results_table
from scoring import calc
from scoring.formatting import format_number, format_percent
from scoring.models import Assessment, EvaluatingBody, NotApplicableItem, Period
from scoring.workflow import Status
from surveys.stats.selectors import tracking_table

from .data import (
    AnnualReport,
    AnnualRow,
    BallotCounts,
    FieldGroupStat,
    FieldSection,
    GroupSection,
    LostReason,
    ProcessCount,
    ReducedScaleNote,
    UnitIndex,
)

# Thresholds of the field analysis: units above 80 % and below 60 % of a field's points.
HIGH_INDEX = Decimal(80)
LOW_INDEX = Decimal(60)
# The lost items listed per field, and the appraisers' comments quoted per item.
TOP_LOST_ITEMS = 5
COMMENTS_PER_ITEM = 3

SUBMITTED_STATUSES = frozenset(s for s in Status if s != Status.SELF_ASSESSMENT)
APPRAISED_STATUSES = frozenset(
    {Status.EXPLANATION, Status.ROUND_2, Status.COUNCIL_APPROVED, Status.PUBLISHED}
)
APPROVED_STATUSES = frozenset({Status.COUNCIL_APPROVED, Status.PUBLISHED})


class AnnualReportNotFound(ValueError):
    """Nothing to report for the year; str(exc) is shown to the user or stored as the job's error."""


# --- building -----------------------------------------------------------------------------------------------


def _unit_index(row: AnnualRow | None) -> UnitIndex | None:
    return UnitIndex(unit_name=row.unit_name, index=row.index) if row else None


def _annual_row(row: RankingRow, *, common_scale: Decimal) -> AnnualRow:
    return AnnualRow(
        rank=row.rank,
        unit_id=row.unit_id,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        appraisal_points=row.appraisal_points,
        survey_points=row.survey_points,
        total_points=row.total_points,
        max_points=row.max_points,
        index=row.index,
        band_code=row.band.code,
        band_label=row.band.label,
        index_change=row.index_change,
        rank_change=row.rank_change,
        reduced_scale=row.below_common_scale or row.max_points < common_scale,
        stage=row.stage,
        stage_label=row.stage_label,
    )


def _group_section(group: RankingGroup, *, common_scale: Decimal, left_out: Sequence = ()) -> GroupSection:
    rows = tuple(_annual_row(r, common_scale=common_scale) for r in group.rows)
    by_id = {r.unit_id: r for r in rows}
    index_changes = [calc.quantize_score(r.index_change) for r in rows if r.index_change is not None]
    rank_changes = [r.rank_change for r in rows if r.rank_change is not None]
    return GroupSection(
        code=group.code,
        name=group.name,
        rows=rows,
        common_max_points=group.common_max_points,
        average_index=group.average_index,
        best=_unit_index(by_id.get(group.summary.best_unit_id)),
        worst=_unit_index(by_id.get(group.summary.worst_unit_id)),
        class_counts=group.class_counts,
        index_up=sum(1 for c in index_changes if c > 0),
        index_down=sum(1 for c in index_changes if c < 0),
        rank_up=sum(1 for c in rank_changes if c > 0),
        rank_down=sum(1 for c in rank_changes if c < 0),
        compared=sum(1 for r in rows if r.index_change is not None),
        unranked=tuple(_annual_row(r, common_scale=common_scale) for r in group.unranked_rows),
        published=group.published,
        # The reason is printed in brackets before a separator: its own closing stop would double it.
        left_out=tuple(
            replace(e, reason=e.reason.rstrip(". ")) for e in left_out if e.group_code == group.code
        ),
    )


def _process(period: Period) -> tuple[ProcessCount, ...]:
    """Return the period's dossiers per unit group by status, in one query."""
    counts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    rows = (
        Assessment.objects.filter(period=period)
        .values_list("unit__group__order", "unit__group__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for order, name, status, n in rows:
        counts[(order, name)][status] += n
    return tuple(
        ProcessCount(
            group_name=name,
            dossiers=sum(by_status.values()),
            submitted=sum(n for s, n in by_status.items() if s in SUBMITTED_STATUSES),
            appraised=sum(n for s, n in by_status.items() if s in APPRAISED_STATUSES),
            approved=sum(n for s, n in by_status.items() if s in APPROVED_STATUSES),
        )
        for (order, name), by_status in sorted(counts.items())
    )


def _ballots(period: Period) -> BallotCounts | None:
    """Return the survey's ballot counts, or None when the period has no survey (nothing planned or entered)."""
    table = tracking_table(period=period)
    total = table.tracking.total
    if not total.issued and not total.returned:
        return None
    return BallotCounts(
        forms=len(table.forms),
        issued=total.issued,
        returned=total.returned,
        accepted=total.accepted,
        rejected=total.rejected_total,
        return_rate=total.return_rate,
        accepted_rate=total.accepted_rate,
    )


def _exemptions(period: Period, unit_ids: Sequence[int]) -> tuple[tuple[str, ...], dict[int, list[str]]]:
    """Return the period-wide not-applicable items and those of single units, as "code name: reason" texts."""
    period_wide: list[str] = []
    per_unit: dict[int, list[str]] = defaultdict(list)
    rows = (
        NotApplicableItem.objects.filter(item__criteria_set__period=period)
        .select_related("item")
        .order_by("item__criteria_set_id", "item__order", "item__code", "pk")
    )
    seen: set[str] = set()
    wanted = set(unit_ids)
    for exemption in rows:
        text = f"{exemption.item.code} {exemption.item.name}".strip()
        if exemption.reason:
            text = f"{text}: {exemption.reason}"
        if exemption.unit_id is None:
            # One item per criteria set: the same text twice says nothing more.
            if text not in seen:
                period_wide.append(text)
                seen.add(text)
        elif exemption.unit_id in wanted:
            per_unit[exemption.unit_id].append(text)
    return tuple(period_wide), per_unit


def _field_sections(
    table: RankingTable,
    groups: Sequence[GroupSection],
    names: dict[str, str],
    lost: dict[int, list[LostItem]],
) -> tuple[FieldSection, ...]:
    """Return one section per field present in the results: per-group statistics and the common lost items."""
    codes: set[str] = set()
    for row in table.rows:
        codes.update(f.code for f in row.ranked.totals.fields if f.max_points > 0)
    names_of = {r.unit_id: r.unit_name for g in groups for r in g.rows}
    sections = []
    for code in sorted(codes, key=lambda c: _code_key(c)):
        stats = []
        for group in table.groups:
            indices: list[tuple[str, Decimal]] = []
            changes: list[Decimal] = []
            for row in group.rows:
                field = next((f for f in row.ranked.totals.fields if f.code == code), None)
                if field is None or field.component_index is None:
                    continue
                indices.append((names_of[row.unit_id], field.component_index))
                change = dict(row.change.field_index_changes).get(code) if row.change else None
                if change is not None:
                    changes.append(change)
            if not indices:
                continue
            # Best and worst on the printed index; a tie goes to the first name in alphabetical order.
            ordered = sorted(indices, key=lambda p: (-calc.quantize_score(p[1]), p[0]))
            lowest = sorted(indices, key=lambda p: (calc.quantize_score(p[1]), p[0]))[0]
            stats.append(
                FieldGroupStat(
                    group_name=group.name,
                    unit_count=len(indices),
                    average_index=sum((i for _n, i in indices), calc.ZERO) / len(indices),
                    average_change=sum(changes, calc.ZERO) / len(changes) if changes else None,
                    above_high=sum(1 for _n, i in indices if calc.quantize_score(i) >= HIGH_INDEX),
                    below_low=sum(1 for _n, i in indices if calc.quantize_score(i) < LOW_INDEX),
                    best=UnitIndex(*ordered[0]),
                    worst=UnitIndex(*lowest),
                )
            )
        sections.append(
            FieldSection(
                code=code,
                name=names.get(code, _("Lĩnh vực %(code)s") % {"code": code}),
                groups=tuple(stats),
                lost=_lost_reasons(code, lost),
            )
        )
    return tuple(sections)


def _lost_reasons(field_code: str, lost: dict[int, list[LostItem]]) -> tuple[LostReason, ...]:
    """Return the field's items where the most units lost points (then the most points), with comments."""
    by_item: dict[str, list[LostItem]] = defaultdict(list)
    for items in lost.values():
        for item in items:
            if item.field_code == field_code:
                by_item[item.item_code].append(item)
    reasons = []
    for item_code, items in by_item.items():
        comments: list[str] = []
        for item in items:
            comment = " ".join(item.comment.split())
            if comment and comment not in comments:
                comments.append(comment)
        reasons.append(
            LostReason(
                field_code=field_code,
                item_code=item_code,
                item_name=" ".join(items[0].item_name.split()),
                unit_count=len(items),
                lost_points=sum((i.lost_points for i in items), calc.ZERO),
                comments=tuple(comments[:COMMENTS_PER_ITEM]),
                survey=items[0].survey,
            )
        )
    reasons.sort(key=lambda r: (-r.unit_count, -r.lost_points, _code_key(r.item_code)))
    return tuple(reasons[:TOP_LOST_ITEMS])


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    # "10" after "9", "4.2.10" after "4.2.9", as in the criteria set.
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in code.split("."))


def _pct(value: Decimal) -> str:
    return format_percent(value)


def _statements(
    *, groups: Sequence[GroupSection], fields: Sequence[FieldSection], previous_year: int | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return (overall assessment, limitations, recommendations) as short sentences built from the figures."""
    assessment: list[str] = []
    limitations: list[str] = []
    recommendations: list[str] = []
    for group in groups:
        counts = ", ".join(f"{c.count} {c.label}" for c in group.class_counts if c.count)
        text = _("%(group)s: %(count)s đơn vị, chỉ số trung bình %(average)s; xếp loại: %(classes)s.") % {
            "group": group.name,
            "count": group.unit_count,
            "average": _pct(group.average_index),
            "classes": counts,
        }
        if previous_year is not None and group.compared:
            text += " " + _(
                "So với năm %(year)s: %(up)s đơn vị tăng chỉ số, %(down)s đơn vị giảm chỉ số."
            ) % {"year": previous_year, "up": group.index_up, "down": group.index_down}
        assessment.append(text)
        lowest_band = group.class_counts[-1] if group.class_counts else None
        if lowest_band and lowest_band.count and len(group.class_counts) > 1:
            limitations.append(
                _("%(group)s: %(count)s đơn vị xếp loại %(label)s.")
                % {"group": group.name, "count": lowest_band.count, "label": lowest_band.label}
            )
        if group.worst and group.best and group.unit_count > 1:
            gap = calc.quantize_score(group.best.index) - calc.quantize_score(group.worst.index)
            limitations.append(
                _(
                    "%(group)s: chênh lệch giữa đơn vị cao nhất (%(best)s, %(best_index)s) và thấp nhất "
                    "(%(worst)s, %(worst_index)s) là %(gap)s điểm phần trăm."
                )
                % {
                    "group": group.name,
                    "best": group.best.unit_name,
                    "best_index": _pct(group.best.index),
                    "worst": group.worst.unit_name,
                    "worst_index": _pct(group.worst.index),
                    "gap": format_number(gap),
                }
            )
    # Fields: the weakest by average component index over all groups' units, and where units fell below 60 %.
    ranked_fields = []
    for field in fields:
        units = sum(s.unit_count for s in field.groups)
        if not units:
            continue
        average = sum((s.average_index * s.unit_count for s in field.groups), calc.ZERO) / units
        below = sum(s.below_low for s in field.groups)
        ranked_fields.append((average, field, below))
    ranked_fields.sort(key=lambda t: (t[0], _code_key(t[1].code)))
    for position, (average, field, below) in enumerate(ranked_fields[:2]):
        text = (
            _("Lĩnh vực %(code)s (%(name)s) có chỉ số thành phần trung bình thấp nhất: %(average)s.")
            if position == 0
            else _("Lĩnh vực %(code)s (%(name)s) có chỉ số thành phần trung bình thấp thứ hai: %(average)s.")
        ) % {"code": field.code, "name": field.name, "average": _pct(average)}
        if below:
            text += " " + _("%(below)s đơn vị đạt dưới %(low)s.") % {
                "below": below,
                "low": format_percent(LOW_INDEX, 0),
            }
        limitations.append(text)
        top = field.lost[0] if field.lost else None
        if top:
            recommendations.append(
                _(
                    "Tập trung khắc phục lĩnh vực %(code)s, trước hết tiêu chí %(item)s (%(count)s đơn vị bị trừ "
                    "điểm, tổng %(points)s điểm)."
                )
                % {
                    "code": field.code,
                    "item": top.item_code,
                    "count": top.unit_count,
                    "points": format_number(top.lost_points),
                }
            )
        else:
            recommendations.append(
                _("Tập trung khắc phục lĩnh vực %(code)s (%(name)s).")
                % {"code": field.code, "name": field.name}
            )
    for group in groups:
        lowest_band = group.class_counts[-1] if group.class_counts else None
        if lowest_band and lowest_band.count and len(group.class_counts) > 1:
            names = ", ".join(r.unit_name for r in group.rows if r.band_code == lowest_band.code)
            recommendations.append(
                _("Các đơn vị xếp loại %(label)s (%(names)s) xây dựng kế hoạch khắc phục và báo cáo kết quả.")
                % {"label": lowest_band.label, "names": names}
            )
        if previous_year is not None and group.index_down:
            names = ", ".join(
                r.unit_name
                for r in group.rows
                if r.index_change is not None and calc.quantize_score(r.index_change) < 0
            )
            recommendations.append(
                _(
                    "Các đơn vị giảm chỉ số so với năm %(year)s (%(names)s) phân tích nguyên nhân và khắc phục."
                )
                % {"year": previous_year, "names": names}
            )
    return tuple(assessment), tuple(limitations), tuple(recommendations)


def annual_report_build(
    *, body: EvaluatingBody, year: int, draft: bool = False, today: date | None = None
) -> AnnualReport:
    """Return the annual report of the body's year (RankingNotFound when the year has no results).

    A fixed number of queries whatever the number of units: the results table, the period, its dossiers by
    status, the survey tracking, the not-applicable items, the field names and the points lost.
    """
    table = results_table(body=body, year=year, draft=draft)
    period = Period.objects.select_related("body", "report_particulars").get(body=body, year=year)
    unit_ids = [r.unit_id for r in table.rows]
    common_scale = most_common_scale(r.max_points for r in table.rows) or calc.ZERO
    left_out = publication_exclusions(period)
    groups = tuple(_group_section(g, common_scale=common_scale, left_out=left_out) for g in table.groups)

    particulars = period_particulars(period, today=today or timezone.localdate())
    process = _process(period)
    ballots = _ballots(period)
    period_wide, per_unit = _exemptions(period, unit_ids)
    names = field_names(period)
    lost = lost_items(period=period, unit_ids=unit_ids) if process else {}
    has_appraisal_data = any(lost.values()) or any(p.appraised for p in process)
    fields = _field_sections(table, groups, names, lost)

    notes = tuple(
        ReducedScaleNote(
            unit_name=row.unit_name,
            group_name=group.name,
            max_points=row.max_points,
            reasons=tuple(per_unit.get(row.unit_id, ())),
        )
        for group in groups
        for row in group.rows
        if row.reduced_scale
    )
    all_rows = [r for g in groups for r in g.rows]
    assessment, limitations, recommendations = _statements(
        groups=groups, fields=fields, previous_year=table.previous_year
    )
    return AnnualReport(
        body_code=body.code,
        body_name=body.name,
        administrator_name=body.administrator_name,
        place=particulars.place,
        report_date=particulars.issued_on,
        particulars=particulars,
        year=year,
        published=table.published,
        publication_decision=table.publication_decision,
        published_on=table.published_on,
        previous_year=table.previous_year,
        guidance_reference=period.guidance_reference,
        bands=table.bands,
        process=process,
        ballots=ballots,
        common_max_points=common_scale,
        common_average=(sum((r.index for r in all_rows), calc.ZERO) / len(all_rows))
        if all_rows
        else calc.ZERO,
        groups=groups,
        reduced_notes=notes,
        period_exemptions=period_wide,
        fields=fields,
        has_appraisal_data=has_appraisal_data,
        assessment=assessment,
        limitations=limitations,
        recommendations=recommendations,
        computed_at=table.computed_at,
        stale=table.stale,
        refresh_error=table.refresh_error,
    )
