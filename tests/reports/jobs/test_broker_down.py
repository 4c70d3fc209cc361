"""With the broker away, asking for work answers at once and says why; no job is left queued.

The broker is really unreachable (a closed port, Celery not eager: `broker_down`), and each answer is timed.
Transactional tests: the job's message is sent when the service's transaction commits, inside the request,
as in production; a test transaction around it would delay that until after the answer.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reports.jobs.services import report_job_create
from reports.models import ResultsState
from reports.results import services as results_refresh
from scoring.jobs.services import job_claim
from scoring.models import Job
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.factories import PeriodFactory
from tests.scoring.jobs.broker_fixtures import broker_down_fixture  # noqa: F401 (a fixture)

REFERENCE = Path(__file__).parent.parent / "data" / "lai-chau-2020-departments.csv"
FAST = 5.0  # seconds: the bound for telling a person the broker is away
REASON = "Hệ thống xử lý nền đang không hoạt động"
Status = Job.Status


@pytest.fixture
def lai_chau_2020(body, unit, other_unit):
    return lai_chau_2020_create(body=body)


class Clock:
    def __enter__(self):
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_in_json_at_once_and_the_job_is_failed(
    body, body_admin, lai_chau_2020, broker_down
):
    client = APIClient()
    client.force_login(body_admin)

    with Clock() as clock:
        response = client.post(
            reverse("jobs-api"),
            {"kind": "rankings", "year": 2020, "format": "xlsx"},
            format="json",
            HTTP_ACCEPT="text/html, application/json",
        )

    assert clock.seconds < FAST
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    job = Job.objects.get()
    assert response.json() == {"detail": job.error, "id": job.pk, "state": "failed"}
    assert job.status == Status.FAILED and job.error.startswith(REASON)
    print(f"\nbroker away -> API 503, job failed with its reason, in {clock.seconds:.2f} s")


@pytest.mark.django_db(transaction=True)
def test_the_report_page_shows_the_reason_at_once(client, body, body_admin, lai_chau_2020, broker_down):
    client.force_login(body_admin)
    data = {"body": "lai-chau", "kind": "rankings", "year": "2020", "format": "xlsx", "unit_code": ""}

    with Clock() as clock:
        response = client.post(reverse("reports:report_job_create"), data, follow=True)

    assert clock.seconds < FAST
    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert Job.objects.get().status == Status.FAILED
    assert not Job.objects.filter(status=Status.QUEUED).exists()


@pytest.mark.django_db(transaction=True)
def test_retrying_with_the_broker_away_fails_again_at_once_with_the_reason(
    client, body, body_admin, lai_chau_2020, broker_down
):
    job = report_job_create(actor=body_admin, body=body, kind="rankings", format="xlsx", year=2020)
    Job.objects.filter(pk=job.pk).update(status=Status.FAILED, error="cũ")
    client.force_login(body_admin)

    with Clock() as clock:
        response = client.post(reverse("reports:report_job_retry", args=[job.pk]), follow=True)

    assert clock.seconds < FAST
    job.refresh_from_db()
    assert (job.status, job.error.startswith(REASON)) == (Status.FAILED, True)
    assert REASON in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_upload_of_published_results_fails_at_once_with_the_reason(client, body, body_admin, broker_down):
    client.force_login(body_admin)
    upload = SimpleUploadedFile(REFERENCE.name, REFERENCE.read_bytes())

    with Clock() as clock:
        response = client.post(
            reverse("reports:published_results_import"),
            {"file": upload, "year": "2020", "body": "lai-chau"},
            follow=True,
        )

    assert clock.seconds < FAST
    job = Job.objects.get()
    assert (job.kind, job.status) == ("published_results", Status.FAILED)
    assert REASON in response.content.decode()


def test_saving_figures_with_the_broker_away_leaves_the_recompute_to_the_sweep(body, broker_down):
    period = PeriodFactory(body=body, year=2026)
    ResultsState.objects.create(period=period, changed_at=timezone.now())

    with Clock() as clock:
        queued = results_refresh.results_refresh_schedule(period_id=period.pk)

    assert clock.seconds < FAST
    assert queued is False
    assert ResultsState.objects.get(period=period).queued_at is None  # the sweep queues it later


def test_a_report_whose_worker_died_can_be_retried_from_its_page(
    client, body, body_admin, lai_chau_2020, django_capture_on_commit_callbacks
):
    job = report_job_create(actor=body_admin, body=body, kind="rankings", format="xlsx", year=2020)
    assert job_claim(job)
    Job.objects.filter(pk=job.pk).update(progress=20, lease_expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(body_admin)

    page = client.get(reverse("reports:report_job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-stale"' in page and "Thử lại" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_job_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.has_file) == (Status.SUCCEEDED, 2, True)
