"""Recovery plans as the pages and exports read them: last year's field standing, the actions, the projection.

A plan of year Y lists the points lost in year Y-1. The province's standing is its national result of Y-1
(NationalFieldResult: points of each field's maximum); a unit's is its field totals in the results of Y-1
(published, or the last recompute for the body's staff). `plan_calc.project` does the arithmetic.

Fixed query counts, whatever the number of actions, fields or units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ComputedResult, FieldTarget, NationalFieldResult, NationalResult, RecoveryAction
from reports.rankings.selectors import RankingNotFound
from reports.results.selectors import DEFAULT_FIELD_NAMES, field_names, results_table
from scoring import calc
from scoring.formatting import format_percent
from scoring.models import EvaluatingBody, Period, Unit

from . import calc as plan_calc

HUNDRED = Decimal(100)
Status = RecoveryAction.Status
OPEN_STATUSES = frozenset({Status.PLANNED, Status.IN_PROGRESS})


class PlanError(ValueError):
    """Nothing to build or report a plan from (Vietnamese message)."""


def code_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Return a sort key that puts "2" before "10" and "1.2" before "1.10"."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


def target_text(target: FieldTarget | None) -> str:
    """Return the target as seeds/000 writes it: "Đạt từ 83,00% trở lên; hạng 35–38"."""
    if target is None:
        return ""
    label = str(target.get_comparison_display())
    value = format_percent(target.target_index)
    text = label.replace("…", value) if "…" in label else f"{label} {value}"
    if target.rank_best or target.rank_worst:
        ranks = [str(r) for r in (target.rank_best, target.rank_worst) if r]
        if len(ranks) == 2 and ranks[0] == ranks[1]:
            ranks = ranks[:1]
        text += "; " + _("hạng %(ranks)s") % {"ranks": "–".join(ranks)}
    return text


@dataclass(frozen=True, slots=True)
class PlanField:
    """One field of the plan: last year's standing, the points planned to recover, the projection."""

    code: str
    name: str
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    rank: int | None
    planned: Decimal  # counted points of the plan's actions in this field (recoverable, not dropped)
    projection: plan_calc.FieldProjection | None  # None when last year's points of the field are unknown
    target: FieldTarget | None = None

    @property
    def recovered(self) -> Decimal | None:
        return self.projection.recovered if self.projection else None

    @property
    def projected_points(self) -> Decimal | None:
        return self.projection.projected_points if self.projection else None

    @property
    def projected_index(self) -> Decimal | None:
        return self.projection.projected_index if self.projection else None

    @property
    def index_change(self) -> Decimal | None:
        # Against the index as shown (the one published, when recorded), so the three columns agree.
        return calc.printed_change(self.index, self.projected_index)

    @property
    def capped(self) -> bool:
        """True when more points were planned than the field lost (the projection stops at the maximum)."""
        return self.projection is not None and self.projection.planned > self.projection.recovered

    @property
    def target_text(self) -> str:
        return target_text(self.target)

    @property
    def responsible(self) -> str:
        if self.target is None:
            return ""
        names = [u.name for u in self.target.responsible_units.all()]
        return self.target.responsible or "; ".join(names)


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One recovery action with what the list shows beside it."""

    action: RecoveryAction
    field_name: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class Plan:
    body: EvaluatingBody
    year: int
    unit: Unit | None  # None: the province's plan
    fields: tuple[PlanField, ...]
    projection: plan_calc.Projection | None  # None when no field of last year is known
    actions: tuple[ActionRow, ...]
    national: NationalResult | None = None  # province plans: last year's national result
    total_target: FieldTarget | None = None
    # False when the unit's standing comes from a recompute not yet published (the body's staff only).
    published: bool = True
    standing_note: str = ""  # why last year's figures are missing, when they are

    @property
    def total_target_text(self) -> str:
        return target_text(self.total_target)

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def total_change(self) -> Decimal | None:
        if (
            self.projection is None
            or self.projection.index is None
            or self.projection.projected_index is None
        ):
            return None
        return calc.printed_change(self.projection.index, self.projection.projected_index)

    @property
    def field_sum_differs(self) -> bool:
        """Whether the fields' total, as printed, differs from the published index printed beside it.

        The fields are summed from their own rounded points, the Ministry's index from unrounded ones (and, for a
        province, with SIPAS weighed in): the page says why two totals are shown, rather than leaving a reader
        to think one is wrong.
        """
        if self.national is None or self.projection is None or self.projection.index is None:
            return False
        return calc.printed_change(self.national.index, self.projection.index) != 0

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def done(self) -> int:
        return sum(1 for row in self.actions if row.action.status == Status.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.actions if row.overdue)

    @property
    def uncounted_fields(self) -> tuple[str, ...]:
        """Fields with counted actions but no standing last year: their points cannot enter the projection."""
        known = {f.code for f in self.fields if f.projection is not None}
        codes = {
            row.action.field_code
            for row in self.actions
            if row.action.counted_points > 0 and row.action.field_code not in known
        }
        return tuple(sorted(codes, key=code_key))

    def filtered(self, *, field: str = "", status: str = "") -> tuple[ActionRow, ...]:
        """Return the actions of one field and/or status ("overdue" keeps those past due and not finished)."""
        rows = self.actions
        if field:
            rows = tuple(r for r in rows if r.action.field_code == field)
        if status == "overdue":
            rows = tuple(r for r in rows if r.overdue)
        elif status:
            rows = tuple(r for r in rows if r.action.status == status)
        return rows


def _overdue(action: RecoveryAction, today: date) -> bool:
    return action.due_date is not None and action.due_date < today and action.status in OPEN_STATUSES


def _actions(*, body: EvaluatingBody, year: int, unit: Unit | None) -> list[RecoveryAction]:
    queryset = RecoveryAction.objects.filter(body=body, year=year).select_related("responsible_unit")
    queryset = queryset.filter(unit=unit) if unit is not None else queryset.filter(unit__isnull=True)
    return sorted(
        queryset, key=lambda a: (code_key(a.field_code), a.order, code_key(a.item_code or "0"), a.pk)
    )


def _build(
    *,
    body: EvaluatingBody,
    year: int,
    unit: Unit | None,
    standings: Sequence[tuple[str, str, Decimal | None, Decimal | None, Decimal | None, int | None]],
    names: dict[str, str],
    actions: list[RecoveryAction],
    targets: dict[str, FieldTarget] | None = None,
    **extra,
) -> Plan:
    """Return the plan from each field's (code, name, points, max, index, rank) and the actions."""
    targets = targets or {}
    projectable = [
        plan_calc.FieldStanding(code=code, points=points, max_points=maximum)
        for code, _name, points, maximum, _index, _rank in standings
        if points is not None and maximum is not None and maximum > 0 and 0 <= points <= maximum
    ]
    known = {f.code for f in projectable}
    counted = [
        plan_calc.Recovery(field_code=a.field_code, points=a.counted_points)
        for a in actions
        if a.counted_points > 0 and a.field_code in known
    ]
    projection = plan_calc.project(projectable, counted) if projectable else None
    by_code = {f.code: f for f in projection.fields} if projection else {}
    planned: dict[str, Decimal] = {}
    for a in actions:
        planned[a.field_code] = planned.get(a.field_code, Decimal(0)) + a.counted_points
    fields = tuple(
        PlanField(
            code=code,
            name=name or names.get(code, ""),
            points=points,
            max_points=maximum,
            # The index as published wins over points / maximum (they can differ in the last place).
            index=index if index is not None else (by_code[code].index if code in by_code else None),
            rank=rank,
            planned=planned.get(code, Decimal(0)),
            projection=by_code.get(code),
            target=targets.get(code),
        )
        for code, name, points, maximum, index, rank in standings
    )
    today = timezone.localdate()
    field_label = {f.code: f.name for f in fields}
    rows = tuple(
        ActionRow(
            action=a,
            field_name=field_label.get(a.field_code) or names.get(a.field_code, ""),
            overdue=_overdue(a, today),
        )
        for a in actions
    )
    return Plan(
        body=body,
        year=year,
        unit=unit,
        fields=fields,
        projection=projection,
        actions=rows,
        total_target=targets.get(FieldTarget.TOTAL),
        **extra,
    )


def province_plan_get(*, body: EvaluatingBody, year: int) -> Plan:
    """Return the province's plan of the year, projected from its national field results of the year before."""
    national = NationalResult.objects.filter(body=body, year=year - 1).first()
    standings = []
    if national is not None:
        rows = sorted(
            NationalFieldResult.objects.filter(result=national), key=lambda f: code_key(f.field_code)
        )
        for f in rows:
            points = f.points
            if points is None and f.index is not None and f.max_points is not None:
                # Only the index was recorded: its points are the index of the maximum.
                points = f.index * f.max_points / HUNDRED
            standings.append((f.field_code, f.name, points, f.max_points, f.index, f.rank))
    targets = {
        t.field_code: t
        for t in FieldTarget.objects.filter(body=body, year=year).prefetch_related("responsible_units")
    }
    note = "" if national is not None else "no_national_result"
    return _build(
        body=body,
        year=year,
        unit=None,
        standings=standings,
        names=DEFAULT_FIELD_NAMES,
        actions=_actions(body=body, year=year, unit=None),
        targets=targets,
        national=national,
        standing_note=note,
    )


def unit_plan_get(*, unit: Unit, year: int, draft: bool = False) -> Plan:
    """Return the unit's plan of the year, projected from its field totals of the year before.

    draft=True (the body's staff) reads the last recompute when the year before is not published.
    """
    body = unit.body
    period = Period.objects.filter(body=body, year=year - 1).first()
    names = field_names(period) if period is not None else dict(DEFAULT_FIELD_NAMES)
    standings = []
    published = True
    note = ""
    try:
        table = results_table(body=body, year=year - 1, draft=draft)
    except RankingNotFound:
        table = None
        # Figures the reader may not see yet are "not published", not "none".
        unpublished = not draft and ComputedResult.objects.filter(period=period).exists()
        note = "not_published" if unpublished else "no_results"
    if table is not None and not table.published and not draft:
        table, note = None, "not_published"
    if table is not None:
        row = next((r for r in table.rows if r.unit_id == unit.pk), None)
        if row is None:
            note = "unit_missing"
        else:
            published = row.published
            fields = sorted(row.ranked.totals.fields, key=lambda f: code_key(f.code))
            standings = [(f.code, "", f.points, f.max_points, f.component_index, None) for f in fields]
            if not standings:
                note = "no_fields"
    return _build(
        body=body,
        year=year,
        unit=unit,
        standings=standings,
        names=names,
        actions=_actions(body=body, year=year, unit=unit),
        published=published,
        standing_note=note,
    )


# --- index of plans ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanSummary:
    year: int
    unit: Unit | None
    total: int
    done: int
    overdue: int


def _summaries(queryset, units: dict[int, Unit]) -> list[PlanSummary]:
    today = timezone.localdate()
    rows = (
        queryset.values("year", "unit_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Status.DONE)),
            late=Count("pk", filter=Q(due_date__lt=today, status__in=list(OPEN_STATUSES))),
        )
        .order_by("-year", "unit_id")
    )
    return [
        PlanSummary(
            year=r["year"],
            unit=units.get(r["unit_id"]) if r["unit_id"] else None,
            total=r["total"],
            done=r["done"],
            overdue=r["late"],
        )
        for r in rows
        if r["unit_id"] is None or r["unit_id"] in units
    ]


def plan_list(*, body: EvaluatingBody, units: Iterable[Unit]) -> tuple[list[PlanSummary], list[PlanSummary]]:
    """Return (province plans, unit plans) of the body with their progress; unit plans only of `units`."""
    units_by_id = {u.pk: u for u in units}
    province = _summaries(RecoveryAction.objects.filter(body=body, unit__isnull=True), {})
    # The year after the latest national result, to plan for, when nothing is planned for it yet; earlier
    # years without a plan are history, not work to do.
    planned_years = {p.year for p in province}
    latest = NationalResult.objects.filter(body=body).order_by("-year").values_list("year", flat=True).first()
    if latest is not None and latest + 1 not in planned_years:
        province.append(PlanSummary(year=latest + 1, unit=None, total=0, done=0, overdue=0))
    province.sort(key=lambda p: -p.year)
    unit_plans = _summaries(
        RecoveryAction.objects.filter(body=body, unit_id__in=list(units_by_id)), units_by_id
    )
    unit_plans.sort(key=lambda p: (-p.year, p.unit.name if p.unit else ""))
    return province, unit_plans
