"""HTTP-level tests of the self-assessment API: each endpoint's happy path, the persona matrix, the schema."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scoring.assessment import services
from scoring.models import Assessment, AssessmentTransition, DeadlineExtension, Evidence, SelfScore
from tests.appraisal.helpers import assign, assigned_appraiser_for
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_api_helpers import (
    BEFORE_DEADLINE,
    DEADLINE,
    LIST_URL,
    PDF_NAME,
    api_client,
    api_url,
    evidence_of,
    put_score,
    score_version,
    snapshot,
    upload_evidence,
)
from tests.scoring.assessment_helpers import (
    appraisal_items,
    assessment_for,
    build_criteria_set,
    fill_scores,
    mark_not_applicable,
)
from tests.scoring.evidence_samples import PDF
from tests.scoring.factories import PeriodFactory, UnitFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Each persona hashes a password; the default hasher's deliberate slowness is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assessment(unit):
    """Return the unit's 2026 assessment: 2 fields × 2 criteria × 2 sub-criteria, each max 1, step 0.25."""
    return assessment_for(unit=unit)


@pytest.fixture
def other_assessment(assessment, other_unit):
    return assessment_for(unit=other_unit, criteria_set=assessment.criteria_set)


@pytest.fixture
def evidence(assessment):
    return evidence_of(assessment)


@pytest.fixture
def other_evidence(other_assessment):
    return evidence_of(other_assessment)


# --- happy paths, token auth ------------------------------------------------------------------------------


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_list_gives_the_callers_assessments_with_status_progress_and_provisional_index(
    assessment, other_assessment, unit_officer
):
    Assessment.objects.filter(pk=assessment.pk).update(last_activity_at=BEFORE_DEADLINE)
    assessment.period.self_assessment_deadline = DEADLINE
    assessment.period.save()
    fill_scores(assessment=assessment, count=4, points=Decimal("0.50"))

    response = api_client(unit_officer).get(LIST_URL)

    assert response.status_code == 200
    [row] = response.json()  # the other unit's assessment is not listed for an officer of this unit
    assert row["id"] == assessment.pk
    assert (row["unit_code"], row["unit_name"], row["year"]) == ("so-noi-vu", "Sở Nội vụ", 2026)
    assert row["status"] == {"code": "self_assessment", "label": "Đang tự đánh giá"}
    assert row["progress"] == {"scored": 4, "applicable": 8, "without_evidence": 8, "percent": "50.00"}
    assert (row["provisional_points"], row["max_points"], row["provisional_index"]) == (
        "2.00",
        "8.00",
        "25.00",
    )
    assert row["deadline"] == "2026-12-31T17:00:00+07:00"
    assert row["submitted_at"] is None
    assert row["can_edit"] is True


def test_list_filters_by_year_and_shows_every_unit_to_a_viewer(
    assessment, other_assessment, viewer, body, unit
):
    older = assessment_for(unit=unit, period=PeriodFactory(body=body, year=2025))
    client = api_client(viewer)
    assert {r["id"] for r in client.get(LIST_URL).json()} == {assessment.pk, other_assessment.pk, older.pk}
    assert {r["id"] for r in client.get(LIST_URL, {"year": 2025}).json()} == {older.pk}
    bad = client.get(LIST_URL, {"year": "hai-nghin"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "year"


def test_list_gives_an_appraiser_only_the_dossiers_assigned_to_them(assessment, other_assessment, appraiser):
    client = api_client(appraiser)
    assert client.get(LIST_URL).json() == []  # not assigned: nothing listed
    assign(appraiser, other_assessment.unit, period=other_assessment.period)
    assert [r["id"] for r in client.get(LIST_URL).json()] == [other_assessment.pk]
    assign(appraiser, period=assessment.period, field_code="1")  # a field: that field of every unit
    assert {r["id"] for r in client.get(LIST_URL).json()} == {assessment.pk, other_assessment.pk}


def test_list_is_empty_for_a_user_of_another_body(assessment, outsider):
    response = api_client(outsider).get(LIST_URL)
    assert (response.status_code, response.json()) == (200, [])


def test_detail_gives_every_scored_item_with_its_score_and_evidence(assessment, unit_officer, evidence):
    first, second = appraisal_items(assessment.criteria_set)[:2]
    mark_not_applicable(item=second, unit=assessment.unit, reason="Không có đơn vị sự nghiệp")
    put_score(api_client(unit_officer), assessment, first.code, points="0.5", no_evidence_reason="")

    data = api_client(unit_officer).get(api_url("assessment-detail-api", assessment.pk)).json()

    assert data["id"] == assessment.pk and data["unit_code"] == "so-noi-vu"
    assert data["user_can_edit"] is True and data["user_can_submit"] is False
    assert [i["code"] for i in data["items"]][:3] == ["1.1.1", "1.1.2", "1.2.1"]
    item = data["items"][0]
    assert item | {"updated_at": None} == {
        "code": "1.1.1",
        "field_code": "1",
        "name": "Tiêu chí thành phần 1.1.1",
        "guidance": "Đạt 100%: 1.00 điểm; dưới 80%: 0 điểm",
        "max_points": "1.00",
        "step": "0.25",
        "method": "appraisal",
        "applicable": True,
        "na_reason": "",
        "points": "0.50",
        "justification": "Đã ban hành kế hoạch",
        "no_evidence_reason": "",
        "version": 1,
        "updated_at": None,
        "evidence": [evidence.pk],
    }
    assert (data["items"][1]["applicable"], data["items"][1]["na_reason"]) == (
        False,
        "Không có đơn vị sự nghiệp",
    )
    assert (data["max_points"], data["provisional_points"]) == ("7.00", "0.50")
    assert data["progress"] == {"scored": 1, "applicable": 7, "without_evidence": 6, "percent": "14.29"}
    assert [e["items"] for e in data["evidence"]] == [["1.1.1"]]
    assert data["evidence"][0]["download_url"].endswith(f"/api/v1/evidence/{evidence.pk}/download/")
    assert data["evidence_total_size"] == len(PDF)
    problem_codes = {p["item_code"] for p in data["problems"]}
    assert "1.1.1" not in problem_codes  # scored and backed by evidence
    assert "1.1.2" not in problem_codes  # not applicable
    assert {"item_code": "1.2.1", "message": "Chưa chấm điểm."} in data["problems"]


def test_detail_costs_the_same_queries_for_8_and_40_items(body, unit, unit_officer):
    small = assessment_for(unit=unit)
    big_period = PeriodFactory(body=body, year=2027)
    big = assessment_for(
        unit=unit,
        criteria_set=build_criteria_set(
            period=big_period, unit_group=unit.group, fields=4, criteria_per_field=5, items_per_criterion=2
        ),
    )
    fill_scores(assessment=small)
    fill_scores(assessment=big)
    client = api_client(unit_officer)
    counts = []
    for a in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(api_url("assessment-detail-api", a.pk)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("reader", ["viewer", "appraiser"])
@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_do_not_grow_with_the_number_of_assessments(
    request, count, reader, body, departments, django_assert_max_num_queries
):
    first = assessment_for(unit=UnitFactory(body=body, group=departments))
    units = [UnitFactory(body=body, group=departments) for _ in range(count - 1)]
    for u in units:
        a = assessment_for(unit=u, criteria_set=first.criteria_set)
        fill_scores(assessment=a, count=3)
        Evidence.objects.create(
            assessment=a,
            file="evidence/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=3,
            sha256="0" * 64,
        )
        DeadlineExtension.objects.create(assessment=a, new_deadline=DEADLINE, reason="Ốm")
    mark_not_applicable(item=appraisal_items(first.criteria_set)[0], unit=units[0])
    user = request.getfixturevalue(reader)
    if reader == "appraiser":  # a field assignment: every unit of the period, through one subquery
        assign(user, period=first.period, field_code="1")
    client = api_client(user)
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL)
    assert len(response.json()) == count


def test_put_saves_points_as_string_number_or_with_a_decimal_comma(assessment, unit_officer):
    client = api_client(unit_officer)
    response = put_score(client, assessment, "1.1.1", points=0.75)
    assert response.status_code == 200
    assert response.json() | {"updated_at": None} == {
        "code": "1.1.1",
        "points": "0.75",
        "justification": "Đã ban hành kế hoạch",
        "no_evidence_reason": "",
        "version": 1,
        "updated_by": str(unit_officer),
        "updated_at": None,
    }
    assert put_score(client, assessment, "1.1.1", points="0,5", version=1).json()["points"] == "0.50"
    cleared = put_score(client, assessment, "1.1.1", points=None, version=2).json()
    assert (cleared["points"], cleared["version"]) == (None, 3)
    assert SelfScore.objects.get(assessment=assessment).points is None


def test_upload_lists_downloads_and_deletes_evidence(
    assessment, unit_officer, django_capture_on_commit_callbacks
):
    client = api_client(unit_officer)
    response = upload_evidence(client, assessment, items=["1.1.2", "1.1.1"])
    assert response.status_code == 201
    body = response.json()
    assert (body["original_name"], body["size"], body["content_type"]) == (
        PDF_NAME,
        len(PDF),
        "application/pdf",
    )
    assert body["items"] == ["1.1.1", "1.1.2"]
    evidence = Evidence.objects.get(pk=body["id"])
    assert sorted(evidence.items.values_list("code", flat=True)) == ["1.1.1", "1.1.2"]

    listed = client.get(api_url("assessment-evidence-api", assessment.pk)).json()
    assert [(e["id"], e["items"]) for e in listed] == [(evidence.pk, ["1.1.1", "1.1.2"])]

    download = client.get(body["download_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    # Reading the stream to its end closes the response; closing it again would fire request_finished
    # and close the test's database connection on PostgreSQL.
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "B%C3%A1o%20c%C3%A1o%20CCHC%202026.pdf" in download["Content-Disposition"]

    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion is committed
        assert client.delete(api_url("evidence-delete-api", evidence.pk)).status_code == 204
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not stored.exists()


def test_head_submits_then_withdraws_with_a_note(assessment, unit_head):
    fill_scores(assessment=assessment)
    client = api_client(unit_head)
    submitted = client.post(api_url("assessment-submit-api", assessment.pk))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == {"code": "submitted", "label": "Đã gửi"}
    assert submitted.json()["submitted_at"]

    withdrawn = client.post(
        api_url("assessment-withdraw-api", assessment.pk), {"note": "Bổ sung tài liệu"}, format="json"
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json() == {
        "id": assessment.pk,
        "status": {"code": "self_assessment", "label": "Đang tự đánh giá"},
        "submitted_at": None,
    }
    assert AssessmentTransition.objects.filter(assessment=assessment).latest("pk").note == "Bổ sung tài liệu"


def test_session_auth_works_too(client, assessment, unit_officer):
    client.login(username=unit_officer.username, password=PASSWORD)
    assert client.get(api_url("assessment-detail-api", assessment.pk)).status_code == 200


def test_anonymous_and_bad_tokens_are_refused(assessment):
    client = APIClient()
    assert client.get(api_url("assessment-detail-api", assessment.pk)).status_code in {401, 403}
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert client.get(LIST_URL).status_code in {401, 403}


# --- the security matrix ----------------------------------------------------------------------------------

ENDPOINTS = {
    "detail": lambda c, a, e: c.get(api_url("assessment-detail-api", a.pk)),
    "item_put": lambda c, a, e: put_score(c, a, "1.2.1", version=score_version(a, "1.2.1")),
    "evidence_list": lambda c, a, e: c.get(api_url("assessment-evidence-api", a.pk)),
    "evidence_upload": lambda c, a, e: upload_evidence(c, a),
    "evidence_download": lambda c, a, e: c.get(api_url("evidence-download-api", e.pk)),
    "evidence_delete": lambda c, a, e: c.delete(api_url("evidence-delete-api", e.pk)),
    "submit": lambda c, a, e: c.post(api_url("assessment-submit-api", a.pk)),
    "withdraw": lambda c, a, e: c.post(api_url("assessment-withdraw-api", a.pk), {"note": ""}, format="json"),
}
# What each persona gets on its own body's assessment of unit A (officer and head are of unit A).
READ_ONLY = {
    "detail": 200, "item_put": 403, "evidence_list": 200, "evidence_upload": 403,
    "evidence_download": 200, "evidence_delete": 403, "submit": 403, "withdraw": 403,
}  # fmt: skip
EXPECTED = {
    "unit_officer": READ_ONLY | {"item_put": 200, "evidence_upload": 201, "evidence_delete": 204},
    "unit_head": READ_ONLY
    | {"item_put": 200, "evidence_upload": 201, "evidence_delete": 204, "submit": 200, "withdraw": 200},
    "assigned_appraiser": READ_ONLY,
    "field_appraiser": READ_ONLY,
    # An appraiser sees only the dossiers assigned to them: the others do not exist for them.
    "appraiser": dict.fromkeys(ENDPOINTS, 404),
    "council_member": READ_ONLY,
    "viewer": READ_ONLY,
    "body_admin": READ_ONLY,
    "outsider": dict.fromkeys(ENDPOINTS, 404),
}
MATRIX = [(p, e, code) for p, row in EXPECTED.items() for e, code in row.items()]


@pytest.fixture
def assigned_appraiser(assessment):
    return assigned_appraiser_for(assessment)


@pytest.fixture
def field_appraiser(assessment):
    return assigned_appraiser_for(assessment, username="tham-dinh-linh-vuc-1", field_code="1")


@pytest.mark.parametrize(("persona", "endpoint", "expected"), MATRIX)
def test_persona_gets_the_right_status_on_unit_as_assessment(
    request, persona, endpoint, expected, assessment, evidence
):
    fill_scores(assessment=assessment)  # complete, so that only the rights decide
    if endpoint == "withdraw":
        services.assessment_submit(assessment=assessment, actor=request.getfixturevalue("unit_head"))
    user = request.getfixturevalue(persona)
    before = snapshot(assessment)

    response = ENDPOINTS[endpoint](api_client(user), assessment, evidence)

    assert response.status_code == expected, response.content
    if expected in {403, 404}:
        assert response.json()["detail"]
        assert snapshot(assessment) == before  # a refusal leaves nothing behind
    if hasattr(response, "streaming_content"):
        response.close()


@pytest.mark.parametrize("persona", ["unit_officer", "unit_head"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_user_of_unit_a_gets_404_for_everything_of_unit_b(
    request, persona, endpoint, other_assessment, other_evidence
):
    fill_scores(assessment=other_assessment)
    before = snapshot(other_assessment)
    response = ENDPOINTS[endpoint](
        api_client(request.getfixturevalue(persona)), other_assessment, other_evidence
    )
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Không tìm thấy")
    assert snapshot(other_assessment) == before


def test_missing_evidence_and_hidden_evidence_answer_the_same(unit_officer, other_evidence):
    client = api_client(unit_officer)
    hidden = client.get(api_url("evidence-download-api", other_evidence.pk))
    absent = client.get(api_url("evidence-download-api", other_evidence.pk + 1000))
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())


# --- the schema -------------------------------------------------------------------------------------------


def test_schema_documents_every_assessment_operation(client):
    paths = client.get(reverse("schema"), {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/assessments/"]) == {"get"}
    assert set(paths["/api/v1/assessments/{id}/"]) == {"get"}
    assert set(paths["/api/v1/assessments/{id}/items/{code}/"]) == {"put"}
    assert set(paths["/api/v1/assessments/{id}/evidence/"]) == {"get", "post"}
    assert set(paths["/api/v1/assessments/{id}/submit/"]) == {"post"}
    assert set(paths["/api/v1/assessments/{id}/withdraw/"]) == {"post"}
    assert set(paths["/api/v1/evidence/{id}/"]) == {"delete"}
    assert set(paths["/api/v1/evidence/{id}/download/"]) == {"get"}
    put = paths["/api/v1/assessments/{id}/items/{code}/"]["put"]
    assert {"200", "400", "403", "404", "409"} <= set(put["responses"])
    upload = paths["/api/v1/assessments/{id}/evidence/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
