"""The survey arithmetic: verdicts, points per unit and item, tracking, SIPAS."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.formatting import format_number
from surveys.calc import (
    GROUP_WEIGHTED,
    OVER_QUOTA,
    AnswerInput,
    BallotInput,
    BallotTally,
    PlanInput,
    QuestionInput,
    ballot_verdict,
    item_points,
    sipas_points,
    tracking,
)

A, B, C, D = (AnswerInput(Decimal(s)) for s in ("1", "0.6", "0.2", "0"))
NO_ANSWER = AnswerInput(Decimal(0), counts=False)
UNIT, OTHER_UNIT = 1, 2
FORM_1, FORM_2 = 10, 20
ITEM, OTHER_ITEM = 100, 200
# Question 1 on form 1 and question 2 on form 2 both ask about ITEM (max 2 points); question 3 about OTHER_ITEM.
QUESTIONS = {
    1: QuestionInput(question_id=1, form_id=FORM_1, item_id=ITEM, max_points=Decimal(2)),
    2: QuestionInput(question_id=2, form_id=FORM_2, item_id=ITEM, max_points=Decimal(2)),
    3: QuestionInput(question_id=3, form_id=FORM_1, item_id=OTHER_ITEM, max_points=Decimal("1.5")),
}


def on_form_1(*answers, unit=UNIT):
    return BallotInput(unit_id=unit, form_id=FORM_1, answers=dict(zip((1, 3), answers, strict=False)))


def on_form_2(answer, unit=UNIT):
    return BallotInput(unit_id=unit, form_id=FORM_2, answers={2: answer})


@pytest.mark.parametrize(
    ("ballots", "expected"),
    [
        ([on_form_1(A)], Decimal("2.00")),
        ([on_form_1(A), on_form_1(B)], Decimal("1.60")),  # mean share 0.8 × 2
        ([on_form_1(A), on_form_1(B), on_form_1(C), on_form_1(D)], Decimal("0.90")),  # 0.45 × 2
        (
            [on_form_1(A), on_form_1(NO_ANSWER), on_form_1(None)],
            Decimal("2.00"),
        ),  # blanks and "no answer" skipped
        ([on_form_1(B), on_form_2(D), on_form_2(D), on_form_2(D)], Decimal("0.30")),  # 0.6/4 × 2
    ],
)
def test_ballot_mean_averages_every_counting_answer_on_the_item(ballots, expected):
    assert item_points(ballots, QUESTIONS).points[(UNIT, ITEM)] == expected


def test_group_weighted_averages_within_each_form_then_across_forms_by_weight():
    ballots = [on_form_1(B), on_form_2(D), on_form_2(D), on_form_2(D)]

    equal = item_points(ballots, QUESTIONS, GROUP_WEIGHTED)
    weighted = item_points(ballots, QUESTIONS, GROUP_WEIGHTED, {FORM_1: Decimal(3), FORM_2: Decimal(1)})

    assert equal.points[(UNIT, ITEM)] == Decimal("0.60")  # (0.6 + 0) / 2 × 2
    assert weighted.points[(UNIT, ITEM)] == Decimal("0.90")  # (3 × 0.6 + 0) / 4 × 2


def test_points_are_kept_apart_per_unit_and_item_with_their_answer_counts():
    ballots = [on_form_1(A, C), on_form_1(A, A), on_form_1(D, NO_ANSWER, unit=OTHER_UNIT)]

    result = item_points(ballots, QUESTIONS)

    assert result.points == {
        (UNIT, ITEM): Decimal("2.00"),
        (UNIT, OTHER_ITEM): Decimal("0.90"),  # 0.6 × 1.5
        (OTHER_UNIT, ITEM): Decimal("0.00"),
    }
    assert result.answers == {(UNIT, ITEM): 2, (UNIT, OTHER_ITEM): 2, (OTHER_UNIT, ITEM): 1}


def test_an_item_nobody_answered_has_no_points_rather_than_zero():
    assert item_points([on_form_1(NO_ANSWER, None)], QUESTIONS).points == {}


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError):
        item_points([], QUESTIONS, "median")


shares = st.sampled_from([A, B, C, D, NO_ANSWER, None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([FORM_1, FORM_2]), shares), max_size=30))
def test_points_stay_within_zero_and_the_item_maximum_and_match_the_plain_mean(draws):
    ballots = [on_form_1(a) if form == FORM_1 else on_form_2(a) for form, a in draws]
    counted = [a.share for _f, a in draws if a is not None and a.counts]

    for aggregation in ("ballot_mean", GROUP_WEIGHTED):
        points = item_points(ballots, QUESTIONS, aggregation).points.get((UNIT, ITEM))
        if not counted:
            assert points is None
            continue
        assert Decimal(0) <= points <= Decimal(2)
    mean = item_points(ballots, QUESTIONS).points.get((UNIT, ITEM))
    if counted:
        assert abs(mean - sum(counted) / len(counted) * 2) <= Decimal("0.005")


@settings(max_examples=40, deadline=None)
@given(st.lists(shares, min_size=1, max_size=20), st.lists(shares, min_size=1, max_size=20))
def test_group_weighted_equals_ballot_mean_when_one_form_answers(first, second):
    only_form_1 = [on_form_1(a) for a in first]
    assert item_points(only_form_1, QUESTIONS, GROUP_WEIGHTED) == item_points(only_form_1, QUESTIONS)


@pytest.mark.parametrize(
    ("target", "unit_group", "answered", "accepted", "issued", "expected"),
    [
        (1, 1, {1, 2}, 0, 5, ("accepted", "")),
        (1, 2, {1, 2}, 0, 5, ("rejected", "wrong_form_or_unit")),
        (1, 1, {1}, 0, 5, ("rejected", "incomplete")),
        (1, 1, {1, 2}, 5, 5, ("rejected", "over_quota")),
        (1, 1, {1, 2}, 4, 5, ("accepted", "")),
        (1, 1, {1, 2}, 99, None, ("accepted", "")),  # no sample plan: no quota
        (1, 2, {1}, 9, 5, ("rejected", "wrong_form_or_unit")),  # first failing rule wins
    ],
)
def test_ballot_verdict(target, unit_group, answered, accepted, issued, expected):
    verdict = ballot_verdict(
        target_group_id=target,
        unit_group_id=unit_group,
        question_numbers={1, 2},
        answered_numbers=answered,
        accepted_so_far=accepted,
        issued=issued,
    )
    assert (verdict.status, verdict.reject_reason) == expected


def test_tracking_reproduces_the_lai_chau_2020_counts():
    # 1,160 issued over 4 units × 2 forms (145 each); 1,138 returned; 3 over quota on unit 1, form 10.
    plans = [PlanInput(unit_id=u, form_id=f, issued=145) for u in (1, 2, 3, 4) for f in (10, 20)]
    accepted = {(1, 10): 145, (1, 20): 140, (2, 10): 145, (2, 20): 145, (3, 10): 140, (3, 20): 140}
    accepted |= {(4, 10): 140, (4, 20): 140}
    ballots = [BallotTally(unit_id=u, form_id=f, count=n) for (u, f), n in accepted.items()]
    ballots.append(BallotTally(unit_id=1, form_id=10, reject_reason=OVER_QUOTA, count=3))

    table = tracking(plans, ballots)

    total = table.total
    assert (total.issued, total.returned, total.accepted, total.rejected) == (
        1160,
        1138,
        1135,
        {OVER_QUOTA: 3},
    )
    assert format_number(total.return_rate, 1) == "98,1"
    assert table.by_unit[1].returned == 288
    assert table.by_form[10].rejected_total == 3
    assert len(table.rows) == 8


def test_tracking_shows_ballots_without_a_plan_and_no_rate_without_issued():
    table = tracking([], [BallotTally(unit_id=1, form_id=10, count=2)])

    assert table.rows[0].issued == 0
    assert table.rows[0].returned == 2
    assert table.rows[0].return_rate is None
    assert table.rows[0].accepted_rate == Decimal("100.00")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            st.integers(1, 2),
            st.sampled_from(["", OVER_QUOTA, "incomplete", "duplicate"]),
            st.integers(0, 50),
        ),
        max_size=20,
    )
)
def test_tracking_totals_are_the_sums_of_the_rows(draws):
    ballots = [BallotTally(unit_id=u, form_id=f, reject_reason=r, count=n) for u, f, r, n in draws]
    plans = [PlanInput(unit_id=u, form_id=f, issued=10) for u in (1, 2, 3) for f in (1, 2)]

    table = tracking(plans, ballots)

    assert table.total.returned == sum(n for *_rest, n in draws)
    assert table.total.accepted == sum(n for _u, _f, r, n in draws if not r)
    assert table.total.issued == 60
    assert sum(r.returned for r in table.by_unit.values()) == table.total.returned
    assert sum(r.returned for r in table.by_form.values()) == table.total.returned


@pytest.mark.parametrize(
    ("pct", "max_points", "expected"),
    [
        (Decimal("78.0"), Decimal(2), Decimal("1.56")),  # Mường Tè 2022
        (Decimal(100), Decimal("1.5"), Decimal("1.50")),
        (Decimal(0), Decimal(2), Decimal("0.00")),
        (Decimal(120), Decimal(2), Decimal("2.00")),
        (Decimal(-5), Decimal(2), Decimal("0.00")),
    ],
)
def test_sipas_points_are_the_overall_percentage_of_the_maximum(pct, max_points, expected):
    assert sipas_points(pct, max_points) == expected
