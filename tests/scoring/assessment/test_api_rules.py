"""HTTP-level tests of the self-assessment API: every scoring, upload and submission rule of the issue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.assessment import services
from scoring.models import Assessment, CriteriaItem, Evidence, Method, Role, SelfScore
from scoring.workflow import Status
from tests.scoring.assessment_api_helpers import (
    AFTER_DEADLINE,
    DEADLINE,
    VN,
    api_client,
    api_url,
    pdf_upload,
    put_score,
    score_version,
    snapshot,
    stored_files,
    upload_evidence,
)
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, fill_scores, mark_not_applicable
from tests.scoring.evidence_samples import EXE, PDF, png
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Each persona hashes a password; the default hasher's deliberate slowness is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assessment(unit):
    """Return the unit's 2026 assessment: 2 fields × 2 criteria × 2 sub-criteria, each max 1, step 0.25."""
    return assessment_for(unit=unit)


# --- the scoring rules ------------------------------------------------------------------------------------


def _make_survey(assessment, code):
    CriteriaItem.objects.filter(criteria_set=assessment.criteria_set, code=code).update(method=Method.SURVEY)


def _make_not_applicable(assessment, code):
    mark_not_applicable(item=CriteriaItem.objects.get(criteria_set=assessment.criteria_set, code=code))


def _submit(assessment, code):
    fill_scores(assessment=assessment)
    head = UserFactory()
    RoleAssignmentFactory(user=head, body=assessment.unit.body, role=Role.UNIT_HEAD, unit=assessment.unit)
    services.assessment_submit(assessment=assessment, actor=head)


@pytest.mark.parametrize(
    ("setup", "points", "message"),
    [
        (None, "1.25", "Điểm tối đa của tiêu chí 2.1.1 là 1,00"),
        (None, "-0.25", "Điểm không được nhỏ hơn 0"),
        (None, "0.3", "phải chấm theo bước 0,25 điểm"),
        (_make_not_applicable, "0.5", "không đánh giá đối với đơn vị"),
        (_make_survey, "0.5", "được chấm qua điều tra xã hội học"),
        (_submit, "0.5", "Hồ sơ đã được gửi nên không thể sửa"),
    ],
    ids=["above-max", "negative", "off-step", "not-applicable", "survey", "after-submit"],
)
def test_rule_violation_is_400_in_vietnamese_and_saves_nothing(setup, points, message, assessment, unit_head):
    if setup:
        setup(assessment, "2.1.1")
    before = snapshot(assessment)
    response = put_score(
        api_client(unit_head), assessment, "2.1.1", points=points, version=score_version(assessment, "2.1.1")
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert response.json()["field"] == (None if setup is _submit else "points")
    assert snapshot(assessment) == before


def test_save_after_the_deadline_is_refused_until_an_extension(assessment, unit_officer, body_admin):
    assessment.period.self_assessment_deadline = DEADLINE
    assessment.period.save()
    client = api_client(unit_officer)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        late = put_score(client, assessment, "1.1.1")
        late_upload = upload_evidence(client, assessment)
        assert (late.status_code, late_upload.status_code) == (400, 400)
        assert "Đã quá hạn tự đánh giá (17:00 31/12/2026)" in late.json()["detail"]
        assert not SelfScore.objects.exists() and not Evidence.objects.exists() and not stored_files()

        services.deadline_extension_grant(
            assessment=assessment,
            new_deadline=datetime(2027, 1, 10, tzinfo=VN),
            reason="Mất điện",
            actor=body_admin,
        )
        assert put_score(client, assessment, "1.1.1").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"points": "abc"}, "points"),
        ({"points": True}, "points"),
        ({"version": "x"}, "version"),
        ({"version": -1}, "version"),
    ],
)
def test_malformed_input_is_400_with_the_field(payload, field, assessment, unit_officer):
    response = put_score(api_client(unit_officer), assessment, "1.1.1", **payload)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not SelfScore.objects.exists()


def test_broken_request_bodies_are_400_in_vietnamese(assessment, unit_officer):
    client = api_client(unit_officer)
    upload_url = api_url("assessment-evidence-api", assessment.pk)
    truncated = client.generic(
        "POST",
        upload_url,
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
        content_type="multipart/form-data; boundary=xyz",
    )
    assert (truncated.status_code, truncated.json()) == (
        400,
        {"detail": "Hãy chọn tệp tài liệu kiểm chứng.", "field": "file"},
    )
    no_boundary = client.generic("POST", upload_url, b"%PDF-1.4", content_type="multipart/form-data")
    bad_json = client.generic(
        "PUT",
        api_url("assessment-item-score-api", assessment.pk, code="1.1.1"),
        b'{"points": "0.5", "vers',
        content_type="application/json",
    )
    for response in (no_boundary, bad_json):
        assert response.status_code == 400
        assert response.json()["detail"] == "Dữ liệu gửi lên bị hỏng hoặc chưa gửi hết; hãy gửi lại."
    assert not Evidence.objects.exists() and not SelfScore.objects.exists() and not stored_files()


def test_put_on_an_unknown_code_is_404_and_on_a_container_400(assessment, unit_officer):
    client = api_client(unit_officer)
    assert put_score(client, assessment, "9.9.9").status_code == 404
    container = put_score(client, assessment, "1.1")
    assert (container.status_code, container.json()["field"]) == (400, "item")


def test_stale_version_is_409_with_the_newer_value_and_keeps_it(assessment, unit_officer, unit_head):
    assert (
        put_score(
            api_client(unit_head), assessment, "1.1.1", points="1", justification="Bản của thủ trưởng"
        ).status_code
        == 200
    )

    response = put_score(api_client(unit_officer), assessment, "1.1.1", points="0.25", version=0)

    assert response.status_code == 409
    body = response.json()
    assert "vừa được" in body["detail"] and "0,25" in body["detail"]
    assert body["current"]["points"] == "1.00"
    assert body["current"]["justification"] == "Bản của thủ trưởng"
    assert (body["current"]["version"], body["current"]["updated_by"]) == (1, str(unit_head))
    assert body["current"]["updated_at"]
    row = SelfScore.objects.get(assessment=assessment)
    assert (row.points, row.version) == (Decimal("1.00"), 1)


def test_submit_by_an_officer_is_403(assessment, unit_officer):
    fill_scores(assessment=assessment)
    response = api_client(unit_officer).post(api_url("assessment-submit-api", assessment.pk))
    assert response.status_code == 403
    assert "thủ trưởng" in response.json()["detail"]
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SELF_ASSESSMENT


def test_incomplete_submit_is_400_with_the_problems_per_item(assessment, unit_head):
    fill_scores(assessment=assessment, count=7, no_evidence_reason="")
    response = api_client(unit_head).post(api_url("assessment-submit-api", assessment.pk))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Chưa thể gửi hồ sơ")
    assert {"item_code": "2.2.2", "message": "Chưa chấm điểm."} in body["problems"]
    assert {p["item_code"] for p in body["problems"]} == {
        i.code for i in appraisal_items(assessment.criteria_set)
    }
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SELF_ASSESSMENT


def test_withdraw_of_an_assessment_not_submitted_is_400(assessment, unit_head):
    response = api_client(unit_head).post(
        api_url("assessment-withdraw-api", assessment.pk), {}, format="json"
    )
    assert response.status_code == 400
    assert "Chỉ rút lại được hồ sơ đã gửi" in response.json()["detail"]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("baocao.pdf", EXE, content_type="application/pdf"), "không phải là"),
        (SimpleUploadedFile("anh-chup.pdf", png(), content_type="application/pdf"), "nội dung là tệp"),
        (SimpleUploadedFile("script.exe", PDF), "chỉ nhận các loại"),
        (SimpleUploadedFile("rong.pdf", b""), "rỗng"),
    ],
    ids=["exe-as-pdf", "png-as-pdf", "forbidden-extension", "empty"],
)
def test_disguised_or_forbidden_upload_is_refused_and_nothing_remains(
    file, message, assessment, unit_officer
):
    response = upload_evidence(api_client(unit_officer), assessment, file=file)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Evidence.objects.exists()
    assert not stored_files()


def test_upload_above_the_size_limit_is_refused(settings, assessment, unit_officer):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    response = upload_evidence(
        api_client(unit_officer), assessment, file=pdf_upload(content=PDF + b"0" * 1024 * 1024)
    )
    assert (response.status_code, response.json()["field"]) == (400, "file")
    assert "quá lớn" in response.json()["detail"]
    assert not Evidence.objects.exists() and not stored_files()


def test_upload_without_a_file_or_to_an_unknown_item_is_400(assessment, unit_officer):
    client = api_client(unit_officer)
    missing = client.post(
        api_url("assessment-evidence-api", assessment.pk), {"items": ["1.1.1"]}, format="multipart"
    )
    assert (missing.status_code, missing.json()["field"]) == (400, "file")
    unknown = upload_evidence(client, assessment, items=["1.1.1", "7.7.7"])
    assert (unknown.status_code, unknown.json()["field"]) == (400, "items")
    assert "7.7.7" in unknown.json()["detail"]
    assert not Evidence.objects.exists() and not stored_files()
