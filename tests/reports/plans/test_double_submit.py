"""Adding a plan action against double submits: the form's one-time key adds the action once."""

from __future__ import annotations

import re

from django.urls import reverse

from reports.models import RecoveryAction
from tests.reports.plans.test_plans import login

DATA = {
    "field_code": "4",
    "item_code": "4.2",
    "item_name": "Sắp xếp cấp phó",
    "lost_points": "0,5",
    "recoverable": "on",
    "recoverable_points": "0,5",
    "action": "Rà soát số lượng cấp phó",
    "due_date": "31/12/2021",
    "status": "planned",
}


def _add_url(body) -> str:
    return reverse("reports:province_plan_action_add", args=[2021]) + f"?body={body.code}"


def test_the_add_form_carries_a_one_time_key(client, body, body_admin):
    html = login(client, body_admin).get(_add_url(body)).content.decode()
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', html)


def test_two_posts_with_the_same_key_add_one_action(client, body, body_admin):
    login(client, body_admin)
    data = {**DATA, "submission_key": "k" * 32}

    first = client.post(_add_url(body), data)
    second = client.post(_add_url(body), data)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert RecoveryAction.objects.count() == 1


def test_two_posts_with_different_keys_add_two_actions(client, body, body_admin):
    login(client, body_admin)
    client.post(_add_url(body), {**DATA, "submission_key": "a" * 32})
    client.post(_add_url(body), {**DATA, "submission_key": "b" * 32})
    assert RecoveryAction.objects.count() == 2


def test_a_refused_post_does_not_spend_its_key(client, body, body_admin):
    login(client, body_admin)
    refused = client.post(_add_url(body), {**DATA, "recoverable_points": "0,75", "submission_key": "r" * 32})
    assert refused.status_code == 400

    accepted = client.post(_add_url(body), {**DATA, "submission_key": "r" * 32})

    assert accepted.status_code == 302
    assert RecoveryAction.objects.count() == 1
