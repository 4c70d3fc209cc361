"""An uploaded ballot file with the broker away: the job fails at once with the reason, nothing is stored."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Job
from surveys.models import Ballot
from tests.scoring.jobs.broker_fixtures import broker_down_fixture  # noqa: F401 (a fixture)
from tests.surveys.ballot_import.test_import import _xlsx
from tests.surveys.helpers import survey_period


# Transactional: the job's message is sent when the upload's transaction commits, before the answer.
@pytest.mark.django_db(transaction=True)
def test_a_ballot_upload_fails_at_once_with_the_reason(
    client, departments, unit, body_admin, broker_down, monkeypatch
):
    monkeypatch.setattr("surveys.ballot_import.views.SYNC_IMPORT_BYTES", 0)  # every file goes to a job
    survey = survey_period(unit_group=departments, issued=10)
    client.force_login(body_admin)
    rows = [["1", "M1", unit.code, "", "A", "A", "A", "A"]]

    started = time.monotonic()
    response = client.post(
        reverse("surveys:ballots_upload", args=[survey.period.pk]),
        {"file": SimpleUploadedFile("phieu.xlsx", _xlsx(rows))},
        follow=True,
    )

    assert time.monotonic() - started < 5.0
    job = Job.objects.get(kind="ballots")
    assert job.status == Job.Status.FAILED
    assert "Hệ thống xử lý nền đang không hoạt động" in response.content.decode()
    assert not Ballot.objects.exists()
