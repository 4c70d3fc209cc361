"""The progress board of a period: every unit with its stage, in a fixed number of queries.

Re-exported by scoring.assessment.selectors, where the pages and the reminders import it from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import (
    Assessment,
    CriteriaItem,
    CriteriaSet,
    DeadlineExtension,
    EvaluatingBody,
    Method,
    NotApplicableItem,
    Period,
    SelfScore,
    Unit,
)
from scoring.workflow import Status

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    unit_id: int
    unit_code: str
    unit_name: str
    group_code: str
    group_name: str
    assessment_id: int | None
    # None: the unit has not opened its assessment yet ("chưa bắt đầu").
    status: str | None
    status_label: str
    scored: int
    applicable: int
    scored_percent: Decimal
    evidence_count: int
    last_activity_at: datetime | None
    submitted_at: datetime | None
    deadline: datetime | None
    is_late: bool


def _active_in(unit: Unit, year: int) -> bool:
    return (unit.active_from is None or unit.active_from.year <= year) and (
        unit.active_to is None or unit.active_to.year >= year
    )


def progress_board(
    *,
    body: EvaluatingBody,
    period: Period,
    now: datetime | None = None,
    unit_ids: Collection[int] | None = None,
) -> list[ProgressRow]:
    """Return one row per active unit of the body whose group has a criteria set in the period; fixed queries.

    `unit_ids` narrows the rows to those units (a unit's own home page), with the same counting rules.
    """
    now = now or timezone.now()
    set_by_group = dict(CriteriaSet.objects.filter(period=period).values_list("unit_group_id", "pk"))
    units_qs = Unit.objects.filter(body=body, group_id__in=list(set_by_group)).select_related("group")
    if unit_ids is not None:
        units_qs = units_qs.filter(pk__in=list(unit_ids))
    units = [u for u in units_qs if _active_in(u, period.year)]
    of_period = Assessment.objects.filter(period=period, unit__body=body)
    if unit_ids is not None:
        of_period = of_period.filter(unit__in=[u.pk for u in units])
    assessments = {a.unit_id: a for a in of_period.annotate(evidence_count=Count("evidence", distinct=True))}
    # Applicable appraisal leaves per criteria set, then per unit once the exemptions are known.
    leaves_by_set: dict[int, set[int]] = defaultdict(set)
    scored_items = CriteriaItem.objects.filter(criteria_set__period=period).scored()
    for set_id, item_id, method in scored_items.values_list("criteria_set_id", "pk", "method"):
        if method != Method.SURVEY:
            leaves_by_set[set_id].add(item_id)
    period_wide: set[int] = set()
    per_unit: dict[int, set[int]] = defaultdict(set)
    for item_id, unit_id in NotApplicableItem.objects.filter(item__criteria_set__period=period).values_list(
        "item_id", "unit_id"
    ):
        (per_unit[unit_id] if unit_id else period_wide).add(item_id)
    scored_by_assessment: dict[int, set[int]] = defaultdict(set)
    for assessment_id, item_id in SelfScore.objects.filter(
        assessment__in=of_period, points__isnull=False
    ).values_list("assessment_id", "item_id"):
        scored_by_assessment[assessment_id].add(item_id)
    extensions: dict[int, list[DeadlineExtension]] = defaultdict(list)
    for extension in DeadlineExtension.objects.filter(assessment__in=of_period):
        extensions[extension.assessment_id].append(extension)

    rows = []
    for unit in units:
        assessment = assessments.get(unit.pk)
        set_id = assessment.criteria_set_id if assessment else set_by_group[unit.group_id]
        applicable = leaves_by_set[set_id] - period_wide - per_unit.get(unit.pk, set())
        if assessment is None:
            deadline = period.self_assessment_deadline
            scored = 0
        else:
            assessment.period = period  # deadline() falls back to the period's; avoid one query per unit
            deadline = assessment.deadline(extensions.get(assessment.pk, []))
            scored = len(scored_by_assessment.get(assessment.pk, set()) & applicable)
        status = assessment.status if assessment else None
        not_submitted = status in (None, Status.SELF_ASSESSMENT)
        rows.append(
            ProgressRow(
                unit_id=unit.pk,
                unit_code=unit.code,
                unit_name=unit.name,
                group_code=unit.group.code,
                group_name=unit.group.name,
                assessment_id=assessment.pk if assessment else None,
                status=status,
                status_label=Status(status).label if status else _("Chưa bắt đầu"),
                scored=scored,
                applicable=len(applicable),
                scored_percent=(
                    Decimal(scored) * HUNDRED / Decimal(len(applicable)) if applicable else Decimal(0)
                ),
                evidence_count=assessment.evidence_count if assessment else 0,
                last_activity_at=assessment.last_activity_at if assessment else None,
                submitted_at=assessment.submitted_at if assessment else None,
                deadline=deadline,
                is_late=not_submitted and deadline is not None and now > deadline,
            )
        )
    return rows
