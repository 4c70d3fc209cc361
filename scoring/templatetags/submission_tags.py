"""`{% submission_key_input %}`: the hidden one-time key of a create form (see scoring.idempotency)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from scoring.idempotency.http import FIELD_NAME, new_submission_key

register = template.Library()


@register.simple_tag
def submission_key_input() -> str:
    """Return a hidden input with a fresh key: a double click posts it twice, and the second POST creates nothing."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, new_submission_key())
