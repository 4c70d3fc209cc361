"""Input of the correction pages: the reason, the version the page showed and, for a correction, the answers.

Business rules belong to the correction services; the form only says, in Vietnamese, which field is wrong.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..ballots.forms import EntryQuestion

# --- Correcting and voiding a ballot ---------------------------------------------------------------------------

BLANK_LABEL = gettext_lazy("— bỏ trống")


class _ReasonForm(forms.Form):
    # The version the page showed: the service refuses the change if the ballot moved on since.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class BallotCorrectionForm(_ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do sửa phiếu"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do sửa phiếu.")},
    )

    def __init__(self, *args, questions: list[EntryQuestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"q{q.number}"] = forms.ChoiceField(
                label=_("Câu %(number)s") % {"number": q.number},
                choices=[("", BLANK_LABEL), *((code, code) for code in q.options)],
                required=False,
            )

    def answer_fields(self) -> list[tuple[EntryQuestion, forms.BoundField]]:
        return [(q, self[f"q{q.number}"]) for q in self.questions]

    def answer_map(self) -> dict[int, str | None]:
        return {q.number: self.cleaned_data.get(f"q{q.number}") or None for q in self.questions}


class BallotVoidForm(_ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do hủy phiếu"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do hủy phiếu.")},
    )
