"""HTTP tests of the unit's explanation page: visibility, saves, refusals in Vietnamese."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Explanation
from scoring.workflow import Status
from tests.appraisal.helpers import explain
from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    MEETING_DAY,
    assessment_fixture,
    council_url,
    explaining_fixture,
    explanation_save_url,
    in_round_2_fixture,
    items_fixture,
    login,
    neighbour_fixture,
)
from tests.scoring import evidence_samples as samples

# --- explanation ----------------------------------------------------------------------------------------


def test_unit_writes_an_explanation_for_a_flagged_item(client, unit_officer, explaining, items):
    login(client, unit_officer)
    html = client.get(reverse("appraisal:explanation", args=[explaining.pk])).content.decode()
    assert 'maxlength="2000"' in html
    assert html.count('name="text"') == 1
    response = client.post(
        explanation_save_url(explaining, items[0]),
        {"text": "Đã bổ sung quyết định số 12", "version": "0"},
        **HX,
    )
    assert response.status_code == 200
    assert Explanation.objects.get(assessment=explaining, item=items[0]).text == "Đã bổ sung quyết định số 12"


def test_over_long_explanation_is_refused_and_the_text_kept(
    client, unit_officer, explaining, items, settings
):
    settings.EXPLANATION_MAX_LENGTH = 20
    text = "Giải trình quá dài cho giới hạn"
    response = login(client, unit_officer).post(
        explanation_save_url(explaining, items[0]), {"text": text, "version": "0"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "vượt quá giới hạn 20 ký tự" in html
    assert text in html
    assert not Explanation.objects.exists()


def test_supplementary_evidence_is_uploaded_with_the_explanation_stage(
    client, unit_officer, explaining, items
):
    upload = SimpleUploadedFile("bo-sung.pdf", samples.PDF, "application/pdf")
    response = login(client, unit_officer).post(
        reverse("appraisal:explanation_upload", args=[explaining.pk, items[0].pk]), {"files": [upload]}, **HX
    )
    assert response.status_code == 200, response.content.decode()
    evidence = explaining.evidence.get()
    assert evidence.stage == "explanation"
    assert "bo-sung.pdf" in response.content.decode()


def test_only_the_head_submits_the_explanation(client, unit_officer, unit_head, explaining, items):
    explain(assessment=explaining, item=items[0], text="Đã bổ sung", by=unit_officer)
    login(client, unit_officer)
    assert (
        "Gửi giải trình"
        not in client.get(reverse("appraisal:explanation", args=[explaining.pk])).content.decode()
    )
    client.post(reverse("appraisal:explanation_submit", args=[explaining.pk]), {"confirmed": "1"})
    explaining.refresh_from_db()
    assert explaining.status == Status.EXPLANATION
    login(client, unit_head).post(
        reverse("appraisal:explanation_submit", args=[explaining.pk]), {"confirmed": "1"}
    )
    explaining.refresh_from_db()
    assert explaining.status == Status.ROUND_2


# --- more refusals and links ----------------------------------------------------------------------------


def test_late_explanation_is_refused_with_the_deadline_and_the_text_kept(
    client, unit_officer, explaining, items
):
    period = explaining.period
    period.explanation_deadline = timezone.now() - timedelta(hours=1)
    period.save(update_fields=["explanation_deadline"])
    response = login(client, unit_officer).post(
        explanation_save_url(explaining, items[0]), {"text": "Giải trình muộn", "version": "0"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Đã quá hạn giải trình" in html
    assert "Giải trình muộn" in html


def test_explanation_of_an_item_not_flagged_is_refused(client, unit_officer, explaining, items):
    response = login(client, unit_officer).post(
        explanation_save_url(explaining, items[1]), {"text": "Không cần", "version": "0"}, **HX
    )
    assert response.status_code == 422
    assert "không được yêu cầu giải trình" in response.content.decode()


def test_neighbour_cannot_open_the_explanation_page(client, neighbour, explaining):
    response = login(client, neighbour).get(reverse("appraisal:explanation", args=[explaining.pk]))
    assert response.status_code == 404
