"""Builders for the appraisal tests: a submitted dossier, assignments, appraised scores, written straight.

Shared by the service, selector, page and publication tests; keep the names and signatures stable. Everything
here bypasses the services on purpose (fast set-up); the service tests drive the services themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from appraisal.models import AppraiserAssignment, Explanation, ItemAppraisal
from scoring.models import Assessment, CriteriaItem, CriteriaSet, Period, Role, Unit, User
from scoring.workflow import Status
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, fill_scores
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


def submitted_assessment(
    *,
    unit: Unit,
    period: Period | None = None,
    criteria_set: CriteriaSet | None = None,
    points: Decimal | None = None,
    status: str = Status.SUBMITTED,
    actor: User | None = None,
) -> Assessment:
    """Return the unit's assessment with every appraisal item self-scored (its maximum unless `points`), submitted.

    With `status` (e.g. Status.ROUND_1) the status is set straight, without transition rows. Period 2026 and a
    small criteria set (2 fields × 2 criteria × 2 items, 1 point each, step 0.25) are made if missing.
    """
    assessment = assessment_for(unit=unit, period=period, criteria_set=criteria_set)
    if not assessment.scores.exists():
        fill_scores(assessment=assessment, points=points, actor=actor)
    assessment.status = status
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    return assessment


def set_status(assessment: Assessment, status: str) -> Assessment:
    """Return the assessment with its status set straight (no transition row, no check)."""
    assessment.status = status
    assessment.save(update_fields=["status"])
    return assessment


def assign(
    appraiser: User, unit: Unit | None = None, *, period: Period | None = None, field_code: str = ""
) -> AppraiserAssignment:
    """Return an assignment of the appraiser to the unit (or, with unit=None, to field_code across all units).

    The period defaults to the unit's 2026 period (made by submitted_assessment / assessment_for).
    """
    if period is None:
        if unit is None:
            raise ValueError("assign() needs a period when no unit is given")
        period = Period.objects.get(body_id=unit.body_id, year=2026)
    return AppraiserAssignment.objects.create(
        period=period, appraiser=appraiser, unit=unit, field_code="" if unit is not None else field_code
    )


def appraise(
    *,
    assessment: Assessment,
    item: CriteriaItem,
    points: Decimal | None,
    round: int = 1,
    comment: str = "",
    needs_explanation: bool = False,
    by: User | None = None,
) -> ItemAppraisal:
    """Return one item's appraised score for the round, written straight (version 1)."""
    return ItemAppraisal.objects.create(
        assessment=assessment,
        item=item,
        round=round,
        points=points,
        comment=comment,
        needs_explanation=needs_explanation,
        appraised_by=by,
        appraised_at=timezone.now(),
        version=1,
    )


def appraise_all(
    *,
    assessment: Assessment,
    round: int = 1,
    points: Decimal | None = None,
    flagged: Iterable[str] = (),
    by: User | None = None,
) -> list[ItemAppraisal]:
    """Return round scores for every appraisal item (its self-score unless `points`), flagging the codes given.

    In round 2 only the items flagged in round 1 are written, as the service would allow.
    """
    flagged = set(flagged)
    self_points = dict(assessment.scores.values_list("item_id", "points"))
    items = appraisal_items(assessment.criteria_set)
    if round == 2:
        flagged_ids = set(
            ItemAppraisal.objects.filter(assessment=assessment, round=1, needs_explanation=True).values_list(
                "item_id", flat=True
            )
        )
        items = [i for i in items if i.pk in flagged_ids]
    return [
        appraise(
            assessment=assessment,
            item=item,
            round=round,
            points=points if points is not None else self_points.get(item.pk),
            needs_explanation=round == 1 and item.code in flagged,
            by=by,
        )
        for item in items
        if item.pk in self_points or points is not None
    ]


def explain(*, assessment: Assessment, item: CriteriaItem, text: str, by: User | None = None) -> Explanation:
    """Return the unit's explanation of the item, written straight (version 1)."""
    return Explanation.objects.create(assessment=assessment, item=item, text=text, updated_by=by, version=1)


def assigned_appraiser_for(
    assessment: Assessment, *, username: str = "tham-dinh-snv", field_code: str = "", unit: Unit | None = None
) -> User:
    """Return a new appraiser of the body assigned, in the assessment's period, to its unit (or another `unit`,
    or with field_code to that field across all units)."""
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, body=assessment.period.body, role=Role.APPRAISER)
    if field_code:
        assign(user, period=assessment.period, field_code=field_code)
    else:
        assign(user, unit or assessment.unit, period=assessment.period)
    return user
