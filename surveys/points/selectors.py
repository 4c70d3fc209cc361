"""Survey points: the points the survey gives each unit on each survey item.

They read tallies the database computes (GROUP BY), never ballot by ballot, so their cost does not grow with
the number of ballots or units (a fixed number of queries).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Sum

from scoring.models import Period

from .. import calc
from ..models import (
    Aggregation,
    BallotAnswer,
    BallotForm,
    BallotStatus,
    Question,
    SurveySettings,
)
from ..sipas.services import sipas_item_points


def survey_aggregation(*, period: Period) -> str:
    """Return how the period averages ballots ("ballot_mean" unless its survey settings say otherwise)."""
    found = SurveySettings.objects.filter(period=period).values_list("aggregation", flat=True).first()
    return found or Aggregation.BALLOT_MEAN


def survey_point_inputs(
    *, period: Period, unit_ids: Collection[int] | None = None
) -> tuple[list[calc.AnswerTally], dict[int, calc.QuestionInput], dict]:
    """Return the tallies of counting answers on accepted first-round ballots (of the units given, or all), the
    questions and form weights."""
    answers = BallotAnswer.objects.filter(
        ballot__period=period,
        ballot__status=BallotStatus.ACCEPTED,
        ballot__entry_round=1,
        option__counts=True,
    )
    if unit_ids is not None:
        # A unit's points come from its own ballots only: one unit's analysis need not read the whole period.
        answers = answers.filter(ballot__unit_id__in=list(unit_ids))
    questions = {
        row["pk"]: calc.QuestionInput(
            question_id=row["pk"],
            form_id=row["form_id"],
            item_id=row["item_id"],
            max_points=row["item__max_points"],
        )
        for row in Question.objects.filter(form__period=period).values(
            "pk", "form_id", "item_id", "item__max_points"
        )
    }
    weights = dict(BallotForm.objects.filter(period=period).values_list("pk", "group_weight"))
    tallies = [
        calc.AnswerTally(
            unit_id=row["ballot__unit_id"],
            form_id=row["ballot__form_id"],
            question_id=row["question_id"],
            answered=row["answered"],
            share_sum=row["share_sum"] or Decimal(0),
        )
        for row in answers.values("ballot__unit_id", "ballot__form_id", "question_id")
        .annotate(answered=Count("pk"), share_sum=Sum("option__share"))
        .order_by()
    ]
    return tallies, questions, weights


def survey_points(*, period: Period, unit_ids: Collection[int] | None = None) -> calc.SurveyPoints:
    """Return the ballot points per (unit, item) with their answer counts (SIPAS not included). Four queries."""
    tallies, questions, weights = survey_point_inputs(period=period, unit_ids=unit_ids)
    return calc.item_points_from_tallies(tallies, questions, survey_aggregation(period=period), weights)


def survey_item_points(
    *, period: Period, unit_ids: Collection[int] | None = None
) -> dict[int, dict[int, Decimal]]:
    """Return {unit_id: {item_id: points}} for the period's survey items: ballots, and SIPAS where converted.

    An item converted from SIPAS takes the SIPAS points, not ballot points. A unit with no counting answer on an
    item (and no SIPAS) has no entry for it: unscored, not zero. Six queries, whatever the number of units.
    """
    result: dict[int, dict[int, Decimal]] = {}
    for (unit_id, item_id), points in survey_points(period=period, unit_ids=unit_ids).points.items():
        result.setdefault(unit_id, {})[item_id] = points
    sipas = sipas_item_points(period=period, unit_ids=unit_ids)
    sipas_items = {item_id for by_item in sipas.values() for item_id in by_item}
    if sipas_items:
        for by_item in result.values():
            for item_id in sipas_items & set(by_item):
                del by_item[item_id]
    for unit_id, by_item in sipas.items():
        result.setdefault(unit_id, {}).update(by_item)
    return {unit_id: by_item for unit_id, by_item in result.items() if by_item}
