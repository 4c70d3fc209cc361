"""Reads of the appraisal: who sees what, each item's history through the rounds, per-field summaries, final points.

Rounds are shown as stored: nothing here merges one round into another except the "final" value, which takes
round 2, else round 1, else the unit's self-score (an empty score counts as absent).

Visibility (appraisal.access, the table there): appraisers see only the units assigned to them; administrators,
council members and viewers see every unit; round 1 is the appraisers' side's draft until it is sent (status
explanation or later), round 2 is hidden from the unit until the council approves it, and the unit's explanation
is its own draft until its head submits it (status round 2 or later).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from scoring.models import (
    Assessment,
    CriteriaItem,
    Evidence,
    EvidenceStage,
    Level,
    Method,
    NotApplicableItem,
    Period,
    SelfScore,
    User,
    unit_order,
)
from scoring.workflow import Status, status_at_least  # noqa: F401  (status_at_least re-exported)

from ..access import Visibility, appraisal_visibility, assessments_assigned
from ..models import Explanation, ItemAppraisal


def assessments_for_appraiser(*, user: User, period: Period) -> QuerySet[Assessment]:
    """Return the period's submitted (or later) assessments the user is assigned to appraise.

    An assignment to a field across all units covers every unit of the period.
    """
    base = (
        Assessment.objects.filter(period=period)
        .exclude(status=Status.SELF_ASSESSMENT)
        .select_related("unit", "unit__group", "period")
        .order_by(*unit_order("unit__"))
    )
    return assessments_assigned(user=user, base=base, period=period)


# --- item history ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    id: int
    original_name: str
    size: int
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class RoundEntry:
    """One item's appraised score in one round, as stored."""

    points: Decimal | None
    comment: str
    needs_explanation: bool
    version: int
    appraised_by: str
    appraised_at: datetime | None


@dataclass(frozen=True, slots=True)
class ItemHistory:
    """One item through the cycle: self | round 1 | explanation | round 2 | final."""

    item_id: int
    code: str
    name: str
    field_code: str
    max_points: Decimal
    step: str
    applicable: bool
    self_points: Decimal | None
    self_justification: str
    self_no_evidence_reason: str
    self_evidence: tuple[EvidenceRef, ...]
    round1: RoundEntry | None
    explanation: str
    explanation_version: int
    explanation_evidence: tuple[EvidenceRef, ...]
    round2: RoundEntry | None

    @property
    def flagged(self) -> bool:
        return self.round1 is not None and self.round1.needs_explanation

    @property
    def final(self) -> Decimal | None:
        """Return round 2's score, else round 1's, else the self-score."""
        return final_points(
            round2=self.round2.points if self.round2 else None,
            round1=self.round1.points if self.round1 else None,
            self_points=self.self_points,
        )


def final_points(
    *, round2: Decimal | None, round1: Decimal | None, self_points: Decimal | None
) -> Decimal | None:
    """Return the final score of an item: the latest round that set a score, else the unit's own."""
    for value in (round2, round1, self_points):
        if value is not None:
            return value
    return None


def _round_entry(row: ItemAppraisal | None) -> RoundEntry | None:
    if row is None:
        return None
    return RoundEntry(
        points=row.points,
        comment=row.comment,
        needs_explanation=row.needs_explanation,
        version=row.version,
        appraised_by=str(row.appraised_by) if row.appraised_by else "",
        appraised_at=row.appraised_at,
    )


def _histories(
    *, assessment: Assessment, items: list[CriteriaItem], visibility: Visibility | None = None
) -> list[ItemHistory]:
    """Return the history of each item from a fixed number of queries, hiding what the viewer may not see."""
    ids = [i.pk for i in items]
    exempt = set(
        NotApplicableItem.objects.filter(item_id__in=ids)
        .filter(Q(unit__isnull=True) | Q(unit_id=assessment.unit_id))
        .values_list("item_id", flat=True)
    )
    scores = {s.item_id: s for s in SelfScore.objects.filter(assessment=assessment, item_id__in=ids)}
    rounds: dict[tuple[int, int], ItemAppraisal] = {
        (r.item_id, r.round): r
        for r in ItemAppraisal.objects.filter(assessment=assessment, item_id__in=ids).select_related(
            "appraised_by"
        )
    }
    explanations = {e.item_id: e for e in Explanation.objects.filter(assessment=assessment, item_id__in=ids)}
    evidence: dict[tuple[int, str], list[EvidenceRef]] = defaultdict(list)
    links = Evidence.items.through.objects.filter(evidence__assessment=assessment, criteriaitem_id__in=ids)
    for item_id, pk, name, size, at, stage in links.values_list(
        "criteriaitem_id",
        "evidence_id",
        "evidence__original_name",
        "evidence__size",
        "evidence__uploaded_at",
        "evidence__stage",
    ).order_by("evidence__uploaded_at", "evidence_id"):
        evidence[(item_id, stage)].append(EvidenceRef(id=pk, original_name=name, size=size, uploaded_at=at))

    sees_round1 = visibility is None or visibility.sees_round1
    sees_round2 = visibility is None or visibility.sees_round2
    sees_explanation = visibility is None or visibility.sees_explanation
    result = []
    for item in items:
        score = scores.get(item.pk)
        explanation = explanations.get(item.pk) if sees_explanation else None
        result.append(
            ItemHistory(
                item_id=item.pk,
                code=item.code,
                name=item.name,
                field_code=item.field_code,
                max_points=item.max_points,
                step=item.step,
                applicable=item.pk not in exempt,
                self_points=score.points if score else None,
                self_justification=score.justification if score else "",
                self_no_evidence_reason=score.no_evidence_reason if score else "",
                self_evidence=tuple(evidence[(item.pk, EvidenceStage.SELF_ASSESSMENT)]),
                round1=_round_entry(rounds.get((item.pk, 1))) if sees_round1 else None,
                explanation=explanation.text if explanation else "",
                explanation_version=explanation.version if explanation else 0,
                explanation_evidence=tuple(evidence[(item.pk, EvidenceStage.EXPLANATION)])
                if sees_explanation
                else (),
                round2=_round_entry(rounds.get((item.pk, 2))) if sees_round2 else None,
            )
        )
    return result


def item_history(*, assessment: Assessment, item: CriteriaItem) -> ItemHistory:
    """Return one item's history through every round (unfiltered: the caller has checked visibility)."""
    if item.criteria_set_id != assessment.criteria_set_id:
        raise Http404(_("Tiêu chí không thuộc hồ sơ này."))
    return _histories(assessment=assessment, items=[item])[0]


# --- the sheet and the summary ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSummary:
    """Self-assessed against appraised points of one field (appraisal items that apply to the unit)."""

    code: str
    name: str
    max_points: Decimal
    self_points: Decimal
    round1_points: Decimal
    final_points: Decimal

    @property
    def difference(self) -> Decimal:
        return self.final_points - self.self_points


@dataclass(frozen=True, slots=True)
class SheetField:
    code: str
    name: str
    items: tuple[ItemHistory, ...]
    summary: FieldSummary


@dataclass(frozen=True, slots=True)
class AppraisalSheet:
    assessment_id: int
    unit_name: str
    period_year: int
    status: str
    visibility: Visibility
    fields: tuple[SheetField, ...]

    @property
    def items(self) -> tuple[ItemHistory, ...]:
        return tuple(i for f in self.fields for i in f.items)


def _appraisal_leaves(assessment: Assessment) -> tuple[list[CriteriaItem], dict[str, CriteriaItem]]:
    rows = list(
        CriteriaItem.objects.filter(criteria_set_id=assessment.criteria_set_id).order_by("order", "pk")
    )
    fields = {i.code: i for i in rows if i.level == Level.FIELD}
    parents = {i.parent_id for i in rows if i.parent_id}
    leaves = [
        i for i in rows if i.level != Level.FIELD and i.pk not in parents and i.method == Method.APPRAISAL
    ]
    return leaves, fields


def _summaries(histories: Iterable[ItemHistory], fields: dict[str, CriteriaItem]) -> dict[str, FieldSummary]:
    totals: dict[str, list[Decimal]] = {code: [Decimal(0)] * 4 for code in fields}
    for h in histories:
        if not h.applicable:
            continue
        row = totals.setdefault(h.field_code, [Decimal(0)] * 4)
        row[0] += h.max_points
        row[1] += h.self_points or 0
        row[2] += h.round1.points if h.round1 and h.round1.points is not None else h.self_points or 0
        row[3] += h.final or 0
    return {
        code: FieldSummary(
            code=code,
            name=fields[code].name if code in fields else code,
            max_points=row[0],
            self_points=row[1],
            round1_points=row[2],
            final_points=row[3],
        )
        for code, row in totals.items()
    }


def unit_summary(*, assessment: Assessment) -> list[FieldSummary]:
    """Return self-assessed vs appraised points per field (round 1, and final), appraisal items only."""
    leaves, fields = _appraisal_leaves(assessment)
    summaries = _summaries(_histories(assessment=assessment, items=leaves), fields)
    return [summaries[code] for code in fields if code in summaries]


def appraisal_sheet(*, assessment: Assessment, user: User) -> AppraisalSheet:
    """Return every appraisal item of the assessment with its history, as the user may see it; fixed queries.

    Http404 when the user may not see the assessment. For the unit before round-1 results are sent, the
    rounds are hidden and the summary shows its own scores.
    """
    visibility = appraisal_visibility(user=user, assessment=assessment)
    leaves, fields = _appraisal_leaves(assessment)
    histories = _histories(assessment=assessment, items=leaves, visibility=visibility)
    summaries = _summaries(histories, fields)
    by_field: dict[str, list[ItemHistory]] = defaultdict(list)
    for h in histories:
        by_field[h.field_code].append(h)
    return AppraisalSheet(
        assessment_id=assessment.pk,
        unit_name=assessment.unit.name,
        period_year=assessment.period.year,
        status=assessment.status,
        visibility=visibility,
        fields=tuple(
            SheetField(code=code, name=field.name, items=tuple(by_field[code]), summary=summaries[code])
            for code, field in fields.items()
        ),
    )


# --- final points (publication) ----------------------------------------------------------------------


def final_item_points(
    *, assessment_ids: Iterable[int], self_only_ids: Iterable[int] = ()
) -> dict[int, dict[int, Decimal]]:
    """Return {assessment_id: {item_id: points}}: round 2 if set, else round 1, else the self-score.

    For the assessments of self_only_ids, the self-scores alone (round 1 not sent: the appraisals are drafts).

    Items not applicable to the unit are absent, and so are items with no score at all. Five queries.
    """
    ids = list(assessment_ids)
    if not ids:
        return {}
    units = dict(Assessment.objects.filter(pk__in=ids).values_list("pk", "unit_id"))
    set_ids = set(Assessment.objects.filter(pk__in=ids).values_list("criteria_set_id", flat=True))
    exempt_everywhere: set[int] = set()
    exempt_for: dict[int, set[int]] = defaultdict(set)
    for item_id, unit_id in NotApplicableItem.objects.filter(item__criteria_set_id__in=set_ids).values_list(
        "item_id", "unit_id"
    ):
        (exempt_everywhere if unit_id is None else exempt_for[unit_id]).add(item_id)

    values: dict[int, dict[int, list[Decimal | None]]] = defaultdict(
        lambda: defaultdict(lambda: [None, None, None])
    )
    for a, i, p in SelfScore.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "item_id", "points"
    ):
        values[a][i][0] = p
    self_only = set(self_only_ids)
    for a, i, r, p in ItemAppraisal.objects.filter(assessment_id__in=set(ids) - self_only).values_list(
        "assessment_id", "item_id", "round", "points"
    ):
        values[a][i][r] = p

    result: dict[int, dict[int, Decimal]] = {}
    for assessment_id in ids:
        exempt = exempt_everywhere | exempt_for.get(units.get(assessment_id), set())
        points = {}
        for item_id, (own, round1, round2) in values.get(assessment_id, {}).items():
            if item_id in exempt:
                continue
            value = final_points(round2=round2, round1=round1, self_points=own)
            if value is not None:
                points[item_id] = value
        result[assessment_id] = points
    return result


def final_points_by_field(
    *, period_ids: Iterable[int], statuses: Iterable[str], with_appraisals: bool = True
) -> dict[int, dict[int, Decimal]]:
    """Return {assessment_id: {field item id: points}}: final points of the appraisal items, summed per field.

    For the assessments of the periods in the statuses given. The same rule as final_item_points (round 2,
    else round 1, else the self-score; items not applicable to the unit and survey items left out), summed by
    the database: a national recompute reads one row per unit and field instead of one per item. Without
    appraisals, the self-scores alone (a unit whose round 1 is not sent yet). It starts from
    the self-scores: an assessment past submission has one for every applicable item (assessment_submit refuses
    unscored items), so an appraised item always has its row.
    """
    periods, statuses = list(period_ids), list(statuses)
    if not periods or not statuses:
        return {}
    score, item, appraisal = (
        SelfScore._meta.db_table,
        CriteriaItem._meta.db_table,
        ItemAppraisal._meta.db_table,
    )
    exempt, assessment = NotApplicableItem._meta.db_table, Assessment._meta.db_table
    # A scored leaf is a criterion (parent: its field) or a sub-criterion (grandparent: its field).
    sql = f"""
        SELECT s.assessment_id, COALESCE(parent.parent_id, ci.parent_id) AS field_id,
               SUM({"COALESCE(r2.points, r1.points, s.points)" if with_appraisals else "s.points"})
        FROM {score} s
        JOIN {assessment} a ON a.id = s.assessment_id
        JOIN {item} ci ON ci.id = s.item_id
        LEFT JOIN {item} parent ON parent.id = ci.parent_id
        LEFT JOIN {appraisal} r1 ON r1.assessment_id = s.assessment_id AND r1.item_id = s.item_id AND r1.round = 1
        LEFT JOIN {appraisal} r2 ON r2.assessment_id = s.assessment_id AND r2.item_id = s.item_id AND r2.round = 2
        WHERE a.period_id IN ({", ".join(["%s"] * len(periods))})
          AND a.status IN ({", ".join(["%s"] * len(statuses))})
          AND ci.method <> %s
          AND NOT EXISTS (
              SELECT 1 FROM {exempt} na
              WHERE na.item_id = s.item_id AND (na.unit_id IS NULL OR na.unit_id = a.unit_id)
          )
        GROUP BY s.assessment_id, COALESCE(parent.parent_id, ci.parent_id)
    """  # noqa: S608 — table names come from the models, values are parameters
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*periods, *statuses, Method.SURVEY])
        for assessment_id, field_id, points in cursor.fetchall():
            if not isinstance(points, Decimal):
                # SQLite sums decimals as floats: back to the 4 places points are stored with.
                points = Decimal(repr(points)).quantize(Decimal("0.0001"))
            result[assessment_id][field_id] = points
    return dict(result)
