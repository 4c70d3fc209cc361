"""Input forms of the scoring pages: they check what was typed, services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from scoring.models import EvaluatingBody, Period, UnitGroup

MAX_WORKBOOK_MB = 5


class CriteriaImportForm(forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)
    unit_group = forms.ModelChoiceField(
        label=_("Nhóm đơn vị"), queryset=UnitGroup.objects.none(), empty_label=_("— chọn nhóm —")
    )
    name = forms.CharField(
        label=_("Tên bộ tiêu chí"),
        max_length=255,
        required=False,
        help_text=_("Để trống: “Bộ tiêu chí (tên nhóm) năm (năm đánh giá)”."),
    )
    workbook = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    is_illustrative = forms.BooleanField(
        label=_("Bộ tiêu chí minh họa (không phải văn bản chính thức)"), required=False
    )
    replace = forms.BooleanField(
        label=_("Thay thế bộ tiêu chí đã có của nhóm trong năm này"),
        required=False,
        help_text=_("Toàn bộ tiêu chí cũ của bộ bị xóa và thay bằng nội dung của tệp."),
    )

    def __init__(self, *args: Any, body: EvaluatingBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_group"].queryset = UnitGroup.objects.filter(body=body)
        # Built per request, so that it follows the user's language.
        self.fields["workbook"].help_text = _(
            "Theo mẫu của hệ thống, trang “Tiêu chí”. Tối đa %(mb)s MB."
        ) % {"mb": MAX_WORKBOOK_MB}

    def clean_workbook(self) -> Any:
        workbook = self.cleaned_data["workbook"]
        if not workbook.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên)."))
        if workbook.size > MAX_WORKBOOK_MB * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_WORKBOOK_MB})
        return workbook

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("name") and data.get("unit_group") and data.get("year"):
            # Stored data stays in the province's language whatever language the page is in.
            with translation.override(settings.LANGUAGE_CODE):
                data["name"] = _("Bộ tiêu chí %(group)s năm %(year)s") % {
                    "group": data["unit_group"].name,
                    "year": data["year"],
                }
        return data


class CriteriaCloneForm(forms.Form):
    source_year = forms.TypedChoiceField(label=_("Sao chép từ năm"), coerce=int)
    target_year = forms.IntegerField(label=_("Sang năm"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, body: EvaluatingBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = (
            Period.objects.filter(body=body, criteria_sets__isnull=False)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        self.fields["source_year"].choices = [(year, str(year)) for year in years]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source_year") and data.get("source_year") == data.get("target_year"):
            self.add_error("target_year", _("Năm đích phải khác năm nguồn."))
        return data


class ExemptionForm(forms.Form):
    """An item marked not applicable to one unit, with the reason the unit and the council will read."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do không đánh giá"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do không đánh giá tiêu chí.")},
    )
