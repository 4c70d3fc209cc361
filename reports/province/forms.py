"""Forms of the province's own index: uploading national results, and the targets of a year."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import FieldTarget
from reports.published.forms import MAX_UPLOAD_BYTES
from reports.published.io import parse_number

from .io import FIELD_CODES
from .io import default_field_name as default_name
from .services import FieldTargetInput


def _check_upload(upload, *, csv_only: bool = False):
    if upload is None:
        return upload
    allowed = (".csv",) if csv_only else (".xlsx", ".csv")
    if not upload.name.lower().endswith(allowed):
        raise forms.ValidationError(
            _("Chỉ nhận tệp .csv.") if csv_only else _("Chỉ nhận tệp .xlsx hoặc .csv.")
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
    return upload


class NationalResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (.xlsx hoặc .csv)"),
        help_text=_("Bảng kết quả mỗi năm một dòng; tệp .xlsx có thể kèm trang tính “linh_vuc”."),
    )
    fields_file = forms.FileField(
        label=_("Tệp kết quả theo lĩnh vực (.csv, không bắt buộc)"),
        required=False,
        help_text=_("Chỉ dùng khi tệp kết quả là .csv; với .xlsx hãy dùng trang tính “linh_vuc”."),
    )
    national_total = forms.IntegerField(
        label=_("Số tỉnh, thành phố được xếp hạng"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_(
            "Dùng cho các dòng để trống cột national_total; bỏ trống: 63 trước năm 2025, 34 từ năm 2025."
        ),
    )
    region_total = forms.IntegerField(
        label=_("Số tỉnh trong vùng"),
        required=False,
        min_value=1,
        max_value=999,
        initial=6,
        help_text=_("Dùng cho các dòng để trống cột region_total."),
    )
    # The explicit choice: without it, an import that would change figures already stored is refused and
    # the rows it would replace are listed.
    replace = forms.BooleanField(
        label=_("Thay các kết quả đã nhập trước đó"),
        required=False,
        help_text=_("Chỉ chọn sau khi đã xem danh sách các dòng sẽ bị thay."),
    )

    def clean_file(self):
        return _check_upload(self.cleaned_data["file"])

    def clean_fields_file(self):
        return _check_upload(self.cleaned_data.get("fields_file"), csv_only=True)


class VietnameseDecimalField(forms.DecimalField):
    """A decimal typed either way: "83,72" or "83.72" (and "83,72 %")."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_number(value.strip(), percent=True)
            if parsed is None:
                raise forms.ValidationError(_("«%(value)s» không phải là số.") % {"value": value})
            value = str(parsed)
        return super().to_python(value)


class FieldTargetForm(forms.Form):
    """One field's target; an empty target index means the field has no target this year."""

    field_code = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Chỉ số thành phần"), max_length=300, required=False, help_text=_("Trống: dùng tên chuẩn.")
    )
    comparison = forms.ChoiceField(label=_("Cách so sánh"), choices=FieldTarget.Comparison.choices)
    target_index = VietnameseDecimalField(
        label=_("Chỉ số mục tiêu (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=7,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}),
    )
    rank_best = forms.IntegerField(label=_("Thứ hạng từ"), required=False, min_value=1, max_value=999)
    rank_worst = forms.IntegerField(label=_("đến"), required=False, min_value=1, max_value=999)
    responsible = forms.CharField(label=_("Cơ quan chủ trì theo dõi"), max_length=500, required=False)
    responsible_units = forms.TypedMultipleChoiceField(
        label=_("Đơn vị chủ trì"), required=False, coerce=int, widget=forms.SelectMultiple(attrs={"size": 3})
    )
    basis = forms.CharField(
        label=_("Cơ sở đưa ra chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices come from one query made by the view, not one per form of the formset.
        self.fields["responsible_units"].choices = unit_choices

    def clean_field_code(self):
        code = self.cleaned_data["field_code"]
        if code not in (*FIELD_CODES, FieldTarget.TOTAL):
            raise forms.ValidationError(_("Mã lĩnh vực không hợp lệ."))
        return code

    def clean(self):
        data = super().clean()
        best, worst = data.get("rank_best"), data.get("rank_worst")
        if best is not None and worst is not None and best > worst:
            self.add_error(
                "rank_worst", _("Thứ hạng “đến” phải lớn hơn hoặc bằng thứ hạng “từ” (1 là cao nhất).")
            )
        if data.get("target_index") is None and (
            best or worst or data.get("responsible") or data.get("basis")
        ):
            self.add_error("target_index", _("Nhập chỉ số mục tiêu, hoặc xoá các ô khác của dòng này."))
        return data

    def as_input(self) -> FieldTargetInput:
        data = self.cleaned_data
        return FieldTargetInput(
            field_code=data["field_code"],
            name=data["name"] or default_name(data["field_code"]),
            comparison=data["comparison"],
            target_index=data.get("target_index"),
            rank_best=data.get("rank_best"),
            rank_worst=data.get("rank_worst"),
            responsible=data.get("responsible", ""),
            responsible_unit_ids=tuple(data.get("responsible_units") or ()),
            basis=data.get("basis", ""),
        )


class BaseFieldTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, unit_choices=(), **kwargs):
        self.unit_choices = unit_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "unit_choices": self.unit_choices}

    def clean(self):
        codes = [f.cleaned_data.get("field_code") for f in self.forms if f.cleaned_data]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Mỗi lĩnh vực chỉ có một dòng mục tiêu."))


FieldTargetFormSet = forms.formset_factory(
    FieldTargetForm, formset=BaseFieldTargetFormSet, extra=0, can_delete=False, max_num=20, validate_max=True
)
