"""Double entry on the database: the reconciliation list between rounds 1 and 2, and its resolution.

The two keyings are compared by the database: a round-1 ballot differs from its round-2 twin (same form and
number) when the unit or the answers key (Ballot.answers_key, written with the answers) differ, one join on
the (period, form, number, round) index. Only the ballots of one page are then read with their answers, so a
page costs the same number of queries at 1,000 ballots as at 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from scoring.audit import audit_record
from scoring.models import Period, User
from scoring.results_state import results_changed_notify

from .double_entry import DIFFERENT, MISSING_FIRST, Keyed, Mismatch, compare_rounds
from .models import Ballot, BallotAnswer, BallotForm, BallotStatus
from .services import ballot_store, survey_frozen_check

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class MismatchRow:
    mismatch: Mismatch
    form: BallotForm
    first: Ballot | None
    second: Ballot | None
    first_answers: str
    second_answers: str


@dataclass(frozen=True, slots=True)
class DoubleEntryCounts:
    first: int  # paper ballots keyed in round 1 (voided ones left out, as everywhere)
    second: int  # keyed in round 2
    missing_second: int  # keyed once only: not yet keyed twice
    missing_first: int  # keyed in round 2 only


@dataclass(frozen=True, slots=True)
class MismatchPage:
    counts: DoubleEntryCounts
    page: Page
    rows: list[MismatchRow]


def _live(period: Period) -> QuerySet[Ballot]:
    return Ballot.objects.filter(period=period).exclude(status=BallotStatus.VOIDED)


def _twin(entry_round: int) -> QuerySet[Ballot]:
    """Return the keying of the given round of the outer ballot's paper (same period, form and number)."""
    return Ballot.objects.filter(
        period_id=OuterRef("period_id"),
        form_id=OuterRef("form_id"),
        number=OuterRef("number"),
        entry_round=entry_round,
    ).exclude(status=BallotStatus.VOIDED)


def ballot_mismatches(*, period: Period) -> QuerySet[Ballot]:
    """Return, in form and number order, the round-1 ballots whose round-2 keying differs (unit or answers) and
    the round-2 ballots that have no round 1; ballots keyed once in round 1 are counted, not listed."""
    differs = _twin(2).filter(~Q(unit_id=OuterRef("unit_id")) | ~Q(answers_key=OuterRef("answers_key")))
    return (
        _live(period)
        .filter((Q(entry_round=1) & Exists(differs)) | (Q(entry_round=2) & ~Exists(_twin(1))))
        .select_related("form", "unit")
        .order_by("form__order", "form__code", "number", "entry_round")
    )


def double_entry_counts(*, period: Period) -> DoubleEntryCounts:
    """Return how many ballots each round has and how many are keyed in one round only; one query."""
    totals = _live(period).aggregate(
        first=Count("pk", filter=Q(entry_round=1)),
        second=Count("pk", filter=Q(entry_round=2)),
        missing_second=Count("pk", filter=Q(entry_round=1) & ~Exists(_twin(2))),
        missing_first=Count("pk", filter=Q(entry_round=2) & ~Exists(_twin(1))),
    )
    return DoubleEntryCounts(**totals)


def ballot_mismatch_page(
    *, period: Period, page_number: int | str | None, per_page: int = PER_PAGE
) -> MismatchPage:
    """Return one page of the reconciliation list with the counts; five queries, whatever the number of ballots.

    The list is empty until round 2 has begun: before that every ballot is "not yet keyed twice".
    """
    counts = double_entry_counts(period=period)
    queryset = ballot_mismatches(period=period) if counts.second else Ballot.objects.none()
    page = Paginator(queryset, per_page).get_page(page_number)
    listed = list(page.object_list)
    twins: dict[tuple[int, str, int], Ballot] = {}
    if listed:
        pairs = Q()
        for b in listed:
            pairs |= Q(form_id=b.form_id, number=b.number)
        for twin in _live(period).filter(pairs).select_related("unit"):
            twins[(twin.form_id, twin.number, twin.entry_round)] = twin
    answers: dict[int, dict[int, str]] = {b.pk: {} for b in twins.values()}
    for ballot_id, number, code in BallotAnswer.objects.filter(ballot_id__in=answers).values_list(
        "ballot_id", "question__number", "option__code"
    ):
        answers[ballot_id][number] = code or ""
    rows = []
    for b in listed:
        first = twins.get((b.form_id, b.number, 1))
        second = twins.get((b.form_id, b.number, 2))
        if first is None or second is None:
            mismatch = Mismatch(b.form_id, b.number, MISSING_FIRST)
        else:
            found = compare_rounds(
                {(b.form_id, b.number): Keyed(first.unit_id, answers[first.pk])},
                {(b.form_id, b.number): Keyed(second.unit_id, answers[second.pk])},
            )
            # Equal answers here mean the keys differed on something the letters do not show: still listed.
            mismatch = found[0] if found else Mismatch(b.form_id, b.number, DIFFERENT)
        rows.append(
            MismatchRow(mismatch, b.form, first, second, _letters(first, answers), _letters(second, answers))
        )
    return MismatchPage(counts=counts, page=page, rows=rows)


def _letters(ballot: Ballot | None, answers: dict[int, dict[int, str]]) -> str:
    if ballot is None:
        return ""
    given = answers[ballot.pk]
    return "".join(given.get(n, "") or "·" for n in sorted(given))


@transaction.atomic
def ballot_mismatch_resolve(
    *, period: Period, form: BallotForm, number: str, keep_round: int, actor: User
) -> Ballot:
    """Make both keyings of the ballot equal to the round kept; the round-1 ballot is re-recorded through
    ballot_store, so its verdict (quota, completeness) is decided again. Return the round-1 ballot."""
    pair = {
        b.entry_round: b
        for b in Ballot.objects.select_for_update()
        .filter(period=period, form=form, number=number)
        .exclude(status=BallotStatus.VOIDED)
        .select_related("unit")
    }
    kept = pair.get(keep_round)
    if kept is None:
        raise ValidationError(
            _("Phiếu số %(number)s không có ở lần nhập %(round)s.") % {"number": number, "round": keep_round}
        )
    for ballot in pair.values():
        survey_frozen_check(period_id=period.pk, unit_id=ballot.unit_id)
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
        recorded = ballot_store(
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
    results_changed_notify(period_id=period.pk)
    return result
