"""Double entry on the database: the reconciliation list between rounds 1 and 2, and its resolution.

The database compares the two keyings: one grouped query per paper ballot (form, number) over the period's
ballots, whose two keyings agree when they have the same unit and the same answers digest (Ballot.answers_key,
written with the answers). Only the ballots of one page are then read with their answers, so a page costs the
same five queries at 1,000 ballots as at 100,000 (0.6 s at 100,000 on PostgreSQL; benchmarks/bench_reconcile.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import Period, User
from scoring.results.state import results_changed_notify

from ..ballots.services import _chosen_options, ballot_store, survey_frozen_check
from ..correction.services import ballot_answer_codes, ballot_answers_replace
from ..models import Ballot, BallotAnswer, BallotForm, BallotStatus
from .calc import DIFFERENT, MISSING_FIRST, Keyed, Mismatch, compare_rounds

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
    return Ballot.objects.filter(period=period).exclude(status=BallotStatus.VOIDED).order_by()


def _paper_ballots(period: Period) -> QuerySet:
    """Return one row per paper ballot (form, number) with how often and in which rounds it was keyed, and the
    lowest and highest unit and answers key of its keyings: two keyings agree when lowest equals highest."""
    return (
        _live(period)
        .values("form_id", "number")
        .annotate(
            keyed=Count("pk"),
            first_round=Min("entry_round"),
            unit_lo=Min("unit_id"),
            unit_hi=Max("unit_id"),
            key_lo=Min("answers_key"),
            key_hi=Max("answers_key"),
        )
    )


KEYED_ONCE_IN_ROUND_2 = Q(keyed=1, first_round=2)
KEYINGS_DIFFER = Q(keyed=2) & (Q(unit_lo__lt=F("unit_hi")) | Q(key_lo__lt=F("key_hi")))


def ballot_mismatches(*, period: Period) -> QuerySet:
    """Return the paper ballots to reconcile, in form and number order: those whose two keyings differ (unit or
    answers) and those keyed in round 2 only. Ballots keyed in round 1 only are counted, not listed.

    One grouped query (GROUP BY form, number … HAVING) over the period's ballots: PostgreSQL makes one hash
    aggregate of it, where comparing each ballot with its twin through EXISTS ran once per ballot (1.8 s at
    100,000 ballots).
    """
    # Forms are ranked by a CASE on their few ids rather than joined: grouping by the ballot's own columns lets
    # PostgreSQL hash the 100,000 groups, and only the few to reconcile are sorted.
    forms = BallotForm.objects.filter(period=period).order_by("order", "code").values_list("pk", flat=True)
    rank = Case(*(When(form_id=pk, then=Value(i)) for i, pk in enumerate(forms)), default=Value(len(forms)))
    return _paper_ballots(period).filter(KEYED_ONCE_IN_ROUND_2 | KEYINGS_DIFFER).order_by(rank, "number")


def double_entry_counts(*, period: Period) -> tuple[DoubleEntryCounts, int]:
    """Return the counts per round and of ballots keyed once, and how many ballots are to reconcile; one query."""
    totals = _paper_ballots(period).aggregate(
        pairs=Count("form_id", filter=Q(keyed=2)),
        missing_second=Count("form_id", filter=Q(keyed=1, first_round=1)),
        missing_first=Count("form_id", filter=KEYED_ONCE_IN_ROUND_2),
        different=Count("form_id", filter=KEYINGS_DIFFER),
    )
    counts = DoubleEntryCounts(
        first=totals["pairs"] + totals["missing_second"],
        second=totals["pairs"] + totals["missing_first"],
        missing_second=totals["missing_second"],
        missing_first=totals["missing_first"],
    )
    return counts, totals["different"] + totals["missing_first"]


class _Counted:
    """A queryset whose count is already known, so that the Paginator does not run the grouped query again."""

    def __init__(self, queryset: QuerySet, count: int) -> None:
        self.queryset, self.total = queryset, count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]


def ballot_mismatch_page(
    *, period: Period, page_number: int | str | None, per_page: int = PER_PAGE
) -> MismatchPage:
    """Return one page of the reconciliation list with the counts; five queries, whatever the number of ballots.

    The list is empty until round 2 has begun: before that every ballot is "not yet keyed twice".
    """
    counts, to_reconcile = double_entry_counts(period=period)
    listing = ballot_mismatches(period=period) if counts.second else Ballot.objects.none()
    page = Paginator(_Counted(listing, to_reconcile if counts.second else 0), per_page).get_page(page_number)
    keys = [(row["form_id"], row["number"]) for row in page.object_list]
    twins: dict[tuple[int, str, int], Ballot] = {}
    if keys:
        pairs = Q()
        for form_id, number in keys:
            pairs |= Q(form_id=form_id, number=number)
        for twin in _live(period).filter(pairs).select_related("form", "unit"):
            twins[(twin.form_id, twin.number, twin.entry_round)] = twin
    answers: dict[int, dict[int, str]] = {b.pk: {} for b in twins.values()}
    for ballot_id, number, code in BallotAnswer.objects.filter(ballot_id__in=answers).values_list(
        "ballot_id", "question__number", "option__code"
    ):
        answers[ballot_id][number] = code or ""
    rows = []
    for form_id, number in keys:
        first = twins.get((form_id, number, 1))
        second = twins.get((form_id, number, 2))
        if first is None or second is None:
            mismatch = Mismatch(form_id, number, MISSING_FIRST)
        else:
            found = compare_rounds(
                {(form_id, number): Keyed(first.unit_id, answers[first.pk])},
                {(form_id, number): Keyed(second.unit_id, answers[second.pk])},
            )
            # Equal letters with different keys cannot happen while every writer keeps the key; listed anyway.
            mismatch = found[0] if found else Mismatch(form_id, number, DIFFERENT)
        form = (first or second).form
        rows.append(
            MismatchRow(mismatch, form, first, second, _letters(first, answers), _letters(second, answers))
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
    """Make both keyings of the ballot equal to the round kept (unit and answers) and return the round-1 ballot.

    The other keying is changed in place (its verdict decided again, its version raised, so a correction page
    open on it gets a conflict rather than a missing ballot); a missing round is stored through ballot_store.
    """
    pair = {
        b.entry_round: b
        for b in Ballot.objects.select_for_update()
        .filter(period=period, form=form, number=number)
        .exclude(status=BallotStatus.VOIDED)
        .select_related("unit", "form")
    }
    kept = pair.get(keep_round)
    if kept is None:
        raise ValidationError(
            _("Phiếu số %(number)s không có ở lần nhập %(round)s.") % {"number": number, "round": keep_round}
        )
    for ballot in pair.values():
        survey_frozen_check(period_id=period.pk, unit_id=ballot.unit_id)
    codes = ballot_answer_codes(ballot=kept)
    questions = {q.number: q for q in form.questions.prefetch_related("options")}
    chosen = _chosen_options(questions, codes)
    for round_number in (1, 2):
        ballot = pair.get(round_number)
        if ballot is None:
            pair[round_number] = ballot_store(
                period=period,
                form=form,
                unit=kept.unit,
                number=number,
                answers=codes,
                respondent=kept.respondent,
                actor=kept.entered_by,
                entry_round=round_number,
                source=kept.source,
            )
        elif round_number != keep_round or round_number == 1:
            # Round 1 is decided again even when kept: its quota and completeness are what count.
            ballot_answers_replace(ballot=ballot, unit=kept.unit, questions=questions, chosen=chosen)
    result = pair[1]
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
