"""surveys.access as a matrix: the survey is the body administrator's work; everyone else gets 404."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from surveys.access import admin_period, may_enter_ballots, may_run_survey, survey_periods
from tests.scoring.factories import PeriodFactory, UserFactory


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=2026)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def _decisions(user, period):
    try:
        opened = admin_period(SimpleNamespace(user=user), period.pk) == period
    except Http404:
        opened = "404"
    return (
        opened,
        list(survey_periods(user)) == [period],
        may_run_survey(user, period),
        may_enter_ballots(user, period),
    )


T, F = True, False

# persona          pages  listed run  ballots
MATRIX = [
    ("body_admin",     (T,     T,     T,   T)),
    ("viewer",         ("404", F,     F,   F)),
    ("appraiser",      ("404", F,     F,   F)),
    ("council_member", ("404", F,     F,   F)),
    ("unit_officer",   ("404", F,     F,   F)),
    ("unit_head",      ("404", F,     F,   F)),
    ("outsider",       ("404", F,     F,   F)),
    ("superuser",      (T,     T,     T,   T)),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, persona, expected, period):
    user = request.getfixturevalue(persona)
    assert _decisions(user, period) == expected
