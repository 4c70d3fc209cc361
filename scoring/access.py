"""Who may see and do what: every view and endpoint asks here, never decides on its own."""

from __future__ import annotations

from django.db.models import QuerySet

from scoring.models import UNIT_ROLES, EvaluatingBody, Role, RoleAssignment, Unit, User

# Roles that see every unit of their body (the unit roles see only their own units).
BODY_WIDE_ROLES = frozenset({Role.BODY_ADMIN, Role.APPRAISER, Role.COUNCIL_MEMBER, Role.VIEWER})


def bodies_for_user(user: User) -> QuerySet[EvaluatingBody]:
    """Return the evaluating bodies in which the user holds any role."""
    if not user.is_authenticated:
        return EvaluatingBody.objects.none()
    if user.is_superuser:
        return EvaluatingBody.objects.all()
    return EvaluatingBody.objects.filter(role_assignments__user=user).distinct()


def has_role(user: User, body: EvaluatingBody, *roles: str) -> bool:
    """Return whether the user holds one of the roles in the body (superusers hold all)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, body=body, role__in=roles).exists()


def is_body_admin(user: User, body: EvaluatingBody) -> bool:
    return has_role(user, body, Role.BODY_ADMIN)


def units_visible_to(user: User, body: EvaluatingBody) -> QuerySet[Unit]:
    """Return the units of the body whose scores and evidence the user may see."""
    units = Unit.objects.filter(body=body)
    if has_role(user, body, *BODY_WIDE_ROLES):
        return units
    return units.filter(role_assignments__user=user, role_assignments__role__in=UNIT_ROLES).distinct()
