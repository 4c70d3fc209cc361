"""Supplementary evidence of an explanation against double submits: one file per one-time key."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    explaining_fixture,
    items_fixture,
    login,
)
from tests.scoring import evidence_samples as samples


def _upload(client, assessment, item, key: str):
    upload = SimpleUploadedFile("bo-sung.pdf", samples.PDF, "application/pdf")
    url = reverse("appraisal:explanation_upload", args=[assessment.pk, item.pk])
    return client.post(url, {"files": [upload], "submission_key": key}, **HX)


def test_the_upload_form_carries_a_one_time_key(client, unit_officer, explaining, items):
    html = login(client, unit_officer).get(reverse("appraisal:explanation", args=[explaining.pk])).text
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', html)


def test_two_posts_with_the_same_key_store_one_file(client, unit_officer, explaining, items):
    login(client, unit_officer)

    first = _upload(client, explaining, items[0], "e" * 32)
    second = _upload(client, explaining, items[0], "e" * 32)

    assert first.status_code == second.status_code == 200
    assert explaining.evidence.count() == 1
    assert "Đã tải lên 1 tệp." in second.text


def test_two_posts_with_different_keys_store_two_files(client, unit_officer, explaining, items):
    login(client, unit_officer)
    _upload(client, explaining, items[0], "a" * 32)
    _upload(client, explaining, items[0], "b" * 32)
    assert explaining.evidence.count() == 2
