"""Display of criteria maxima: "13,5", not "13.50" (the way criteria sets are printed)."""

from django import template
from django.utils.translation import gettext as _

from scoring.evaluation.rows import METHOD_SURVEY
from scoring.templatetags import vn_format

register = template.Library()
register.filter("points", vn_format.points)


@register.filter
def method_label(method: str) -> str:
    if not method:
        return ""
    return _("Điều tra XHH") if method == METHOD_SURVEY else _("Thẩm định")
