"""One line per assessment for lists (the API's "my assessments"): progress and provisional totals.

Building the full scoring sheet per assessment would cost a fixed number of queries *per assessment*; here
the same data is loaded for all of them at once and assembled with the sheet's own builders, so a list of
5 or of 500 assessments costs the same number of queries and shows exactly the figures of the sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from scoring import calc
from scoring.assessment.selectors import (
    SheetEvidence,
    SheetProgress,
    _calc_items,
    _progress,
    _sheet_items,
    _SheetData,
)
from scoring.models import (
    Assessment,
    CriteriaItem,
    DeadlineExtension,
    Evidence,
    Level,
    NotApplicableItem,
    SelfScore,
)
from scoring.workflow import EDITABLE_STATUSES, Status


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    group_code: str
    body_code: str
    year: int
    status: str
    status_label: str
    progress: SheetProgress
    totals: calc.UnitTotals
    evidence_count: int
    deadline: datetime | None
    can_edit: bool
    submitted_at: datetime | None
    last_activity_at: datetime | None

    @property
    def index(self) -> Decimal:
        """Return the provisional index over every applicable item, as on the scoring sheet."""
        return self.totals.index


def assessment_summaries(
    *, assessments: Sequence[Assessment], now: datetime | None = None
) -> list[AssessmentSummary]:
    """Return a summary per assessment (unit, period and group loaded) in seven queries whatever their number."""
    now = now or timezone.now()
    if not assessments:
        return []
    ids = [a.pk for a in assessments]
    set_ids = {a.criteria_set_id for a in assessments}
    unit_ids = {a.unit_id for a in assessments}

    items_by_set: dict[int, list[CriteriaItem]] = defaultdict(list)
    for item in CriteriaItem.objects.filter(criteria_set_id__in=set_ids).order_by("order", "pk"):
        items_by_set[item.criteria_set_id].append(item)
    leaves_by_set = {set_id: _leaf_ids(items) for set_id, items in items_by_set.items()}

    period_wide: dict[int, str] = {}
    per_unit: dict[int, dict[int, str]] = defaultdict(dict)
    exemptions = NotApplicableItem.objects.filter(item__criteria_set_id__in=set_ids).filter(
        Q(unit__isnull=True) | Q(unit_id__in=unit_ids)
    )
    for item_id, unit_id, reason in exemptions.values_list("item_id", "unit_id", "reason"):
        if unit_id is None:
            period_wide[item_id] = reason
        else:
            per_unit[unit_id][item_id] = reason

    scores: dict[int, dict[int, SelfScore]] = defaultdict(dict)
    for score in SelfScore.objects.filter(assessment_id__in=ids):
        scores[score.assessment_id][score.item_id] = score

    links: dict[int, list[int]] = defaultdict(list)
    for evidence_id, item_id in Evidence.items.through.objects.filter(
        evidence__assessment_id__in=ids
    ).values_list("evidence_id", "criteriaitem_id"):
        links[evidence_id].append(item_id)
    evidence: dict[int, list[SheetEvidence]] = defaultdict(list)
    for e in Evidence.objects.filter(assessment_id__in=ids).only(
        "pk", "assessment_id", "original_name", "size", "content_type", "uploaded_at"
    ):
        evidence[e.assessment_id].append(
            SheetEvidence(
                id=e.pk,
                original_name=e.original_name,
                size=e.size,
                content_type=e.content_type,
                uploaded_at=e.uploaded_at,
                item_ids=tuple(sorted(links.get(e.pk, ()))),
            )
        )

    extensions: dict[int, list[DeadlineExtension]] = defaultdict(list)
    for extension in DeadlineExtension.objects.filter(assessment_id__in=ids):
        extensions[extension.assessment_id].append(extension)

    result = []
    for assessment in assessments:
        # The unit's own reason wins over the period-wide one, as on the sheet.
        na_reasons = {**period_wide, **per_unit.get(assessment.unit_id, {})}
        data = _SheetData(
            items=items_by_set.get(assessment.criteria_set_id, []),
            leaf_ids=leaves_by_set.get(assessment.criteria_set_id, frozenset()),
            na_reasons=na_reasons,
            scores=scores.get(assessment.pk, {}),
            evidence=evidence.get(assessment.pk, []),
        )
        sheet_items = list(_sheet_items(assessment, data).values())
        totals = calc.unit_totals_from_items(
            calc.UnitItems(
                unit_id=assessment.unit_id,
                group=str(assessment.unit.group_id),
                items=_calc_items(sheet_items),
            )
        )
        deadline = assessment.deadline(extensions.get(assessment.pk, []))
        result.append(
            AssessmentSummary(
                id=assessment.pk,
                unit_id=assessment.unit_id,
                unit_code=assessment.unit.code,
                unit_name=assessment.unit.name,
                group_code=assessment.unit.group.code,
                body_code=assessment.period.body.code,
                year=assessment.period.year,
                status=assessment.status,
                status_label=Status(assessment.status).label,
                progress=_progress(sheet_items),
                totals=totals,
                evidence_count=len(data.evidence),
                deadline=deadline,
                can_edit=assessment.status in EDITABLE_STATUSES and (deadline is None or now <= deadline),
                submitted_at=assessment.submitted_at,
                last_activity_at=assessment.last_activity_at,
            )
        )
    return result


def _leaf_ids(items: Sequence[CriteriaItem]) -> frozenset[int]:
    parents = {item.parent_id for item in items if item.parent_id}
    return frozenset(i.pk for i in items if i.level != Level.FIELD and i.pk not in parents)
