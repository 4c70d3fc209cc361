"""A unit's analysis report ("báo cáo phân tích kết quả Chỉ số CCHC") of one year, built here.

`unit_analysis_build` reads everything in a fixed number of queries (the ranking tables of the year and the
year before, the field names, the items where points were lost, SIPAS) and returns frozen dataclasses
(`data`); `render.unit_analysis_render` hands them to the PDF template or the Excel writer, which make no queries.
Every figure is the ranking table's: the page, the PDF and the Excel print what the ranking page prints.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.rankings.selectors import RankingNotFound, RankingRow, RankingTable
from reports.results.selectors import field_names, lost_items, results_table
from scoring import calc
from scoring.models import Period, Unit
from surveys.models import SipasResult

from .data import FieldLine, FieldLosses, LostLine, SipasLine, UnitAnalysis, YearFigures, _code_key

# --- building ------------------------------------------------------------------------------------------

# "UBND tỉnh Lai Châu" is signed "Lai Châu, ngày …": the place is the body's name without its title.
_PLACE_PREFIX = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(tỉnh|thành phố|tp\.?)\s+", flags=re.IGNORECASE
)


def _place(body_name: str) -> str:
    return _PLACE_PREFIX.sub("", body_name).strip() or body_name


def _row_of(table: RankingTable, unit_id: int | None) -> RankingRow | None:
    if unit_id is None:
        return None
    for group in table.groups:
        for row in (*group.rows, *group.unranked_rows):
            if row.unit_id == unit_id:
                return row
    return None


def _figures(table: RankingTable, row: RankingRow) -> YearFigures:
    group = next(g for g in table.groups if g.code == row.group_code)
    return YearFigures(
        year=table.year,
        group_name=group.name,
        group_size=len(group.rows),
        group_average_index=group.average_index,
        appraisal_points=row.appraisal_points,
        survey_points=row.survey_points,
        total_points=row.total_points,
        max_points=row.max_points,
        index=row.index,
        band_label=row.band.label,
        rank=row.rank if row.is_ranked else None,
        published=row.published,
    )


def _current(*, unit: Unit, year: int, draft: bool) -> tuple[RankingTable, RankingRow]:
    """Return the year's table holding the unit: its published figures, else (draft only) its live ones."""
    try:
        table = results_table(body=unit.body, year=year, draft=draft)
    except RankingNotFound:
        table = None
    row = _row_of(table, unit.pk) if table else None
    if row is not None:
        return table, row
    if draft:
        raise RankingNotFound(
            _("Chưa có kết quả năm %(year)s của %(unit)s.") % {"year": year, "unit": unit.name}
        )
    raise RankingNotFound(
        _("Kết quả năm %(year)s của %(unit)s chưa được công bố.") % {"year": year, "unit": unit.name}
    )


def _group_field_averages(table: RankingTable, group_code: str) -> dict[str, Decimal]:
    values: dict[str, list[Decimal]] = {}
    for group in table.groups:
        if group.code != group_code:
            continue
        for row in group.rows:
            for field in row.ranked.totals.fields:
                if field.component_index is not None:
                    values.setdefault(field.code, []).append(field.component_index)
    return {code: sum(v, calc.ZERO) / len(v) for code, v in values.items()}


def _field_lines(
    *, row: RankingRow, previous: RankingRow | None, names: dict[str, str], averages: dict[str, Decimal]
) -> tuple[FieldLine, ...]:
    now = {f.code: f for f in row.ranked.totals.fields}
    before = {f.code: f for f in previous.ranked.totals.fields} if previous else {}
    lines = []
    # This year's fields first; a field only last year had is still shown, so nothing silently disappears.
    for code in sorted(set(now) | set(before), key=_code_key):
        field, then = now.get(code), before.get(code)
        lines.append(
            FieldLine(
                code=code,
                name=names.get(code, ""),
                points=field.points if field else None,
                max_points=field.max_points if field else None,
                index=field.component_index if field else None,
                previous_points=then.points if then else None,
                previous_max_points=then.max_points if then else None,
                previous_index=then.component_index if then else None,
                group_average_index=averages.get(code),
            )
        )
    return tuple(lines)


SIPAS_COMPONENTS = (
    ("overall_pct", gettext_lazy("Chỉ số hài lòng chung")),
    ("access_pct", gettext_lazy("Tiếp cận dịch vụ")),
    ("procedures_pct", gettext_lazy("Thủ tục hành chính")),
    ("civil_servants_pct", gettext_lazy("Công chức giải quyết công việc")),
    ("results_pct", gettext_lazy("Kết quả giải quyết công việc")),
    ("feedback_pct", gettext_lazy("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")),
)


def _sipas(unit: Unit, year: int) -> tuple[tuple[SipasLine, ...], str]:
    rows = {
        r.period.year: r
        for r in SipasResult.objects.filter(
            unit=unit, period__body_id=unit.body_id, period__year__in=(year, year - 1)
        ).select_related("period")
    }
    current, previous = rows.get(year), rows.get(year - 1)
    if current is None:
        return (), ""
    lines = tuple(
        SipasLine(
            label=str(label),
            value=getattr(current, attr),
            previous_value=getattr(previous, attr) if previous else None,
        )
        for attr, label in SIPAS_COMPONENTS
    )
    return lines, current.source


def _losses(*, unit: Unit, period: Period, names: dict[str, str]) -> tuple[bool, tuple[FieldLosses, ...]]:
    by_unit = lost_items(period=period, unit_ids=[unit.pk])
    if unit.pk not in by_unit:
        return False, ()
    per_field: dict[str, list[LostLine]] = {}
    for item in by_unit[unit.pk]:
        per_field.setdefault(item.field_code, []).append(
            LostLine(
                item_code=item.item_code,
                item_name=item.item_name,
                field_code=item.field_code,
                max_points=item.max_points,
                points=item.points,
                comment=item.comment,
                survey=item.survey,
            )
        )
    return True, tuple(
        FieldLosses(field_code=code, field_name=names.get(code, ""), items=tuple(items))
        for code, items in sorted(per_field.items(), key=lambda kv: _code_key(kv[0]))
    )


def unit_analysis_build(*, unit: Unit, year: int, draft: bool = False) -> UnitAnalysis:
    """Return the unit's analysis of the year (RankingNotFound when it has no result the reader may see).

    With draft=False only published figures are used; with draft=True (the body's staff) the last recompute
    stands in for a unit whose result is not published yet, and the analysis says it is a draft.
    """
    body = unit.body
    table, row = _current(unit=unit, year=year, draft=draft)
    previous_row = None
    previous_figures = None
    if table.previous_year is not None:
        previous_table = results_table(body=body, year=year - 1)
        previous_row = _row_of(previous_table, row.change.previous_unit_id if row.change else None)
        if previous_row is not None:
            previous_figures = _figures(previous_table, previous_row)

    periods = {p.year: p for p in Period.objects.filter(body=body, year__in=(year, year - 1))}
    period = periods[year]
    names = field_names(period)
    if year - 1 in periods:
        # A field keeps its code across years; its name is this year's, last year's only for a dropped field.
        names = {**field_names(periods[year - 1]), **names}
    has_item_data, losses = _losses(unit=unit, period=period, names=names)
    sipas, sipas_source = _sipas(unit, year)
    change = row.change if previous_row is not None else None
    return UnitAnalysis(
        body_code=body.code,
        body_name=body.name,
        administrator_name=body.administrator_name,
        place=_place(body.name),
        generated_on=timezone.localdate(),
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        published=row.published,
        stage_label="" if row.published else row.stage_label,
        computed_at=None if row.published else table.computed_at,
        stale=not row.published and table.stale,
        refresh_error="" if row.published else table.refresh_error,
        current=_figures(table, row),
        previous=previous_figures,
        points_change=change.points_change if change else None,
        index_change=change.index_change if change else None,
        rank_change=change.rank_change if change else None,
        fields=_field_lines(
            row=row,
            previous=previous_row,
            names=names,
            averages=_group_field_averages(table, row.group_code),
        ),
        has_item_data=has_item_data,
        losses=losses,
        sipas=sipas,
        sipas_source=sipas_source,
    )


def unit_year_list(*, unit: Unit, drafts: bool) -> list[int]:
    """Return the years the unit has a result in (published; with drafts, recomputed too), newest first."""
    from reports.models import ComputedResult
    from reports.rankings.selectors import published_results

    years = set(published_results().filter(unit=unit).values_list("period__year", flat=True))
    if drafts:
        years |= set(ComputedResult.objects.filter(unit=unit).values_list("period__year", flat=True))
    return sorted(years, reverse=True)
