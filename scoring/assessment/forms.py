"""Input forms of the self-assessment pages: they parse what was typed; the services check the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def parse_points(text: str) -> Decimal | None:
    """Return the points typed as "0,75" or "0.75" (None when blank); ValueError when not a number."""
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        return None
    # Vietnamese writes the decimal comma; the browser's number input and the API send a point.
    if "," in cleaned and "." in cleaned:
        raise ValueError(cleaned)
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(cleaned) from exc
    if not value.is_finite():
        raise ValueError(cleaned)
    return value


class ItemScoreForm(forms.Form):
    """One item's points as posted from a sheet (htmx or plain POST), with the version the page was shown at.

    The scoring page and the appraisal round sheet both post one; each names the texts it carries (`typed_fields`).
    """

    typed_fields: tuple[str, ...] = ()

    points = forms.CharField(required=False, max_length=20)
    version = forms.IntegerField(min_value=0, required=False)

    def clean_points(self) -> Decimal | None:
        text = self.cleaned_data.get("points", "")
        try:
            return parse_points(text)
        except ValueError:
            raise forms.ValidationError(
                _("«%(value)s» không phải là một số điểm (ví dụ 0,75).") % {"value": text}
            ) from None

    def clean_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def first_error(self) -> str:
        """Return the first error message, for display next to the item."""
        for errors in self.errors.values():
            return str(errors[0])
        return ""

    def typed(self) -> dict[str, Any]:
        """Return what the user typed, to show it again beside an error."""
        typed: dict[str, Any] = {"points": self.data.get("points", "")}
        for name in self.typed_fields:
            field = self.fields[name]
            typed[name] = (
                bool(self.data.get(name))
                if isinstance(field, forms.BooleanField)
                else self.data.get(name, "")
            )
        return typed


class SelfScoreForm(ItemScoreForm):
    """One item's self-score as posted from the scoring page."""

    typed_fields = ("justification", "no_evidence_reason")

    points = forms.CharField(label=_("Điểm tự chấm"), required=False, max_length=20)
    justification = forms.CharField(label=_("Giải thích, căn cứ"), required=False, max_length=10_000)
    no_evidence_reason = forms.CharField(
        label=_("Lý do không có tài liệu kiểm chứng"), required=False, max_length=10_000
    )


class EvidenceUploadForm(forms.Form):
    """Files to attach to one item; each file is checked by the service, one by one."""

    item = forms.IntegerField(min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploaded = self.files.getlist("files") if self.files else []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.uploaded:
            raise forms.ValidationError(_("Chưa chọn tệp nào để tải lên."))
        return data


class EvidenceLinkForm(forms.Form):
    """Already uploaded files to attach to one more item."""

    item = forms.IntegerField(min_value=1)
    evidence = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args: Any, evidence_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence_choices
        self.fields["evidence"].error_messages["required"] = _("Chưa chọn tài liệu nào.")


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Lý do rút lại (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea
    )
