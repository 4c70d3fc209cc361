"""Input form of the council page: it parses what was typed; the council services check the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import User


class CouncilMeetingForm(forms.Form):
    """A council meeting: date (dd/mm/yyyy), members present, minutes; decisions are read per unit."""

    held_on = forms.DateField(
        label=_("Ngày họp"),
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Ngày họp phải có dạng dd/mm/yyyy, ví dụ 15/12/2026."),
            "required": _("Chưa nhập ngày họp."),
        },
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên dự họp"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chưa chọn thành viên dự họp.")},
    )
    minutes = forms.FileField(label=_("Biên bản họp"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, members, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = str

    def clean_held_on(self) -> date:
        return self.cleaned_data["held_on"]
