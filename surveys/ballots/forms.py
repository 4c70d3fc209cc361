"""Input of the survey pages: what the clerk typed, checked and turned into what ballot_record takes.

Business rules (quota, duplicate numbers, form/unit match, incomplete ballots) belong to the service; the form
only resolves the typed codes and says, in Vietnamese, which field is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ANSWER_LETTERS = "ABCDE"


@dataclass(frozen=True, slots=True)
class EntryQuestion:
    number: int
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntryForm:
    """One ballot form as the entry page needs it: its questions and the units it targets."""

    id: int
    code: str
    name: str
    target_group_id: int
    questions: tuple[EntryQuestion, ...]


@dataclass(frozen=True, slots=True)
class EntryUnit:
    id: int
    code: str
    name: str
    group_id: int


class BallotEntryForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số phiếu"), max_length=40)
    form_code = forms.CharField(label=gettext_lazy("Mẫu phiếu"), max_length=20)
    unit = forms.CharField(label=gettext_lazy("Đơn vị được đánh giá"), max_length=255)
    unit_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    respondent = forms.CharField(
        label=gettext_lazy("Người trả lời (chức vụ, nơi công tác)"), max_length=200, required=False
    )
    answers = forms.CharField(label=gettext_lazy("Trả lời"), max_length=200, required=False)

    def __init__(self, *args, entry_forms: list[EntryForm], units: list[EntryUnit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entry_forms = {f.code.upper(): f for f in entry_forms}
        self.units = units

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean_form_code(self) -> EntryForm:
        code = self.cleaned_data["form_code"].strip().upper()
        entry_form = self.entry_forms.get(code)
        if entry_form is None:
            known = ", ".join(sorted(self.entry_forms)) or "—"
            raise forms.ValidationError(
                _("Không có mẫu phiếu “%(code)s” trong kỳ này (có: %(known)s).")
                % {"code": code, "known": known}
            )
        return entry_form

    def _find_unit(self, typed: str, unit_id: int | None) -> EntryUnit | None:
        if unit_id:
            by_id = next((u for u in self.units if u.id == unit_id), None)
            # The hidden id is trusted only while the visible text still names that unit.
            if by_id and typed.casefold() in (by_id.name.casefold(), by_id.code.casefold()):
                return by_id
        key = typed.casefold()
        return next((u for u in self.units if key in (u.code.casefold(), u.name.casefold())), None)

    def clean(self) -> dict:
        data = super().clean()
        typed_unit = (data.get("unit") or "").strip()
        if typed_unit:
            unit = self._find_unit(typed_unit, data.get("unit_id"))
            if unit is None:
                self.add_error("unit", _("Không tìm thấy đơn vị “%(unit)s”.") % {"unit": typed_unit})
            else:
                data["unit_obj"] = unit
        entry_form = data.get("form_code")
        if isinstance(entry_form, EntryForm):
            answers = (data.get("answers") or "").replace(" ", "").upper()
            questions = entry_form.questions
            if len(answers) > len(questions):
                self.add_error(
                    "answers",
                    _("Mẫu %(code)s có %(n)s câu hỏi, đã gõ %(typed)s câu trả lời.")
                    % {"code": entry_form.code, "n": len(questions), "typed": len(answers)},
                )
            else:
                mapping: dict[int, str] = {}
                for question, letter in zip(questions, answers, strict=False):
                    if letter not in question.options:
                        self.add_error(
                            "answers",
                            _("Câu %(number)s không có phương án “%(letter)s” (có: %(options)s).")
                            % {
                                "number": question.number,
                                "letter": letter,
                                "options": ", ".join(question.options),
                            },
                        )
                        break
                    mapping[question.number] = letter
                data["answer_map"] = mapping
        return data
