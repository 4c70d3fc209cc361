"""Numbers in the ranking tables, always through calc so that the page prints what the report prints."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from scoring import calc

register = template.Library()

NO_CHANGE = "—"


@register.filter
def vn(value: Decimal | None) -> str:
    """Return the number in Vietnamese format with two places ("87,42")."""
    return calc.format_vn(value)


@register.filter
def index_change(value: Decimal | None) -> SafeString | str:
    """Return ▲/▼ and the size of an index change, judged on the value as printed."""
    if value is None:
        return NO_CHANGE
    # A change of +0.004 prints as 0,00: an arrow on it would contradict the number.
    rounded = calc.quantize_score(value)
    if rounded > 0:
        return format_html('<span class="up">▲ {}</span>', calc.format_vn(rounded))
    if rounded < 0:
        return format_html('<span class="down">▼ {}</span>', calc.format_vn(-rounded))
    return calc.format_vn(rounded)


@register.filter
def rank_change(value: int | None) -> SafeString | str:
    """Return ▲/▼ and the number of places moved (positive = moved up)."""
    if value is None:
        return NO_CHANGE
    if value > 0:
        return format_html('<span class="up">▲ {}</span>', value)
    if value < 0:
        return format_html('<span class="down">▼ {}</span>', -value)
    return "="
