"""A new year made from last year's keeps which survey items took their points from SIPAS."""

from __future__ import annotations

import pytest

from scoring.models import AuditEvent, CriteriaItem
from scoring.periods import services
from surveys.models import SipasConversion
from surveys.settings.services import sipas_conversions_clone
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.django_db


def test_create_copies_the_sipas_conversions_by_group_and_code(body, departments, unit, body_admin):
    source = survey_period(unit_group=departments, period=PeriodFactory(body=body, year=2025))
    for item in source.survey_items[2:]:
        SipasConversion.objects.create(period=source.period, item=item)
    created = services.period_create(body=body, year=2026, actor=body_admin)
    assert created.counts["Quy đổi SIPAS"] == 2
    copied = SipasConversion.objects.filter(period=created.period).select_related("item__criteria_set")
    assert sorted(c.item.code for c in copied) == ["2.1.2", "2.2.2"]
    assert {c.item.criteria_set.period_id for c in copied} == {created.period.pk}
    assert SipasConversion.objects.filter(period=source.period).count() == 2  # last year's stay
    assert AuditEvent.objects.filter(action="survey.sipas_conversions_clone").count() == 1


def test_an_item_no_longer_a_survey_item_is_not_copied(body, departments, unit, body_admin):
    source = survey_period(unit_group=departments, period=PeriodFactory(body=body, year=2025))
    SipasConversion.objects.create(period=source.period, item=source.survey_items[0])
    target = PeriodFactory(body=body, year=2026)
    build_criteria_set(period=target, unit_group=departments)  # every item appraised this year
    assert sipas_conversions_clone(source=source.period, target=target, actor=body_admin) == 0
    assert not SipasConversion.objects.filter(period=target).exists()
    assert CriteriaItem.objects.filter(criteria_set__period=target, code="1.1.2").exists()
