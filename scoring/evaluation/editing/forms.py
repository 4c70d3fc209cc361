"""Input forms of criteria-set editing: they take what was typed as text; the workbook's rules judge it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.evaluation.editing.rules import EditRow
from scoring.evaluation.rows import METHOD_APPRAISAL, METHOD_SURVEY, STEPS
from scoring.formatting import format_points

STEP_CHOICES = [(step, format_points(Decimal(step))) for step in STEPS]
METHOD_CHOICES = [
    ("", _("— (mục có mục con)")),
    (METHOD_APPRAISAL, _("Thẩm định")),
    (METHOD_SURVEY, _("Điều tra XHH")),
]
# Maxima are text so that "1,5" is read as the workbook reads it, and a wrong value comes back as typed.
MAX_POINTS_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})


class ItemForm(forms.Form):
    """One item: what the administrator may change on the set's page."""

    seen = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # services.tree_seen when the form was read

    name = forms.CharField(
        label=_("Nội dung"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = forms.CharField(
        label=_("Điểm tối đa"), max_length=20, required=False, widget=MAX_POINTS_WIDGET
    )
    step = forms.ChoiceField(label=_("Bước điểm"), choices=STEP_CHOICES)
    method = forms.ChoiceField(label=_("Phương pháp"), choices=METHOD_CHOICES, required=False)
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm điểm"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    order = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=0,
        max_value=100000,
        help_text=_("Vị trí trong danh mục; mục được xếp sau các mục có số nhỏ hơn, trong cùng mục cha."),
    )


class ItemAddForm(ItemForm):
    code = forms.CharField(label=_("Mã"), max_length=20, required=False)
    field_order = ["seen", "code", "name", "max_points", "step", "method", "guidance"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["order"]  # a new item goes after its parent's last descendant


class TreeRowForm(forms.Form):
    """One line of the whole-tree form; `item` is the id of the item it edits, blank for a new line."""

    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=0,
        max_value=100000,
        required=False,
        widget=forms.NumberInput(attrs={"size": 3}),
    )
    code = forms.CharField(
        label=_("Mã"), max_length=20, required=False, widget=forms.TextInput(attrs={"size": 6})
    )
    name = forms.CharField(
        label=_("Nội dung"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    max_points = forms.CharField(
        label=_("Điểm tối đa"), max_length=20, required=False, widget=MAX_POINTS_WIDGET
    )
    step = forms.ChoiceField(label=_("Bước điểm"), choices=STEP_CHOICES)
    method = forms.ChoiceField(label=_("Phương pháp"), choices=METHOD_CHOICES, required=False)
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm điểm"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def line(self, *, position: int, not_applicable_reason: str = "") -> EditRow:
        """Return what was typed as a line of the tree; a blank order keeps the line where it stands."""
        data = self.cleaned_data
        order = data.get("order")
        return EditRow(
            key=data.get("item"),
            code=data.get("code", ""),
            name=data.get("name", ""),
            max_points=data.get("max_points", ""),
            step=data.get("step", ""),
            method=data.get("method", ""),
            guidance=data.get("guidance", ""),
            not_applicable_reason=not_applicable_reason,
            order=order if order is not None else position,
        )


class BaseTreeFormSet(forms.BaseFormSet):
    def is_blank(self, form: forms.Form) -> bool:
        """Return whether the form is an extra line left empty (ignored, as a blank sheet row is)."""
        return not form.cleaned_data.get("item") and not any(
            str(form.cleaned_data.get(k) or "").strip() for k in ("code", "name", "max_points", "guidance")
        )


TreeFormSet = forms.formset_factory(
    TreeRowForm, formset=BaseTreeFormSet, extra=3, can_delete=True, max_num=2000, absolute_max=2000
)


class VersionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do tạo phiên bản mới"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: sửa điểm tối đa tiêu chí 3.4 theo Công văn số …"),
        error_messages={"required": _("Hãy ghi lý do tạo phiên bản mới.")},
    )


class SetNameForm(forms.Form):
    seen = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # services.tree_seen when the form was read
    name = forms.CharField(
        label=_("Tên bộ tiêu chí"),
        max_length=255,
        error_messages={"required": _("Hãy nhập tên bộ tiêu chí.")},
    )
