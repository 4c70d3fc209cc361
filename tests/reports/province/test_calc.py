"""Targets per field: verdicts and progress through the year; pure, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.plans.calc import FieldStanding
from reports.province import calc as target_calc
from reports.province.calc import (
    ABOVE,
    AT_LEAST,
    EQUAL,
    Achieved,
    Action,
    Target,
    index_met,
    progress,
    rank_met,
    verdict,
)

D = Decimal
indices = st.decimals(min_value=0, max_value=100, places=2)
ranks = st.integers(min_value=1, max_value=63)


@pytest.mark.parametrize(
    ("comparison", "target", "achieved", "met"),
    [
        (AT_LEAST, "83", "83.00", True),  # "từ 83 % trở lên"
        (AT_LEAST, "83", "82.99", False),
        (ABOVE, "84.83", "84.83", False),  # "trên 84,83 %" is not met by 84,83 itself
        (ABOVE, "84.83", "84.84", True),
        (EQUAL, "90", "89.995", True),  # prints as 90,00
        (EQUAL, "90", "89.99", False),
        (EQUAL, "90", "95", True),  # doing better than "đạt 90 %" meets it
    ],
)
def test_index_comparisons(comparison, target, achieved, met):
    assert index_met(comparison, D(target), D(achieved)) is met


def test_unknown_comparison_is_an_error():
    with pytest.raises(ValueError):
        index_met("below", D(1), D(2))


@pytest.mark.parametrize(
    ("best", "worst", "achieved", "met"),
    [
        (28, 30, 28, True),
        (28, 30, 30, True),
        (28, 30, 31, False),
        (28, 30, 12, True),
        (4, 4, 4, True),
        (4, 4, 5, False),
    ],
)
def test_rank_within_range_or_better(best, worst, achieved, met):
    assert rank_met(best, worst, achieved) is met


def test_no_rank_range_cannot_be_judged():
    assert rank_met(None, None, 5) is None


@given(comparison=st.sampled_from(target_calc.COMPARISONS), target=indices, achieved=indices, extra=indices)
def test_a_higher_index_never_turns_a_met_target_into_a_miss(comparison, target, achieved, extra):
    if index_met(comparison, target, achieved):
        assert index_met(comparison, target, min(achieved + extra, D(100)))


@given(comparison=st.sampled_from(target_calc.COMPARISONS), target=indices, achieved=indices)
def test_above_implies_at_least_implies_equal(comparison, target, achieved):
    if index_met(ABOVE, target, achieved):
        assert index_met(AT_LEAST, target, achieved)
    if index_met(AT_LEAST, target, achieved):
        assert index_met(EQUAL, target, achieved)


@given(a=ranks, b=ranks, achieved=ranks)
def test_rank_met_is_monotone_and_includes_the_range(a, b, achieved):
    best, worst = min(a, b), max(a, b)
    if best <= achieved <= worst:
        assert rank_met(best, worst, achieved)
    if rank_met(best, worst, achieved) and achieved > 1:
        assert rank_met(best, worst, achieved - 1)


@given(target=indices, achieved=st.none() | indices, rank=st.none() | ranks, a=ranks, b=ranks)
def test_verdict_is_met_only_when_every_judged_part_is(target, achieved, rank, a, b):
    t = Target("1", AT_LEAST, target, min(a, b), max(a, b))
    v = verdict(t, Achieved(index=achieved, rank=rank))
    if achieved is None:
        assert v.met is None
    else:
        assert v.met == (v.index_met and (v.rank_met is not False))


def test_verdict_without_a_result_is_undecided():
    assert verdict(Target("1", AT_LEAST, D(80)), None).met is None


# --- progress -----------------------------------------------------------------------------------

FIELDS_2020 = [
    FieldStanding("1", D("7.72"), D("8.5")),
    FieldStanding("4", D("9.13"), D("11.5")),
    FieldStanding("5", D("10.30"), D("13.5")),
    FieldStanding("7", D("11.58"), D("15")),
]


def test_done_actions_reproduce_the_2021_targets_of_seeds_000():
    actions = [
        Action("1", D("0.08"), "done"),
        Action("4", D("0.5"), "done"),
        Action("5", D("0.5"), "done"),
        Action("7", D("0.25"), "done"),
        Action("7", D("0.25"), "done"),
    ]
    result = progress(fields=FIELDS_2020, actions=actions, last_total_index=D("83.72"))
    expected = {"1": "91.76", "4": "83.73", "5": "80.00", "7": "80.53"}
    for code, index in expected.items():
        assert abs(result[code].projected_index - D(index)) <= D("0.01"), code
    assert result["total"].projected_index == D("83.72") + D("1.58")
    assert result["7"].share_done == D(100)


def test_only_done_actions_count_and_dropped_ones_are_not_in_the_share():
    actions = [
        Action("7", D("0.25"), "done"),
        Action("7", D("0.25"), "in_progress"),
        Action("7", D("0"), "dropped"),
        Action("7", D("0.5"), "planned"),
    ]
    result = progress(fields=FIELDS_2020, actions=actions, last_total_index=D("83.72"))
    seven = result["7"]
    assert (seven.actions_done, seven.actions_total) == (1, 3)
    assert seven.projected_index == (D("11.58") + D("0.25")) * 100 / D(15)
    assert result["1"].share_done is None
    assert result["1"].projected_index == result["1"].last_index


def test_actions_of_a_field_without_last_year_points_count_in_total_only():
    result = progress(fields=[], actions=[Action("sipas", D("0.3"), "done")], last_total_index=D("86.29"))
    assert result["sipas"].projected_index is None
    assert result["sipas"].actions_done == 1
    assert result["total"].projected_index == D("86.59")


@given(
    points=st.decimals(min_value=0, max_value=15, places=2),
    recovered=st.lists(st.decimals(min_value=0, max_value=5, places=2), max_size=5),
    statuses=st.lists(st.sampled_from(["planned", "in_progress", "done", "dropped"]), min_size=5, max_size=5),
)
def test_projected_index_lies_between_last_index_and_100(points, recovered, statuses):
    actions = [Action("1", p, s) for p, s in zip(recovered, statuses, strict=False)]
    result = progress(fields=[FieldStanding("1", points, D(15))], actions=actions, last_total_index=D(50))
    one = result["1"]
    assert one.last_index <= one.projected_index <= D(100)
    assert 0 <= one.actions_done <= one.actions_total
    if one.share_done is not None:
        assert D(0) <= one.share_done <= D(100)
    assert D(50) <= result["total"].projected_index <= D(100)
