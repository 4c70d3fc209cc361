"""The survey settings' rules on plain values: what is still missing, and what a SIPAS conversion gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.settings.calc import (
    FORMS,
    PLAN,
    SIPAS,
    SIPAS_RESULTS,
    FormInput,
    ItemInput,
    SettingsInputs,
    conversion_points,
    conversion_preview,
    mean_pct,
    settings_problems,
)

D = Decimal


def item(id_: int, code: str, *, question=False, sipas=False, group="Sở, ban, ngành") -> ItemInput:
    return ItemInput(
        id=id_,
        code=code,
        group_id=1,
        group_name=group,
        max_points=D("1"),
        has_question=question,
        from_sipas=sipas,
    )


@pytest.mark.parametrize(
    ("pct", "max_points", "points"),
    [
        (D("85.11"), D("2.00"), D("1.70")),  # the example of the issue: 85,11 % of 2 points
        (D("78.0"), D("1.00"), D("0.78")),  # Mường Tè 2022, overall 78,0 %
        (D("100"), D("1.50"), D("1.50")),
        (D("0"), D("2.00"), D("0.00")),
        (D("99.99"), D("0.25"), D("0.25")),  # 0.249975 rounds half up
    ],
)
def test_linear_conversion_is_percentage_times_maximum(pct, max_points, points):
    assert conversion_points(pct=pct, max_points=max_points) == points
    preview = conversion_preview(pct=pct, max_points=max_points)
    assert (preview.pct, preview.points, preview.max_points) == (pct, points, max_points)


def test_an_unknown_conversion_method_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        conversion_points(pct=D("80"), max_points=D("1"), method="table")


@given(
    pct=st.decimals(min_value=0, max_value=100, places=2),
    max_points=st.decimals(min_value=0, max_value=50, places=2),
)
def test_conversion_never_exceeds_the_maximum_and_grows_with_the_percentage(pct, max_points):
    points = conversion_points(pct=pct, max_points=max_points)
    assert D(0) <= points <= max_points
    higher = min(pct + D("1"), D(100))
    assert conversion_points(pct=higher, max_points=max_points) >= points


def test_mean_of_no_result_is_none_and_of_results_rounded():
    assert mean_pct([]) is None
    assert mean_pct([D("80"), D("85.11"), D("90")]) == D("85.04")


def test_a_complete_survey_has_no_problem():
    inputs = SettingsInputs(
        items=(item(1, "8.1", question=True), item(2, "8.2", sipas=True)),
        forms=(FormInput(id=1, code="M1", questions=3, plans=4),),
    )
    assert settings_problems(inputs) == []


def test_no_survey_item_and_no_form_has_no_problem():
    assert settings_problems(SettingsInputs(items=(), forms=())) == []


def test_survey_items_without_forms_ask_for_forms_once():
    problems = settings_problems(SettingsInputs(items=(item(1, "8.1"), item(2, "8.2")), forms=()))
    assert [(p.kind, p.reason, dict(p.params)) for p in problems] == [(FORMS, "no_forms", {"n": "2"})]


def test_each_missing_piece_is_named():
    inputs = SettingsInputs(
        items=(
            item(1, "8.1", question=True),
            item(2, "8.2"),
            item(3, "8.3"),
            item(4, "8.4", question=True, sipas=True),
            item(5, "1.1", group="UBND huyện"),
        ),
        forms=(
            FormInput(id=1, code="M1", questions=0, plans=0),
            FormInput(id=2, code="M2", questions=2, plans=5),
        ),
        units_without_sipas=3,
    )
    found = [(p.kind, p.reason, dict(p.params)) for p in settings_problems(inputs)]
    assert found == [
        (FORMS, "form_no_questions", {"form": "M1"}),
        (PLAN, "form_no_plan", {"form": "M1"}),
        (FORMS, "items_unfed", {"group": "Sở, ban, ngành", "codes": "8.2, 8.3"}),
        (FORMS, "items_unfed", {"group": "UBND huyện", "codes": "1.1"}),
        (SIPAS, "items_both", {"codes": "8.4"}),
        (SIPAS_RESULTS, "sipas_missing", {"n": "3"}),
    ]


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=12))
def test_every_item_is_fed_or_reported(feeds):
    items = tuple(item(n, f"8.{n}", question=q, sipas=s) for n, (q, s) in enumerate(feeds, start=1))
    inputs = SettingsInputs(items=items, forms=(FormInput(id=1, code="M1", questions=1, plans=1),))
    reported = {
        code.strip()
        for p in settings_problems(inputs)
        if p.reason == "items_unfed"
        for code in dict(p.params)["codes"].split(",")
    }
    assert reported == {i.code for i in items if not i.has_question and not i.from_sipas}
