"""The admin edits the survey's reference data and shows ballots read-only."""

import pytest
from django.urls import reverse

from tests.scoring.factories import UserFactory
from tests.surveys.helpers import ballot, survey_period


@pytest.fixture
def superadmin(db):
    return UserFactory(username="superadmin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    ["surveysettings", "ballotform", "question", "sampleplan", "sipasresult", "sipasconversion", "ballot"],
)
def test_every_survey_list_opens_in_the_admin(client, superadmin, departments, unit, model):
    survey = survey_period(unit_group=departments)
    ballot(form=survey.form("M1"), unit=unit)
    client.force_login(superadmin)

    assert client.get(reverse(f"admin:surveys_{model}_changelist")).status_code == 200


def test_a_form_opens_with_its_questions_and_plans(client, superadmin, departments, unit):
    survey = survey_period(unit_group=departments)
    client.force_login(superadmin)

    response = client.get(reverse("admin:surveys_ballotform_change", args=[survey.form("M1").pk]))

    assert response.status_code == 200
    assert survey.questions["M1"][0].text in response.content.decode()


def test_ballots_cannot_be_added_changed_or_deleted_in_the_admin(client, superadmin, departments, unit):
    survey = survey_period(unit_group=departments)
    made = ballot(form=survey.form("M1"), unit=unit)
    client.force_login(superadmin)

    assert client.get(reverse("admin:surveys_ballot_add")).status_code == 403
    assert (
        client.post(reverse("admin:surveys_ballot_delete", args=[made.pk]), {"post": "yes"}).status_code
        == 403
    )
    page = client.get(reverse("admin:surveys_ballot_change", args=[made.pk]))
    assert page.status_code == 200
    assert 'name="number"' not in page.content.decode()


def test_survey_design_is_read_only_in_the_admin_once_the_period_is_published(
    client, superadmin, departments, unit
):
    from scoring.models import Assessment
    from scoring.workflow import Status
    from surveys.models import SurveySettings

    survey = survey_period(unit_group=departments)
    settings = SurveySettings.objects.create(period=survey.period)
    Assessment.objects.create(
        period=survey.period, unit=unit, criteria_set=survey.criteria_set, status=Status.PUBLISHED
    )
    client.force_login(superadmin)
    url = reverse("admin:surveys_surveysettings_change", args=[settings.pk])

    page = client.get(url, follow=True).content.decode()
    assert "đã được công bố" in page
    response = client.post(url, {"period": survey.period.pk, "aggregation": "group_weighted", "note": ""})
    assert response.status_code == 403
    settings.refresh_from_db()
    assert settings.aggregation == "ballot_mean"
    add = client.post(
        reverse("admin:surveys_ballotform_add"),
        {"period": survey.period.pk, "code": "M9", "name": "x", "respondent_group": "x",
         "target_group": departments.pk, "group_weight": "1", "order": "0"},
    )  # fmt: skip
    assert add.status_code == 200 and "đã được công bố" in add.content.decode()
