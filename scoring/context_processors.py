from __future__ import annotations

from functools import cache

from django.utils.functional import SimpleLazyObject

from scoring.access import NavState, nav_state
from scoring.accounts.switcher import chosen_body_id

__all__ = ["nav_state", "navigation"]

EMPTY = NavState(frozenset(), 0, ())


def navigation(request):
    """Expose `nav_roles`, `nav_unread` and `nav_bodies`, all read by one query, once, and only if a template asks.

    `nav_bodies` lists (id, code, name) of the user's bodies when there are two or more (the header's switcher), with
    `nav_body_id` the one chosen (else the first, as the pages pick it).
    """

    @cache
    def state() -> NavState:
        user = request.user
        if not user.is_authenticated:
            return EMPTY
        return nav_state(user)

    def bodies() -> tuple[tuple[int, str, str], ...]:
        found = state().bodies
        return found if len(found) > 1 else ()

    def current() -> int | None:
        found = state().bodies
        chosen = chosen_body_id(request)
        ids = [pk for pk, _code, _name in found]
        return chosen if chosen in ids else (ids[0] if ids else None)

    return {
        "nav_roles": SimpleLazyObject(lambda: state().roles),
        "nav_unread": SimpleLazyObject(lambda: state().unread),
        "nav_bodies": SimpleLazyObject(bodies),
        "nav_body_id": SimpleLazyObject(current),
    }
