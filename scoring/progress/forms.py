"""Input forms of the progress board: they check what was typed, the services check the rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEADLINE_FORMAT = "%d/%m/%Y %H:%M"


class DeadlineExtensionForm(forms.Form):
    new_deadline = forms.DateTimeField(
        label=_("Hạn mới"),
        input_formats=[DEADLINE_FORMAT],
        help_text=_("Ngày và giờ, dạng dd/mm/yyyy HH:MM, ví dụ 15/01/2027 17:00."),
        error_messages={
            "required": _("Hãy nhập hạn mới."),
            "invalid": _("Hạn mới phải có dạng dd/mm/yyyy HH:MM, ví dụ 15/01/2027 17:00."),
        },
        widget=forms.DateTimeInput(
            format=DEADLINE_FORMAT, attrs={"placeholder": "dd/mm/yyyy HH:MM", "autocomplete": "off"}
        ),
    )
    reason = forms.CharField(
        label=_("Lý do gia hạn"),
        max_length=2000,
        error_messages={"required": _("Hãy ghi lý do gia hạn.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, current_deadline: datetime | None, now: datetime | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.current_deadline = current_deadline
        self.now = now or timezone.now()

    def clean_new_deadline(self) -> datetime:
        value = self.cleaned_data["new_deadline"]
        if value <= self.now:
            raise forms.ValidationError(_("Hạn mới phải ở trong tương lai."))
        if self.current_deadline is not None and value <= self.current_deadline:
            raise forms.ValidationError(
                _("Hạn mới phải sau hạn hiện hành (%(deadline)s).")
                % {"deadline": timezone.localtime(self.current_deadline).strftime(DEADLINE_FORMAT)}
            )
        return value
