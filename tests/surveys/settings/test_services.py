"""The survey settings services called directly: refusals a page cannot send, and the live results told once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring.results.state import results_changed
from surveys.models import BallotForm, SipasConversion, SurveySettings
from surveys.settings.services import sipas_conversions_set, survey_settings_set
from tests.scoring.factories import PeriodFactory
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments)


@pytest.fixture
def notified():
    calls: list[int] = []

    def receiver(sender, period_id, **kwargs):
        calls.append(period_id)

    results_changed.connect(receiver)
    yield calls
    results_changed.disconnect(receiver)


def test_a_conversion_change_tells_the_results_once_and_no_change_tells_nothing(survey, body_admin, notified):
    item = survey.survey_items[0]
    assert sipas_conversions_set(period=survey.period, choices={item.pk: "linear"}, actor=body_admin) == 1
    assert notified == [survey.period.pk]
    assert sipas_conversions_set(period=survey.period, choices={item.pk: "linear"}, actor=body_admin) == 0
    assert notified == [survey.period.pk]


def test_items_not_named_keep_their_conversion(survey, body_admin):
    first, second = survey.survey_items[:2]
    SipasConversion.objects.create(period=survey.period, item=first)
    sipas_conversions_set(period=survey.period, choices={second.pk: "linear"}, actor=body_admin)
    assert set(SipasConversion.objects.values_list("item_id", flat=True)) == {first.pk, second.pk}


def test_a_weight_of_another_periods_form_is_refused_and_nothing_saved(survey, body, departments, body_admin):
    other = BallotForm.objects.create(
        period=PeriodFactory(body=body, year=2027),
        code="M9",
        name="M9",
        respondent_group="x",
        target_group=departments,
    )
    with pytest.raises(ValidationError, match="không thuộc kỳ đánh giá năm 2026"):
        survey_settings_set(
            period=survey.period,
            aggregation="group_weighted",
            weights={other.pk: Decimal(2)},
            actor=body_admin,
        )
    other.refresh_from_db()
    assert other.group_weight == 1 and not SurveySettings.objects.exists()


def test_an_unknown_averaging_is_refused(survey, body_admin):
    with pytest.raises(ValidationError, match="Cách tính trung bình không hợp lệ"):
        survey_settings_set(period=survey.period, aggregation="median", actor=body_admin)


def test_a_note_alone_does_not_tell_the_results(survey, body_admin, notified):
    survey_settings_set(period=survey.period, aggregation="ballot_mean", note="Theo KH 12", actor=body_admin)
    assert SurveySettings.objects.get().note == "Theo KH 12" and notified == []
    survey_settings_set(
        period=survey.period, aggregation="group_weighted", note="Theo KH 12", actor=body_admin
    )
    assert notified == [survey.period.pk]
