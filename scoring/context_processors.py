from __future__ import annotations

from functools import cache

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from scoring.models import Notification, Role, User


def nav_state(user: User) -> tuple[frozenset[str], int]:
    """Return the roles the user holds anywhere and their unread notifications count, in one query."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One row per role (one row with no role when the user holds none); the count repeats on each row.
    rows = list(
        User.objects.filter(pk=user.pk)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .values_list("roles__role", "unread")
    )
    count = rows[0][1] if rows else 0
    if user.is_superuser:
        return frozenset(Role.values), count
    return frozenset(role for role, _unread in rows if role), count


def navigation(request):
    """Expose `nav_roles` and `nav_unread`, both read by one query, once, and only if a template asks."""

    @cache
    def state() -> tuple[frozenset[str], int]:
        user = request.user
        if not user.is_authenticated:
            return frozenset(), 0
        return nav_state(user)

    return {
        "nav_roles": SimpleLazyObject(lambda: state()[0]),
        "nav_unread": SimpleLazyObject(lambda: state()[1]),
    }
