"""What the council sees before it decides on a unit: the points at each stage, the flagged items, the comments.

A fixed number of queries for any number of units (the council of a province decides on 130 at once): totals
by one SQL aggregation, flagged items and comments by one query each, index and class from the stored results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef

from scoring.models import Assessment, CriteriaItem, Method, NotApplicableItem, SelfScore
from scoring.results.figures import UnitFigures, results_figures

from ..models import Explanation, ItemAppraisal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class AppraiserComment:
    item_code: str
    round: int
    text: str


@dataclass(slots=True)
class CouncilBasis:
    """One unit's basis for the council's decision."""

    assessment: Assessment
    self_points: Decimal = ZERO
    round1_points: Decimal = ZERO  # after round 1: round-1 points, else the self-score
    final_points: Decimal = ZERO  # after round 2: round-2 points, else round 1, else the self-score
    flagged: int = 0
    unresolved_codes: list[str] = field(default_factory=list)
    comments: list[AppraiserComment] = field(default_factory=list)
    figures: UnitFigures | None = None

    @property
    def unresolved(self) -> int:
        return len(self.unresolved_codes)


def _stage_totals(assessment_ids: list[int]) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Return {assessment id: (self, after round 1, after round 2)} over the applicable appraisal items."""
    if not assessment_ids:
        return {}
    score, item, appraisal = (
        SelfScore._meta.db_table,
        CriteriaItem._meta.db_table,
        ItemAppraisal._meta.db_table,
    )
    exempt, assessment = NotApplicableItem._meta.db_table, Assessment._meta.db_table
    # The same rule as selectors.final_points_by_field (round 2 over round 1 over the self-score).
    sql = f"""
        SELECT s.assessment_id, SUM(s.points), SUM(COALESCE(r1.points, s.points)),
               SUM(COALESCE(r2.points, r1.points, s.points))
        FROM {score} s
        JOIN {assessment} a ON a.id = s.assessment_id
        JOIN {item} ci ON ci.id = s.item_id
        LEFT JOIN {appraisal} r1 ON r1.assessment_id = s.assessment_id AND r1.item_id = s.item_id AND r1.round = 1
        LEFT JOIN {appraisal} r2 ON r2.assessment_id = s.assessment_id AND r2.item_id = s.item_id AND r2.round = 2
        WHERE s.assessment_id IN ({", ".join(["%s"] * len(assessment_ids))})
          AND ci.method = %s
          AND NOT EXISTS (
              SELECT 1 FROM {exempt} na
              WHERE na.item_id = s.item_id AND (na.unit_id IS NULL OR na.unit_id = a.unit_id)
          )
        GROUP BY s.assessment_id
    """  # noqa: S608 — table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*assessment_ids, Method.APPRAISAL])
        return {
            row[0]: tuple(Decimal(str(v)) if v is not None else ZERO for v in row[1:])
            for row in cursor.fetchall()
        }


def council_basis(*, assessments: Sequence[Assessment]) -> list[CouncilBasis]:
    """Return the council's basis for each assessment (given with unit selected, all of one period), in order."""
    if not assessments:
        return []
    ids = [a.pk for a in assessments]
    rows = {a.pk: CouncilBasis(assessment=a) for a in assessments}
    for pk, (self_points, round1, final) in _stage_totals(ids).items():
        rows[pk].self_points, rows[pk].round1_points, rows[pk].final_points = self_points, round1, final
    for pk, (flagged, unresolved) in flagged_items(assessment_ids=ids).items():
        rows[pk].flagged, rows[pk].unresolved_codes = flagged, unresolved
    comments: dict[int, list[AppraiserComment]] = defaultdict(list)
    for pk, code, round_, text in (
        ItemAppraisal.objects.filter(assessment_id__in=ids)
        .exclude(comment="")
        .order_by("round", "item__order", "item__code")
        .values_list("assessment_id", "item__code", "round", "comment")
    ):
        comments[pk].append(AppraiserComment(item_code=code, round=round_, text=text))
    figures = results_figures(period_id=assessments[0].period_id, unit_ids=[a.unit_id for a in assessments])
    for row in rows.values():
        row.comments = comments.get(row.assessment.pk, [])
        row.figures = figures.get(row.assessment.unit_id)
    return [rows[pk] for pk in ids]


def flagged_items(*, assessment_ids: Sequence[int]) -> dict[int, tuple[int, list[str]]]:
    """Return {assessment id: (flagged items, codes of those unresolved)} in one query.

    A flagged item (round 1, "cần giải trình") is unresolved when it was not re-appraised in round 2 or the unit
    gave no explanation of it.
    """
    reappraised = ItemAppraisal.objects.filter(
        assessment_id=OuterRef("assessment_id"), item_id=OuterRef("item_id"), round=2, points__isnull=False
    )
    explained = Explanation.objects.filter(
        assessment_id=OuterRef("assessment_id"), item_id=OuterRef("item_id")
    ).exclude(text="")
    rows = (
        ItemAppraisal.objects.filter(assessment_id__in=list(assessment_ids), round=1, needs_explanation=True)
        .annotate(reappraised=Exists(reappraised), explained=Exists(explained))
        .order_by("item__order", "item__code")
        .values_list("assessment_id", "item__code", "reappraised", "explained")
    )
    result: dict[int, tuple[int, list[str]]] = {}
    for pk, code, was_reappraised, was_explained in rows:
        count, unresolved = result.get(pk, (0, []))
        if not (was_reappraised and was_explained):
            unresolved.append(code)
        result[pk] = (count + 1, unresolved)
    return result
