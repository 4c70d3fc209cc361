"""The dashboards' data: a year's results table turned into plain chart data, in a fixed number of queries.

`dashboard_get` reads `results.selectors.results_table` (published figures, or the last recompute for the body's
staff) and returns frozen dataclasses; their `*_svg` properties draw the charts with `reports.render`, the same
functions the PDF reports use. Who may see what is decided by the caller (`reports.dashboards.views`), which passes
`draft` and, for a unit's own people, the units they may pick for the radar chart.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.models import ComputedResult
from reports.rankings.selectors import ClassCount, GroupChoice, RankingNotFound, RankingRow, ranking_year_list
from reports.render.bar_charts import bar_chart, change_chart, column_chart
from reports.render.drawing import heat_color
from reports.render.series_charts import radar_chart
from reports.results.selectors import field_names, results_table
from scoring import calc
from scoring.models import EvaluatingBody, Period


@dataclass(frozen=True, slots=True)
class FieldColumn:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class HeatCell:
    field_code: str
    value: Decimal | None  # component index (%), unrounded; None when the unit has no such field

    @property
    def color(self) -> str:
        return heat_color(self.value)


@dataclass(frozen=True, slots=True)
class HeatRow:
    unit_code: str
    unit_name: str
    rank: int
    index: Decimal
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True, slots=True)
class UnitChoice:
    code: str
    name: str
    group_code: str


@dataclass(frozen=True, slots=True)
class GroupDashboard:
    code: str
    name: str
    average_index: Decimal
    rows: tuple[RankingRow, ...]  # in rank order
    fields: tuple[FieldColumn, ...]  # the fields the group's units were scored on, in code order
    heat_rows: tuple[HeatRow, ...]
    field_averages: tuple[HeatCell, ...]  # mean of the units' component indices, per field
    class_counts: tuple[ClassCount, ...]
    has_changes: bool  # the previous year has results to compare with
    highlight: str | None = None  # name of the unit chosen for the radar chart, when it is in this group

    @property
    def ranking_svg(self) -> str:
        return bar_chart(
            [(row.unit_name, row.index) for row in self.rows],
            reference=self.average_index,
            reference_label=_("TB nhóm"),
            highlight=self.highlight,
            title=_("Chỉ số CCHC (%%) của nhóm %(group)s") % {"group": self.name},
        )

    @property
    def change_svg(self) -> str:
        return change_chart(
            [(row.unit_name, row.index_change) for row in self.rows],
            title=_("Thay đổi chỉ số CCHC của nhóm %(group)s") % {"group": self.name},
        )

    @property
    def class_svg(self) -> str:
        return column_chart(
            [(count.label, count.count) for count in self.class_counts],
            width=360,
            height=200,
            title=_("Số đơn vị theo xếp loại của nhóm %(group)s") % {"group": self.name},
        )

    def _count(self, attribute: str, sign: int) -> int:
        total = 0
        for row in self.rows:
            value = getattr(row, attribute)
            if value is None:
                continue
            if attribute == "index_change":
                value = calc.quantize_score(value)  # judged on the value as printed, like the tables
            if (value > 0 and sign > 0) or (value < 0 and sign < 0) or (value == 0 and sign == 0):
                total += 1
        return total

    @property
    def index_up(self) -> int:
        return self._count("index_change", 1)

    @property
    def index_down(self) -> int:
        return self._count("index_change", -1)

    @property
    def index_same(self) -> int:
        return self._count("index_change", 0)

    @property
    def rank_up(self) -> int:
        return self._count("rank_change", 1)

    @property
    def rank_down(self) -> int:
        return self._count("rank_change", -1)

    @property
    def without_previous(self) -> int:
        return sum(1 for row in self.rows if row.change is None or row.index_change is None)


@dataclass(frozen=True, slots=True)
class Radar:
    unit: UnitChoice
    group_name: str
    fields: tuple[FieldColumn, ...]
    unit_values: tuple[Decimal | None, ...]
    group_values: tuple[Decimal | None, ...]

    @property
    def rows(self) -> list[tuple[FieldColumn, Decimal | None, Decimal | None]]:
        """The chart's figures field by field, for the table next to it."""
        return list(zip(self.fields, self.unit_values, self.group_values, strict=True))

    @property
    def svg(self) -> str:
        return radar_chart(
            [_("Lĩnh vực %(code)s") % {"code": f.code} for f in self.fields],
            [(self.unit.name, self.unit_values), (_("TB nhóm"), self.group_values)],
            title=_("Chỉ số thành phần (%%) của %(unit)s so với trung bình nhóm") % {"unit": self.unit.name},
        )


@dataclass(frozen=True, slots=True)
class Dashboard:
    body_code: str
    body_name: str
    year: int
    years: tuple[int, ...]  # years the reader may choose, newest first
    draft_years: tuple[int, ...]  # of those, the years with figures not yet published
    published: bool
    computed_at: datetime | None  # when the figures were computed, for figures not yet published
    stale: bool  # something changed since computed_at: a recompute is on its way
    refresh_error: str  # the last recompute failed: the figures are those of the one before
    publication_decision: str
    previous_year: int | None
    group_choices: tuple[GroupChoice, ...]
    selected_group: str | None
    groups: tuple[GroupDashboard, ...]
    unit_choices: tuple[UnitChoice, ...]  # units the reader may pick for the radar chart
    radar: Radar | None

    @property
    def field_legend(self) -> tuple[FieldColumn, ...]:
        """Every field shown in a heat map, once, in code order."""
        seen: dict[str, FieldColumn] = {}
        for group in self.groups:
            for column in group.fields:
                seen.setdefault(column.code, column)
        return tuple(sorted(seen.values(), key=lambda c: _code_key(c.code)))


def _code_key(code: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


@dataclass(frozen=True, slots=True)
class DashboardYears:
    years: tuple[int, ...]  # newest first
    draft_years: tuple[int, ...]  # years with computed results only, nothing published yet


def dashboard_year_list(*, body: EvaluatingBody, draft: bool = False) -> DashboardYears:
    """Return the years with published results, plus (draft) those with computed results, newest first."""
    published = set(ranking_year_list(body=body))
    computed: set[int] = set()
    if draft:
        computed.update(
            ComputedResult.objects.filter(period__body=body).values_list("period__year", flat=True).distinct()
        )
    return DashboardYears(
        years=tuple(sorted(published | computed, reverse=True)),
        draft_years=tuple(sorted(computed - published, reverse=True)),
    )


def _mean(values: Sequence[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, calc.ZERO) / len(present) if present else None


def _group_dashboard(group, names: dict[str, str], has_changes: bool) -> GroupDashboard:
    codes = sorted({f.code for row in group.rows for f in row.ranked.totals.fields}, key=_code_key)
    fields = tuple(FieldColumn(code=code, name=names.get(code, "")) for code in codes)
    heat_rows = []
    for row in group.rows:
        indices = {f.code: f.component_index for f in row.ranked.totals.fields}
        heat_rows.append(
            HeatRow(
                unit_code=row.unit_code,
                unit_name=row.unit_name,
                rank=row.rank,
                index=row.index,
                cells=tuple(HeatCell(field_code=code, value=indices.get(code)) for code in codes),
            )
        )
    averages = tuple(
        HeatCell(field_code=code, value=_mean([r.cells[i].value for r in heat_rows]))
        for i, code in enumerate(codes)
    )
    return GroupDashboard(
        code=group.code,
        name=group.name,
        average_index=group.average_index,
        rows=group.rows,
        fields=fields,
        heat_rows=tuple(heat_rows),
        field_averages=averages,
        class_counts=group.class_counts,
        has_changes=has_changes,
    )


def dashboard_get(
    *,
    body: EvaluatingBody,
    year: int | None = None,
    group: str | None = None,
    unit: str | None = None,
    draft: bool = False,
    unit_ids: Collection[int] | None = None,
) -> Dashboard | None:
    """Return the dashboard of the year (the latest when None), or None when the body has no results at all.

    draft: the reader may see figures not yet published (last recompute). unit_ids: the units the reader may
    pick for the radar chart (None: every unit). RankingNotFound for a year the reader may not see or that has
    no results, or an unknown group. An unknown or forbidden unit code falls back to the first allowed unit.
    """
    year_list = dashboard_year_list(body=body, draft=draft)
    years = year_list.years
    if year is None:
        if not years:
            return None
        year = years[0]
    if year not in years:
        raise RankingNotFound(_("Chưa có kết quả năm %(year)s.") % {"year": year})
    table = results_table(body=body, year=year, group=group, draft=draft)
    if not table.published and not draft:  # pragma: no cover - the year list already excludes such years
        raise RankingNotFound(_("Chưa có kết quả năm %(year)s.") % {"year": year})
    period = Period.objects.get(body=body, year=year)
    names = field_names(period)
    groups = [_group_dashboard(g, names, table.has_changes) for g in table.groups]

    choices = tuple(
        UnitChoice(code=row.unit_code, name=row.unit_name, group_code=g.code)
        for g in groups
        for row in sorted(g.rows, key=lambda r: r.unit_name)
        if unit_ids is None or row.unit_id in unit_ids
    )
    chosen = next((c for c in choices if c.code == unit), choices[0] if choices else None)
    radar = None
    if chosen is not None:
        home = next(g for g in groups if g.code == chosen.group_code)
        heat_row = next(r for r in home.heat_rows if r.unit_code == chosen.code)
        radar = Radar(
            unit=chosen,
            group_name=home.name,
            fields=home.fields,
            unit_values=tuple(c.value for c in heat_row.cells),
            group_values=tuple(c.value for c in home.field_averages),
        )
        groups = [replace(g, highlight=chosen.name) if g is home else g for g in groups]

    return Dashboard(
        body_code=table.body_code,
        body_name=table.body_name,
        year=year,
        years=years,
        draft_years=year_list.draft_years,
        published=table.published,
        computed_at=table.computed_at,
        stale=table.stale,
        refresh_error=table.refresh_error,
        publication_decision=table.publication_decision,
        previous_year=table.previous_year,
        group_choices=table.group_choices,
        selected_group=table.selected_group,
        groups=tuple(groups),
        unit_choices=choices,
        radar=radar,
    )
