"""Display of criteria maxima: "13,5", not "13.50" (the way criteria sets are printed)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from scoring.evaluation.rows import METHOD_SURVEY, format_points

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    return "" if value is None else format_points(Decimal(value))


@register.filter
def method_label(method: str) -> str:
    if not method:
        return ""
    return _("Điều tra XHH") if method == METHOD_SURVEY else _("Thẩm định")
