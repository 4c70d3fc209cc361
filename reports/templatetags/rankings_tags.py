"""Numbers in the ranking tables, always through calc so that the page prints what the report prints."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import calc
from scoring.formatting import format_number
from scoring.templatetags import vn_format

register = template.Library()
# One formatter: the same functions as {% load vn_format %}.
register.filter("vn", vn_format.vn)
register.filter("vn_text", vn_format.vn)
register.filter("pct", vn_format.pct)
register.filter("count", vn_format.count)

NO_CHANGE = "—"


@register.filter
def index_change(value: Decimal | None) -> SafeString | str:
    """Return ▲/▼ and the size of an index change, judged on the value as printed."""
    if value is None:
        return NO_CHANGE
    # A change of +0.004 prints as 0,00: an arrow on it would contradict the number.
    rounded = calc.quantize_score(value)
    if rounded > 0:
        return format_html('<span class="up">▲ {}</span>', format_number(rounded))
    if rounded < 0:
        return format_html('<span class="down">▼ {}</span>', format_number(-rounded))
    return format_number(rounded)


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


_DIFF_LABELS = {
    "group": gettext_lazy("Nhóm xếp hạng"),
    "appraisal_points": gettext_lazy("Điểm thẩm định"),
    "survey_points": gettext_lazy("Điểm điều tra XHH"),
    "total_points": gettext_lazy("Tổng điểm"),
    "max_points": gettext_lazy("Thang điểm"),
    "index": gettext_lazy("Chỉ số (%)"),
    "class": gettext_lazy("Xếp loại"),
    "rank": gettext_lazy("Xếp hạng"),
    "not_applicable": gettext_lazy("Tiêu chí không đánh giá"),
    "points": gettext_lazy("điểm"),
}


@register.filter
def diff_label(key: str) -> str:
    """Return a snapshot diff key ("item 1.2.1", "field 3 points", "rank") as Vietnamese text."""
    kind, _sep, rest = key.partition(" ")
    if kind == "item":
        return _("Tiêu chí %(code)s") % {"code": rest}
    if kind == "field":
        code, _sep, value = rest.partition(" ")
        return _("Lĩnh vực %(code)s: %(value)s") % {
            "code": code,
            "value": str(_DIFF_LABELS.get(value, value)).lower(),
        }
    return str(_DIFF_LABELS.get(key, key))
