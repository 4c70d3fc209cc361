"""Read-only queries of self-assessments: who sees which, the scoring sheet, the progress board.

Every function runs a fixed number of queries whatever the size of the criteria tree or the number of
units: the data is loaded in a few flat queries and assembled in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring import calc
from scoring.access import assessments_visible, dossier_rights, hidden_evidence_stages
from scoring.models import (
    Assessment,
    CriteriaItem,
    DeadlineExtension,
    Evidence,
    Level,
    Method,
    NotApplicableItem,
    Period,
    SelfScore,
    User,
    unit_order,
)
from scoring.progress.selectors import ProgressRow, progress_board  # noqa: F401  (re-exported: pages import it here)
from scoring.workflow import EDITABLE_STATUSES, Status

HUNDRED = Decimal(100)


# --- lists and access ---------------------------------------------------------------------------------


def assessment_list_for_user(*, user: User, period: Period | None = None) -> QuerySet[Assessment]:
    """Return the assessments of every unit the user may see (body-wide roles: all units of their bodies)."""
    assessments = Assessment.objects.select_related("unit", "unit__group", "period", "period__body")
    assessments = assessments_visible(user, assessments)
    if period is not None:
        assessments = assessments.filter(period=period)
    return assessments.order_by("-period__year", *unit_order("unit__"))


def assessment_get_for_user(*, user: User, pk: int) -> Assessment:
    """Return the assessment if the user may see it; Http404 otherwise, so that nothing of it leaks."""
    assessment = assessment_list_for_user(user=user).filter(pk=pk).first()
    if assessment is None:
        raise Http404(_("Không tìm thấy hồ sơ tự đánh giá."))
    return assessment


# --- the scoring sheet --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmissionProblem:
    """Something that stops the unit from submitting, on one item."""

    item_code: str
    message: str
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class SheetEvidence:
    id: int
    original_name: str
    size: int
    content_type: str
    uploaded_at: datetime
    item_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SheetProgress:
    """How far a field (or the whole dossier) is: applicable appraisal items scored, and without evidence."""

    scored: int
    applicable: int
    without_evidence: int

    @property
    def percent(self) -> Decimal:
        """Return scored / applicable * 100, unrounded; 0 when nothing applies."""
        if not self.applicable:
            return Decimal(0)
        return Decimal(self.scored) * HUNDRED / Decimal(self.applicable)

    @property
    def complete(self) -> bool:
        return self.scored == self.applicable


@dataclass(frozen=True, slots=True)
class SheetItem:
    id: int
    code: str
    name: str
    guidance: str
    max_points: Decimal
    step: str
    method: str
    is_survey: bool
    applicable: bool
    na_reason: str
    points: Decimal | None
    justification: str
    no_evidence_reason: str
    version: int
    updated_at: datetime | None
    evidence: tuple[SheetEvidence, ...]

    @property
    def is_scored(self) -> bool:
        return self.points is not None

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)

    @property
    def needs_evidence_reason(self) -> bool:
        """Return whether the item lacks both evidence and a written reason (it blocks the submission)."""
        return (
            self.applicable
            and not self.is_survey
            and not self.evidence
            and not self.no_evidence_reason.strip()
        )


@dataclass(frozen=True, slots=True)
class SheetCriterion:
    id: int
    code: str
    name: str
    guidance: str
    max_points: Decimal
    # A criterion without sub-criteria is scored itself; then items holds its own SheetItem only.
    is_leaf: bool
    items: tuple[SheetItem, ...]


@dataclass(frozen=True, slots=True)
class SheetField:
    id: int
    code: str
    name: str
    max_points: Decimal
    criteria: tuple[SheetCriterion, ...]
    progress: SheetProgress
    total: calc.FieldTotal


@dataclass(frozen=True, slots=True)
class ScoringSheet:
    assessment_id: int
    unit_id: int
    unit_name: str
    period_year: int
    status: str
    status_label: str
    deadline: datetime | None
    can_edit: bool
    submitted_at: datetime | None
    fields: tuple[SheetField, ...]
    progress: SheetProgress
    totals: calc.UnitTotals
    appraisal_totals: calc.UnitTotals
    evidence: tuple[SheetEvidence, ...]
    evidence_total_size: int
    problems: tuple[SubmissionProblem, ...]
    user_can_edit: bool = False
    user_can_submit: bool = False
    user_can_withdraw: bool = False
    # The unit's own people (officers, head): their link after submission is the explanation page.
    user_is_unit: bool = False

    @property
    def round1_sent(self) -> bool:
        """Return whether round-1 results have gone to the unit (explanation or any later step)."""
        return self.status in {Status.EXPLANATION, Status.ROUND_2, Status.COUNCIL_APPROVED, Status.PUBLISHED}

    @property
    def index(self) -> Decimal:
        """Return the provisional index over every applicable item (survey points count 0 until surveyed)."""
        return self.totals.index

    @property
    def appraisal_index(self) -> Decimal:
        """Return self-scored points over the applicable appraisal maximum, in %."""
        return self.appraisal_totals.index


@dataclass(frozen=True, slots=True)
class _SheetData:
    """Everything one assessment's sheet is built from: five flat queries."""

    items: list[CriteriaItem]
    leaf_ids: frozenset[int]
    na_reasons: dict[int, str]
    scores: dict[int, SelfScore]
    evidence: list[SheetEvidence]


def _not_applicable_reasons(*, item_ids: Iterable[int] | QuerySet, unit_id: int) -> dict[int, str]:
    # A per-unit exemption and a period-wide one may both exist; the unit's own reason is the one to show.
    reasons: dict[int, str] = {}
    rows = NotApplicableItem.objects.filter(item_id__in=item_ids).filter(
        Q(unit__isnull=True) | Q(unit_id=unit_id)
    )
    for item_id, row_unit_id, reason in rows.values_list("item_id", "unit_id", "reason"):
        if row_unit_id is not None or item_id not in reasons:
            reasons[item_id] = reason
    return reasons


def _sheet_data(assessment: Assessment, *, hidden_stages: Iterable[str] = ()) -> _SheetData:
    items = list(
        CriteriaItem.objects.filter(criteria_set_id=assessment.criteria_set_id).order_by("order", "pk")
    )
    parents = {item.parent_id for item in items if item.parent_id}
    leaf_ids = frozenset(i.pk for i in items if i.level != Level.FIELD and i.pk not in parents)
    na_reasons = _not_applicable_reasons(
        item_ids=CriteriaItem.objects.filter(criteria_set_id=assessment.criteria_set_id).values("pk"),
        unit_id=assessment.unit_id,
    )
    scores = {s.item_id: s for s in SelfScore.objects.filter(assessment=assessment)}
    links: dict[int, list[int]] = defaultdict(list)
    hidden_stages = list(hidden_stages)
    for evidence_id, item_id in (
        Evidence.items.through.objects.filter(evidence__assessment=assessment)
        .exclude(evidence__stage__in=hidden_stages)
        .values_list("evidence_id", "criteriaitem_id")
    ):
        links[evidence_id].append(item_id)
    evidence = [
        SheetEvidence(
            id=e.pk,
            original_name=e.original_name,
            size=e.size,
            content_type=e.content_type,
            uploaded_at=e.uploaded_at,
            item_ids=tuple(sorted(links.get(e.pk, ()))),
        )
        for e in Evidence.objects.filter(assessment=assessment)
        .exclude(stage__in=hidden_stages)
        .only("pk", "original_name", "size", "content_type", "uploaded_at")
    ]
    return _SheetData(items=items, leaf_ids=leaf_ids, na_reasons=na_reasons, scores=scores, evidence=evidence)


def _problems(items: Iterable[SheetItem]) -> list[SubmissionProblem]:
    problems = []
    for item in items:
        if not item.applicable or item.is_survey:
            continue
        if not item.is_scored:
            problems.append(SubmissionProblem(item.code, _("Chưa chấm điểm."), item.id))
        if item.needs_evidence_reason:
            problems.append(
                SubmissionProblem(
                    item.code,
                    _("Chưa có tài liệu kiểm chứng; cần ghi lý do không có tài liệu."),
                    item.id,
                )
            )
    return problems


def _progress(items: Iterable[SheetItem]) -> SheetProgress:
    counted = [i for i in items if i.applicable and not i.is_survey]
    return SheetProgress(
        scored=sum(1 for i in counted if i.is_scored),
        applicable=len(counted),
        without_evidence=sum(1 for i in counted if not i.has_evidence),
    )


def _sheet_items(assessment: Assessment, data: _SheetData) -> dict[int, SheetItem]:
    evidence_by_item: dict[int, list[SheetEvidence]] = defaultdict(list)
    for e in data.evidence:
        for item_id in e.item_ids:
            evidence_by_item[item_id].append(e)
    result = {}
    for item in data.items:
        if item.pk not in data.leaf_ids:
            continue
        score = data.scores.get(item.pk)
        result[item.pk] = SheetItem(
            id=item.pk,
            code=item.code,
            name=item.name,
            guidance=item.guidance,
            max_points=item.max_points,
            step=item.step,
            method=item.method or Method.APPRAISAL,
            is_survey=item.method == Method.SURVEY,
            applicable=item.pk not in data.na_reasons,
            na_reason=data.na_reasons.get(item.pk, ""),
            points=score.points if score and item.method != Method.SURVEY else None,
            justification=score.justification if score else "",
            no_evidence_reason=score.no_evidence_reason if score else "",
            version=score.version if score else 0,
            updated_at=score.updated_at if score else None,
            evidence=tuple(evidence_by_item.get(item.pk, ())),
        )
    return result


def _calc_items(items: Iterable[SheetItem]) -> tuple[calc.ItemScore, ...]:
    result = []
    for item in items:
        criterion_code = ".".join(item.code.split(".")[:2])
        result.append(
            calc.ItemScore(
                code=item.code,
                field_code=item.code.split(".")[0],
                criterion_code=criterion_code,
                method=item.method,
                max_points=item.max_points,
                # The services keep points within 0..max; a maximum lowered afterwards in the admin must not
                # break the page, so the provisional total counts such a score at the new maximum.
                points=None if item.points is None else max(min(item.points, item.max_points), Decimal(0)),
                applicable=item.applicable,
            )
        )
    return tuple(result)


def assessment_submission_problems(*, assessment: Assessment) -> list[SubmissionProblem]:
    """Return what stops the submission: unscored applicable appraisal items, items lacking evidence or reason."""
    data = _sheet_data(assessment)
    return _problems(_sheet_items(assessment, data).values())


def assessment_deadline(*, assessment: Assessment) -> datetime | None:
    """Return the deadline in force for the assessment (the latest extension, else the period's)."""
    return assessment.deadline(list(DeadlineExtension.objects.filter(assessment=assessment)))


def scoring_sheet(
    *, assessment: Assessment, user: User | None = None, now: datetime | None = None
) -> ScoringSheet:
    """Return everything the scoring page shows of one assessment, in a fixed number of queries."""
    now = now or timezone.now()
    rights = dossier_rights(user, assessment) if user is not None else None
    # The unit's explanation files are its draft until its head submits the explanation (scoring.access).
    hidden = hidden_evidence_stages(rights.released) if rights is not None else ()
    data = _sheet_data(assessment, hidden_stages=hidden)
    sheet_items = _sheet_items(assessment, data)
    deadline = assessment_deadline(assessment=assessment)
    can_edit = assessment.status in EDITABLE_STATUSES and (deadline is None or now <= deadline)

    children: dict[int | None, list[CriteriaItem]] = defaultdict(list)
    for item in data.items:
        children[item.parent_id].append(item)
    fields = []
    for field_item in children[None]:
        criteria = []
        field_leaves: list[SheetItem] = []
        for criterion in children[field_item.pk]:
            if criterion.pk in sheet_items:
                leaves = (sheet_items[criterion.pk],)
            else:
                leaves = tuple(sheet_items[c.pk] for c in children[criterion.pk] if c.pk in sheet_items)
            field_leaves.extend(leaves)
            criteria.append(
                SheetCriterion(
                    id=criterion.pk,
                    code=criterion.code,
                    name=criterion.name,
                    guidance=criterion.guidance,
                    max_points=criterion.max_points,
                    is_leaf=criterion.pk in sheet_items,
                    items=leaves,
                )
            )
        field_totals = calc.unit_totals_from_items(
            calc.UnitItems(unit_id=assessment.unit_id, group="", items=_calc_items(field_leaves))
        )
        total = (
            field_totals.fields[0]
            if field_totals.fields
            else calc.FieldTotal(code=field_item.code, points=Decimal(0), max_points=Decimal(0))
        )
        fields.append(
            SheetField(
                id=field_item.pk,
                code=field_item.code,
                name=field_item.name,
                max_points=field_item.max_points,
                criteria=tuple(criteria),
                progress=_progress(field_leaves),
                total=total,
            )
        )

    all_items = list(sheet_items.values())
    calc_items = _calc_items(all_items)
    group = str(assessment.unit.group_id)
    totals = calc.unit_totals_from_items(
        calc.UnitItems(unit_id=assessment.unit_id, group=group, items=calc_items)
    )
    appraisal_totals = calc.unit_totals_from_items(
        calc.UnitItems(
            unit_id=assessment.unit_id,
            group=group,
            items=tuple(i for i in calc_items if i.method == calc.METHOD_APPRAISAL),
        )
    )
    user_can_edit = rights is not None and rights.may_edit
    user_can_submit = rights is not None and rights.may_submit
    in_time = deadline is None or now <= deadline
    return ScoringSheet(
        assessment_id=assessment.pk,
        unit_id=assessment.unit_id,
        unit_name=assessment.unit.name,
        period_year=assessment.period.year,
        status=assessment.status,
        status_label=Status(assessment.status).label,
        deadline=deadline,
        can_edit=can_edit,
        submitted_at=assessment.submitted_at,
        fields=tuple(fields),
        progress=_progress(all_items),
        totals=totals,
        appraisal_totals=appraisal_totals,
        evidence=tuple(data.evidence),
        evidence_total_size=sum(e.size for e in data.evidence),
        problems=tuple(_problems(all_items)),
        user_can_edit=user_can_edit and can_edit,
        user_can_submit=user_can_submit and can_edit,
        user_can_withdraw=user_can_submit and assessment.status == Status.SUBMITTED and in_time,
        user_is_unit=user_can_edit and not getattr(user, "is_superuser", False),
    )
