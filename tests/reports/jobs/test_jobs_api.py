"""The one job API: `POST /api/v1/jobs/` for the report kinds, `GET /api/v1/jobs/<id>/` for every kind."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from reports.jobs.services import report_job_create
from scoring.models import Job
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture
def lai_chau_2020(body, unit, other_unit):
    return lai_chau_2020_create(body=body)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_report_asked_for_at_jobs_is_followed_there(
    body, body_admin, lai_chau_2020, django_capture_on_commit_callbacks
):
    client = _client(body_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs-api"), {"kind": "rankings", "year": 2020, "format": "xlsx"}, format="json"
        )

    assert response.status_code == 202, response.content
    job = Job.objects.get()
    detail = f"http://testserver{reverse('job-api', args=[job.pk])}"
    assert (response.json()["url"], response["Location"]) == (detail, detail)
    download = f"http://testserver{reverse('job-download-api', args=[job.pk])}"
    assert client.get(detail).json() == {
        "id": job.pk,
        "kind": "rankings",
        "state": "succeeded",
        "progress": 100,
        "progress_note": "Hoàn thành",
        "error": "",
        "errors": [],
        "summary": {},
        "download_url": download,
    }
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"] == 'attachment; filename="xep-hang-lai-chau-2020.xlsx"'
    assert b"".join(file.streaming_content).startswith(b"PK")


def test_the_jobs_post_refuses_as_the_report_jobs_post(body, body_admin):
    response = _client(body_admin).post(reverse("jobs-api"), {"kind": "unit", "year": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) >= {"year", "unit_code"}
    assert not Job.objects.exists()


def test_an_import_job_shows_its_row_errors_and_no_download(body, body_admin):
    period = PeriodFactory(body=body, year=2026)
    job = Job(
        body=body,
        kind="ballots",
        period=period,
        status=Job.Status.FAILED,
        progress=100,
        original_filename="phieu.xlsx",
        errors=[{"row": 2, "column": "unit_code", "message": "Không có đơn vị mã “x”."}],
        requested_by=body_admin,
    )
    job.file.save("ballot-imports/1/tep.xlsx", ContentFile(b"PK"), save=True)

    state = _client(body_admin).get(reverse("job-api", args=[job.pk])).json()

    assert (state["kind"], state["state"], state["download_url"]) == ("ballots", "failed", None)
    assert state["errors"] == [{"row": 2, "column": "unit_code", "message": "Không có đơn vị mã “x”."}]
    assert _client(body_admin).get(reverse("job-download-api", args=[job.pk])).status_code == 404


def test_another_units_officer_gets_404_on_the_job_and_its_file(
    body, unit, other_unit, unit_officer, lai_chau_2020, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_create(
            actor=unit_officer, body=body, kind="unit", format="xlsx", year=2020, unit=unit
        )
    job.refresh_from_db()
    assert job.has_file, job.error
    neighbour = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=neighbour, body=body, role="unit_officer", unit=other_unit)

    for url in (reverse("job-api", args=[job.pk]), reverse("job-download-api", args=[job.pk])):
        assert _client(unit_officer).get(url).status_code == 200
        assert _client(neighbour).get(url).status_code == 404
    # The same on the report-jobs aliases and the job's own pages.
    for url in (
        reverse("report-job-api", args=[job.pk]),
        reverse("report-job-download-api", args=[job.pk]),
        reverse("reports:report_job_detail", args=[job.pk]),
        reverse("reports:report_job_download", args=[job.pk]),
    ):
        assert _client(neighbour).get(url).status_code == 404


def test_another_bodys_admin_gets_404_on_an_import_job(body, body_admin, outsider):
    job = Job.objects.create(
        body=body, kind="published_results", original_filename="kq.csv", requested_by=body_admin
    )

    assert _client(body_admin).get(reverse("job-api", args=[job.pk])).status_code == 200
    assert _client(outsider).get(reverse("job-api", args=[job.pk])).status_code == 404
    assert APIClient().get(reverse("job-api", args=[job.pk])).status_code in (401, 403)


def test_the_jobs_endpoints_are_in_the_schema(client):
    schema = client.get(reverse("schema")).content.decode()

    assert "/api/v1/jobs/:" in schema and "/api/v1/jobs/{id}/:" in schema
    assert "/api/v1/jobs/{id}/download/:" in schema
