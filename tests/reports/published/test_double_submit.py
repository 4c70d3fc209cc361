"""The published-results upload against double submits: one import job per one-time key."""

from __future__ import annotations

from django.urls import reverse

from scoring.models import Job
from tests.reports.published.test_published_import import IMPORT_URL, REFERENCE, _upload


def test_two_posts_with_the_same_key_queue_one_import_job(client, body, body_admin):
    client.force_login(body_admin)
    data = {"year": "2020", "body": "lai-chau", "submission_key": "p" * 32}

    first = _upload(client, content=REFERENCE.read_bytes(), name=REFERENCE.name, **data)
    second = _upload(client, content=REFERENCE.read_bytes(), name=REFERENCE.name, **data)

    job = Job.objects.get()
    assert first.url == second.url == reverse("reports:import_job_detail", args=[job.pk])


def test_two_posts_with_different_keys_queue_two_jobs(client, body, body_admin):
    client.force_login(body_admin)
    for key in ("a" * 32, "b" * 32):
        _upload(
            client,
            content=REFERENCE.read_bytes(),
            name=REFERENCE.name,
            year="2020",
            body="lai-chau",
            submission_key=key,
        )
    assert Job.objects.count() == 2


def test_the_upload_form_carries_a_one_time_key(client, body, body_admin):
    client.force_login(body_admin)
    assert 'name="submission_key"' in client.get(IMPORT_URL).text
