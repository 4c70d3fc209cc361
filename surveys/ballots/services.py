"""Ballot writes: one ballot stored with the acceptance rules, and the guard every survey write shares.

A ballot that breaks a rule of the survey (wrong form for the unit, incomplete, over the quota) is stored as
rejected with its reason, so the tracking table accounts for every ballot returned; a ballot that cannot be
stored at all (its number already entered, an answer code the question does not have) is refused with a
ValidationError and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Period, Unit, User
from scoring.results.state import ResultsFrozen, results_changed_notify, results_frozen_check

from .. import calc
from ..double_entry.calc import answers_key
from ..models import (
    AnswerOption,
    Ballot,
    BallotAnswer,
    BallotForm,
    BallotSource,
    BallotStatus,
    Question,
    SamplePlan,
)


class SurveyFrozen(ValidationError):
    """A change refused because a published result of the period was computed from it (message in Vietnamese).

    A ValidationError, so every page and import that already shows refusals shows this one too.
    """


def survey_frozen_check(*, period_id: int, unit_id: int | None = None) -> None:
    """Refuse (SurveyFrozen) a change to the unit's ballots or SIPAS, or with unit_id None to the period's survey
    design, once a result it feeds is published (scoring.results.state.results_frozen_check)."""
    try:
        results_frozen_check(period_id=period_id, unit_id=unit_id)
    except ResultsFrozen as exc:
        raise SurveyFrozen(exc.message) from exc


# --- Ballots ---------------------------------------------------------------------------------------------------


@transaction.atomic
def ballot_record(
    *,
    period: Period,
    form: BallotForm,
    unit: Unit,
    number: str,
    answers: Mapping[int, str | None],
    respondent: Mapping | None = None,
    actor: User | None = None,
    entry_round: int = 1,
    source: str = BallotSource.ENTRY,
) -> Ballot:
    """Store one paper ballot and return it, accepted or rejected with its reason.

    `answers` maps question number → option code ("A".."E"; None or "" = left blank). Refused (ValidationError,
    nothing stored): a form of another period, a unit of another body, a number already entered on this form in
    this round, a question number the form does not have, an option code the question does not have, a unit
    whose result of the period is published (SurveyFrozen).
    """
    ballot = ballot_store(
        period=period,
        form=form,
        unit=unit,
        number=number,
        answers=answers,
        respondent=respondent,
        actor=actor,
        entry_round=entry_round,
        source=source,
    )
    results_changed_notify(period_id=period.pk)
    return ballot


def ballot_store(
    *,
    period: Period,
    form: BallotForm,
    unit: Unit,
    number: str,
    answers: Mapping[int, str | None],
    respondent: Mapping | None = None,
    actor: User | None = None,
    entry_round: int = 1,
    source: str = BallotSource.ENTRY,
) -> Ballot:
    """Return the stored ballot: ballot_record without telling the results, for services that store several
    ballots in one change and tell them once. Call inside a transaction."""
    number = (number or "").strip()
    if form.period_id != period.pk:
        raise ValidationError(_("Mẫu phiếu %(form)s không thuộc kỳ đánh giá này.") % {"form": form.code})
    if unit.body_id != period.body_id:
        raise ValidationError(_("Đơn vị không thuộc cơ quan đánh giá của kỳ này."))
    if not number:
        raise ValidationError(_("Chưa nhập số phiếu."))
    if entry_round not in (1, 2):
        raise ValidationError(_("Lần nhập chỉ có thể là 1 hoặc 2."))
    survey_frozen_check(period_id=period.pk, unit_id=unit.pk)
    # Lock the plan row first: two clerks entering the last ballots of a quota must not both get in.
    plan = SamplePlan.objects.select_for_update().filter(form=form, unit=unit).first()
    if Ballot.objects.filter(period=period, form=form, number=number, entry_round=entry_round).exists():
        raise ValidationError(
            _("Phiếu số %(number)s của mẫu %(form)s đã được nhập; không nhập lại.")
            % {"number": number, "form": form.code}
        )
    questions = {q.number: q for q in form.questions.prefetch_related("options")}
    chosen = _chosen_options(questions, answers)
    accepted_so_far = 0
    if plan is not None:
        accepted_so_far = Ballot.objects.filter(
            form=form, unit=unit, status=BallotStatus.ACCEPTED, entry_round=entry_round
        ).count()
    verdict = calc.ballot_verdict(
        target_group_id=form.target_group_id,
        unit_group_id=unit.group_id,
        question_numbers=questions,
        answered_numbers=[n for n, option in chosen.items() if option is not None],
        accepted_so_far=accepted_so_far,
        issued=plan.issued if plan is not None else None,
    )
    ballot = Ballot.objects.create(
        period=period,
        form=form,
        unit=unit,
        number=number,
        respondent=dict(respondent or {}),
        status=verdict.status,
        reject_reason=verdict.reject_reason,
        entered_by=actor if actor is not None and actor.is_authenticated else None,
        source=source,
        entry_round=entry_round,
        answers_key=answers_key((questions[n].pk, o.pk if o else None) for n, o in chosen.items()),
    )
    BallotAnswer.objects.bulk_create(
        BallotAnswer(ballot=ballot, question=questions[n], option=option) for n, option in chosen.items()
    )
    return ballot


def _chosen_options(
    questions: Mapping[int, Question], answers: Mapping[int, str | None]
) -> dict[int, AnswerOption | None]:
    """Return question number → the chosen option (None = blank), refusing numbers and codes that do not exist."""
    chosen: dict[int, AnswerOption | None] = {}
    for number, code in answers.items():
        question = questions.get(int(number))
        if question is None:
            raise ValidationError(_("Mẫu phiếu không có câu %(number)s.") % {"number": number})
        code = (code or "").strip().upper()
        if not code:
            chosen[question.number] = None
            continue
        option = next((o for o in question.options.all() if o.code == code), None)
        if option is None:
            raise ValidationError(
                _("Câu %(number)s không có phương án %(code)s.") % {"number": question.number, "code": code}
            )
        chosen[question.number] = option
    return chosen
