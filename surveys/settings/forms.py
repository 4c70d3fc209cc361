"""Input of the survey settings pages: types and choices only; the rules (ranges, whose item) are the services'."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Aggregation, BallotForm, SipasMethod

FROM_BALLOTS = ""
METHOD_PREFIX = "method-"


def parse_decimal(raw: str) -> Decimal | None:
    """Return a number typed the Vietnamese way ("1,5") or the English way ("1.5"); None when it is not one."""
    text = (raw or "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # "1.234,5": the dots group thousands
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class SurveySettingsForm(forms.Form):
    aggregation = forms.ChoiceField(
        label=gettext_lazy("Cách tính trung bình các phiếu"),
        choices=Aggregation.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, ballot_forms: list[BallotForm], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ballot_forms = ballot_forms
        for form in ballot_forms:
            self.fields[f"weight-{form.pk}"] = forms.CharField(
                label=_("Trọng số mẫu phiếu %(code)s") % {"code": form.code}, max_length=20
            )

    def clean(self):
        cleaned = super().clean()
        weights: dict[int, Decimal] = {}
        for form in self.ballot_forms:
            name = f"weight-{form.pk}"
            if name not in cleaned:
                continue
            value = parse_decimal(cleaned[name])
            if value is None:
                self.add_error(name, _("“%(raw)s” không phải là số.") % {"raw": cleaned[name]})
            else:
                weights[form.pk] = value
        cleaned["weights"] = weights
        return cleaned


def conversion_choices(data) -> tuple[dict[int, str], list[str]]:
    """Return {item id: method or ""} from the posted `method-<id>` fields, and the names that are not an id."""
    choices: dict[int, str] = {}
    bad: list[str] = []
    for name, value in data.items():
        if not name.startswith(METHOD_PREFIX):
            continue
        raw_id = name[len(METHOD_PREFIX) :]
        if not raw_id.isdigit():
            bad.append(name)
            continue
        choices[int(raw_id)] = (value or "").strip()
    return choices, bad


METHOD_CHOICES = [(FROM_BALLOTS, gettext_lazy("Điểm từ phiếu điều tra")), *SipasMethod.choices]
