"""The assessment workflow: every move the table allows passes, every other move is refused; no database."""

import itertools

import pytest

from scoring.workflow import EDITABLE_STATUSES, TRANSITIONS, Status, TransitionError, check_transition

ALL_PAIRS = list(itertools.product(Status.values, repeat=2))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


def test_table_covers_every_status_and_names_only_known_ones():
    assert set(TRANSITIONS) == set(Status.values)
    assert set().union(*TRANSITIONS.values()) <= set(Status.values)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_move_passes(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_any_other_move_is_refused_with_both_labels(current, target):
    with pytest.raises(TransitionError) as error:
        check_transition(current, target)

    assert str(Status(current).label) in str(error.value)
    assert str(Status(target).label) in str(error.value)


def test_matrix_is_walked_whole():
    assert len(ALLOWED) + len(REFUSED) == len(Status.values) ** 2
    # self-assessment → submitted, withdrawal back, and the appraisal chain to publication.
    assert len(ALLOWED) == 7


def test_staying_in_the_same_status_is_not_a_move():
    for status in Status.values:
        with pytest.raises(TransitionError):
            check_transition(status, status)


def test_published_is_final():
    assert TRANSITIONS[Status.PUBLISHED] == frozenset()


def test_only_self_assessment_is_editable_by_the_unit():
    assert frozenset({Status.SELF_ASSESSMENT}) == EDITABLE_STATUSES


def test_withdrawal_is_possible_only_before_appraisal_starts():
    came_back_to_self_assessment = [a for a, b in ALLOWED if b == Status.SELF_ASSESSMENT]

    assert came_back_to_self_assessment == [Status.SUBMITTED]
