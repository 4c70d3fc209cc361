"""The survey arithmetic, pure: ballot verdicts, survey points per unit and item, the tracking table, SIPAS points.

No Django here (an import-linter contract forbids it): the selectors turn query results into these inputs. Ballots
arrive either one by one (BallotInput, for the tests and small callers) or already tallied by the database
(AnswerTally, BallotTally), so that 100,000 ballots never have to be loaded row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.calc import HUNDRED, ZERO, quantize_score

BALLOT_MEAN = "ballot_mean"
GROUP_WEIGHTED = "group_weighted"
AGGREGATIONS = (BALLOT_MEAN, GROUP_WEIGHTED)

ACCEPTED = "accepted"
REJECTED = "rejected"
OVER_QUOTA = "over_quota"
INCOMPLETE = "incomplete"
DUPLICATE = "duplicate"
WRONG_FORM_OR_UNIT = "wrong_form_or_unit"

Key = tuple[int, int]  # (unit_id, item_id)


# --- Verdict on one ballot -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    reject_reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


def ballot_verdict(
    *,
    target_group_id: int,
    unit_group_id: int,
    question_numbers: Iterable[int],
    answered_numbers: Iterable[int],
    accepted_so_far: int,
    issued: int | None,
) -> Verdict:
    """Return whether a ballot is accepted, or the reason it is rejected (first failing rule wins).

    Rules in order: the form must rate the unit's group; every question must be answered (an explicit "no
    answer" option counts as answered); the unit's accepted ballots on the form must stay within the ballots
    issued. `issued` None means the form × unit has no sample plan, so no quota applies.
    """
    if target_group_id != unit_group_id:
        return Verdict(REJECTED, WRONG_FORM_OR_UNIT)
    if set(question_numbers) - set(answered_numbers):
        return Verdict(REJECTED, INCOMPLETE)
    if issued is not None and accepted_so_far >= issued:
        return Verdict(REJECTED, OVER_QUOTA)
    return Verdict(ACCEPTED)


# --- Survey points ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionInput:
    question_id: int
    form_id: int
    item_id: int
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class AnswerInput:
    share: Decimal
    counts: bool = True


@dataclass(frozen=True, slots=True)
class BallotInput:
    """One accepted ballot: the unit it rates, its form, and the option chosen per question (None = blank)."""

    unit_id: int
    form_id: int
    answers: Mapping[int, AnswerInput | None]


@dataclass(frozen=True, slots=True)
class AnswerTally:
    """The counting answers to one question on one form about one unit: their number and the sum of shares."""

    unit_id: int
    form_id: int
    question_id: int
    answered: int
    share_sum: Decimal


@dataclass(frozen=True, slots=True)
class SurveyPoints:
    """Points per (unit_id, item_id), and how many counting answers each rests on."""

    points: dict[Key, Decimal] = field(default_factory=dict)
    answers: dict[Key, int] = field(default_factory=dict)


def tallies_from_ballots(ballots: Iterable[BallotInput]) -> list[AnswerTally]:
    """Return the tallies of the ballots' counting answers (what the database computes with GROUP BY)."""
    sums: dict[tuple[int, int, int], list] = defaultdict(lambda: [0, ZERO])
    for ballot in ballots:
        for question_id, answer in ballot.answers.items():
            if answer is None or not answer.counts:
                continue
            row = sums[(ballot.unit_id, ballot.form_id, question_id)]
            row[0] += 1
            row[1] += answer.share
    return [
        AnswerTally(unit_id=u, form_id=f, question_id=q, answered=n, share_sum=s)
        for (u, f, q), (n, s) in sums.items()
    ]


def item_points_from_tallies(
    tallies: Iterable[AnswerTally],
    questions: Mapping[int, QuestionInput],
    aggregation: str = BALLOT_MEAN,
    weights: Mapping[int, Decimal] | None = None,
) -> SurveyPoints:
    """Return each unit's survey points per item: mean share of the counting answers × the item's maximum.

    "ballot_mean" averages over all counting answers on the item, whatever the form. "group_weighted" averages
    within each form first, then takes the mean of the forms weighted by `weights` (form_id → weight, default
    1); forms with no counting answer take no part. A (unit, item) with no counting answer has no entry: there
    is nothing to average, which is not the same as zero points. Points are rounded half up to 2 decimals.
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    weights = weights or {}
    # (unit, item) → form → [answers, share sum]; tallies of unknown questions are ignored (not on the form).
    acc: dict[Key, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0, ZERO]))
    max_by_item: dict[int, Decimal] = {}
    for tally in tallies:
        question = questions.get(tally.question_id)
        if question is None or tally.answered <= 0:
            continue
        max_by_item[question.item_id] = question.max_points
        row = acc[(tally.unit_id, question.item_id)][tally.form_id]
        row[0] += tally.answered
        row[1] += tally.share_sum
    result = SurveyPoints()
    for key, by_form in acc.items():
        answered = sum(n for n, _s in by_form.values())
        if aggregation == BALLOT_MEAN:
            mean = sum((s for _n, s in by_form.values()), ZERO) / answered
        else:
            total_weight = sum((weights.get(f, Decimal(1)) for f in by_form), ZERO)
            if total_weight == 0:
                continue
            weighted = sum((weights.get(f, Decimal(1)) * s / n for f, (n, s) in by_form.items()), ZERO)
            mean = weighted / total_weight
        result.points[key] = quantize_score(mean * max_by_item[key[1]])
        result.answers[key] = answered
    return result


def item_points(
    ballots: Sequence[BallotInput],
    questions: Mapping[int, QuestionInput],
    aggregation: str = BALLOT_MEAN,
    weights: Mapping[int, Decimal] | None = None,
) -> SurveyPoints:
    """Return the survey points of accepted ballots given one by one (see item_points_from_tallies)."""
    return item_points_from_tallies(tallies_from_ballots(ballots), questions, aggregation, weights)


def sipas_points(pct: Decimal, max_points: Decimal) -> Decimal:
    """Return an item's points from a SIPAS percentage, linearly: overall % × maximum (clamped to 0–100 %)."""
    clamped = min(max(pct, ZERO), HUNDRED)
    return quantize_score(clamped * max_points / HUNDRED)


# --- Tracking --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanInput:
    unit_id: int
    form_id: int
    issued: int


@dataclass(frozen=True, slots=True)
class BallotTally:
    """`count` ballots for the unit on the form, with the same verdict ("" = accepted, else the reason)."""

    unit_id: int
    form_id: int
    reject_reason: str = ""
    count: int = 1


def rate(part: int, whole: int) -> Decimal | None:
    """Return part / whole in % rounded half up to 2 decimals, or None when there is no whole."""
    if whole <= 0:
        return None
    return quantize_score(Decimal(part) * HUNDRED / Decimal(whole))


@dataclass(frozen=True, slots=True)
class TrackingRow:
    """Counts for one unit × form (or a subtotal: unit_id or form_id None; both None = the totals line)."""

    unit_id: int | None
    form_id: int | None
    issued: int
    accepted: int
    rejected: Mapping[str, int]

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def returned(self) -> int:
        return self.accepted + self.rejected_total

    @property
    def return_rate(self) -> Decimal | None:
        return rate(self.returned, self.issued)

    @property
    def accepted_rate(self) -> Decimal | None:
        """Accepted ballots as a share of the ballots returned."""
        return rate(self.accepted, self.returned)


@dataclass(frozen=True, slots=True)
class Tracking:
    rows: list[TrackingRow]
    by_unit: dict[int, TrackingRow]
    by_form: dict[int, TrackingRow]
    total: TrackingRow


def _sum_rows(rows: Iterable[TrackingRow], *, unit_id: int | None, form_id: int | None) -> TrackingRow:
    issued = accepted = 0
    rejected: dict[str, int] = defaultdict(int)
    for row in rows:
        issued += row.issued
        accepted += row.accepted
        for reason, n in row.rejected.items():
            rejected[reason] += n
    return TrackingRow(
        unit_id=unit_id, form_id=form_id, issued=issued, accepted=accepted, rejected=dict(rejected)
    )


def tracking(plans: Iterable[PlanInput], ballots: Iterable[BallotTally]) -> Tracking:
    """Return issued, returned, accepted and rejected (by reason) per unit × form, per unit, per form and in total.

    Ballots for a unit × form without a plan still count (issued 0), so nothing entered is ever hidden.
    """
    issued: dict[tuple[int, int], int] = defaultdict(int)
    accepted: dict[tuple[int, int], int] = defaultdict(int)
    rejected: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan in plans:
        issued[(plan.unit_id, plan.form_id)] += plan.issued
    for tally in ballots:
        key = (tally.unit_id, tally.form_id)
        if tally.reject_reason:
            rejected[key][tally.reject_reason] += tally.count
        else:
            accepted[key] += tally.count
    keys = sorted(set(issued) | set(accepted) | set(rejected))
    rows = [
        TrackingRow(
            unit_id=u,
            form_id=f,
            issued=issued.get((u, f), 0),
            accepted=accepted.get((u, f), 0),
            rejected=dict(rejected.get((u, f), {})),
        )
        for u, f in keys
    ]
    by_unit = {
        u: _sum_rows((r for r in rows if r.unit_id == u), unit_id=u, form_id=None)
        for u in {r.unit_id for r in rows}
    }
    by_form = {
        f: _sum_rows((r for r in rows if r.form_id == f), unit_id=None, form_id=f)
        for f in {r.form_id for r in rows}
    }
    return Tracking(
        rows=rows, by_unit=by_unit, by_form=by_form, total=_sum_rows(rows, unit_id=None, form_id=None)
    )
