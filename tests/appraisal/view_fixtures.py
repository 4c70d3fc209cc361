"""Fixtures and URL helpers of the appraisal page tests (imported by the test modules that use them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, Role
from scoring.workflow import Status
from tests.appraisal.helpers import appraise_all, assign, set_status, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}
# Yesterday: a meeting cannot be recorded ahead of time.
MEETING_DAY = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")


@pytest.fixture(name="assessment")
def assessment_fixture(unit) -> Assessment:
    assessment = submitted_assessment(unit=unit)
    period = assessment.period
    period.explanation_deadline = timezone.now() + timedelta(days=7)
    period.save(update_fields=["explanation_deadline"])
    return assessment


@pytest.fixture(name="items")
def items_fixture(assessment):
    return appraisal_items(assessment.criteria_set)


@pytest.fixture(name="assigned")
def assigned_fixture(appraiser, unit, assessment):
    assign(appraiser, unit)
    return appraiser


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def sheet_url(assessment):
    return reverse("appraisal:sheet", args=[assessment.pk])


def save_url(assessment, item):
    return reverse("appraisal:item_save", args=[assessment.pk, item.pk])


@pytest.fixture(name="explaining")
def explaining_fixture(assessment, items, appraiser):
    appraise_all(assessment=assessment, flagged=[items[0].code], by=appraiser)
    return set_status(assessment, Status.EXPLANATION)


def explanation_save_url(assessment, item):
    return reverse("appraisal:explanation_save", args=[assessment.pk, item.pk])


@pytest.fixture(name="in_round_2")
def in_round_2_fixture(assessment, appraiser):
    appraise_all(assessment=assessment, by=appraiser)
    return set_status(assessment, Status.ROUND_2)


def council_url(assessment):
    return reverse("appraisal:council", args=[assessment.period_id])


@pytest.fixture(name="neighbour")
def neighbour_fixture(body, other_unit):
    """Return an officer of Sở Tư pháp: a neighbour who must see nothing of Sở Nội vụ's appraisal."""
    user = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=user, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    return user
