"""Input forms of the year's setup: they parse what was typed; calc and the services check the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import calc

DATE_FORMAT = "%d/%m/%Y"
DEADLINE_FORMAT = "%d/%m/%Y %H:%M"


class PeriodCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Hãy nhập năm đánh giá."),
            "invalid": _("Năm phải là một số, ví dụ 2026."),
        },
    )
    copy_previous = forms.BooleanField(
        label=_(
            "Sao chép từ năm trước (bộ tiêu chí, mức xếp loại, tiêu chí không đánh giá, phân công, phiếu điều tra)"
        ),
        required=False,
        initial=True,
    )


def _deadline(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DEADLINE_FORMAT],
        help_text=_("Dạng dd/mm/yyyy HH:MM, ví dụ 15/01/2027 17:00."),
        error_messages={"invalid": _("Hãy nhập dạng dd/mm/yyyy HH:MM, ví dụ 15/01/2027 17:00.")},
        widget=forms.DateTimeInput(
            format=DEADLINE_FORMAT, attrs={"placeholder": "dd/mm/yyyy HH:MM", "autocomplete": "off"}
        ),
    )


class DeadlinesForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Ngày bắt đầu"),
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": _("Hãy nhập dạng dd/mm/yyyy, ví dụ 02/01/2027.")},
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        ),
    )
    self_assessment = _deadline(_("Hạn tự đánh giá"))
    explanation = _deadline(_("Hạn giải trình"))
    round2 = _deadline(_("Hạn thẩm định vòng 2"))
    council = _deadline(_("Hạn họp Hội đồng thẩm định"))
    # The deadlines as the page showed them (services.deadlines_seen): a save over someone else's is refused.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def deadlines(self) -> calc.Deadlines:
        return calc.Deadlines(**{name: self.cleaned_data.get(name) for name in calc.Deadlines.__slots__})

    def seen_token(self) -> str | None:
        return self.cleaned_data.get("seen") or None


class BandForm(forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=30)
    label = forms.CharField(label=_("Xếp loại"), max_length=60)
    min_index = forms.CharField(label=_("Chỉ số tối thiểu (%)"), max_length=10)

    def clean_min_index(self) -> Decimal:
        text = self.cleaned_data["min_index"].strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("«%(value)s» không phải là một số, ví dụ 70 hoặc 72,5.") % {"value": text}
            ) from None
        if not value.is_finite() or value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Chỉ số tối thiểu có tối đa 2 chữ số thập phân."))
        return value

    def band(self) -> calc.BandInput:
        return calc.BandInput(
            code=self.cleaned_data["code"],
            label=self.cleaned_data["label"],
            min_index=self.cleaned_data["min_index"],
        )


BandFormSet = forms.formset_factory(BandForm, extra=1, can_delete=True)


def bands_from(formset: Any) -> list[calc.BandInput]:
    """Return the bands typed in a valid formset: rows left empty or ticked for deletion are dropped."""
    return [f.band() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
