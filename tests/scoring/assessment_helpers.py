"""Builders for the self-assessment tests: a criteria tree of any size and an assessment on it.

Shared by the service, selector, page, API and progress-board tests; keep the names and signatures stable.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.models import (
    Assessment,
    CriteriaItem,
    CriteriaSet,
    Level,
    Method,
    NotApplicableItem,
    Period,
    SelfScore,
    Unit,
    UnitGroup,
    User,
)
from tests.scoring.factories import PeriodFactory

DEFAULT_YEAR = 2026


def build_criteria_set(
    *,
    period: Period,
    unit_group: UnitGroup,
    fields: int = 2,
    criteria_per_field: int = 2,
    items_per_criterion: int = 2,
    max_points: Decimal = Decimal("1.00"),
    step: str = "0.25",
    survey_every: int = 0,
) -> CriteriaSet:
    """Return a criteria set for the group: fields → criteria → sub-criteria, every leaf worth max_points.

    Codes are "1", "1.1", "1.1.1"... With items_per_criterion=0 the criteria themselves are the scored
    leaves. With survey_every=n, every n-th leaf (1-based, in tree order) is a survey item, the others
    appraisal. Containers carry the sum of their leaves' maxima, as in a real set.
    """
    criteria_set = CriteriaSet.objects.create(
        period=period, unit_group=unit_group, name=f"Bộ tiêu chí {unit_group.name} năm {period.year}"
    )
    order = 0
    leaf_number = 0

    def next_order() -> int:
        nonlocal order
        order += 1
        return order

    def leaf_method() -> str:
        nonlocal leaf_number
        leaf_number += 1
        if survey_every and leaf_number % survey_every == 0:
            return Method.SURVEY
        return Method.APPRAISAL

    leaves_per_criterion = max(items_per_criterion, 1)
    field_rows: list[CriteriaItem] = []
    criterion_rows: list[tuple[int, CriteriaItem]] = []
    sub_rows: list[tuple[int, int, CriteriaItem]] = []
    for f in range(1, fields + 1):
        field_rows.append(
            CriteriaItem(
                criteria_set=criteria_set,
                level=Level.FIELD,
                code=str(f),
                name=f"Lĩnh vực {f}",
                max_points=max_points * criteria_per_field * leaves_per_criterion,
                step=step,
                order=next_order(),
            )
        )
        for c in range(1, criteria_per_field + 1):
            is_leaf = items_per_criterion == 0
            criterion_rows.append(
                (
                    f,
                    CriteriaItem(
                        criteria_set=criteria_set,
                        level=Level.CRITERION,
                        code=f"{f}.{c}",
                        name=f"Tiêu chí {f}.{c}",
                        guidance=f"Hướng dẫn chấm tiêu chí {f}.{c}" if is_leaf else "",
                        max_points=max_points * leaves_per_criterion,
                        step=step,
                        method=leaf_method() if is_leaf else "",
                        order=next_order(),
                    ),
                )
            )
            for s in range(1, items_per_criterion + 1):
                sub_rows.append(
                    (
                        f,
                        c,
                        CriteriaItem(
                            criteria_set=criteria_set,
                            level=Level.SUB_CRITERION,
                            code=f"{f}.{c}.{s}",
                            name=f"Tiêu chí thành phần {f}.{c}.{s}",
                            guidance=f"Đạt 100%: {max_points} điểm; dưới 80%: 0 điểm",
                            max_points=max_points,
                            step=step,
                            method=leaf_method(),
                            order=next_order(),
                        ),
                    )
                )
    # One insert per level so that parents have primary keys before their children are built.
    fields_by_code = {i.code: i for i in CriteriaItem.objects.bulk_create(field_rows)}
    for f, item in criterion_rows:
        item.parent = fields_by_code[str(f)]
    criteria_by_code = {i.code: i for i in CriteriaItem.objects.bulk_create([i for _f, i in criterion_rows])}
    for f, c, item in sub_rows:
        item.parent = criteria_by_code[f"{f}.{c}"]
    CriteriaItem.objects.bulk_create([i for _f, _c, i in sub_rows])
    return criteria_set


def leaf_items(criteria_set: CriteriaSet) -> list[CriteriaItem]:
    """Return the scored leaves of the set in tree order."""
    return list(CriteriaItem.objects.filter(criteria_set=criteria_set).scored().order_by("order"))


def appraisal_items(criteria_set: CriteriaSet) -> list[CriteriaItem]:
    """Return the scored appraisal leaves of the set (the ones a unit scores itself) in tree order."""
    return [i for i in leaf_items(criteria_set) if i.method == Method.APPRAISAL]


def mark_not_applicable(*, item: CriteriaItem, unit: Unit | None = None, reason: str = "") -> None:
    """Mark the item not applicable for the unit, or for everyone in the period when unit is None."""
    NotApplicableItem.objects.create(
        item=item, unit=unit, reason=reason or "Đơn vị không có đơn vị sự nghiệp công lập"
    )


def assessment_for(
    *, unit: Unit, period: Period | None = None, criteria_set: CriteriaSet | None = None
) -> Assessment:
    """Return the unit's assessment, making whatever is missing: the period (2026) and a small criteria set.

    The period has no deadline unless the caller sets period.self_assessment_deadline.
    """
    if criteria_set is not None:
        period = criteria_set.period
    if period is None:
        period = Period.objects.filter(body=unit.body, year=DEFAULT_YEAR).first() or PeriodFactory(
            body=unit.body, year=DEFAULT_YEAR
        )
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.filter(
            period=period, unit_group=unit.group
        ).first() or build_criteria_set(period=period, unit_group=unit.group)
    assessment, _created = Assessment.objects.get_or_create(
        period=period, unit=unit, defaults={"criteria_set": criteria_set}
    )
    return assessment


def fill_scores(
    *,
    assessment: Assessment,
    points: Decimal | None = None,
    count: int | None = None,
    no_evidence_reason: str = "Không phát sinh văn bản trong năm",
    actor: User | None = None,
) -> list[SelfScore]:
    """Return self-scores written straight to the database for the first `count` appraisal leaves (all if None).

    Bypasses the services on purpose, to set up a half-done or complete dossier quickly; points default to
    each item's maximum. Items marked not applicable are skipped.
    """
    exempt = set(
        NotApplicableItem.objects.filter(item__criteria_set=assessment.criteria_set)
        .filter(unit__isnull=True)
        .values_list("item_id", flat=True)
    ) | set(
        NotApplicableItem.objects.filter(
            item__criteria_set=assessment.criteria_set, unit=assessment.unit
        ).values_list("item_id", flat=True)
    )
    items = [i for i in appraisal_items(assessment.criteria_set) if i.pk not in exempt]
    if count is not None:
        items = items[:count]
    return SelfScore.objects.bulk_create(
        SelfScore(
            assessment=assessment,
            item=item,
            points=item.max_points if points is None else points,
            justification="Đã thực hiện đầy đủ",
            no_evidence_reason=no_evidence_reason,
            version=1,
            updated_by=actor,
        )
        for item in items
    )
