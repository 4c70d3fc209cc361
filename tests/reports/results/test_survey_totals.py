"""Survey points in the totals: ballots and SIPAS give the survey items' points in the live rankings and at publication."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import PublishedResult
from reports.publication.services import period_publish
from reports.results.services import period_results_recompute
from scoring.models import Period, SelfScore
from scoring.workflow import Status
from surveys.models import SipasConversion
from surveys.sipas.services import sipas_result_save
from tests.appraisal.helpers import appraise_all, set_status, submitted_assessment
from tests.surveys.helpers import ballot, survey_period

RANKINGS_API = reverse("rankings-api")


@pytest.fixture
def survey(departments, unit, other_unit):
    """2026: 8 leaves of 1 point, every second a survey item (4); forms M1 and M2 on the departments."""
    return survey_period(unit_group=departments, units=[unit, other_unit])


def _assessment(unit, survey, status=Status.EXPLANATION):
    assessment = submitted_assessment(unit=unit, period=survey.period, criteria_set=survey.criteria_set)
    set_status(assessment, status)
    appraise_all(assessment=assessment, round=1, points=Decimal("0.75"))
    return assessment


def _staff_row(viewer, unit_code):
    # The staff read the stored results; what the background recompute does after a change, done here.
    period_results_recompute(period=Period.objects.get(year=2026))
    client = APIClient()
    client.force_authenticate(viewer)
    data = client.get(RANKINGS_API, {"year": 2026}).json()
    assert data["published"] is False
    return next(r for r in data["results"] if r["unit_code"] == unit_code)


def test_ballots_give_the_survey_points_in_the_staffs_live_rankings(survey, unit, viewer):
    _assessment(unit, survey)
    # Two accepted ballots, all A (100 %) and all B (60 %): 0,80 of each 1-point survey item; a rejected
    # ballot and round 2 of double entry count for nothing.
    ballot(form=survey.form("M1"), unit=unit, answers="A")
    ballot(form=survey.form("M2"), unit=unit, answers="B")
    ballot(form=survey.form("M1"), unit=unit, answers="D", status="rejected", reject_reason="over_quota")

    row = _staff_row(viewer, "so-noi-vu")

    assert (row["appraisal_points"], row["survey_points"], row["max_points"]) == ("3.00", "3.20", "8.00")
    assert (row["total_points"], row["index_pct"]) == ("6.20", "77.50")


def test_survey_items_ignore_a_score_typed_on_the_scoring_sheet(survey, unit, viewer):
    assessment = _assessment(unit, survey)
    item = survey.survey_items[0]
    SelfScore.objects.create(assessment=assessment, item=item, points=Decimal(1))

    row = _staff_row(viewer, "so-noi-vu")

    assert row["survey_points"] == "0.00"  # no ballots yet: the survey items are unscored


def test_sipas_conversion_gives_its_item_points_in_the_live_rankings(survey, unit, viewer, body_admin):
    _assessment(unit, survey)
    ballot(form=survey.form("M1"), unit=unit, answers="A")
    item = survey.survey_items[-1]
    SipasConversion.objects.create(period=survey.period, item=item)
    sipas_result_save(period=survey.period, unit=unit, values={"overall_pct": "78"}, actor=body_admin)

    row = _staff_row(viewer, "so-noi-vu")

    # Three items from the ballot (1 each), the fourth from SIPAS: 78 % of 1 point.
    assert row["survey_points"] == "3.78"


def test_publication_freezes_the_survey_points_into_the_snapshot_and_the_published_rows(
    survey, unit, other_unit, body_admin
):
    _assessment(unit, survey, status=Status.COUNCIL_APPROVED)
    _assessment(other_unit, survey, status=Status.COUNCIL_APPROVED)
    ballot(form=survey.form("M1"), unit=unit, answers="A")
    ballot(form=survey.form("M1"), unit=other_unit, answers="C")

    decision = period_publish(
        period=survey.period,
        number="Quyết định 9/QĐ-UBND",
        signed_on=date(2027, 3, 1),
        signer="Chủ tịch UBND tỉnh",
        file=None,
        actor=body_admin,
    )

    rows = {r.unit.code: r for r in PublishedResult.objects.select_related("unit")}
    assert rows["so-noi-vu"].survey_points == Decimal(4)
    assert rows["so-tu-phap"].survey_points == Decimal("0.8")
    units = decision.snapshot.content["units"]
    survey_code = survey.survey_items[0].code
    assert Decimal(units["so-noi-vu"]["items"][survey_code]) == Decimal(1)
    assert Decimal(units["so-tu-phap"]["items"][survey_code]) == Decimal("0.2")

    public = APIClient().get(RANKINGS_API, {"year": 2026, "body": "lai-chau"}).json()["results"]
    assert {r["unit_code"]: r["survey_points"] for r in public} == {"so-noi-vu": "4.00", "so-tu-phap": "0.80"}
