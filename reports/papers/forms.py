"""The particulars form on the annual report page: it parses what was typed; reports.papers.services saves it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
MAX_RECIPIENTS = 20
MAX_RECIPIENT_LENGTH = 200
MAX_TITLE_LINES = 3
MAX_TITLE_LINE_LENGTH = 60
# A document number as offices write it: "123/BC-SNV", "45/TB-UBND", "12a/BC-SNV.VP".
_NUMBER = re.compile(r"^[0-9]+[a-zA-Z]?/[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9.&]+)*$")
_NAME = re.compile(r"^[^\d<>{}\[\]@#$%^*=+|\\/~`]+$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportParticularsForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản"),
        max_length=50,
        required=False,
        help_text=_("Ví dụ: 123/BC-SNV. Để trống để điền tay sau khi in."),
    )
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("Ngày phải có dạng ngày/tháng/năm, ví dụ 20/04/2021.")},
        help_text=_("Để trống: ngày in báo cáo."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi nơi nhận một dòng, ví dụ: UBND tỉnh (b/c);"),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một cấp, ví dụ: KT. GIÁM ĐỐC rồi PHÓ GIÁM ĐỐC."),
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=100, required=False)

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        if number and not _NUMBER.match(number):
            raise forms.ValidationError(
                _("Số văn bản “%(value)s” không đúng dạng số/ký hiệu, ví dụ 123/BC-SNV.") % {"value": number}
            )
        return number

    def clean_place(self) -> str:
        place = " ".join(self.cleaned_data["place"].split())
        if place and not _NAME.match(place):
            raise forms.ValidationError(_("Địa danh chỉ gồm chữ, ví dụ Lai Châu."))
        return place

    def clean_recipients(self) -> str:
        recipients = _lines(self.cleaned_data["recipients"])
        if len(recipients) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("Tối đa %(count)d nơi nhận (mỗi nơi một dòng).") % {"count": MAX_RECIPIENTS}
            )
        if any(len(line) > MAX_RECIPIENT_LENGTH for line in recipients):
            raise forms.ValidationError(
                _("Mỗi nơi nhận tối đa %(count)d ký tự.") % {"count": MAX_RECIPIENT_LENGTH}
            )
        return "\n".join(recipients)

    def clean_signer_title(self) -> str:
        title = _lines(self.cleaned_data["signer_title"])
        if len(title) > MAX_TITLE_LINES or any(len(line) > MAX_TITLE_LINE_LENGTH for line in title):
            raise forms.ValidationError(
                _("Chức vụ người ký tối đa %(lines)d dòng, mỗi dòng %(chars)d ký tự.")
                % {"lines": MAX_TITLE_LINES, "chars": MAX_TITLE_LINE_LENGTH}
            )
        return "\n".join(title)

    def clean_signer_name(self) -> str:
        name = " ".join(self.cleaned_data["signer_name"].split())
        if name and not _NAME.match(name):
            raise forms.ValidationError(_("Họ và tên người ký chỉ gồm chữ, ví dụ Nguyễn Văn An."))
        return name

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
