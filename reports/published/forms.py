"""The upload form for published results of earlier years."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .io import YEAR_MAX, YEAR_MIN

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PublishedResultsUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp kết quả (.xlsx hoặc .csv)"))
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text=_("Chỉ cần khi tệp không có cột year."),
    )
    # The explicit choice: without it, an import that would change results imported before is refused and
    # the rows it would replace are listed on the job's page.
    replace = forms.BooleanField(
        label=_("Thay các kết quả đã nhập trước đó"),
        required=False,
        help_text=_("Chỉ chọn sau khi đã xem danh sách các dòng sẽ bị thay."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload
