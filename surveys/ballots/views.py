"""Keyboard-first ballot entry: a clerk types ballot after ballot from paper, for hours.

Ballot number, form code and unit are typed, then one keystroke per answer; Enter saves through htmx and the
page comes back ready for the next ballot. Round 2 (double entry) is the same page with ?vong=2, and the
mismatch list compares both rounds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.models import Period, Unit

from ..access import admin_period
from ..models import AnswerOption, Ballot, BallotForm, BallotStatus, Question
from .forms import BallotEntryForm, EntryForm, EntryQuestion, EntryUnit

RECENT_COUNT = 20


def entry_round(request: HttpRequest) -> int:
    raw = request.POST.get("entry_round") or request.GET.get("vong") or "1"
    return 2 if raw.strip() == "2" else 1


def entry_data(period: Period) -> tuple[list[EntryForm], list[EntryUnit]]:
    """Return the period's forms with their questions and options, and the body's units; four queries."""
    options: dict[int, list[str]] = {}
    for question_id, code in (
        AnswerOption.objects.filter(question__form__period=period)
        .order_by("question_id", "code")
        .values_list("question_id", "code")
    ):
        options.setdefault(question_id, []).append(code)
    questions: dict[int, list[EntryQuestion]] = {}
    for q in (
        Question.objects.filter(form__period=period)
        .order_by("form_id", "number")
        .only("id", "form_id", "number", "text")
    ):
        questions.setdefault(q.form_id, []).append(
            EntryQuestion(number=q.number, text=q.text, options=tuple(options.get(q.pk, ())))
        )
    forms = [
        EntryForm(
            id=f.pk,
            code=f.code,
            name=f.name,
            target_group_id=f.target_group_id,
            questions=tuple(questions.get(f.pk, ())),
        )
        for f in BallotForm.objects.filter(period=period).order_by("order", "code")
    ]
    units = [
        EntryUnit(id=u.pk, code=u.code, name=u.name, group_id=u.group_id)
        for u in Unit.objects.filter(body_id=period.body_id)
        .in_official_order()
        .only("id", "code", "name", "group_id")
    ]
    return forms, units


def recent_ballots(*, period: Period, user, round_number: int) -> list[Ballot]:
    return list(
        Ballot.objects.filter(period=period, entered_by=user, entry_round=round_number)
        .select_related("form", "unit")
        .order_by("-entered_at", "-pk")[:RECENT_COUNT]
    )


def _script_data(forms: list[EntryForm], units: list[EntryUnit]) -> dict:
    """Return what ballot_entry.js needs: every form's questions and options, every unit with its group."""
    return {
        "forms": [
            {
                "code": f.code,
                "name": f.name,
                "group": f.target_group_id,
                "questions": [
                    {"number": q.number, "text": q.text, "options": list(q.options)} for q in f.questions
                ],
            }
            for f in forms
        ],
        "units": [{"id": u.id, "code": u.code, "name": u.name, "group": u.group_id} for u in units],
    }


def _context(request: HttpRequest, period: Period, form: BallotEntryForm, round_number: int, **extra) -> dict:
    return {
        "period": period,
        "form": form,
        "entry_round": round_number,
        "recent": recent_ballots(period=period, user=request.user, round_number=round_number),
        "result": None,
        "error": "",
        "warning": "",
        "accepted": BallotStatus.ACCEPTED,
        "script_data": None,
        **extra,
    }


@login_required
@require_GET
def ballot_entry(request: HttpRequest, period_id: int) -> HttpResponse:
    period = admin_period(request, period_id)
    round_number = entry_round(request)
    forms, units = entry_data(period)
    form = BallotEntryForm(entry_forms=forms, units=units)
    context = _context(
        request, period, form, round_number, script_data=_script_data(forms, units), focus="number"
    )
    return render(request, "surveys/ballots/entry.html", context)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "message", exc))


@login_required
@require_POST
def ballot_save(request: HttpRequest, period_id: int) -> HttpResponse:
    """Record one ballot; answer with the entry panel (the full page without htmx)."""
    from .services import ballot_record

    period = admin_period(request, period_id)
    round_number = entry_round(request)
    forms, units = entry_data(period)
    form = BallotEntryForm(request.POST, entry_forms=forms, units=units)
    result = None
    error = ""
    warning = ""
    focus = "number"
    if form.is_valid():
        data = form.cleaned_data
        try:
            ballot = ballot_record(
                period=period,
                form=BallotForm.objects.get(pk=data["form_code"].id),
                unit=Unit.objects.get(pk=data["unit_obj"].id),
                number=data["number"],
                answers=data["answer_map"],
                respondent={"position": data["respondent"].strip()} if data["respondent"].strip() else {},
                actor=request.user,
                entry_round=round_number,
            )
        except ValidationError as exc:
            error = _error_text(exc)
            focus = "number"
        else:
            result = ballot
            # Double entry only catches typing slips when another person keys the paper a second time.
            if (
                round_number == 2
                and Ballot.objects.filter(
                    period=period,
                    form_id=ballot.form_id,
                    number=ballot.number,
                    entry_round=1,
                    entered_by=request.user,
                ).exists()
            ):
                warning = _("Lưu ý: chính bạn đã nhập lần 1 phiếu này; nhập kép nên do người khác làm.")
            # The next ballot is most often of the same form and unit: keep those, clear the rest.
            form = BallotEntryForm(
                initial={
                    "form_code": data["form_code"].code,
                    "unit": data["unit_obj"].name,
                    "unit_id": data["unit_obj"].id,
                },
                entry_forms=forms,
                units=units,
            )
    else:
        focus = next(
            (name for name in ("number", "form_code", "unit", "answers") if name in form.errors), "number"
        )
        error = _("Phiếu chưa được lưu: hãy sửa các ô báo lỗi.")
    context = _context(
        request,
        period,
        form,
        round_number,
        result=result,
        error=error,
        warning=warning,
        focus=focus,
    )
    if request.htmx:
        return render(request, "surveys/ballots/entry.html#panel", context)
    context["script_data"] = _script_data(forms, units)
    return render(request, "surveys/ballots/entry.html", context)
