"""Input of the unit pages: types and choices only; the rules (unique codes, cycles, dates) are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models import EvaluatingBody, Unit, UnitGroup, UnitKind, UnitLineage

SLUG_HELP = _("Chữ thường không dấu, số và dấu gạch ngang, ví dụ: so-noi-vu.")


DATE_FORMAT = "%d/%m/%Y"


def _date_field(label: str, *, required: bool) -> forms.DateField:
    # Typed as dd/mm/yyyy like the app's other date fields (ISO accepted too, for API-like clients and tests).
    return forms.DateField(
        label=label,
        required=required,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2025.")},
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        ),
    )


class GroupForm(forms.Form):
    code = forms.SlugField(label=_("Mã nhóm"), max_length=80, help_text=SLUG_HELP)
    name = forms.CharField(label=_("Tên nhóm"), max_length=200)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32767, initial=0)


class GroupEditForm(GroupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]  # the code is what imports match on: it does not change


class UnitKindForm(forms.Form):
    code = forms.SlugField(
        label=_("Mã loại đơn vị"), max_length=50, help_text=_("Ví dụ: so-ban-nganh, ubnd-xa.")
    )
    name = forms.CharField(label=_("Tên loại đơn vị"), max_length=200)


class UnitKindEditForm(UnitKindForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]  # a kind keeps its code, as a group does; only its name changes


class _BodyChoicesForm(forms.Form):
    """A form whose group and kind choices are those of one body."""

    def __init__(self, *args, body: EvaluatingBody, **kwargs):
        super().__init__(*args, **kwargs)
        if "group" in self.fields:
            self.fields["group"].queryset = UnitGroup.objects.filter(body=body).order_by("order", "name")
        if "kind" in self.fields:
            self.fields["kind"].queryset = UnitKind.objects.filter(body=body).order_by("name")


class UnitCreateForm(_BodyChoicesForm):
    code = forms.SlugField(label=_("Mã đơn vị"), max_length=80, help_text=SLUG_HELP)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    group = forms.ModelChoiceField(label=_("Nhóm"), queryset=UnitGroup.objects.none())
    kind = forms.ModelChoiceField(
        label=_("Loại đơn vị"), queryset=UnitKind.objects.none(), required=False, empty_label=_("(không)")
    )
    active_from = _date_field(_("Hoạt động từ ngày"), required=False)


class UnitEditForm(_BodyChoicesForm):
    group = forms.ModelChoiceField(label=_("Nhóm"), queryset=UnitGroup.objects.none())
    kind = forms.ModelChoiceField(
        label=_("Loại đơn vị"), queryset=UnitKind.objects.none(), required=False, empty_label=_("(không)")
    )
    order = forms.IntegerField(
        label=_("Thứ tự trong nhóm"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_(
            "Thứ tự của đơn vị trong danh sách chính thức của nhóm; mọi danh sách và bảng xếp hạng theo thứ tự này."
        ),
    )


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    from_year = forms.IntegerField(
        label=_("Áp dụng từ năm"),
        min_value=2000,
        max_value=2100,
        help_text=_("Báo cáo các năm trước vẫn in tên cũ."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].initial = timezone.localdate().year


class UnitActiveForm(forms.Form):
    on = _date_field(_("Ngày cuối cùng hoạt động"), required=False)


class LineageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại thay đổi"), choices=UnitLineage.Kind.choices)
    sources = forms.ModelMultipleChoiceField(
        label=_("Đơn vị cũ"), queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Đơn vị mới (sau thay đổi)"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    effective_on = _date_field(_("Ngày hiệu lực"), required=True)
    note = forms.CharField(label=_("Căn cứ, ghi chú"), max_length=500, required=False)
    end_sources = forms.BooleanField(
        label=_("Cho các đơn vị cũ ngừng hoạt động (hoạt động đến hết ngày trước ngày hiệu lực)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, body: EvaluatingBody, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(body=body).in_official_order()
        self.fields["sources"].queryset = units
        self.fields["targets"].queryset = units
