"""submission_once: one run per (user, scope, key); a repeat gets the first result; a failure spends nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from scoring.idempotency.http import submission_key_of
from scoring.idempotency.services import submission_once
from scoring.models import SubmissionKey


class Counter:
    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict:
        self.runs += 1
        return {"run": self.runs}


def test_the_same_key_runs_once_and_repeats_the_first_result(unit_officer):
    action = Counter()

    first = submission_once(user=unit_officer, scope="plan_action", key="k1", action=action)
    second = submission_once(user=unit_officer, scope="plan_action", key="k1", action=action)

    assert action.runs == 1
    assert (first.result, first.repeated) == ({"run": 1}, False)
    assert (second.result, second.repeated) == ({"run": 1}, True)


def test_different_keys_scopes_or_users_run_again(unit_officer, unit_head):
    action = Counter()
    submission_once(user=unit_officer, scope="plan_action", key="k1", action=action)
    submission_once(user=unit_officer, scope="plan_action", key="k2", action=action)
    submission_once(user=unit_officer, scope="report_job", key="k1", action=action)
    submission_once(user=unit_head, scope="plan_action", key="k1", action=action)
    assert action.runs == 4
    assert SubmissionKey.objects.count() == 4


def test_without_a_key_the_action_runs_every_time(unit_officer):
    action = Counter()
    submission_once(user=unit_officer, scope="report_job", key="", action=action)
    submission_once(user=unit_officer, scope="report_job", key="", action=action)
    assert action.runs == 2
    assert not SubmissionKey.objects.exists()


def test_an_action_that_fails_spends_no_key(unit_officer):
    def refuse() -> dict:
        raise ValueError("refused")

    with pytest.raises(ValueError):
        submission_once(user=unit_officer, scope="plan_action", key="k1", action=refuse)
    assert not SubmissionKey.objects.exists()

    again = submission_once(user=unit_officer, scope="plan_action", key="k1", action=Counter())
    assert again.repeated is False


def test_the_key_comes_from_the_form_or_the_header_and_a_long_one_is_refused():
    factory = RequestFactory()
    assert submission_key_of(factory.post("/", {"submission_key": "abc"})) == "abc"
    assert submission_key_of(factory.post("/", HTTP_IDEMPOTENCY_KEY=" xyz ")) == "xyz"
    assert submission_key_of(factory.post("/")) == ""
    with pytest.raises(SuspiciousOperation):
        submission_key_of(factory.post("/", HTTP_IDEMPOTENCY_KEY="x" * 65))
