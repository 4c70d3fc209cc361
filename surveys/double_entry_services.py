"""Double entry on the database: the mismatch list between rounds 1 and 2, and its resolution."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit import audit_record
from scoring.models import Period, User

from .double_entry import Keyed, Mismatch, compare_rounds
from .models import Ballot, BallotAnswer, BallotForm
from .services import ballot_record


@dataclass(frozen=True, slots=True)
class MismatchRow:
    mismatch: Mismatch
    form: BallotForm
    first: Ballot | None
    second: Ballot | None
    first_answers: str
    second_answers: str


def _keyed(period: Period) -> tuple[dict[int, dict], dict[int, Ballot], dict[int, dict[int, str]]]:
    ballots = {b.pk: b for b in Ballot.objects.filter(period=period).select_related("unit")}
    answers: dict[int, dict[int, str]] = {pk: {} for pk in ballots}
    for ballot_id, number, code in BallotAnswer.objects.filter(ballot__period=period).values_list(
        "ballot_id", "question__number", "option__code"
    ):
        answers[ballot_id][number] = code or ""
    rounds: dict[int, dict] = {1: {}, 2: {}}
    for b in ballots.values():
        rounds[b.entry_round][(b.form_id, b.number)] = b
    return rounds, ballots, answers


def ballot_mismatch_list(*, period: Period) -> list[MismatchRow]:
    """Return the ballots whose two keyings differ or that one round lacks (only once round 2 has begun); 4 queries."""
    rounds, _ballots, answers = _keyed(period)
    if not rounds[2]:
        return []

    def keyed(round_number: int) -> dict[tuple[int, str], Keyed]:
        return {k: Keyed(b.unit_id, answers[b.pk]) for k, b in rounds[round_number].items()}

    forms = {f.pk: f for f in BallotForm.objects.filter(period=period)}

    def letters(ballot: Ballot | None) -> str:
        if ballot is None:
            return ""
        given = answers[ballot.pk]
        return "".join(given.get(n, "") or "·" for n in sorted(given))

    rows = []
    for m in compare_rounds(keyed(1), keyed(2)):
        first = rounds[1].get((m.form_id, m.number))
        second = rounds[2].get((m.form_id, m.number))
        rows.append(MismatchRow(m, forms[m.form_id], first, second, letters(first), letters(second)))
    return rows


@transaction.atomic
def ballot_mismatch_resolve(
    *, period: Period, form: BallotForm, number: str, keep_round: int, actor: User
) -> Ballot:
    """Make both keyings of the ballot equal to the round kept; the round-1 ballot is re-recorded through
    ballot_record, so its verdict (quota, completeness) is decided again. Return the round-1 ballot."""
    pair = {
        b.entry_round: b
        for b in Ballot.objects.select_for_update()
        .filter(period=period, form=form, number=number)
        .select_related("unit")
    }
    kept = pair.get(keep_round)
    if kept is None:
        raise ValidationError(
            _("Phiếu số %(number)s không có ở lần nhập %(round)s.") % {"number": number, "round": keep_round}
        )
    answers = {
        n: code
        for n, code in BallotAnswer.objects.filter(ballot=kept).values_list(
            "question__number", "option__code"
        )
    }
    for ballot in pair.values():
        ballot.answers.all().delete()
        ballot.delete()
    result = None
    for round_number in (1, 2):
        recorded = ballot_record(
            period=period,
            form=form,
            unit=kept.unit,
            number=number,
            answers=answers,
            respondent=kept.respondent,
            actor=kept.entered_by,
            entry_round=round_number,
            source=kept.source,
        )
        if round_number == 1:
            result = recorded
    audit_record(
        body=period.body,
        actor=actor,
        action="survey.ballot_mismatch_resolve",
        obj=result,
        unit=kept.unit,
        field=f"{form.code}/{number}",
        note=_("Giữ theo lần nhập %(round)s") % {"round": keep_round},
    )
    return result
