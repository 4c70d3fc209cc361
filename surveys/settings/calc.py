"""What a period's survey still lacks, and what a SIPAS conversion gives, on plain values (no database).

The selectors build the inputs; texts.py words the problems; the setup page of the period (scoring.periods.hooks)
shows the same problems as this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.calc import quantize_score

from .. import calc as survey_calc

LINEAR = "linear"
METHODS = (LINEAR,)

# The kinds of a problem: the page that fixes it.
FORMS = "forms"
PLAN = "plan"
SIPAS = "sipas"
SIPAS_RESULTS = "sipas_results"

# Shown when the period has no SIPAS result yet to try the conversion on (a figure of the size seen in reports).
EXAMPLE_PCT = Decimal("85.11")


@dataclass(frozen=True, slots=True)
class ItemInput:
    """A scored survey item of one of the period's criteria sets, and what feeds its points."""

    id: int
    code: str
    group_id: int
    group_name: str
    max_points: Decimal
    has_question: bool = False
    from_sipas: bool = False


@dataclass(frozen=True, slots=True)
class FormInput:
    id: int
    code: str
    questions: int
    plans: int


@dataclass(frozen=True, slots=True)
class SettingsInputs:
    items: tuple[ItemInput, ...]
    forms: tuple[FormInput, ...]
    units_without_sipas: int = 0  # units of a group with a SIPAS conversion that have no SIPAS result yet


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    reason: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SampleInput:
    """The SIPAS % the conversions are tried on, and how many results it is the mean of (0: an example)."""

    pct: Decimal
    results: int = 0


@dataclass(frozen=True, slots=True)
class Preview:
    pct: Decimal
    points: Decimal
    max_points: Decimal


def settings_problems(inputs: SettingsInputs) -> list[Problem]:
    """Return what the period's survey still lacks; an empty list when every survey item gets its points.

    A survey item gets points from a question of a ballot form or from SIPAS; a form needs questions and a sample
    plan; an item fed both ways takes SIPAS (surveys.points.selectors), which is worth saying. SIPAS results come
    last: they are entered once the national survey publishes them.
    """
    problems: list[Problem] = []
    if inputs.items and not inputs.forms:
        problems.append(Problem(FORMS, "no_forms", (("n", str(len(inputs.items))),)))
    for form in inputs.forms:
        if form.questions == 0:
            problems.append(Problem(FORMS, "form_no_questions", (("form", form.code),)))
        if form.plans == 0:
            problems.append(Problem(PLAN, "form_no_plan", (("form", form.code),)))
    unfed: dict[str, list[str]] = {}
    both: list[str] = []
    for item in inputs.items:
        if not item.has_question and not item.from_sipas:
            unfed.setdefault(item.group_name, []).append(item.code)
        elif item.has_question and item.from_sipas:
            both.append(item.code)
    if inputs.forms:
        for group, codes in unfed.items():
            problems.append(Problem(FORMS, "items_unfed", (("group", group), ("codes", ", ".join(codes)))))
    if both:
        problems.append(Problem(SIPAS, "items_both", (("codes", ", ".join(both)),)))
    if inputs.units_without_sipas:
        problems.append(Problem(SIPAS_RESULTS, "sipas_missing", (("n", str(inputs.units_without_sipas)),)))
    return problems


def conversion_points(*, pct: Decimal, max_points: Decimal, method: str = LINEAR) -> Decimal:
    """Return the points a SIPAS % gives on an item of that maximum by the method (linear: % × maximum)."""
    if method != LINEAR:
        raise ValueError(f"unknown SIPAS conversion {method!r}")
    return survey_calc.sipas_points(pct, max_points)


def conversion_preview(*, pct: Decimal, max_points: Decimal, method: str = LINEAR) -> Preview:
    """Return the example shown beside a conversion: the SIPAS %, the points it gives and the item's maximum."""
    return Preview(
        pct=pct,
        points=conversion_points(pct=pct, max_points=max_points, method=method),
        max_points=max_points,
    )


def mean_pct(values: list[Decimal]) -> Decimal | None:
    """Return the mean of the SIPAS results (rounded half up to 2 decimals), None when there is none."""
    if not values:
        return None
    return quantize_score(sum(values, Decimal(0)) / len(values))
