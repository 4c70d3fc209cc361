"""Report jobs against double submits: the page's one-time key and the API's Idempotency-Key ask once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scoring.models import Job
from tests.reports.jobs.test_jobs_api import _client
from tests.reports.ranking_data import lai_chau_2020_create

RANKINGS = {"kind": "rankings", "year": 2020, "format": "xlsx"}


@pytest.fixture
def lai_chau_2020(body, unit, other_unit):
    return lai_chau_2020_create(body=body)


def _page_post(client, body, key: str):
    return client.post(
        reverse("reports:report_job_create"), {**RANKINGS, "body": body.code, "submission_key": key}
    )


def test_the_request_forms_carry_one_time_keys(client, body, body_admin, lai_chau_2020):
    client.force_login(body_admin)
    html = client.get(reverse("reports:report_jobs") + f"?body={body.code}").content.decode()
    keys = re.findall(r'name="submission_key" value="([0-9a-f]{32})"', html)
    # The request form and each year's recompute button: every form its own key.
    assert len(keys) >= 2 and len(set(keys)) == len(keys)


def test_two_page_posts_with_the_same_key_ask_for_one_job(client, body, body_admin, lai_chau_2020):
    client.force_login(body_admin)

    first = _page_post(client, body, "j" * 32)
    second = _page_post(client, body, "j" * 32)

    job = Job.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("reports:report_job_detail", args=[job.pk])


def test_two_page_posts_with_different_keys_ask_for_two_jobs(client, body, body_admin, lai_chau_2020):
    client.force_login(body_admin)
    _page_post(client, body, "a" * 32)
    _page_post(client, body, "b" * 32)
    assert Job.objects.count() == 2


@pytest.mark.parametrize("url_name", ["jobs-api", "report-jobs-api"])
def test_an_api_retry_with_the_same_idempotency_key_gets_the_first_job(
    url_name, body, body_admin, lai_chau_2020
):
    client = _client(body_admin)

    first = client.post(reverse(url_name), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = client.post(reverse(url_name), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == second.status_code == 202
    assert Job.objects.count() == 1
    assert first.json() == second.json()
    assert (first["Location"], second["Location"]) == (first.json()["url"], first.json()["url"])
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")


def test_api_posts_with_different_or_no_keys_ask_again(body, body_admin, lai_chau_2020):
    client = _client(body_admin)
    client.post(reverse("jobs-api"), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="one")
    client.post(reverse("jobs-api"), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="two")
    client.post(reverse("jobs-api"), RANKINGS, format="json")
    client.post(reverse("jobs-api"), RANKINGS, format="json")
    assert Job.objects.count() == 4


def test_a_refused_api_request_does_not_spend_its_key(body, body_admin, lai_chau_2020):
    client = _client(body_admin)
    refused = client.post(
        reverse("jobs-api"), {**RANKINGS, "year": 2019}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert refused.status_code == 400

    accepted = client.post(reverse("jobs-api"), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert accepted.status_code == 202 and Job.objects.count() == 1


def test_a_key_longer_than_64_characters_is_refused(body, body_admin, lai_chau_2020):
    response = _client(body_admin).post(
        reverse("jobs-api"), RANKINGS, format="json", HTTP_IDEMPOTENCY_KEY="x" * 65
    )
    assert response.status_code == 400
    assert not Job.objects.exists()
