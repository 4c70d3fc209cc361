"""Display helpers of the self-assessment pages: Vietnamese numbers, file sizes, deadlines."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.formatting import format_input, format_number
from scoring.templatetags import vn_format

register = template.Library()
# One formatter: the same functions as {% load vn_format %}.
register.filter("vn", vn_format.vn)
register.filter("pct", vn_format.pct)
register.filter("count", vn_format.count)


@register.filter
def score_input(value: Decimal | str | None) -> str:
    """Return the value of a score box: stored points the Vietnamese way ("0,75", "1"), typed text as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return format_input(Decimal(value))


@register.filter
def file_size(size: int | None) -> str:
    """Return a file size as "12,4 MB", "350,0 KB" or "512 B"."""
    if not size:
        return "0 B"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_number(Decimal(size) / 1024, 1)} KB"
    return f"{format_number(Decimal(size) / (1024 * 1024), 1)} MB"


@register.filter
def percent_of(part: int, whole: int) -> int:
    """Return part/whole as a whole percent (0 when whole is 0), for progress bars."""
    if not whole:
        return 0
    return int(Decimal(part) * 100 / Decimal(whole))


@register.simple_tag
def deadline_remaining(deadline: datetime | None, now: datetime | None = None) -> str:
    """Return "còn N ngày", "còn dưới 1 ngày" or "đã quá hạn" for a deadline."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    delta = deadline - now
    if delta.total_seconds() <= 0:
        return _("đã quá hạn")
    if delta.days < 1:
        return _("còn dưới 1 ngày")
    return ngettext("còn %(days)d ngày", "còn %(days)d ngày", delta.days) % {"days": delta.days}


@register.filter
def state_for(edit_state, item_id: int):
    """Return the page's edit state if it is about this item, else None (one item carries it at a time)."""
    if edit_state is not None and edit_state.item_id == item_id:
        return edit_state
    return None


@register.filter
def typed_points(text: str) -> str:
    """Return points as typed, shown the Vietnamese way when they are a number ("0.75" → "0,75")."""
    from scoring.assessment.forms import parse_points

    try:
        value = parse_points(text)
    except ValueError:
        return text
    if value is None:
        return _("(để trống)")
    return format_number(value)
