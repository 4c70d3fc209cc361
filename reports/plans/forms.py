"""Input forms of the recovery plan pages: they parse what was typed; reports.plans.services checks the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import RecoveryAction
from scoring.assessment.forms import parse_points
from scoring.formatting import format_input
from scoring.models import Unit

DATE_FORMAT = "%d/%m/%Y"


class PointsField(forms.CharField):
    """Points typed as "0,5" or "0.5"."""

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        try:
            return parse_points(text)
        except ValueError:
            raise forms.ValidationError(
                _("«%(value)s» không phải là một số điểm (ví dụ 0,5).") % {"value": text}
            ) from None


class RecoveryActionForm(forms.Form):
    field_code = forms.ChoiceField(label=_("Lĩnh vực"))
    item_code = forms.CharField(label=_("Mã tiêu chí"), max_length=30, required=False)
    item_name = forms.CharField(
        label=_("Nội dung tiêu chí"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lost_points = PointsField(label=_("Điểm bị mất"), max_length=20)
    recoverable = forms.BooleanField(label=_("Có thể khắc phục"), required=False, initial=True)
    recoverable_points = PointsField(
        label=_("Điểm có thể khắc phục"),
        max_length=20,
        required=False,
        help_text=_("0 nếu không khắc phục được."),
    )
    action = forms.CharField(
        label=_("Nhiệm vụ, giải pháp"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.CharField(label=_("Cơ quan, người chịu trách nhiệm"), max_length=500, required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    due_date = forms.DateField(
        label=_("Hạn hoàn thành"),
        required=False,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=RecoveryAction.Status.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, field_choices: list[tuple[str, str]], units, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_code"].choices = [("", "—"), *field_choices]
        self.fields["responsible_unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Unticked "recoverable" with the points left blank means none; the service checks the rest.
        if cleaned.get("recoverable_points") is None and not cleaned.get("recoverable"):
            cleaned["recoverable_points"] = Decimal(0)
        return cleaned

    @staticmethod
    def initial_from(action: RecoveryAction) -> dict[str, Any]:
        return {
            "field_code": action.field_code,
            "item_code": action.item_code,
            "item_name": action.item_name,
            "lost_points": _points_text(action.lost_points),
            "recoverable": action.recoverable,
            "recoverable_points": _points_text(action.recoverable_points),
            "action": action.action,
            "responsible": action.responsible,
            "responsible_unit": action.responsible_unit_id,
            "due_date": action.due_date,
            "status": action.status,
            "note": action.note,
        }


def _points_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_input(value)
