"""Forms of the audit log filters and of the notification preference."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.audit.selectors import AuditFilters, audit_actions, audit_actors
from scoring.models import EvaluatingBody, NotificationMode, Unit

DATE_FORMAT = "%d/%m/%Y"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 31/12/2026.")},
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        ),
    )


class AuditLogFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    actor = forms.ModelChoiceField(label=_("Người thực hiện"), queryset=None, required=False)
    action = forms.ChoiceField(label=_("Hành động"), required=False)
    date_from = _date_field(_("Từ ngày"))
    date_to = _date_field(_("Đến ngày"))

    def __init__(self, *args: Any, body: EvaluatingBody, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(body=body).in_official_order()
        self.fields["unit"].empty_label = _("Tất cả đơn vị")
        self.fields["actor"].queryset = audit_actors(body=body)
        self.fields["actor"].empty_label = _("Tất cả")
        self.fields["action"].choices = [("", _("Tất cả"))] + audit_actions(body=body)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def filters(self) -> AuditFilters:
        """Return the filters typed (none of them when the form is invalid)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            unit=data.get("unit"),
            actor=data.get("actor"),
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class NotificationPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Nhận thư thông báo"), choices=NotificationMode.choices, widget=forms.RadioSelect
    )
