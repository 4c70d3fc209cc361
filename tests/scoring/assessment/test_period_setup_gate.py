"""A period still being set up is closed to its units: page, API, evidence upload and submission all refuse."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.assessment import services
from scoring.models import Assessment, Evidence, PeriodStatus, SelfScore
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_api_helpers import api_client, api_url, put_score, snapshot, upload_evidence
from tests.scoring.assessment_helpers import fill_scores
from tests.scoring.assessment_view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    assessment_fixture,
    criteria_set_fixture,
    item_fixture,
    period_fixture,
    save_url,
    score_data,
    sheet_url,
)

SETUP_TEXT = "Kỳ đánh giá năm 2026 đang được thiết lập, chưa mở để tự đánh giá."


def _in_setup(period) -> None:
    period.status = PeriodStatus.SETUP
    period.save(update_fields=["status"])


@pytest.fixture
def setup_period(period, criteria_set):
    """Return the 2026 period with its criteria set, still being set up (nobody has opened it yet)."""
    _in_setup(period)
    return period


def test_list_page_says_the_period_is_being_set_up_and_offers_no_start(client, unit_officer, setup_period):
    client.force_login(unit_officer)

    page = client.get(reverse("assessment:list")).content.decode()

    assert SETUP_TEXT in page
    assert reverse("assessment:start") not in page


def test_list_page_offers_the_start_once_the_period_is_open(client, unit_officer, period, criteria_set):
    client.force_login(unit_officer)

    page = client.get(reverse("assessment:list")).content.decode()

    assert SETUP_TEXT not in page
    assert reverse("assessment:start") in page


def test_start_in_a_period_being_set_up_is_refused_and_opens_nothing(
    client, unit_officer, unit, setup_period
):
    client.force_login(unit_officer)

    response = client.post(
        reverse("assessment:start"), {"unit": unit.pk, "period": setup_period.pk}, follow=True
    )

    assert SETUP_TEXT in response.content.decode()
    assert not Assessment.objects.exists()


def test_sheet_of_a_period_being_set_up_is_hidden_from_the_unit_but_not_from_its_administrator(
    client, unit_officer, body_admin, assessment
):
    _in_setup(assessment.period)
    client.force_login(unit_officer)
    assert client.get(sheet_url(assessment)).status_code == 404

    client.force_login(body_admin)
    assert client.get(sheet_url(assessment)).status_code == 200


def test_item_save_on_the_page_is_refused_while_the_period_is_set_up(client, unit_officer, assessment, item):
    _in_setup(assessment.period)
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("0.25"))

    assert response.status_code == 404
    assert not SelfScore.objects.exists()


def test_evidence_upload_on_the_page_is_refused_while_the_period_is_set_up(
    client, unit_officer, assessment, item
):
    _in_setup(assessment.period)
    client.force_login(unit_officer)
    pdf = SimpleUploadedFile("ke-hoach.pdf", samples.PDF, content_type="application/pdf")

    response = client.post(
        reverse("assessment:evidence_upload", args=[assessment.pk]), {"item": item.pk, "files": [pdf]}
    )

    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_api_refuses_scores_evidence_and_submission_while_the_period_is_set_up(
    unit_officer, unit_head, assessment
):
    _in_setup(assessment.period)
    before = snapshot(assessment)
    officer, head = api_client(unit_officer), api_client(unit_head)

    assert officer.get(api_url("assessment-detail-api", assessment.pk)).status_code == 404
    assert officer.get(reverse("assessment-list-api")).json() == []
    assert put_score(officer, assessment, "1.1.1").status_code == 404
    assert upload_evidence(officer, assessment).status_code == 404
    assert head.post(api_url("assessment-submit-api", assessment.pk)).status_code == 404
    assert snapshot(assessment) == before


def test_api_scores_once_the_period_is_open(unit_officer, assessment):
    response = put_score(api_client(unit_officer), assessment, "1.1.1")

    assert response.status_code == 200, response.content


def test_services_refuse_every_write_while_the_period_is_set_up(unit_officer, unit_head, assessment, item):
    # The pages and the API hide the dossier; the services refuse on their own too, whoever calls them.
    fill_scores(assessment=assessment)
    _in_setup(assessment.period)
    assessment.refresh_from_db()
    pdf = SimpleUploadedFile("ke-hoach.pdf", samples.PDF, content_type="application/pdf")
    calls = [
        lambda: services.self_score_save(
            assessment=assessment,
            item=item,
            points=None,
            justification="",
            no_evidence_reason="",
            expected_version=1,
            actor=unit_officer,
        ),
        lambda: services.evidence_upload(
            assessment=assessment, uploaded_file=pdf, item_ids=[item.pk], actor=unit_officer
        ),
        lambda: services.assessment_submit(assessment=assessment, actor=unit_head),
        lambda: services.assessment_get_or_create(period=assessment.period, unit=assessment.unit),
    ]
    before = snapshot(assessment)

    for call in calls:
        with pytest.raises(services.AssessmentError) as refused:
            call()
        assert refused.value.message == SETUP_TEXT

    assert snapshot(assessment) == before
