"""The number filters of every page, all through scoring.formatting: "87,42", "85,11 %", "1.200", "+0,04".

Other tag libraries (assessment_tags, rankings_tags, criteria_tags) register these same functions under
the names their templates already use, so a template prints a figure one way whatever library it loads.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from scoring import formatting

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    # Snapshots keep figures as text ("87.4184"); pages pass Decimals or ints.
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def vn(value: object, places: int = 2) -> str:
    """Return the number the Vietnamese way with `places` decimals (2 unless told): "87,42", "1.234,50"."""
    return formatting.format_number(_decimal(value), int(places))


@register.filter
def pct(value: object, places: int = 2) -> str:
    """Return a percentage "85,11 %" (a non-breaking space before the sign), "—" when missing."""
    return formatting.format_percent(_decimal(value), int(places))


@register.filter
def count(value: int | None) -> str:
    """Return a count with a thousands dot: "1.200"."""
    return formatting.format_count(None if value is None or value == "" else int(value))


@register.filter
def change(value: object, places: int = 2) -> str:
    """Return a signed change "+0,04" / "−0,04"."""
    return formatting.format_change(_decimal(value), int(places))


@register.filter
def points(value: object) -> str:
    """Return points without trailing zeros ("13,5"), as criteria sets print maxima."""
    return formatting.format_points(_decimal(value))


@register.simple_tag
def numbered(code: str, name: str) -> str:
    """{% numbered f.code f.name %}: "3. Cải cách…" for a numbered field, the name alone for "sipas"."""
    return formatting.numbered(code, name)
