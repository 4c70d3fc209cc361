"""Reading the people of a body: the accounts holding a role in it, with their roles there and their lock."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from scoring.accounts.selectors import locked_accounts
from scoring.models import EvaluatingBody, RoleAssignment, User, unit_order

ACTIVE, INACTIVE, LOCKED = "active", "inactive", "locked"


@dataclass(frozen=True, slots=True)
class PersonRow:
    user: User
    roles: list[RoleAssignment]
    locked: bool


def body_accounts(*, body: EvaluatingBody) -> QuerySet[User]:
    """Return the accounts holding any role in the body (active or not)."""
    return User.objects.filter(Exists(body.role_assignments.filter(user=OuterRef("pk"))))


def person_get(*, body: EvaluatingBody, pk: int) -> User | None:
    """Return the account if it holds a role in the body, else None (another body's people do not exist here)."""
    return body_accounts(body=body).filter(pk=pk).first()


def person_roles(*, body: EvaluatingBody, user: User) -> list[RoleAssignment]:
    """Return the account's roles in the body, body-wide ones first."""
    return list(
        body.role_assignments.filter(user=user).select_related("unit").order_by(*unit_order("unit__"), "role")
    )


def people_list(
    *,
    body: EvaluatingBody,
    role: str = "",
    unit_id: int | None = None,
    state: str = "",
    text: str = "",
    user_id: int | None = None,
) -> list[PersonRow]:
    """Return the body's people matching the filters, by username; a fixed number of queries whatever their count."""
    users = body_accounts(body=body)
    if user_id is not None:
        users = users.filter(pk=user_id)
    if role or unit_id:
        held = body.role_assignments.filter(user=OuterRef("pk"))
        if role:
            held = held.filter(role=role)
        if unit_id:
            held = held.filter(unit_id=unit_id)
        users = users.filter(Exists(held))
    if text:
        users = users.filter(
            Q(username__icontains=text) | Q(full_name__icontains=text) | Q(email__icontains=text)
        )
    if state == ACTIVE:
        users = users.filter(is_active=True)
    elif state == INACTIVE:
        users = users.filter(is_active=False)
    locked = {a.user.pk for a in locked_accounts(accounts=body_accounts(body=body))}
    if state == LOCKED:
        users = users.filter(pk__in=locked)
    users = users.order_by("username").prefetch_related(
        Prefetch(
            "roles",
            queryset=body.role_assignments.select_related("unit").order_by(*unit_order("unit__"), "role"),
            to_attr="body_roles",
        )
    )
    return [PersonRow(user=u, roles=u.body_roles, locked=u.pk in locked) for u in users]
