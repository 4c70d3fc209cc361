"""The form of a publication decision (original or amendment); the rules themselves are in the service."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PublicationDecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=100)
    signed_on = forms.DateField(
        label=_("Ngày ký (dd/mm/yyyy)"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    signer = forms.CharField(label=_("Người ký"), max_length=200)
    file = forms.FileField(label=_("Tệp quyết định (PDF)"), required=False)
