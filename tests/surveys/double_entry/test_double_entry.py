"""Double entry: the pure comparison of two keyings, the mismatch page and its resolution."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.double_entry.calc import (
    DIFFERENT,
    MISSING_FIRST,
    MISSING_SECOND,
    Keyed,
    Mismatch,
    compare_rounds,
)
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


def _pairs(
    form, unit, other_unit, *, same: int, different: int, unit_differs: int, once: int, start: int = 0
):
    """Key `same` ballots identically twice, `different` with question 2 changed, `unit_differs` with the other
    unit in round 2, and `once` in round 1 only; numbers from start + 1."""
    n = start
    for kind, count in (("same", same), ("answer", different), ("unit", unit_differs), ("once", once)):
        for _ in range(count):
            n += 1
            number = f"{n:05d}"
            ballot(form=form, unit=unit, number=number, answers="A")
            if kind == "once":
                continue
            second = {1: "A", 2: "B" if kind == "answer" else "A", 3: "A", 4: "A"}
            ballot(
                form=form,
                unit=other_unit if kind == "unit" else unit,
                number=number,
                answers=second,
                entry_round=2,
            )


@pytest.mark.django_db
def test_mismatch_page_lists_only_the_differing_ballots_with_the_counts(
    client, body_admin, survey, unit, other_unit
):
    m1 = survey.form("M1")
    _pairs(m1, unit, other_unit, same=3, different=2, unit_differs=1, once=4)
    ballot(form=m1, unit=unit, number="99999", answers="A", entry_round=2)  # round 2 only
    client.force_login(body_admin)

    response = client.get(reverse("surveys:mismatch_list", args=[survey.period.pk]))

    text = response.content.decode()
    listed = [
        n
        for n in ("00001", "00002", "00003", "00004", "00005", "00006", "00007", "99999")
        if f'data-number="{n}"' in text
    ]
    assert listed == ["00004", "00005", "00006", "99999"]
    assert "câu 2" in text and "đơn vị" in text and "chưa nhập lần 1" in text
    assert "Chưa nhập lần 2: <strong>4</strong>" in text
    assert "Cần đối chiếu: <strong>4</strong>" in text
    assert "Đã nhập lần 1: <strong>10</strong>" in text and "Đã nhập lần 2: <strong>7</strong>" in text


@pytest.mark.django_db
def test_mismatch_page_is_empty_until_round_two_begins(client, body_admin, survey, unit):
    ballot(form=survey.form("M1"), unit=unit, number="1", answers="A")
    client.force_login(body_admin)
    text = client.get(reverse("surveys:mismatch_list", args=[survey.period.pk])).content.decode()
    assert 'data-number="1"' not in text and "Chưa nhập lần 2: <strong>1</strong>" in text


@pytest.mark.django_db
def test_mismatch_page_is_paginated_by_50(client, body_admin, survey, unit, other_unit):
    _pairs(survey.form("M1"), unit, other_unit, same=0, different=53, unit_differs=0, once=0)
    client.force_login(body_admin)
    url = reverse("surveys:mismatch_list", args=[survey.period.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"trang": 2}).content.decode()
    assert first.count("<tr data-number=") == 50 and "Trang 1/2" in first and "?trang=2" in first
    assert second.count("<tr data-number=") == 3 and 'data-number="00053"' in second


@pytest.mark.django_db
def test_a_voided_ballot_leaves_the_reconciliation(client, body_admin, survey, unit, other_unit):
    from surveys.correction.services import ballot_void

    _pairs(survey.form("M1"), unit, other_unit, same=0, different=1, unit_differs=0, once=0)
    ballot_void(ballot=Ballot.objects.get(entry_round=1), reason="hỏng", expected_version=1, actor=body_admin)
    client.force_login(body_admin)
    text = client.get(reverse("surveys:mismatch_list", args=[survey.period.pk])).content.decode()
    assert 'data-number="00001"' not in text and "Cần đối chiếu: <strong>0</strong>" in text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 60])
def test_mismatch_page_costs_a_fixed_number_of_queries(
    client, body_admin, survey, unit, other_unit, size, django_assert_max_num_queries
):
    # Every kind at both sizes: the page must not read more when there are more ballots or more to reconcile.
    _pairs(survey.form("M1"), unit, other_unit, same=size, different=size, unit_differs=size, once=size)
    _pairs(
        survey.form("M2"), unit, other_unit, same=size, different=size, unit_differs=0, once=0, start=size * 4
    )
    client.force_login(body_admin)
    url = reverse("surveys:mismatch_list", args=[survey.period.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_resolving_changes_the_other_keying_in_place_so_an_open_correction_gets_a_conflict(
    body_admin, survey, unit, other_unit
):
    from surveys.correction.services import BallotConflict, ballot_correct
    from surveys.double_entry.services import ballot_mismatch_resolve

    m1 = survey.form("M1")
    first = ballot(form=m1, unit=unit, number="8", answers="A")
    second = ballot(form=m1, unit=other_unit, number="8", answers="B", entry_round=2)

    kept = ballot_mismatch_resolve(period=survey.period, form=m1, number="8", keep_round=2, actor=body_admin)

    assert kept.pk == first.pk
    first.refresh_from_db()
    assert (first.unit, first.version, first.answers_key) == (other_unit, 2, second.answers_key)
    with pytest.raises(BallotConflict):
        ballot_correct(ballot=first, answers={1: "C"}, reason="x", expected_version=1, actor=body_admin)
