"""Input form of the unit's explanation page: it parses what was typed; the explanation services check the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ExplanationForm(forms.Form):
    """One flagged item's explanation; the length cap is the server's (the counter only helps)."""

    text = forms.CharField(label=_("Giải trình"), required=False, strip=False)
    version = forms.IntegerField(min_value=0, required=False)

    def clean_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text", "")
        limit = settings.EXPLANATION_MAX_LENGTH
        if len(text) > limit:
            raise forms.ValidationError(
                _("Giải trình dài %(length)d ký tự, vượt quá giới hạn %(limit)d ký tự.")
                % {"length": len(text), "limit": limit}
            )
        return text
