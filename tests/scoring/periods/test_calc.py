"""The setup rules on plain values: the checklist, the deadlines' order and the bands."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from scoring.periods import calc

D = Decimal
START = date(2027, 1, 2)


def at(month: int, day: int) -> datetime:
    return datetime(2027, month, day, 17, 0)


DEADLINES = calc.Deadlines(START, at(2, 1), at(3, 1), at(4, 1), at(5, 1))
GROUP = calc.GroupInput(1, "Sở", 10, D(100), D(100), frozenset({"1", "2"}))
UNIT = calc.UnitInput(7, "Sở Nội vụ", 1, True, True)


def inputs(**changes) -> calc.ChecklistInputs:
    values = {
        "groups": (GROUP,),
        "units": (UNIT,),
        "coverage": calc.Coverage(unit_ids=frozenset({7})),
        "deadlines": DEADLINES,
        "band_count": 4,
    }
    values.update(changes)
    return calc.ChecklistInputs(**values)


def reasons(problems: list[calc.Problem]) -> list[str]:
    return [p.reason for p in problems]


def test_a_complete_setup_has_no_problem():
    assert calc.checklist(inputs()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"groups": (calc.GroupInput(1, "Sở", None, D(0), D(0), frozenset()),)}, ["no_criteria"]),
        ({"groups": (calc.GroupInput(1, "Sở", 10, D(100), D(98), frozenset({"1"})),)}, ["criteria_sum"]),
        ({"groups": (calc.GroupInput(1, "Sở", 10, D(0), D(0), frozenset({"1"})),)}, ["criteria_sum"]),
        ({"units": (calc.UnitInput(7, "Sở Nội vụ", 1, False, True),)}, ["no_officer"]),
        ({"units": (calc.UnitInput(7, "Sở Nội vụ", 1, True, False),)}, ["no_head"]),
        ({"coverage": calc.Coverage()}, ["no_appraiser"]),
        ({"coverage": calc.Coverage(field_codes=frozenset({"1"}))}, ["no_appraiser"]),
        ({"deadlines": calc.Deadlines(None, at(2, 1), None, at(4, 1), at(5, 1))}, ["unset"]),
        ({"band_count": 0}, ["no_bands"]),
    ],
)
def test_each_missing_thing_is_one_problem(changes, expected):
    assert reasons(calc.checklist(inputs(**changes))) == expected


def test_appraisers_of_every_field_cover_a_unit_without_a_unit_assignment():
    coverage = calc.Coverage(field_codes=frozenset({"1", "2", "3"}))
    assert calc.checklist(inputs(coverage=coverage)) == []


def test_problems_name_what_to_fix():
    problem = calc.checklist(inputs(units=(calc.UnitInput(7, "Sở Nội vụ", 1, False, True),)))[0]
    assert (problem.kind, problem.object_id, dict(problem.params)) == (calc.PEOPLE, 7, {"unit": "Sở Nội vụ"})


def test_deadlines_in_order_after_the_start_pass():
    assert calc.deadline_problems(DEADLINES) == []


def test_a_deadline_before_the_start_is_refused():
    problems = calc.deadline_problems(calc.Deadlines(START, datetime(2027, 1, 1, 17), None, None, None))
    assert [(p.kind, p.reason) for p in problems] == [("self_assessment", "before_start")]


def test_a_deadline_not_after_the_step_before_it_is_refused():
    problems = calc.deadline_problems(calc.Deadlines(START, at(3, 1), at(2, 1), None, at(3, 1)))
    assert [(p.kind, p.reason) for p in problems] == [("explanation", "not_after"), ("council", "not_after")]


def band(code: str, minimum: str, label: str | None = None) -> calc.BandInput:
    return calc.BandInput(code, label or code.title(), D(minimum))


def test_bands_from_zero_without_overlap_pass():
    assert calc.band_problems([band("tot", "80"), band("kha", "70"), band("yeu", "0")]) == []


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ([], ["no_bands"]),
        ([band("tot", "120"), band("yeu", "0")], ["band_range"]),
        ([band("tot", "-1"), band("yeu", "0")], ["band_range", "band_no_zero"]),
        ([band("tot", "70"), band("kha", "70"), band("yeu", "0")], ["band_same_min_index"]),
        ([band("tot", "80"), band("tot", "70", "Khá"), band("yeu", "0")], ["band_same_code"]),
        ([band("tot", "80", "A"), band("kha", "70", "A"), band("yeu", "0")], ["band_same_label"]),
        ([band("tot", "80"), band("kha", "50")], ["band_no_zero"]),
    ],
)
def test_bad_bands_are_refused(bands, expected):
    assert reasons(calc.band_problems(bands)) == expected


def test_unset_deadlines_are_one_problem_naming_them_all():
    problem = calc.checklist(inputs(deadlines=calc.Deadlines(None, at(2, 1), None, at(4, 1), at(5, 1))))[0]
    assert dict(problem.params) == {"what": "starts_on,explanation"}
