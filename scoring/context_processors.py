from __future__ import annotations

from functools import cache

from django.utils.functional import SimpleLazyObject

from scoring.access import nav_state

__all__ = ["nav_state", "navigation"]


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
