"""Survey points page: the formula in force, the points per unit and item as the selector gives them, the ballots
behind one point, access (body admins only) and a fixed number of queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.formatting import format_number
from surveys.models import Aggregation, BallotStatus, RejectReason, SurveySettings
from surveys.points.selectors import survey_item_points
from tests.scoring.factories import UnitFactory
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(departments, unit, other_unit):
    survey = survey_period(unit_group=departments, max_points=Decimal("2.00"))
    m1, m2 = survey.form("M1"), survey.form("M2")
    ballot(form=m1, unit=unit, answers="A", number="1")
    ballot(form=m1, unit=unit, answers="B", number="2")
    ballot(form=m2, unit=unit, answers="C", number="3")
    ballot(form=m1, unit=unit, answers="E", number="4")  # "no answer": listed, not counted
    ballot(form=m1, unit=other_unit, answers="D", number="5")
    ballot(form=m1, unit=unit, answers="A", number="6", entry_round=2)  # double entry: not counted
    ballot(
        form=m1,
        unit=unit,
        answers="A",
        number="7",
        status=BallotStatus.REJECTED,
        reject_reason=RejectReason.OVER_QUOTA,
    )
    return survey


@pytest.fixture
def admin_client(client, body_admin):
    client.force_login(body_admin)
    return client


def page(client, survey, **params) -> str:
    response = client.get(reverse("surveys:points", args=[survey.period.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def drill(client, survey, unit, item) -> str:
    url = reverse("surveys:points_ballots", args=[survey.period.pk, unit.pk, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_the_ballot_mean_formula_by_default(admin_client, survey):
    text = page(admin_client, survey)
    assert (
        "Điểm = trung bình trên các phiếu hợp lệ của (tỷ lệ điểm của phương án được chọn × điểm tối đa"
        in text
    )
    assert reverse("surveys:settings", args=[survey.period.pk]) in text


def test_page_shows_the_group_weighted_formula_with_the_weights(admin_client, survey):
    SurveySettings.objects.create(period=survey.period, aggregation=Aggregation.GROUP_WEIGHTED)
    m2 = survey.form("M2")
    m2.group_weight = Decimal("3")
    m2.save()
    text = page(admin_client, survey)
    assert "trung bình có trọng số của các mẫu phiếu" in text
    assert f"M2. {m2.name}: 3,00" in text
    assert reverse("surveys:settings", args=[survey.period.pk]) in text


def test_points_equal_the_selector(admin_client, survey, unit, other_unit):
    text = page(admin_client, survey)
    expected = survey_item_points(period=survey.period)
    item = survey.survey_items[0]
    # unit: shares 1 + 0,6 + 0,2 over 3 counting answers × 2 = 1,20
    assert expected[unit.pk][item.pk] == Decimal("1.20")
    for u in (unit, other_unit):
        table = text.split(f'data-testid="points-unit-{u.pk}"')[1].split("</table>")[0]
        for it in survey.survey_items:
            row = table.split(f'data-item="{it.pk}"')[1].split("</tr>")[0]
            shown = re.search(r'data-testid="points">(?:<a [^>]*>)?([^<]*)<', row).group(1)
            assert shown == format_number(expected[u.pk][it.pk])
    assert "<td>3</td>" in text.split(f'data-item="{item.pk}"')[1].split("</tr>")[0]


def test_filter_by_unit_shows_only_that_unit(admin_client, survey, unit, other_unit):
    text = page(admin_client, survey, don_vi=unit.pk)
    assert f"points-unit-{unit.pk}" in text
    assert f"points-unit-{other_unit.pk}" not in text


def test_drill_down_lists_exactly_the_units_accepted_ballots_and_the_computation(admin_client, survey, unit):
    item = survey.survey_items[0]
    text = drill(admin_client, survey, unit, item)
    listed = re.findall(r'data-ballot="([^"]+)"', text)
    assert sorted(listed) == ["1", "2", "3", "4"]
    assert "1,800 / 3 × 2,00 = 1,20" in text
    result = re.search(r'data-testid="result">([^<]*)<', text).group(1)
    assert result == format_number(survey_item_points(period=survey.period)[unit.pk][item.pk])


def test_drill_down_of_another_bodys_unit_is_404(admin_client, survey, outsider):
    stranger = UnitFactory()
    url = reverse("surveys:points_ballots", args=[survey.period.pk, stranger.pk, survey.survey_items[0].pk])
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "appraiser", "unit_officer", "unit_head", "viewer"])
def test_other_personas_get_404(client, survey, unit, persona, request):
    client.force_login(request.getfixturevalue(persona))
    item = survey.survey_items[0]
    assert client.get(reverse("surveys:points", args=[survey.period.pk])).status_code == 404
    url = reverse("surveys:points_ballots", args=[survey.period.pk, unit.pk, item.pk])
    assert client.get(url).status_code == 404


def test_query_count_does_not_grow_with_units(admin_client, survey, body, departments):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page(admin_client, survey)
        return len(ctx.captured_queries)

    UnitFactory(body=body, group=departments)
    few = count()  # 3 units
    for _n in range(17):  # 20 units
        extra = UnitFactory(body=body, group=departments)
        ballot(form=survey.form("M1"), unit=extra, answers="B")
    assert count() == few
