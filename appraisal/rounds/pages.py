"""What the appraisal pages show of one assessment, built in a fixed number of queries.

The self-assessment side comes from scoring's scoring_sheet (items, self-scores, evidence); the appraisal
side is three flat queries (appraised scores of both rounds, explanations, explanation-stage evidence),
joined in Python. Rounds are shown as stored: nothing here merges one round into another except the
"final" column, which takes round 2, else round 1, else the self-score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from scoring import calc
from scoring.assessment.selectors import SheetEvidence, SheetItem, scoring_sheet
from scoring.models import Assessment, Evidence, User
from scoring.workflow import Status

from ..access import Access
from ..models import Explanation, ItemAppraisal
from .selectors import final_points

EXPLANATION_STAGE = "explanation"


@dataclass(frozen=True, slots=True)
class RoundValue:
    """One item's appraised score in one round, as stored."""

    points: Decimal | None
    comment: str
    needs_explanation: bool
    version: int
    appraised_by: str
    appraised_at: datetime | None


@dataclass(frozen=True, slots=True)
class PageItem:
    """One scored leaf with every round of it; `editable` says whether this user may appraise it now."""

    item: SheetItem
    field_code: str
    self_evidence: tuple[SheetEvidence, ...]
    explanation_evidence: tuple[SheetEvidence, ...]
    round1: RoundValue | None
    round2: RoundValue | None
    explanation: str
    explanation_version: int
    explanation_at: datetime | None
    editable: bool

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def appraisable(self) -> bool:
        return self.item.applicable and not self.item.is_survey

    @property
    def flagged(self) -> bool:
        return self.round1 is not None and self.round1.needs_explanation

    @property
    def round1_points(self) -> Decimal | None:
        return self.round1.points if self.round1 else None

    @property
    def round2_points(self) -> Decimal | None:
        return self.round2.points if self.round2 else None

    @property
    def appraised_points(self) -> Decimal | None:
        """Return the latest appraised score (round 2, else round 1); None while not appraised."""
        for value in (self.round2, self.round1):
            if value is not None and value.points is not None:
                return value.points
        return None

    @property
    def final_points(self) -> Decimal | None:
        """Return round 2, else round 1, else the self-score: the selectors' rule, used for publication too."""
        return final_points(
            round2=self.round2_points, round1=self.round1_points, self_points=self.item.points
        )


@dataclass(frozen=True, slots=True)
class PageCriterion:
    code: str
    name: str
    max_points: Decimal
    is_leaf: bool
    items: tuple[PageItem, ...]


@dataclass(frozen=True, slots=True)
class PageField:
    code: str
    name: str
    max_points: Decimal
    criteria: tuple[PageCriterion, ...]
    self_points: Decimal
    appraised_points: Decimal
    appraised_count: int
    appraisable_count: int
    # Self-scores of the items appraised so far: what the appraised points are set against.
    appraised_self_points: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal | None:
        """Return appraised minus self-assessed points over the items appraised so far; None before any.

        Against the whole field's self-score, a field not yet appraised would show "−10,25" as if marked down.
        """
        if not self.appraised_count:
            return None
        return self.appraised_points - self.appraised_self_points


@dataclass(frozen=True, slots=True)
class AppraisalPage:
    assessment: Assessment
    status: str
    status_label: str
    # 1 or 2 while a round is open, else None.
    round: int | None
    fields: tuple[PageField, ...]
    items: dict[int, PageItem]
    self_total: Decimal
    appraised_total: Decimal
    max_total: Decimal
    shows_round1: bool
    shows_round2: bool

    @property
    def editable_count(self) -> int:
        return sum(1 for i in self.items.values() if i.editable)

    @property
    def flagged_count(self) -> int:
        return sum(1 for i in self.items.values() if i.flagged)


def _round_value(row: ItemAppraisal) -> RoundValue:
    by = row.appraised_by
    return RoundValue(
        points=row.points,
        comment=row.comment,
        needs_explanation=row.needs_explanation,
        version=row.version,
        appraised_by=str(by) if by else "",
        appraised_at=row.appraised_at,
    )


def _field_totals(items: list[PageItem], *, appraised: bool) -> dict[str, calc.FieldTotal]:
    scores = []
    for page_item in items:
        if page_item.item.is_survey:
            continue
        points = page_item.appraised_points if appraised else page_item.item.points
        if points is not None:
            points = max(min(points, page_item.item.max_points), Decimal(0))
        scores.append(
            calc.ItemScore(
                code=page_item.code,
                field_code=page_item.field_code,
                criterion_code=".".join(page_item.code.split(".")[:2]),
                method=calc.METHOD_APPRAISAL,
                max_points=page_item.item.max_points,
                points=points,
                applicable=page_item.item.applicable,
            )
        )
    totals = calc.unit_totals_from_items(calc.UnitItems(unit_id=0, group="", items=tuple(scores)))
    return {f.code: f for f in totals.fields}


def _appraised_self_points(items: list[PageItem]) -> Decimal:
    # Clamped as _field_totals clamps them, so that the difference compares like with like.
    return sum(
        (
            max(min(i.item.points or Decimal(0), i.item.max_points), Decimal(0))
            for i in items
            if i.appraised_points is not None
        ),
        Decimal(0),
    )


def appraisal_page(*, assessment: Assessment, user: User, access: Access) -> AppraisalPage:
    """Return the whole appraisal sheet of one assessment as this user may see it."""
    sheet = scoring_sheet(assessment=assessment, user=user)
    status = assessment.status
    round_open = {Status.ROUND_1: 1, Status.ROUND_2: 2}.get(status)
    # Drafts by side (appraisal.access): round 1 before it is sent, round 2 before the council approves it, the
    # explanation before the unit's head submits it.
    shows_round1 = access.released.round1
    shows_round2 = access.released.round2

    rounds: dict[tuple[int, int], RoundValue] = {}
    if shows_round1:
        for row in ItemAppraisal.objects.filter(assessment=assessment).select_related("appraised_by"):
            if row.round == 2 and not shows_round2:
                continue
            rounds[(row.item_id, row.round)] = _round_value(row)
    explanations = {}
    if access.released.explanation:
        explanations = {e.item_id: e for e in Explanation.objects.filter(assessment=assessment)}
    explanation_ids = set(
        Evidence.objects.filter(assessment=assessment, stage=EXPLANATION_STAGE).values_list("pk", flat=True)
    )

    page_fields = []
    all_items: dict[int, PageItem] = {}
    for sheet_field in sheet.fields:
        criteria = []
        field_items: list[PageItem] = []
        for criterion in sheet_field.criteria:
            items = []
            for item in criterion.items:
                round1 = rounds.get((item.id, 1))
                appraisable = item.applicable and not item.is_survey
                editable = (
                    appraisable
                    and round_open is not None
                    and access.may_appraise_field(sheet_field.code)
                    and (round_open == 1 or (round1 is not None and round1.needs_explanation))
                )
                explanation = explanations.get(item.id)
                page_item = PageItem(
                    item=item,
                    field_code=sheet_field.code,
                    self_evidence=tuple(e for e in item.evidence if e.id not in explanation_ids),
                    explanation_evidence=tuple(e for e in item.evidence if e.id in explanation_ids),
                    round1=round1,
                    round2=rounds.get((item.id, 2)),
                    explanation=explanation.text if explanation else "",
                    explanation_version=explanation.version if explanation else 0,
                    explanation_at=explanation.updated_at if explanation else None,
                    editable=editable,
                )
                items.append(page_item)
                all_items[item.id] = page_item
            field_items.extend(items)
            criteria.append(
                PageCriterion(
                    code=criterion.code,
                    name=criterion.name,
                    max_points=criterion.max_points,
                    is_leaf=criterion.is_leaf,
                    items=tuple(items),
                )
            )
        self_totals = _field_totals(field_items, appraised=False)
        appraised_totals = _field_totals(field_items, appraised=True)
        zero = calc.FieldTotal(code=sheet_field.code, points=Decimal(0), max_points=Decimal(0))
        appraisable = [i for i in field_items if i.appraisable]
        page_fields.append(
            PageField(
                code=sheet_field.code,
                name=sheet_field.name,
                max_points=self_totals.get(sheet_field.code, zero).max_points,
                criteria=tuple(criteria),
                self_points=self_totals.get(sheet_field.code, zero).points,
                appraised_points=appraised_totals.get(sheet_field.code, zero).points,
                appraised_count=sum(1 for i in appraisable if i.appraised_points is not None),
                appraisable_count=len(appraisable),
                appraised_self_points=_appraised_self_points(appraisable),
            )
        )
    return AppraisalPage(
        assessment=assessment,
        status=status,
        status_label=Status(status).label,
        round=round_open,
        fields=tuple(page_fields),
        items=all_items,
        self_total=sum((f.self_points for f in page_fields), Decimal(0)),
        appraised_total=sum((f.appraised_points for f in page_fields), Decimal(0)),
        max_total=sum((f.max_points for f in page_fields), Decimal(0)),
        shows_round1=shows_round1,
        shows_round2=shows_round2,
    )


def page_item_locate(page: AppraisalPage, item_id: int) -> tuple[PageItem, PageField]:
    """Return the page's item and its field; LookupError when the item is not a scored leaf of the sheet."""
    for page_field in page.fields:
        for criterion in page_field.criteria:
            for page_item in criterion.items:
                if page_item.id == item_id:
                    return page_item, page_field
    raise LookupError(item_id)


def round1_open_items(page: AppraisalPage) -> tuple[list[PageItem], int]:
    """Return the appraisal items still without a round-1 score, and how many items are appraised at all."""
    appraisable = [i for i in page.items.values() if i.appraisable]
    return [i for i in appraisable if i.round1_points is None], len(appraisable)


def unanswered_items(page: AppraisalPage) -> tuple[list[PageItem], int]:
    """Return the flagged items whose explanation has no text yet, and how many items are flagged."""
    flagged = [i for i in page.items.values() if i.flagged]
    return [i for i in flagged if not i.explanation.strip()], len(flagged)
