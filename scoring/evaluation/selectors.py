"""Read-only queries of the evaluation model, always scoped by evaluating body."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from scoring import calc
from scoring.access import bodies_administered, bodies_for_user
from scoring.evaluation.rows import CriteriaRow
from scoring.models import (
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    NotApplicableItem,
    Period,
    Unit,
    UnitGroup,
    User,
)
from scoring.results.state import ResultsFrozen, results_frozen_check


def body_get_for_user(
    *, user: User, code: str | None = None, chosen_id: int | None = None
) -> EvaluatingBody | None:
    """Return the body the user works in: the one named by code, else the one chosen in the header, else the first.

    The chosen one counts only among the user's own bodies: the choice never opens a body to anyone.
    """
    bodies = bodies_for_user(user)
    if code:
        return bodies.filter(code=code).first()
    if chosen_id is not None:
        chosen = bodies.filter(pk=chosen_id).first()
        if chosen is not None:
            return chosen
    return bodies.order_by("name").first()


def period_list_for_user(*, user: User) -> QuerySet[Period]:
    """Return the periods of every body the user belongs to, newest first."""
    return (
        Period.objects.filter(body__in=bodies_for_user(user))
        .select_related("body")
        .order_by("body__name", "-year")
    )


# --- criteria sets -------------------------------------------------------------------------------


@dataclass(slots=True)
class PeriodCriteriaSets:
    """One period of a body with its criteria sets, for the list page."""

    period: Period
    criteria_sets: list[CriteriaSet] = field(default_factory=list)
    can_manage: bool = False


def bodies_administered_by(*, user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies in which the user may import and clone criteria sets."""
    return bodies_administered(user)


def criteria_set_list_by_period(
    *, user: User, admin_body_ids: set[int] | None = None
) -> list[PeriodCriteriaSets]:
    """Return every period of the user's bodies with its criteria sets (newest first); two or three queries."""
    admin_ids = (
        admin_body_ids
        if admin_body_ids is not None
        else set(bodies_administered_by(user=user).values_list("pk", flat=True))
    )
    groups = {
        p.pk: PeriodCriteriaSets(period=p, can_manage=p.body_id in admin_ids)
        for p in period_list_for_user(user=user)
    }
    criteria_sets = (
        CriteriaSet.objects.filter(period__in=list(groups))
        .select_related("unit_group")
        .annotate(
            item_count=Count("items"),
            total_points=Sum("items__max_points", filter=Q(items__level=Level.FIELD)),
        )
        .order_by("unit_group__order", "unit_group__name")
    )
    for criteria_set in criteria_sets:
        groups[criteria_set.period_id].criteria_sets.append(criteria_set)
    return list(groups.values())


def criteria_set_get_for_user(*, user: User, pk: int) -> CriteriaSet | None:
    """Return the criteria set if it belongs to one of the user's bodies, else None (the view answers 404)."""
    return (
        CriteriaSet.objects.filter(pk=pk, period__body__in=bodies_for_user(user))
        .select_related("period__body", "unit_group")
        .first()
    )


def criteria_set_find(*, body: EvaluatingBody, year: int, group: str) -> CriteriaSet | None:
    """Return the body's set for the year and the unit group named by code or name."""
    return (
        CriteriaSet.objects.filter(period__body=body, period__year=year)
        .filter(Q(unit_group__code=group) | Q(unit_group__name__iexact=group))
        .select_related("period__body", "unit_group")
        .first()
    )


def criteria_set_tree(*, criteria_set: CriteriaSet) -> list[CriteriaItem]:
    """Return the items in tree order, each with `not_applicable_reason` ("" if it applies); one query."""
    period_wide = NotApplicableItem.objects.filter(item=OuterRef("pk"), unit__isnull=True).values("reason")[
        :1
    ]
    items = criteria_set.items.annotate(period_exemption=Subquery(period_wide)).order_by("order", "pk")
    result = list(items)
    for item in result:
        item.not_applicable_reason = item.period_exemption or ""
    return result


def criteria_set_rows(*, criteria_set: CriteriaSet) -> list[CriteriaRow]:
    """Return the set as plain rows (for export, cloning and the pure summary); one query."""
    return criteria_rows_of(criteria_set_tree(criteria_set=criteria_set))


def criteria_rows_of(items: list[CriteriaItem]) -> list[CriteriaRow]:
    """Return items of criteria_set_tree as plain rows."""
    return [
        CriteriaRow(
            code=item.code,
            name=item.name,
            max_points=item.max_points,
            step=item.step,
            method=item.method,
            guidance=item.guidance,
            not_applicable_reason=item.not_applicable_reason,
        )
        for item in items
    ]


def unit_group_find(*, body: EvaluatingBody, group: str) -> UnitGroup | None:
    """Return the body's unit group whose code or name (any case) is `group`."""
    return UnitGroup.objects.filter(body=body).filter(Q(code=group) | Q(name__iexact=group)).first()


# --- not-applicable items of one unit in one period -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExemptionRow:
    """A scored item as the unit sees it: applies, exempt for everyone in the period, or exempt for the unit."""

    item_id: int
    code: str
    name: str
    max_points: Decimal
    period_reason: str  # non-blank: not applicable to any unit (set with the criteria set; not changed here)
    unit_row: NotApplicableItem | None  # the unit's own exemption

    @property
    def applicable(self) -> bool:
        return not self.period_reason and self.unit_row is None


@dataclass(frozen=True, slots=True)
class UnitExemptions:
    criteria_set: CriteriaSet | None
    rows: list[ExemptionRow]
    full_max: Decimal  # the scale if every item applied
    scale_max: Decimal  # the unit's scale: the maxima of the items that apply (calc)
    frozen_message: str  # non-blank: a published result of the unit depends on these, so they cannot change

    @property
    def exempt_max(self) -> Decimal:
        return self.full_max - self.scale_max


def unit_exemptions(*, period: Period, unit: Unit) -> UnitExemptions:
    """Return the scored items of the unit's criteria set in the period with their exemptions, and the scale."""
    criteria_set = CriteriaSet.objects.filter(period=period, unit_group_id=unit.group_id).first()
    items = (
        list(CriteriaItem.objects.filter(criteria_set=criteria_set).scored().order_by("order", "pk"))
        if criteria_set
        else []
    )
    period_reasons: dict[int, str] = {}
    unit_rows: dict[int, NotApplicableItem] = {}
    exemptions = NotApplicableItem.objects.filter(item__criteria_set=criteria_set).filter(
        Q(unit__isnull=True) | Q(unit=unit)
    )
    for row in exemptions if criteria_set else ():
        if row.unit_id is None:
            period_reasons[row.item_id] = row.reason
        else:
            unit_rows[row.item_id] = row
    rows = [
        ExemptionRow(
            item_id=item.pk,
            code=item.code,
            name=item.name,
            max_points=item.max_points,
            period_reason=period_reasons.get(item.pk, ""),
            unit_row=unit_rows.get(item.pk),
        )
        for item in items
    ]
    scale = [
        calc.ItemScore(
            code=row.code,
            field_code=row.code.split(".")[0],
            criterion_code=".".join(row.code.split(".")[:2]),
            method=item.method,
            max_points=row.max_points,
            points=None,
            applicable=row.applicable,
        )
        for row, item in zip(rows, items, strict=True)
    ]
    everything = [replace(score, applicable=True) for score in scale]
    try:
        results_frozen_check(period_id=period.pk, unit_id=unit.pk)
        frozen_message = ""
    except ResultsFrozen as frozen:
        frozen_message = frozen.message
    return UnitExemptions(
        criteria_set=criteria_set,
        rows=rows,
        full_max=calc.unit_totals_from_items(calc.UnitItems(unit.pk, "", tuple(everything))).max_points,
        scale_max=calc.unit_totals_from_items(calc.UnitItems(unit.pk, "", tuple(scale))).max_points,
        frozen_message=frozen_message,
    )


def unit_exemption_item(
    *, period: Period, unit: Unit, item_id: int | None = None, code: str | None = None
) -> CriteriaItem | None:
    """Return the scored item (by id, or by code) of the unit's criteria set in the period, or None if not one."""
    wanted = {"pk": item_id} if item_id is not None else {"code": code}
    return (
        CriteriaItem.objects.filter(
            **wanted, criteria_set__period=period, criteria_set__unit_group=unit.group_id
        )
        .scored()
        .select_related("criteria_set__period")
        .first()
    )


def unit_exemption_row(*, item: CriteriaItem, unit: Unit) -> NotApplicableItem | None:
    """Return the unit's own exemption of the item, if there is one (a new reason then replaces its reason)."""
    return NotApplicableItem.objects.filter(item=item, unit=unit).first()
