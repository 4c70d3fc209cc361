"""A unit's analysis report ("báo cáo phân tích kết quả Chỉ số CCHC") of one year: build it, render it.

`unit_analysis_build` reads everything in a fixed number of queries (the ranking tables of the year and the
year before, the field names, the items where points were lost, SIPAS) and returns frozen dataclasses;
`unit_analysis_render` hands them to the PDF template or the Excel writer, which make no queries.
Every figure is the ranking table's: the page, the PDF and the Excel print what the ranking page prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import calc
from scoring.models import Period, Unit
from surveys.models import SipasResult

from .period_results import field_names, lost_items, results_table
from .render.files import CONTENT_TYPES, RenderedFile
from .selectors import RankingNotFound, RankingRow, RankingTable

FORMATS = ("pdf", "xlsx")


# --- what the report holds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearFigures:
    """The unit's line in one year's ranking table, and the size of the group it was ranked in."""

    year: int
    group_name: str
    group_size: int
    group_average_index: Decimal
    appraisal_points: Decimal
    survey_points: Decimal
    total_points: Decimal
    max_points: Decimal
    index: Decimal
    band_label: str
    rank: (
        int | None
    )  # None: the unit is listed apart from its group's ranking (self-scores, not in the decision)
    published: bool


@dataclass(frozen=True, slots=True)
class FieldLine:
    """One field: points/max and component index this year and last, and the group's average index."""

    code: str
    name: str
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    previous_points: Decimal | None
    previous_max_points: Decimal | None
    previous_index: Decimal | None
    group_average_index: Decimal | None

    @property
    def index_change(self) -> Decimal | None:
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index


@dataclass(frozen=True, slots=True)
class LostLine:
    """An item scored below its maximum, with the appraisers' comment; survey items have none."""

    item_code: str
    item_name: str
    field_code: str
    max_points: Decimal
    points: Decimal
    comment: str
    survey: bool

    @property
    def lost_points(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True, slots=True)
class FieldLosses:
    field_code: str
    field_name: str
    items: tuple[LostLine, ...]

    @property
    def lost_points(self) -> Decimal:
        return sum((i.lost_points for i in self.items), calc.ZERO)


@dataclass(frozen=True, slots=True)
class SipasLine:
    label: str
    value: Decimal | None
    previous_value: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value


@dataclass(frozen=True, slots=True)
class UnitAnalysis:
    body_code: str
    body_name: str
    administrator_name: str
    place: str
    generated_on: date
    unit_code: str
    unit_name: str
    year: int
    published: bool  # False: figures of the last recompute, not yet published (a draft)
    current: YearFigures
    previous: YearFigures | None  # None: no published result of the unit last year
    points_change: Decimal | None
    index_change: Decimal | None
    rank_change: int | None  # positive = moved up; None when last year's group differs or is missing
    fields: tuple[FieldLine, ...]
    has_item_data: bool  # False for results imported as published (no item-level points)
    losses: tuple[FieldLosses, ...]  # fields with at least one item below its maximum, in code order
    sipas: tuple[SipasLine, ...]  # empty when the unit has no SIPAS result this year
    sipas_source: str
    # For figures not yet published: the stage they come from, when computed, whether stale or failed since.
    stage_label: str = ""
    computed_at: datetime | None = None
    stale: bool = False
    refresh_error: str = ""

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def appraisal_change(self) -> Decimal | None:
        return self.current.appraisal_points - self.previous.appraisal_points if self.previous else None

    @property
    def survey_change(self) -> Decimal | None:
        return self.current.survey_points - self.previous.survey_points if self.previous else None

    @property
    def has_sipas_previous(self) -> bool:
        return any(line.previous_value is not None for line in self.sipas)

    @property
    def tasks(self) -> tuple[LostLine, ...]:
        """Return the items where points were lost, the largest loss first: next year's tasks."""
        items = [item for field in self.losses for item in field.items]
        return tuple(sorted(items, key=lambda i: (-i.lost_points, _code_key(i.item_code))))

    @property
    def lost_points(self) -> Decimal:
        return sum((f.lost_points for f in self.losses), calc.ZERO)

    @property
    def place_date(self) -> str:
        return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
            "place": self.place,
            "day": self.generated_on.day,
            "month": self.generated_on.month,
            "year": self.generated_on.year,
        }

    @property
    def comparison_text(self) -> str:
        """Return the change against last year in words, from the figures ("" without last year)."""
        if self.previous is None or self.index_change is None:
            return ""
        change = calc.quantize_score(self.index_change)
        if change > 0:
            index = _("chỉ số tăng %(value)s điểm phần trăm") % {"value": calc.format_vn(change)}
        elif change < 0:
            index = _("chỉ số giảm %(value)s điểm phần trăm") % {"value": calc.format_vn(-change)}
        else:
            index = _("chỉ số không đổi")
        if self.rank_change is None:
            rank = _("thứ hạng không so sánh được (năm trước đơn vị được xếp hạng trong nhóm khác)")
        elif self.rank_change > 0:
            rank = _("tăng %(count)s bậc") % {"count": self.rank_change}
        elif self.rank_change < 0:
            rank = _("giảm %(count)s bậc") % {"count": -self.rank_change}
        else:
            rank = _("giữ nguyên thứ hạng")
        return _("So với năm %(year)s: %(index)s, %(rank)s.") % {
            "year": self.previous.year,
            "index": index,
            "rank": rank,
        }


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in code.split("."))


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


# --- rendering -----------------------------------------------------------------------------------------


def unit_analysis_filename(analysis: UnitAnalysis, format: str) -> str:
    draft = "-du-thao" if not analysis.published else ""
    return f"phan-tich-{analysis.unit_code}-{analysis.year}{draft}.{format}"


def radar_svg(analysis: UnitAnalysis) -> str:
    """Return the radar chart of the unit's component indices against its group's average, or "" without one."""
    try:
        from .render.svg import radar_chart
    except ImportError:  # the chart module is optional: the report reads the same without it
        return ""
    fields = [f for f in analysis.fields if f.index is not None]
    if len(fields) < 3:  # a radar of fewer than three axes is a line, not a chart
        return ""
    return radar_chart(
        [_("LV %(code)s") % {"code": f.code} for f in fields],
        [
            (analysis.unit_name, [f.index for f in fields]),
            (_("Trung bình nhóm"), [f.group_average_index for f in fields]),
        ],
        title=_("Chỉ số thành phần của %(unit)s so với trung bình nhóm") % {"unit": analysis.unit_name},
    )


def unit_analysis_context(analysis: UnitAnalysis) -> dict:
    """Return the template context shared by the PDF and the page."""
    return {
        "analysis": analysis,
        "radar_svg": radar_svg(analysis),
        "title": _("Báo cáo phân tích kết quả Chỉ số CCHC năm %(year)s — %(unit)s")
        % {"year": analysis.year, "unit": analysis.unit_name},
    }


def unit_analysis_render(
    *,
    unit: Unit,
    year: int,
    format: str,
    draft: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> RenderedFile:
    """Return the unit's analysis of the year as a PDF or Excel file."""
    if format not in FORMATS:
        raise ValueError(_("Định dạng “%(format)s” không được hỗ trợ.") % {"format": format})
    report = progress or (lambda percent, note: None)
    report(20, _("Đang đọc kết quả của đơn vị"))
    analysis = unit_analysis_build(unit=unit, year=year, draft=draft)
    report(50, _("Đang tạo tệp"))
    if format == "pdf":
        from .render.pdf import render_pdf

        context = {
            **unit_analysis_context(analysis),
            "body_name": analysis.body_name,
            "administrator_name": analysis.administrator_name,
            "place_date": analysis.place_date,
            "footer_note": f"{analysis.unit_name} — {analysis.year}",
        }
        content = render_pdf("reports/pdf/unit_analysis.html", context)
    else:
        from .render.unit_analysis_xlsx import unit_analysis_workbook

        content = unit_analysis_workbook(analysis)
    report(90, _("Đã tạo tệp"))
    return RenderedFile(
        content=content, filename=unit_analysis_filename(analysis, format), content_type=CONTENT_TYPES[format]
    )


def unit_year_list(*, unit: Unit, drafts: bool) -> list[int]:
    """Return the years the unit has a result in (published; with drafts, recomputed too), newest first."""
    from .models import ComputedResult
    from .selectors import published_results

    years = set(published_results().filter(unit=unit).values_list("period__year", flat=True))
    if drafts:
        years |= set(ComputedResult.objects.filter(unit=unit).values_list("period__year", flat=True))
    return sorted(years, reverse=True)
