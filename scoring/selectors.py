"""Read-only queries of the evaluation model, always scoped by evaluating body."""

from __future__ import annotations

from django.db.models import QuerySet

from .access import bodies_for_user
from .models import EvaluatingBody, Period, User


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
