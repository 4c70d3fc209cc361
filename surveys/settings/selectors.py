"""Reads of a period's survey settings, each in a fixed number of queries whatever the number of units or items."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum

from scoring.models import CriteriaItem, Method, Period
from scoring.periods.selectors import units_in_year

from ..models import (
    Aggregation,
    Ballot,
    BallotForm,
    Question,
    SamplePlan,
    SipasConversion,
    SipasResult,
    SurveySettings,
)
from . import calc


def survey_items(*, period: Period) -> list[CriteriaItem]:
    """Return the scored survey items of the period's criteria sets, in group and tree order, each annotated with
    `has_question` (a ballot question feeds it) and `sipas_method` ("" unless converted from SIPAS). One query."""
    conversions = SipasConversion.objects.filter(period=period, item=OuterRef("pk"))
    return list(
        CriteriaItem.objects.scored()
        .filter(criteria_set__period=period, method=Method.SURVEY)
        .select_related("criteria_set__unit_group")
        .annotate(
            has_question=Exists(Question.objects.filter(form__period=period, item=OuterRef("pk"))),
            sipas_method=conversions.values("method")[:1],
        )
        .order_by("criteria_set__unit_group__order", "criteria_set__unit_group__name", "order", "pk")
    )


def ballot_forms(*, period: Period) -> list[BallotForm]:
    """Return the period's forms with their target group, `question_count` and `plan_count`. One query."""
    return list(
        BallotForm.objects.filter(period=period)
        .select_related("target_group")
        .annotate(
            question_count=Count("questions", distinct=True),
            plan_count=Count("sample_plans", distinct=True),
        )
        .order_by("order", "code")
    )


def units_without_sipas(*, period: Period) -> int:
    """Return how many of the year's units in a group with a SIPAS conversion have no SIPAS result. One query."""
    groups = SipasConversion.objects.filter(period=period).values("item__criteria_set__unit_group_id")
    return (
        units_in_year(body_id=period.body_id, year=period.year)
        .filter(group_id__in=groups)
        .exclude(Exists(SipasResult.objects.filter(period=period, unit=OuterRef("pk"))))
        .count()
    )


def settings_inputs(
    *,
    period: Period,
    items: list[CriteriaItem] | None = None,
    forms: list[BallotForm] | None = None,
    with_sipas_results: bool = True,
) -> calc.SettingsInputs:
    """Return what settings_problems needs (three queries, fewer when the items and forms are given or the SIPAS
    results are not asked for)."""
    items = survey_items(period=period) if items is None else items
    forms = ballot_forms(period=period) if forms is None else forms
    return calc.SettingsInputs(
        items=tuple(
            calc.ItemInput(
                id=i.pk,
                code=i.code,
                group_id=i.criteria_set.unit_group_id,
                group_name=i.criteria_set.unit_group.name,
                max_points=i.max_points,
                has_question=i.has_question,
                from_sipas=bool(i.sipas_method),
            )
            for i in items
        ),
        forms=tuple(
            calc.FormInput(id=f.pk, code=f.code, questions=f.question_count, plans=f.plan_count)
            for f in forms
        ),
        units_without_sipas=units_without_sipas(period=period) if with_sipas_results else 0,
    )


def question_refs(*, period: Period) -> dict[int, list[str]]:
    """Return, per item, the questions that feed it ("M1 · câu 3"). One query."""
    refs: dict[int, list[str]] = defaultdict(list)
    rows = (
        Question.objects.filter(form__period=period)
        .order_by("form__order", "form__code", "number")
        .values_list("item_id", "form__code", "number")
    )
    for item_id, form_code, number in rows:
        refs[item_id].append(f"{form_code} · {number}")
    return refs


def survey_settings_get(*, period: Period) -> SurveySettings:
    """Return the period's settings, unsaved defaults (ballot mean) when none were saved. One query."""
    found = SurveySettings.objects.filter(period=period).first()
    return found or SurveySettings(period=period, aggregation=Aggregation.BALLOT_MEAN)


def sample_pct(*, period: Period) -> calc.SampleInput:
    """Return the SIPAS % the conversions are shown on: the mean of the period's results, or an example. One query."""
    values = list(SipasResult.objects.filter(period=period).values_list("overall_pct", flat=True))
    mean = calc.mean_pct(values)
    return calc.SampleInput(pct=mean if mean is not None else calc.EXAMPLE_PCT, results=len(values))


def ballot_counts(*, period: Period) -> dict[str, int]:
    """Return the ballots issued (sample plans), entered and accepted (first round) in the period. Two queries."""
    issued = SamplePlan.objects.filter(form__period=period).aggregate(n=Sum("issued"))["n"] or 0
    counts = Ballot.objects.filter(period=period, entry_round=1).aggregate(
        entered=Count("pk", filter=~Q(status="voided")), accepted=Count("pk", filter=Q(status="accepted"))
    )
    return {"issued": issued, **counts}


def sipas_count(*, period: Period) -> dict[str, int]:
    """Return how many of the year's units have a SIPAS result in the period, of how many. Two queries."""
    units = units_in_year(body_id=period.body_id, year=period.year)
    return {
        "entered": SipasResult.objects.filter(period=period, unit__in=units).count(),
        "units": units.count(),
    }
