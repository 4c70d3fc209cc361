"""The ballot file upload against double submits: one import per one-time key."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import Ballot
from tests.surveys.ballot_import.test_import import _upload_url, _xlsx
from tests.surveys.helpers import survey_period


@pytest.fixture(name="survey")
def survey_fixture(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=10)


def _rows(unit):
    return [["1", "M1", unit.code, "", "A", "A", "A", "A"], ["2", "M1", unit.code, "", "A", "", "A", "A"]]


def _post(client, survey, content: bytes, key: str):
    return client.post(
        _upload_url(survey), {"file": SimpleUploadedFile("phieu.xlsx", content), "submission_key": key}
    )


def test_the_upload_form_carries_a_one_time_key(client, survey, body_admin):
    client.force_login(body_admin)
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', client.get(_upload_url(survey)).text)


def test_two_posts_with_the_same_key_import_once_and_tell_the_first_outcome(client, survey, unit, body_admin):
    client.force_login(body_admin)
    content = _xlsx(_rows(unit))

    first = _post(client, survey, content, "u" * 32)
    second = _post(client, survey, content, "u" * 32)

    assert first.status_code == second.status_code == 302
    # The repeat did not import again (which would find the numbers already entered): it tells what the first did.
    assert "2 phiếu mới (1 hợp lệ)" in client.get(second["Location"]).text
    assert Ballot.objects.filter(period=survey.period).count() == 2


def test_a_refused_file_does_not_spend_its_key(client, survey, unit, body_admin):
    client.force_login(body_admin)
    bad = _xlsx([["1", "M7", unit.code, "", "A", "A", "A", "A"]])
    assert _post(client, survey, bad, "r" * 32).status_code == 400

    assert _post(client, survey, _xlsx(_rows(unit)), "r" * 32).status_code == 302
    assert Ballot.objects.filter(period=survey.period).count() == 2
