"""The assessment workflow: every move the table allows passes, every other move is refused; no database.

The matrix is walked whole twice: without roles (the table alone) and for every role (who may make each move).
"""

import itertools

import pytest

from scoring.workflow import (
    EDITABLE_STATUSES,
    REASON_REQUIRED,
    TRANSITION_ROLES,
    TRANSITIONS,
    Role,
    Status,
    TransitionError,
    check_transition,
)

S = Status
ALL_PAIRS = list(itertools.product(Status.values, repeat=2))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]
ROLE_MOVES = list(itertools.product(ALL_PAIRS, Role.values))
ROLE_ALLOWED = [(pair, role) for pair, role in ROLE_MOVES if role in TRANSITION_ROLES.get(pair, frozenset())]
ROLE_REFUSED = [
    (pair, role) for pair, role in ROLE_MOVES if role not in TRANSITION_ROLES.get(pair, frozenset())
]

# The table, written out once more by hand: the test fails if the code's table drifts from it.
EXPECTED_ROLES = {
    (S.SELF_ASSESSMENT, S.SUBMITTED): {"unit_head"},
    (S.SUBMITTED, S.SELF_ASSESSMENT): {"unit_head"},
    (S.SUBMITTED, S.ROUND_1): {"body_admin", "appraiser"},
    (S.ROUND_1, S.EXPLANATION): {"body_admin"},
    (S.ROUND_1, S.ROUND_2): {"body_admin"},
    (S.ROUND_1, S.SELF_ASSESSMENT): {"body_admin"},
    (S.EXPLANATION, S.ROUND_2): {"unit_head", "body_admin"},
    (S.ROUND_2, S.EXPLANATION): {"body_admin"},
    (S.ROUND_2, S.COUNCIL_APPROVED): {"body_admin"},
    (S.COUNCIL_APPROVED, S.ROUND_2): {"body_admin"},
    (S.COUNCIL_APPROVED, S.PUBLISHED): {"body_admin"},
    (S.PUBLISHED, S.ROUND_2): {"body_admin"},
}


def test_table_covers_every_status_and_names_only_known_ones():
    assert set(TRANSITIONS) == set(Status.values)
    assert set().union(*TRANSITIONS.values()) <= set(Status.values)


def test_every_move_of_the_table_names_who_may_make_it_and_nothing_else():
    assert set(TRANSITION_ROLES) == set(ALLOWED)
    assert {pair: set(roles) for pair, roles in TRANSITION_ROLES.items()} == EXPECTED_ROLES


def test_workflow_roles_are_the_stored_role_codes():
    from scoring.models import Role as StoredRole  # the one import of models here: a cross-check only

    assert set(Role.values) == {r.value for r in StoredRole}


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_move_passes(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_any_other_move_is_refused_with_both_labels(current, target):
    with pytest.raises(TransitionError) as error:
        check_transition(current, target)

    assert str(Status(current).label) in str(error.value)
    assert str(Status(target).label) in str(error.value)


@pytest.mark.parametrize(("pair", "role"), ROLE_ALLOWED)
def test_role_allowed_for_a_move_may_make_it(pair, role):
    check_transition(*pair, roles=[role])


@pytest.mark.parametrize(("pair", "role"), ROLE_REFUSED)
def test_role_not_allowed_for_a_move_is_refused(pair, role):
    with pytest.raises(TransitionError):
        check_transition(*pair, roles=[role])


def test_role_matrix_is_walked_whole():
    assert len(ROLE_ALLOWED) + len(ROLE_REFUSED) == len(Status.values) ** 2 * len(Role.values)
    assert len(ROLE_ALLOWED) == sum(len(roles) for roles in EXPECTED_ROLES.values()) == 14


def test_refusal_for_want_of_a_role_says_so():
    with pytest.raises(TransitionError, match="không có quyền"):
        check_transition(S.ROUND_2, S.COUNCIL_APPROVED, roles=["council_member", "viewer"])


def test_any_one_allowed_role_among_several_is_enough():
    check_transition(S.EXPLANATION, S.ROUND_2, roles=["unit_officer", "unit_head"])


def test_no_roles_at_all_may_make_no_move():
    for current, target in ALLOWED:
        with pytest.raises(TransitionError):
            check_transition(current, target, roles=[])


def test_council_members_and_viewers_make_no_move():
    for (current, target), role in ROLE_ALLOWED:
        assert role not in {Role.COUNCIL_MEMBER, Role.VIEWER}, (current, target)


def test_matrix_is_walked_whole():
    assert len(ALLOWED) + len(REFUSED) == len(Status.values) ** 2
    # self-assessment → submitted, withdrawal back, the appraisal chain to publication, three returns, the skip
    # and the council's reopening of a published dossier.
    assert len(ALLOWED) == 12


def test_moves_back_need_a_reason_and_only_they():
    assert {
        (S.ROUND_1, S.SELF_ASSESSMENT),
        (S.ROUND_2, S.EXPLANATION),
        (S.COUNCIL_APPROVED, S.ROUND_2),
        (S.PUBLISHED, S.ROUND_2),
    } == REASON_REQUIRED
    assert set(ALLOWED) >= REASON_REQUIRED


def test_staying_in_the_same_status_is_not_a_move():
    for status in Status.values:
        with pytest.raises(TransitionError):
            check_transition(status, status)


def test_published_is_final_until_the_council_reopens_it():
    assert TRANSITIONS[Status.PUBLISHED] == frozenset({Status.ROUND_2})
    assert (Status.PUBLISHED, Status.ROUND_2) in REASON_REQUIRED


def test_only_self_assessment_is_editable_by_the_unit():
    assert frozenset({Status.SELF_ASSESSMENT}) == EDITABLE_STATUSES


def test_back_to_self_assessment_only_by_withdrawal_or_return_from_round_1():
    came_back_to_self_assessment = {a for a, b in ALLOWED if b == Status.SELF_ASSESSMENT}

    assert came_back_to_self_assessment == {Status.SUBMITTED, Status.ROUND_1}
