"""appraisal.access as a matrix: every persona × every decision on one submitted dossier, as the module's table says."""

import pytest
from django.http import Http404

from appraisal.access import (
    access_for,
    appraisal_visibility,
    may_close_explanation,
    may_explain,
    may_read_minutes,
    may_record_council,
    may_reopen,
    may_submit_explanation,
    period_access,
)
from scoring.models import Role
from scoring.workflow import Status
from tests.appraisal.helpers import assign, submitted_assessment
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture
def dossier(unit):
    return submitted_assessment(unit=unit)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def assigned_appraiser(body, unit, dossier):
    user = UserFactory(username="td-assigned")
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    assign(user, unit)
    return user


def _sheet(user, dossier):
    """Return "404", "sheet" (the appraisers' sheet) or "unit" (the unit's own view), and what they may do on it."""
    try:
        access = access_for(user=user, assessment=dossier)
    except Http404:
        return "404", False, False
    kind = "sheet" if access.sees_sheet else "unit"
    return kind, access.may_appraise_field("1"), access.may_move(Status.SUBMITTED, Status.ROUND_1)


def _round1_seen(user, dossier):
    try:
        return appraisal_visibility(user=user, assessment=dossier).sees_round1
    except Http404:
        return "404"


def _decisions(user, dossier):
    body = dossier.period.body
    page = period_access(user=user, period=dossier.period)
    return (
        *_sheet(user, dossier),
        _round1_seen(user, dossier),
        page.sees_all_dossiers,
        page.sees_council,
        may_read_minutes(user, dossier.period),
        may_record_council(user, body),
        may_reopen(user, dossier),
        may_explain(user, dossier),
        may_submit_explanation(user, dossier),
        may_close_explanation(user, dossier),
    )


T, F = True, False

# round1: sees round 1 before it is sent to the unit (the dossier is submitted; round 1 is a draft until then)
# persona               sheet    appr. start round1 list  council minutes record reopen explain submit close
MATRIX = [
    ("body_admin",         ("sheet", F,  T,    T,     T,    T,      T,      T,     T,     F,      F,     T)),
    ("assigned_appraiser", ("sheet", T,  T,    T,     F,    F,      T,      F,     F,     F,      F,     F)),
    ("appraiser",          ("404",   F,  F,    "404", F,    F,      T,      F,     F,     F,      F,     F)),
    ("council_member",     ("sheet", F,  F,    F,     T,    T,      T,      F,     F,     F,      F,     F)),
    ("viewer",             ("sheet", F,  F,    F,     T,    T,      T,      F,     F,     F,      F,     F)),
    ("unit_officer",       ("unit",  F,  F,    F,     F,    F,      F,      F,     F,     T,      F,     F)),
    ("unit_head",          ("unit",  F,  F,    F,     F,    F,      F,      F,     F,     T,      T,     F)),
    ("other_officer",      ("404",   F,  F,    "404", F,    F,      F,      F,     F,     F,      F,     F)),
    ("outsider",           ("404",   F,  F,    "404", F,    F,      F,      F,     F,     F,      F,     F)),
    ("superuser",          ("sheet", T,  T,    T,     T,    T,      T,      T,     T,     T,      T,     T)),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, persona, expected, dossier):
    user = request.getfixturevalue(persona)
    assert _decisions(user, dossier) == expected


def test_the_unit_sees_round_1_once_it_is_sent_for_explanation(unit_officer, dossier):
    dossier.status = Status.EXPLANATION
    dossier.save(update_fields=["status"])
    assert appraisal_visibility(user=unit_officer, assessment=dossier).sees_round1
    assert not appraisal_visibility(user=unit_officer, assessment=dossier).sees_round2


def test_an_appraiser_assigned_to_a_field_sees_every_unit_and_appraises_that_field(body, dossier):
    user = UserFactory(username="td-field")
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    assign(user, period=dossier.period, field_code="2")
    kind, appraises_field_1, _start = _sheet(user, dossier)
    assert kind == "sheet"
    assert not appraises_field_1
    assert access_for(user=user, assessment=dossier).may_appraise_field("2")


# persona, then whether they see the explanation while the unit drafts it and once its head has submitted it
EXPLANATION_MATRIX = [
    ("body_admin",         F, T),
    ("assigned_appraiser", F, T),
    ("council_member",     F, T),
    ("viewer",             F, T),
    ("unit_officer",       T, T),
    ("unit_head",          T, T),
    ("superuser",          T, T),
]  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "draft", "submitted"), EXPLANATION_MATRIX, ids=[row[0] for row in EXPLANATION_MATRIX]
)
def test_the_explanation_is_the_units_draft_until_submitted(request, persona, draft, submitted, dossier):
    user = request.getfixturevalue(persona)
    dossier.status = Status.EXPLANATION
    assert access_for(user=user, assessment=dossier).released.explanation is draft
    assert appraisal_visibility(user=user, assessment=dossier).sees_explanation is draft
    dossier.status = Status.ROUND_2
    assert access_for(user=user, assessment=dossier).released.explanation is submitted
