"""The bulk assignment form: one appraiser, several units and/or fields. Its rules are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import Period

from .selectors import appraiser_choices, field_choices, unit_choices


class AssignmentForm(forms.Form):
    # A plain number, not a ModelChoiceField: whether the person may be assigned is the service's rule, which
    # answers with a message naming them instead of Django's "select a valid choice".
    appraiser = forms.IntegerField(
        label=_("Người thẩm định"),
        widget=forms.Select,
        error_messages={"required": _("Chọn người thẩm định."), "invalid": _("Chọn người thẩm định.")},
    )
    units = forms.TypedMultipleChoiceField(
        label=_("Đơn vị (phân công cả hồ sơ)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Có đơn vị không thuộc cơ quan đánh giá này.")},
    )
    field_codes = forms.MultipleChoiceField(
        label=_("Lĩnh vực (phân công lĩnh vực đó ở mọi đơn vị)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Không có lĩnh vực này trong kỳ đánh giá.")},
    )

    def __init__(self, *args, period: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = [(u.pk, str(u)) for u in appraiser_choices(period=period)]
        self.fields["appraiser"].widget.choices = [("", _("— chọn —")), *people]
        self.fields["units"].choices = [(u.pk, u.name) for u in unit_choices(period=period)]
        self.fields["field_codes"].choices = [
            (code, f"{code}. {name}") for code, name in field_choices(period=period)
        ]
