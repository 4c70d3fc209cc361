"""Evidence upload against double submits: the form's one-time key stores the files once."""

from __future__ import annotations

import re

from scoring.models import Evidence
from tests.scoring.assessment_view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    criteria_set_fixture,
    item_fixture,
    period_fixture,
    sheet_url,
)
from tests.scoring.evidence.test_views import REPORT_NAME, pdf, stored_files, upload_url


def _upload(client, assessment, item, key: str, **extra):
    return client.post(
        upload_url(assessment), {"item": item.pk, "files": [pdf()], "submission_key": key}, **extra
    )


def test_the_upload_form_carries_a_fresh_key_each_time_the_page_is_drawn(client, unit_officer, assessment):
    client.force_login(unit_officer)
    keys = [
        re.findall(r'name="submission_key" value="([0-9a-f]{32})"', client.get(sheet_url(assessment)).text)
        for _ in range(2)
    ]
    assert keys[0] and keys[1] and set(keys[0]).isdisjoint(keys[1])


def test_two_posts_with_the_same_key_store_one_file(client, unit_officer, assessment, item, settings):
    client.force_login(unit_officer)

    first = _upload(client, assessment, item, "a" * 32, **HX)
    second = _upload(client, assessment, item, "a" * 32, **HX)

    assert first.status_code == second.status_code == 200
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    assert len(stored_files(settings)) == 1
    # The repeat shows the item as the first POST left it, with the same notice.
    assert f"Đã tải lên: {REPORT_NAME}." in second.text


def test_two_posts_with_different_keys_store_two_files(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    _upload(client, assessment, item, "a" * 32, **HX)
    _upload(client, assessment, item, "b" * 32, **HX)

    assert Evidence.objects.filter(assessment=assessment).count() == 2


def test_a_plain_form_repeat_goes_back_to_the_item_without_a_second_file(
    client, unit_officer, assessment, item
):
    client.force_login(unit_officer)

    first = _upload(client, assessment, item, "c" * 32)
    second = _upload(client, assessment, item, "c" * 32)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Evidence.objects.filter(assessment=assessment).count() == 1
