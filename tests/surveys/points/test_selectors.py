"""Survey points per unit and item, as the reports read them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Aggregation, SipasConversion, SipasResult, SurveySettings
from surveys.points.selectors import survey_item_points
from tests.scoring.factories import UnitFactory
from tests.surveys.helpers import ballot, survey_period


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments)


def test_points_are_the_mean_share_times_the_item_maximum(survey, unit, other_unit):
    first, second = survey.survey_items[:2]
    m1 = survey.form("M1")
    ballot(form=m1, unit=unit, answers={1: "A", 2: "A", 3: "A", 4: "A"})
    ballot(form=m1, unit=unit, answers={1: "B", 2: "E", 3: "A", 4: "A"})  # E = no answer, not counted
    ballot(form=m1, unit=other_unit, answers="D")

    points = survey_item_points(period=survey.period)

    assert points[unit.pk][first.pk] == Decimal("0.80")  # (1 + 0.6) / 2 × 1
    assert points[unit.pk][second.pk] == Decimal("1.00")
    assert points[other_unit.pk][first.pk] == Decimal("0.00")


def test_rejected_and_round_two_ballots_carry_no_points(survey, unit):
    m1 = survey.form("M1")
    ballot(form=m1, unit=unit, answers="D")
    ballot(form=m1, unit=unit, answers="A", status="rejected", reject_reason="over_quota")
    ballot(form=m1, unit=unit, answers="A", entry_round=2)

    points = survey_item_points(period=survey.period)

    assert set(points[unit.pk].values()) == {Decimal("0.00")}


def test_group_weighted_setting_averages_forms_by_weight(survey, unit):
    item = survey.survey_items[0]
    m1, m2 = survey.form("M1"), survey.form("M2")
    m1.group_weight = Decimal(3)
    m1.save()
    ballot(form=m1, unit=unit, answers="B")
    for _ in range(3):
        ballot(form=m2, unit=unit, answers="D")

    ballot_mean = survey_item_points(period=survey.period)[unit.pk][item.pk]
    SurveySettings.objects.create(period=survey.period, aggregation=Aggregation.GROUP_WEIGHTED)
    weighted = survey_item_points(period=survey.period)[unit.pk][item.pk]

    assert ballot_mean == Decimal("0.15")  # 0.6 / 4
    assert weighted == Decimal("0.45")  # (3 × 0.6 + 0) / 4


def test_an_item_converted_from_sipas_takes_the_sipas_points(survey, unit, other_unit):
    item = survey.survey_items[-1]
    ballot(form=survey.form("M1"), unit=unit, answers="A")
    SipasConversion.objects.create(period=survey.period, item=item)
    SipasResult.objects.create(period=survey.period, unit=unit, overall_pct=Decimal("78.0"))

    points = survey_item_points(period=survey.period)

    assert points[unit.pk][item.pk] == Decimal("0.78")
    assert points[unit.pk][survey.survey_items[0].pk] == Decimal("1.00")
    assert other_unit.pk not in points


def test_a_period_without_ballots_gives_no_points(survey):
    assert survey_item_points(period=survey.period) == {}


def _queries_for(units, survey):
    for unit in units:
        for form in survey.forms:
            ballot(form=form, unit=unit, answers="B")
    with CaptureQueriesContext(connection) as captured:
        survey_item_points(period=survey.period)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_units(body, departments):
    few = [UnitFactory(body=body, group=departments) for _ in range(5)]
    survey = survey_period(unit_group=departments, units=few)
    five = _queries_for(few, survey)
    many = [UnitFactory(body=body, group=departments) for _ in range(45)]

    fifty = _queries_for(many, survey)

    assert five == fifty <= 6
    assert len(survey_item_points(period=survey.period)) == 50
