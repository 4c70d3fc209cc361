from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def wait_text(value: timedelta | None) -> str:
    """Say a waiting time in words, "1 giờ 30 phút", rather than Python's "1:30:00"."""
    if value is None:
        return ""
    minutes = max(round(value.total_seconds() / 60), 1)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes})
    return " ".join(parts)
