"""Double entry: the pure comparison of two keyings, the mismatch page and its resolution."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.double_entry import DIFFERENT, MISSING_FIRST, MISSING_SECOND, Keyed, Mismatch, compare_rounds
from surveys.models import Ballot
from tests.surveys.helpers import ballot, survey_period


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({(1, "7"): Keyed(1, {1: "A", 2: "B"})}, {(1, "7"): Keyed(1, {1: "A", 2: "B"})}, []),
        (
            {(1, "7"): Keyed(1, {1: "A", 2: "B"})},
            {(1, "7"): Keyed(1, {1: "A", 2: "C"})},
            [Mismatch(1, "7", DIFFERENT, False, (2,))],
        ),
        (
            {(1, "7"): Keyed(1, {1: "A"})},
            {(1, "7"): Keyed(2, {1: "A", 2: ""})},
            [Mismatch(1, "7", DIFFERENT, True, ())],
        ),
        ({(1, "7"): Keyed(1, {1: "A"})}, {}, [Mismatch(1, "7", MISSING_SECOND)]),
        ({}, {(2, "8"): Keyed(1, {1: "A"})}, [Mismatch(2, "8", MISSING_FIRST)]),
    ],
)
def test_compare_rounds_finds_every_difference(first, second, expected):
    assert compare_rounds(first, second) == expected


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=5)


@pytest.mark.django_db
def test_mismatch_page_lists_differences_and_keeping_round_two_fixes_round_one(
    client, body_admin, survey, unit
):
    m1 = survey.form("M1")
    ballot(form=m1, unit=unit, number="5", answers="A")
    ballot(form=m1, unit=unit, number="5", answers={1: "A", 2: "B", 3: "A", 4: "A"}, entry_round=2)
    ballot(form=m1, unit=unit, number="6", answers="C")
    ballot(form=m1, unit=unit, number="6", answers="C", entry_round=2)
    client.force_login(body_admin)
    url = reverse("surveys:mismatch_list", args=[survey.period.pk])

    text = client.get(url).content.decode()
    assert 'data-number="5"' in text and "câu 2" in text and 'data-number="6"' not in text

    response = client.post(
        reverse("surveys:mismatch_resolve", args=[survey.period.pk]),
        {"form": m1.pk, "number": "5", "keep": "2"},
        follow=True,
    )
    assert "Phiếu số 5 (M1) đã thống nhất theo lần nhập 2." in response.content.decode()
    first = Ballot.objects.get(number="5", entry_round=1)
    assert dict(first.answers.values_list("question__number", "option__code")) == {
        1: "A",
        2: "B",
        3: "A",
        4: "A",
    }
    assert 'data-number="5"' not in response.content.decode()


@pytest.mark.django_db
def test_mismatch_pages_are_404_for_another_body(client, outsider, survey):
    client.force_login(outsider)
    assert client.get(reverse("surveys:mismatch_list", args=[survey.period.pk])).status_code == 404
    response = client.post(reverse("surveys:mismatch_resolve", args=[survey.period.pk]), {"keep": "1"})
    assert response.status_code == 404
