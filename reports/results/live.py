"""Turn assessments into calc inputs: each unit's final item points over its criteria set, ranked by calc.

Appraisal items take the appraisal's final points; survey items take the survey's points (the mean over the
unit's accepted ballots, or SIPAS converted), never a score typed on the scoring sheet.

Used twice: by the publication service (council-approved assessments, frozen into a snapshot) and by the API
for the body's staff (current assessments of a period not yet published). Fixed query count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from appraisal.rounds.selectors import final_item_points
from scoring import calc
from scoring.models import Assessment, CriteriaItem, Level, Method, NotApplicableItem, Period
from scoring.workflow import Status
from surveys.points.selectors import survey_item_points

# Statuses whose scores are a result someone may look at; a self-assessment in progress is a draft.
LIVE_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.ROUND_1,
        Status.EXPLANATION,
        Status.ROUND_2,
        Status.COUNCIL_APPROVED,
        Status.PUBLISHED,
    }
)


# Up to this many units, survey points are read for those units only (a unit's analysis, its plan).
FEW_UNITS = 50

# How far a unit's live result has come; pages tell the stages apart and rank only what was appraised.
STAGE_PUBLISHED = "published"
STAGE_APPROVED = "approved"
STAGE_APPRAISED = "appraised"
STAGE_SUBMITTED = "submitted"  # self-scores only: round 1 not sent yet, so no appraised figure to show
RANKED_STAGES = frozenset({STAGE_PUBLISHED, STAGE_APPROVED, STAGE_APPRAISED})

_STAGE_OF_STATUS = {
    Status.SUBMITTED: STAGE_SUBMITTED,
    Status.ROUND_1: STAGE_SUBMITTED,
    Status.EXPLANATION: STAGE_APPRAISED,
    Status.ROUND_2: STAGE_APPRAISED,
    Status.COUNCIL_APPROVED: STAGE_APPROVED,
    Status.PUBLISHED: STAGE_PUBLISHED,
}
# Round-1 appraisals are the appraisers' drafts until round 1 is sent: a unit in round 1 counts its self-scores.
SELF_SCORE_STATUSES = frozenset({Status.SUBMITTED, Status.ROUND_1})


def stage_of(status: str) -> str:
    """Return the stage of an assessment status (the stage of a result computed from it)."""
    return _STAGE_OF_STATUS.get(Status(status), STAGE_SUBMITTED) if status else STAGE_PUBLISHED


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One assessment's items as calc sees them, with what the reports need to name the unit."""

    assessment: Assessment
    items: calc.UnitItems
    totals: calc.UnitTotals

    @property
    def item_points(self) -> dict[str, Decimal | None]:
        return {i.code: i.points for i in self.items.items if i.applicable}

    @property
    def not_applicable(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items.items if not i.applicable)


def _criterion_code(code: str) -> str:
    return ".".join(code.split(".")[:2])


def unit_results(*, assessments: Sequence[Assessment]) -> list[UnitResult]:
    """Return the totals of each assessment from its final item points; not-applicable items count for nothing.

    The assessments must come with unit and unit__group selected.
    """
    if not assessments:
        return []
    points = final_item_points(
        assessment_ids=[a.pk for a in assessments],
        self_only_ids=[a.pk for a in assessments if a.status in SELF_SCORE_STATUSES],
    )
    unit_ids = {a.unit_id for a in assessments}
    # A few units (one unit's analysis): their own ballots only, not the whole period's.
    survey = _survey_points(
        period_ids={a.period_id for a in assessments},
        unit_ids=unit_ids if len(unit_ids) <= FEW_UNITS else None,
    )
    set_ids = {a.criteria_set_id for a in assessments}
    leaves: dict[int, list[CriteriaItem]] = defaultdict(list)
    for item in CriteriaItem.objects.filter(criteria_set_id__in=set_ids).scored().order_by("order", "pk"):
        leaves[item.criteria_set_id].append(item)
    exempt_everywhere: set[int] = set()
    exempt_for: dict[int, set[int]] = defaultdict(set)
    exemptions = NotApplicableItem.objects.filter(item__criteria_set_id__in=set_ids).filter(
        Q(unit__isnull=True) | Q(unit_id__in=unit_ids)
    )
    for item_id, unit_id in exemptions.values_list("item_id", "unit_id"):
        (exempt_everywhere if unit_id is None else exempt_for[unit_id]).add(item_id)

    results = []
    for assessment in assessments:
        scored = points.get(assessment.pk, {})
        surveyed = survey.get((assessment.period_id, assessment.unit_id), {})
        exempt = exempt_everywhere | exempt_for.get(assessment.unit_id, set())
        items = tuple(
            calc.ItemScore(
                code=item.code,
                field_code=item.field_code,
                criterion_code=_criterion_code(item.code),
                method=item.method or Method.APPRAISAL,
                max_points=item.max_points,
                points=surveyed.get(item.pk) if item.method == Method.SURVEY else scored.get(item.pk),
                applicable=item.pk not in exempt,
            )
            for item in leaves[assessment.criteria_set_id]
        )
        unit_items = calc.UnitItems(unit_id=assessment.unit_id, group=assessment.unit.group.code, items=items)
        results.append(
            UnitResult(
                assessment=assessment, items=unit_items, totals=calc.unit_totals_from_items(unit_items)
            )
        )
    return results


def _survey_points(
    *, period_ids: set[int], unit_ids: set[int] | None = None
) -> dict[tuple[int, int], dict[int, Decimal]]:
    """Return {(period_id, unit_id): {item_id: points}} of the survey items (ballots, and SIPAS where converted)."""
    return {
        (period.pk, unit_id): items
        for period in Period.objects.filter(pk__in=period_ids)
        for unit_id, items in survey_item_points(period=period, unit_ids=unit_ids).items()
    }


def live_assessments(*, period: Period) -> list[Assessment]:
    """Return the period's assessments that carry a result (submitted or later), with unit and group."""
    return list(
        Assessment.objects.filter(period=period, status__in=LIVE_STATUSES).select_related("unit__group")
    )


def unit_totals(*, assessments: Sequence[Assessment]) -> list[tuple[Assessment, calc.UnitTotals]]:
    """Return each assessment's totals like unit_results, with the appraisal points summed by the database.

    For recomputing many units: one row per unit and field is read instead of one per item. The assessments
    must be past submission (every applicable item self-scored), with unit and unit__group selected.
    """
    if not assessments:
        return []
    from appraisal.rounds.selectors import final_points_by_field

    period_ids = {a.period_id for a in assessments}
    statuses = {a.status for a in assessments}
    summed = final_points_by_field(period_ids=period_ids, statuses=statuses - SELF_SCORE_STATUSES)
    summed |= final_points_by_field(
        period_ids=period_ids, statuses=statuses & SELF_SCORE_STATUSES, with_appraisals=False
    )
    set_ids = {a.criteria_set_id for a in assessments}
    leaves: dict[int, list[CriteriaItem]] = defaultdict(list)
    field_ids: dict[int, str] = {}
    for pk, code in CriteriaItem.objects.filter(criteria_set_id__in=set_ids, level=Level.FIELD).values_list(
        "pk", "code"
    ):
        field_ids[pk] = code
    for item in CriteriaItem.objects.filter(criteria_set_id__in=set_ids).scored().order_by("order", "pk"):
        leaves[item.criteria_set_id].append(item)
    # Survey points are read only for periods whose criteria have survey items.
    surveyed_sets = {
        set_id for set_id, items in leaves.items() if any(i.method == Method.SURVEY for i in items)
    }
    survey = _survey_points(
        period_ids={a.period_id for a in assessments if a.criteria_set_id in surveyed_sets}
    )
    exempt_everywhere: set[int] = set()
    exempt_for: dict[int, set[int]] = defaultdict(set)
    exemptions = NotApplicableItem.objects.filter(item__criteria_set_id__in=set_ids).filter(
        Q(unit__isnull=True) | Q(unit_id__in={a.unit_id for a in assessments})
    )
    for item_id, unit_id in exemptions.values_list("item_id", "unit_id"):
        (exempt_everywhere if unit_id is None else exempt_for[unit_id]).add(item_id)

    # Per criteria set: each field's maximum when every item applies, and the survey items.
    base_maxima: dict[int, dict[str, Decimal]] = {}
    for set_id, items in leaves.items():
        maxima: dict[str, Decimal] = defaultdict(Decimal)
        for item in items:
            maxima[item.field_code] += item.max_points
        base_maxima[set_id] = maxima
    leaf_of = {item.pk: item for items in leaves.values() for item in items}

    result = []
    for assessment in assessments:
        set_id = assessment.criteria_set_id
        exempt = {i for i in exempt_everywhere | exempt_for.get(assessment.unit_id, set()) if i in leaf_of}
        field_maxima = dict(base_maxima.get(set_id, {}))
        for item_id in exempt:
            item = leaf_of[item_id]
            if item.criteria_set_id == set_id:
                field_maxima[item.field_code] -= item.max_points
        surveyed = survey.get((assessment.period_id, assessment.unit_id), {})
        sums = [
            calc.FieldMethodSum(field_code=field_ids[field_id], method=Method.APPRAISAL, points=points)
            for field_id, points in summed.get(assessment.pk, {}).items()
        ]
        sums += [
            calc.FieldMethodSum(field_code=leaf_of[item_id].field_code, method=Method.SURVEY, points=points)
            for item_id, points in surveyed.items()
            if item_id in leaf_of
            and leaf_of[item_id].criteria_set_id == set_id
            and leaf_of[item_id].method == Method.SURVEY
            and item_id not in exempt
        ]
        totals = calc.unit_totals_from_sums(
            unit_id=assessment.unit_id, group=assessment.unit.group.code, sums=sums, field_maxima=field_maxima
        )
        result.append((assessment, totals))
    return result
