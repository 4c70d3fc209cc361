"""The projection of recoverable points (pure): seeds/000's 2021 targets and its invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.plans.calc import FieldStanding, Recovery, project

D = Decimal


def test_reproduces_the_2021_targets_of_lai_chau_from_its_2020_fields_and_footnotes():
    # seeds/000 §4.1: 2020 component index and points of its maximum, plus the points its footnotes judge
    # recoverable in 2021 (field 1 +0,08; field 4 +0,5; field 5 +0,5; field 7 +0,25 +0,25).
    fields = [
        FieldStanding("1", D("7.72"), D("8.5")),
        FieldStanding("4", D("9.13"), D("11.5")),
        FieldStanding("5", D("10.30"), D("13.5")),
        FieldStanding("7", D("11.58"), D("15")),
    ]
    recoveries = [
        Recovery("1", D("0.08")),
        Recovery("4", D("0.5")),
        Recovery("5", D("0.5")),
        Recovery("7", D("0.25")),
        Recovery("7", D("0.25")),
    ]

    projection = {f.code: f for f in project(fields, recoveries).fields}

    expected = {
        "1": ("90.82", "91.76"),
        "4": ("79.39", "83.73"),
        "5": ("76.29", "80.00"),
        "7": ("77.20", "80.53"),
    }
    for code, (before, after) in expected.items():
        assert abs(projection[code].index - D(before)) <= D("0.01"), code
        assert abs(projection[code].projected_index - D(after)) <= D("0.01"), code


def test_recovery_is_capped_at_what_the_field_lost():
    (field,) = project([FieldStanding("1", D("7.5"), D("8"))], [Recovery("1", D("2"))]).fields

    assert (field.planned, field.recovered, field.projected_index) == (D("2"), D("0.5"), D(100))


def test_unknown_field_and_negative_points_are_refused():
    with pytest.raises(ValueError):
        project([FieldStanding("1", D(1), D(2))], [Recovery("9", D("0.5"))])
    with pytest.raises(ValueError):
        project([FieldStanding("1", D(1), D(2))], [Recovery("1", D("-0.5"))])


quarter = st.integers(min_value=0, max_value=80).map(lambda n: D(n) / 4)


@st.composite
def plans(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    fields = []
    for code in range(1, n + 1):
        maximum = draw(st.integers(min_value=1, max_value=80).map(lambda v: D(v) / 4))
        points = draw(st.integers(min_value=0, max_value=int(maximum * 4)).map(lambda v: D(v) / 4))
        fields.append(FieldStanding(str(code), points, maximum))
    recoveries = draw(
        st.lists(st.tuples(st.integers(min_value=1, max_value=n), quarter), max_size=12).map(
            lambda pairs: [Recovery(str(c), p) for c, p in pairs]
        )
    )
    return fields, recoveries


@given(plans())
def test_projection_never_lowers_an_index_nor_exceeds_the_maximum(plan):
    fields, recoveries = plan
    projection = project(fields, recoveries)

    for f in projection.fields:
        assert f.points <= f.projected_points <= f.max_points
        assert f.index <= f.projected_index <= 100
        assert f.recovered == min(f.planned, f.max_points - f.points)
    assert projection.projected_points == projection.points + projection.recovered
    assert projection.max_points == sum(f.max_points for f in fields)


@given(plans())
def test_projection_does_not_depend_on_the_order_of_the_recoveries(plan):
    fields, recoveries = plan

    assert project(fields, recoveries) == project(fields, list(reversed(recoveries)))
