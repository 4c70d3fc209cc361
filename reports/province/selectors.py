"""Read-only queries for the province's national results and targets, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports.models import FieldTarget, NationalFieldResult, NationalResult, RecoveryAction
from reports.plans.calc import FieldStanding
from scoring import calc
from scoring.formatting import format_input
from scoring.models import EvaluatingBody, Unit

from . import calc as target_calc
from .io import DEFAULT_FIELD_NAMES, FIELD_CODES, SIPAS
from .io import default_field_name as default_name

TARGET_CODES = (*FIELD_CODES, FieldTarget.TOTAL)


# --- history ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryRow:
    result: NationalResult
    previous_year: int | None
    index_change: Decimal | None
    rank_change: int | None  # positive: moved up (a smaller rank number)


@dataclass(frozen=True, slots=True)
class FieldCell:
    year: int
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    rank: int | None
    rank_change: int | None  # against the previous year with a rank for this field; positive = up


@dataclass(frozen=True, slots=True)
class FieldLine:
    code: str
    name: str
    cells: tuple[FieldCell | None, ...]  # one per History.field_years

    @property
    def ranks(self) -> list[int | None]:
        return [c.rank if c else None for c in self.cells]


@dataclass(frozen=True, slots=True)
class History:
    rows: tuple[HistoryRow, ...]
    field_years: tuple[int, ...]
    field_lines: tuple[FieldLine, ...]
    target_years: tuple[int, ...]

    @property
    def latest(self) -> NationalResult | None:
        return self.rows[-1].result if self.rows else None


def _field_index(f: NationalFieldResult) -> Decimal | None:
    """Return the field's index as stored, or points / maximum when it was left blank (as the model allows)."""
    if f.index is not None:
        return f.index
    if f.points is not None and f.max_points:
        return f.points * 100 / f.max_points
    return None


def _rank_change(previous: int | None, current: int | None) -> int | None:
    if previous is None or current is None:
        return None
    return previous - current


def province_history(*, body: EvaluatingBody) -> History:
    """Return the body's national results by year with changes, and per-field results by year (3 queries)."""
    results = list(NationalResult.objects.filter(body=body).order_by("year"))
    rows = []
    previous: NationalResult | None = None
    for result in results:
        comparable = previous is not None and previous.national_total == result.national_total
        rows.append(
            HistoryRow(
                result=result,
                previous_year=previous.year if previous else None,
                index_change=calc.printed_change(previous.index, result.index) if previous else None,
                # A rank among 63 provinces says nothing about one among 34.
                rank_change=_rank_change(previous.national_rank, result.national_rank)
                if comparable
                else None,
            )
        )
        previous = result
    by_code: dict[str, dict[int, NationalFieldResult]] = {}
    for f in NationalFieldResult.objects.filter(result__body=body).select_related("result"):
        by_code.setdefault(f.field_code, {})[f.result.year] = f
    field_years = tuple(sorted({year for per_year in by_code.values() for year in per_year}))
    lines = []
    for code in sorted(
        by_code, key=lambda c: (c not in FIELD_CODES, FIELD_CODES.index(c) if c in FIELD_CODES else 0, c)
    ):
        per_year = by_code[code]
        cells: list[FieldCell | None] = []
        last_rank: int | None = None
        for year in field_years:
            f = per_year.get(year)
            if f is None:
                cells.append(None)
                continue
            cells.append(
                FieldCell(
                    year=year,
                    points=f.points,
                    max_points=f.max_points,
                    index=_field_index(f),
                    rank=f.rank,
                    rank_change=_rank_change(last_rank, f.rank),
                )
            )
            last_rank = f.rank if f.rank is not None else last_rank
        latest_name = per_year[max(per_year)].name
        lines.append(
            FieldLine(
                code=code, name=latest_name or str(DEFAULT_FIELD_NAMES.get(code, code)), cells=tuple(cells)
            )
        )
    target_years = tuple(
        FieldTarget.objects.filter(body=body).values_list("year", flat=True).distinct().order_by("year")
    )
    return History(
        rows=tuple(rows), field_years=field_years, field_lines=tuple(lines), target_years=target_years
    )


# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """An index and rank of one field in one year, with the field's name there."""

    name: str
    index: Decimal | None
    rank: int | None
    points: Decimal | None = None
    max_points: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TargetLine:
    code: str
    name: str
    last: Figure | None
    target: FieldTarget | None
    progress: target_calc.Progress | None
    achieved: Figure | None
    verdict: target_calc.Verdict | None

    @property
    def responsible_units(self) -> list[Unit]:
        return list(self.target.responsible_units.all()) if self.target else []


@dataclass(frozen=True, slots=True)
class TargetsPage:
    year: int
    last_result: NationalResult | None
    result: NationalResult | None  # the target year's, once imported
    lines: tuple[TargetLine, ...]
    actions_count: int
    units: tuple[Unit, ...] = field(default=())


def _figures(result: NationalResult | None) -> dict[str, Figure]:
    """Return the figures of one year by code, the whole index under "total" (needs fields prefetched)."""
    if result is None:
        return {}
    figures = {
        f.field_code: Figure(
            name=f.name, index=_field_index(f), rank=f.rank, points=f.points, max_points=f.max_points
        )
        for f in result.fields.all()
    }
    if result.sipas_index is not None or result.sipas_rank is not None:
        sipas = figures.get(SIPAS)
        figures[SIPAS] = Figure(
            name=sipas.name if sipas else str(DEFAULT_FIELD_NAMES[SIPAS]),
            index=result.sipas_index if result.sipas_index is not None else (sipas.index if sipas else None),
            rank=result.sipas_rank if result.sipas_rank is not None else (sipas.rank if sipas else None),
            points=sipas.points if sipas else None,
            max_points=sipas.max_points if sipas else None,
        )
    figures[FieldTarget.TOTAL] = Figure(name="", index=result.index, rank=result.national_rank)
    return figures


def province_targets(*, body: EvaluatingBody, year: int) -> TargetsPage:
    """Return each field's target for the year, last year's figures, progress and verdict (6 queries)."""
    results = {
        r.year: r
        for r in NationalResult.objects.filter(body=body, year__in=(year - 1, year)).prefetch_related(
            "fields"
        )
    }
    last_result, result = results.get(year - 1), results.get(year)
    last, achieved = _figures(last_result), _figures(result)
    targets = {
        t.field_code: t
        for t in FieldTarget.objects.filter(body=body, year=year).prefetch_related("responsible_units")
    }
    actions = [
        target_calc.Action(field_code=a.field_code, points=a.counted_points, status=a.status)
        for a in RecoveryAction.objects.filter(body=body, unit__isnull=True, year=year)
    ]
    standings = [
        FieldStanding(code=code, points=f.points, max_points=f.max_points)
        for code, f in last.items()
        if code != FieldTarget.TOTAL and f.points is not None and f.max_points
    ]
    progress = target_calc.progress(
        fields=standings, actions=actions, last_total_index=last_result.index if last_result else None
    )
    lines = []
    for code in TARGET_CODES:
        target = targets.get(code)
        last_figure = last.get(code)
        if target is None and last_figure is None:
            continue
        achieved_figure = achieved.get(code)
        verdict = None
        if target is not None and achieved_figure is not None:
            verdict = target_calc.verdict(
                target_calc.Target(
                    field_code=code,
                    comparison=target.comparison,
                    target_index=target.target_index,
                    rank_best=target.rank_best,
                    rank_worst=target.rank_worst,
                ),
                target_calc.Achieved(index=achieved_figure.index, rank=achieved_figure.rank),
            )
        name = (
            (target.name if target else "") or (last_figure.name if last_figure else "") or default_name(code)
        )
        lines.append(
            TargetLine(
                code=code,
                name=name,
                last=last_figure,
                target=target,
                progress=progress.get(code) if (target is not None or code in progress) else None,
                achieved=achieved_figure,
                verdict=verdict,
            )
        )
    return TargetsPage(
        year=year, last_result=last_result, result=result, lines=tuple(lines), actions_count=len(actions)
    )


def target_edit_initial(
    *, body: EvaluatingBody, year: int
) -> tuple[list[dict], list[Figure | None], list[tuple[int, str]]]:
    """Return the edit form's initial values per code, last year's figures per code, and the body's units."""
    last_result = NationalResult.objects.filter(body=body, year=year - 1).prefetch_related("fields").first()
    last = _figures(last_result)
    targets = {
        t.field_code: t
        for t in FieldTarget.objects.filter(body=body, year=year).prefetch_related("responsible_units")
    }
    initial = []
    figures = []
    for code in TARGET_CODES:
        target = targets.get(code)
        figure = last.get(code)
        figures.append(figure)
        if target is not None:
            initial.append(
                {
                    "field_code": code,
                    "name": target.name,
                    "comparison": target.comparison,
                    # As a Vietnamese user types it: 91,76 rather than 91.7600.
                    "target_index": format_input(target.target_index),
                    "rank_best": target.rank_best,
                    "rank_worst": target.rank_worst,
                    "responsible": target.responsible,
                    "responsible_units": [str(u.pk) for u in target.responsible_units.all()],
                    "basis": target.basis,
                }
            )
        else:
            initial.append(
                {
                    "field_code": code,
                    "name": (figure.name if figure and figure.name else "") or default_name(code),
                    "comparison": FieldTarget.Comparison.AT_LEAST,
                }
            )
    units = list(Unit.objects.filter(body=body).in_official_order().values_list("pk", "name"))
    return initial, figures, units
