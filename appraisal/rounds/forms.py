"""Input forms of the round sheet: they parse what was typed; appraisal.rounds.services checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.assessment.forms import ItemScoreForm


class ItemAppraisalForm(ItemScoreForm):
    """One item's appraised score as posted from the round sheet."""

    typed_fields = ("comment", "needs_explanation")

    points = forms.CharField(label=_("Điểm thẩm định"), required=False, max_length=20)
    comment = forms.CharField(label=_("Nhận xét"), required=False, max_length=10_000)
    needs_explanation = forms.BooleanField(label=_("Cần giải trình/bổ sung"), required=False)


class ItemSelectionForm(forms.Form):
    """The items ticked for a bulk action."""

    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args: Any, item_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i, str(i)) for i in item_ids]
        self.fields["items"].error_messages["required"] = _("Chưa chọn tiêu chí nào.")
        self.fields["items"].error_messages["invalid_choice"] = _(
            "Có tiêu chí không thể chấp nhận điểm ở vòng này."
        )


class OverwriteForm(forms.Form):
    """The second step of a bulk action: the held items the person chose to replace, each with the version
    they saw on the confirmation (posted as version-<id>), so a row saved since is not replaced."""

    overwrite = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args: Any, item_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overwrite"].choices = [(i, str(i)) for i in item_ids]
        self.fields["overwrite"].error_messages["invalid_choice"] = _(
            "Có tiêu chí không thể thay điểm ở vòng này."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        versions = {}
        for item_id in cleaned.get("overwrite") or []:
            raw = self.data.get(f"version-{item_id}", "")
            if not str(raw).isdigit():
                raise forms.ValidationError(_("Thiếu phiên bản của tiêu chí đã chọn; hãy tải lại trang."))
            versions[item_id] = int(raw)
        cleaned["versions"] = versions
        return cleaned


class ReasonForm(forms.Form):
    """The reason of a return for correction; required (the service checks it too)."""

    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": _("Phải nêu lý do trả lại.")},
    )
    target = forms.CharField(max_length=30)
