"""assessment_transition with the role check: the whole table walked on a real dossier, for every persona."""

import itertools

import pytest

from scoring.assessment.services import (
    AssessmentError,
    PermissionDenied,
    assessment_roles,
    assessment_transition,
)
from scoring.models import AssessmentTransition, AuditEvent
from scoring.workflow import REASON_REQUIRED, TRANSITION_ROLES, TRANSITIONS, Status
from tests.appraisal.helpers import set_status, submitted_assessment
from tests.scoring.factories import UserFactory

PERSONAS = ["body_admin", "unit_officer", "unit_head", "appraiser", "council_member", "viewer", "outsider"]


@pytest.fixture
def dossier(unit):
    return submitted_assessment(unit=unit)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_move_for_every_role_on_a_real_dossier(dossier, persona, request):
    user = request.getfixturevalue(persona)
    roles = assessment_roles(user=user, assessment=dossier)
    allowed = refused = 0
    for current, target in itertools.product(Status.values, repeat=2):
        set_status(dossier, current)
        may = target in TRANSITIONS[current] and bool(roles & TRANSITION_ROLES.get((current, target), set()))
        if may:
            assessment_transition(assessment=dossier, to=target, actor=user, reason="Lý do", check_roles=True)
            allowed += 1
            assert dossier.status == target
        else:
            with pytest.raises(AssessmentError):
                assessment_transition(
                    assessment=dossier, to=target, actor=user, reason="Lý do", check_roles=True
                )
            refused += 1
            dossier.refresh_from_db()
            assert dossier.status == current
    assert allowed + refused == len(Status.values) ** 2
    assert AssessmentTransition.objects.count() == allowed
    expected = {
        "body_admin": 10,  # all but the unit head's submission and withdrawal (incl. the council's reopening)
        "unit_officer": 0,
        "unit_head": 3,  # submit, withdraw, submit the explanation
        "appraiser": 1,  # start round 1
        "council_member": 0,
        "viewer": 0,
        "outsider": 0,  # an administrator, but of another body
    }
    assert allowed == expected[persona]


def test_role_refusal_of_a_move_in_the_table_is_a_permission_error(dossier, unit_officer):
    with pytest.raises(PermissionDenied, match="không có quyền"):
        assessment_transition(assessment=dossier, to=Status.ROUND_1, actor=unit_officer, check_roles=True)


def test_superuser_holds_every_role(dossier):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    assessment_transition(assessment=dossier, to=Status.ROUND_1, actor=root, check_roles=True)

    assert dossier.status == Status.ROUND_1


def test_without_check_roles_existing_callers_are_unchanged(dossier, council_member):
    assessment_transition(assessment=dossier, to=Status.ROUND_1, actor=council_member)

    assert dossier.status == Status.ROUND_1


@pytest.mark.parametrize(("current", "target"), sorted(REASON_REQUIRED))
def test_a_move_back_needs_a_reason_which_is_kept_in_the_note(dossier, body_admin, current, target):
    set_status(dossier, current)

    with pytest.raises(AssessmentError, match="lý do"):
        assessment_transition(assessment=dossier, to=target, actor=body_admin, note="ghi chú")
    assessment_transition(
        assessment=dossier, to=target, actor=body_admin, reason=" Thiếu tài liệu ", note="ghi chú"
    )

    move = AssessmentTransition.objects.get()
    assert move.note == "Thiếu tài liệu\nghi chú"


def test_every_move_is_audited_with_old_and_new_status(dossier, body_admin):
    assessment_transition(assessment=dossier, to=Status.ROUND_1, actor=body_admin, check_roles=True)

    event = AuditEvent.objects.get(object_type="scoring.assessment")
    assert (event.action, event.field, event.old_value, event.new_value, event.actor) == (
        "assessment_transition",
        "status",
        Status.SUBMITTED,
        Status.ROUND_1,
        body_admin,
    )
    assert event.unit == dossier.unit
