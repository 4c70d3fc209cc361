"""Read-only queries of the evaluation model, always scoped by evaluating body."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from scoring.access import bodies_administered, bodies_for_user
from scoring.evaluation.rows import CriteriaRow
from scoring.models import (
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    NotApplicableItem,
    Period,
    UnitGroup,
    User,
)


def body_get_for_user(*, user: User, code: str | None = None) -> EvaluatingBody | None:
    """Return the body the user works in: the one named by code, or their only/first body."""
    bodies = bodies_for_user(user)
    if code:
        return bodies.filter(code=code).first()
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
        for item in criteria_set_tree(criteria_set=criteria_set)
    ]


def unit_group_find(*, body: EvaluatingBody, group: str) -> UnitGroup | None:
    """Return the body's unit group whose code or name (any case) is `group`."""
    return UnitGroup.objects.filter(body=body).filter(Q(code=group) | Q(name__iexact=group)).first()
