"""The evidence upload API with an Idempotency-Key: a client's retry stores the file once."""

from __future__ import annotations

import pytest

from scoring.models import Evidence
from tests.scoring.assessment_api_helpers import api_client, api_url, pdf_upload
from tests.scoring.assessment_helpers import assessment_for


@pytest.fixture(name="assessment")
def assessment_fixture(unit):
    return assessment_for(unit=unit)


def _upload(client, assessment, **headers):
    url = api_url("assessment-evidence-api", assessment.pk)
    return client.post(url, {"file": pdf_upload(), "items": ["1.1.1"]}, format="multipart", **headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_stores_one_file(assessment, unit_officer):
    client = api_client(unit_officer)

    first = _upload(client, assessment, HTTP_IDEMPOTENCY_KEY="upload-1")
    second = _upload(client, assessment, HTTP_IDEMPOTENCY_KEY="upload-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Evidence.objects.filter(assessment=assessment).count() == 1


def test_different_or_no_keys_store_each_file(assessment, unit_officer):
    client = api_client(unit_officer)
    _upload(client, assessment, HTTP_IDEMPOTENCY_KEY="upload-1")
    _upload(client, assessment, HTTP_IDEMPOTENCY_KEY="upload-2")
    _upload(client, assessment)
    assert Evidence.objects.filter(assessment=assessment).count() == 3
