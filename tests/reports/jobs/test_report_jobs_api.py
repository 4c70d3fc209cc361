"""The report-jobs API: ask (202), follow (state, progress), download — with the pages' permissions."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.jobs.services import report_job_create
from scoring.models import Job, Role, RoleAssignment
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory

JOBS_API = reverse("report-jobs-api")


@pytest.fixture
def lai_chau_2020(body, unit, other_unit):
    return lai_chau_2020_create(body=body)


def _token_client(user) -> APIClient:
    call_command("drf_create_token", user.username, stdout=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
    return client


def _session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _post(client, data, capture):
    with capture(execute=True):
        return client.post(JOBS_API, data, format="json")


def test_a_body_admin_asks_for_the_rankings_and_downloads_the_workbook(
    body, body_admin, lai_chau_2020, django_capture_on_commit_callbacks
):
    client = _token_client(body_admin)

    response = _post(
        client, {"kind": "rankings", "year": 2020, "format": "xlsx"}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 202, response.content
    job = Job.objects.get()
    detail_url = reverse("report-job-api", args=[job.pk])
    assert response.json() == {
        "id": job.pk,
        "url": f"http://testserver{detail_url}",
        "page_url": f"http://testserver{reverse('reports:report_job_detail', args=[job.pk])}",
        # In a test the request's transaction commits only after the answer; outside one, the job (run
        # in-process without a broker) is already finished here.
        "state": "queued",
        "progress": 0,
    }
    assert response["Location"] == f"http://testserver{detail_url}"

    state = client.get(detail_url).json()
    download_url = f"http://testserver{reverse('report-job-download-api', args=[job.pk])}"
    assert state == {
        "id": job.pk,
        "kind": "rankings",
        "format": "xlsx",
        "year": 2020,
        "unit_code": None,
        "state": "succeeded",
        "progress": 100,
        "progress_note": "Hoàn thành",
        "error": "",
        "download_url": download_url,
    }

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="xep-hang-lai-chau-2020.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert any(row[1] == "Sở Nội vụ" for row in sheet.iter_rows(values_only=True))


def test_a_queued_job_has_no_download_url_yet(body, body_admin, lai_chau_2020):
    job = report_job_create(actor=body_admin, body=body, kind="rankings", format="xlsx", year=2020)
    client = _session_client(body_admin)

    state = client.get(reverse("report-job-api", args=[job.pk])).json()

    assert (state["state"], state["progress"], state["download_url"]) == ("queued", 0, None)
    assert client.get(reverse("report-job-download-api", args=[job.pk])).status_code == 404


def test_a_failed_job_reports_its_error(body, body_admin, django_capture_on_commit_callbacks):
    PeriodFactory(body=body, year=2026)
    client = _token_client(body_admin)

    response = _post(
        client, {"kind": "rankings", "year": "2026", "format": "xlsx"}, django_capture_on_commit_callbacks
    )
    state = client.get(response.json()["url"]).json()

    assert response.status_code == 202
    assert state["state"] == "failed"
    assert state["error"] == "Chưa có kết quả đã công bố của năm 2026."
    assert state["download_url"] is None


def test_bad_input_is_answered_per_field_in_vietnamese(body, body_admin, lai_chau_2020):
    client = _token_client(body_admin)

    response = client.post(JOBS_API, {"kind": "unit", "year": "hai nghìn", "format": "docx"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "year": ["Năm phải là số có bốn chữ số, ví dụ 2020."],
        "unit_code": ["Hãy chọn đơn vị."],
        "format": ["Báo cáo phân tích của đơn vị chỉ tạo được dạng PDF, Excel."],
    }
    assert client.post(JOBS_API, {"format": "pdf"}, format="json").json() == {
        "kind": ["Trường này là bắt buộc."],
        "year": ["Trường này là bắt buộc."],
    }
    assert Job.objects.count() == 0


def test_a_unit_officer_is_refused_body_reports_and_other_units(
    body, unit, other_unit, unit_officer, lai_chau_2020, django_capture_on_commit_callbacks
):
    client = _token_client(unit_officer)

    annual = client.post(JOBS_API, {"kind": "annual", "year": 2020, "format": "pdf"}, format="json")
    other = client.post(
        JOBS_API, {"kind": "unit", "year": 2020, "format": "pdf", "unit_code": other_unit.code}, format="json"
    )

    assert annual.status_code == 403
    assert "báo cáo chung" in annual.json()["detail"]
    assert other.status_code == 404
    assert Job.objects.count() == 0


def test_an_unpublished_year_is_refused_to_a_unit_officer(body, unit, unit_officer):
    PeriodFactory(body=body, year=2026)
    client = _token_client(unit_officer)

    response = client.post(
        JOBS_API, {"kind": "unit", "year": 2026, "format": "pdf", "unit_code": unit.code}, format="json"
    )

    assert response.status_code == 403
    assert "chưa được công bố" in response.json()["detail"]


def test_another_body_is_not_found(body, outsider, lai_chau_2020):
    client = _token_client(outsider)

    response = client.post(
        JOBS_API, {"kind": "rankings", "year": 2020, "format": "xlsx", "body": body.code}, format="json"
    )

    assert response.status_code == 404


def test_the_download_is_checked_at_every_request(
    body, body_admin, appraiser, outsider, unit_officer, lai_chau_2020, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_create(actor=appraiser, body=body, kind="rankings", format="xlsx", year=2020)
    detail = reverse("report-job-api", args=[job.pk])
    download = reverse("report-job-download-api", args=[job.pk])

    assert _token_client(appraiser).get(download).status_code == 200
    assert _token_client(body_admin).get(download).status_code == 200
    for stranger in (outsider, unit_officer):
        client = _token_client(stranger)
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
    assert APIClient().get(download).status_code in (401, 403)

    # The requester loses the role: the file they asked for is no longer theirs.
    RoleAssignment.objects.filter(user=appraiser).delete()
    RoleAssignmentFactory(user=appraiser, body=body, role=Role.UNIT_OFFICER, unit=UnitFactory(body=body))
    assert _token_client(appraiser).get(download).status_code == 404


def test_getting_a_job_takes_a_fixed_number_of_queries(
    body, body_admin, unit, unit_officer, lai_chau_2020, django_assert_max_num_queries
):
    job = report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=2020, unit=unit)
    for client in (_token_client(unit_officer), _token_client(body_admin)):
        with django_assert_max_num_queries(6):
            response = client.get(reverse("report-job-api", args=[job.pk]))
        assert response.json()["unit_code"] == unit.code


def test_the_endpoints_are_in_the_schema(client):
    schema = client.get(reverse("schema")).content.decode()

    assert "/api/v1/report-jobs/:" in schema
    assert "/api/v1/report-jobs/{id}/:" in schema
    assert "/api/v1/report-jobs/{id}/download/:" in schema
    assert "report_jobs_create" in schema
