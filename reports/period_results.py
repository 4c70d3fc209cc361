"""A period's results as every report and dashboard reads them: published when published, else last recomputed.

- `period_results_recompute` (service) stores the live results of a period's assessments as ComputedResult rows;
- `results_table` (selector) returns the published ranking table of a year, or the table of its computed rows;
- `field_names` and `lost_items` give the names of the fields and the points lost per item, with the
  appraisers' comments, as the annual report, the unit analysis and the recovery plans need them.

Fixed query counts, whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import ItemAppraisal
from scoring import calc
from scoring.models import CriteriaItem, EvaluatingBody, Level, Method, Period

from .models import ComputedFieldResult, ComputedResult
from .selectors import (
    RankingNotFound,
    RankingTable,
    TableEntry,
    _entry,
    _periods,
    build_ranking_table,
    published_results,
    ranking_table,
)

# The field names of the 2022 unit-level sets (domain §3), for years whose results came without a criteria set.
DEFAULT_FIELD_NAMES = {
    "1": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "2": "Cải cách thể chế",
    "3": "Cải cách thủ tục hành chính",
    "4": "Cải cách tổ chức bộ máy hành chính",
    "5": "Cải cách chế độ công vụ",
    "6": "Cải cách tài chính công",
    "7": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "8": "Tác động của cải cách hành chính",
}


# --- recompute ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecomputeSummary:
    units: int
    computed_at: object  # datetime


def period_results_recompute(
    *, period: Period, progress: Callable[[int, str], None] | None = None
) -> RecomputeSummary:
    """Replace the period's computed results by those of its current assessments; idempotent.

    The period row is locked for the whole write, so two recomputes at once run one after the other and
    leave the same rows as one would. Published figures are not touched: they live in PublishedResult.
    """
    from .live_results import live_assessments, unit_results

    report = progress or (lambda percent, note: None)
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        report(10, _("Đang đọc điểm của các đơn vị"))
        results = unit_results(assessments=live_assessments(period=period))
        report(50, _("Đang tính chỉ số và xếp hạng"))
        bands = [b.as_band() for b in period.bands.all()]
        ranked = (
            {r.unit_id: r for r in calc.rank_units((r.totals for r in results), bands)} if results else {}
        )
        now = timezone.now()
        report(70, _("Đang lưu kết quả"))
        ComputedResult.objects.filter(period=period).delete()
        rows = ComputedResult.objects.bulk_create(
            ComputedResult(
                period=period,
                unit_id=r.assessment.unit_id,
                unit_group_id=r.assessment.unit.group_id,
                appraisal_points=r.totals.appraisal_points,
                survey_points=r.totals.survey_points,
                max_points=r.totals.max_points,
                index=calc.quantize_score(ranked[r.assessment.unit_id].index, 4),
                band_code=ranked[r.assessment.unit_id].band.code,
                rank=ranked[r.assessment.unit_id].rank,
                computed_at=now,
            )
            for r in results
        )
        by_unit = {row.unit_id: row for row in rows}
        ComputedFieldResult.objects.bulk_create(
            ComputedFieldResult(
                result=by_unit[r.assessment.unit_id],
                field_code=field.code,
                points=field.points,
                max_points=field.max_points,
            )
            for r in results
            for field in r.totals.fields
        )
    report(100, _("Đã tính xong"))
    return RecomputeSummary(units=len(rows), computed_at=now)


# --- reading ------------------------------------------------------------------------------------------


def _computed_entry(row: ComputedResult) -> TableEntry:
    totals = calc.UnitTotals(
        unit_id=row.unit_id,
        group=row.unit_group.code,
        appraisal_points=row.appraisal_points,
        survey_points=row.survey_points,
        max_points=row.max_points,
        fields=tuple(f.as_field_total() for f in row.fields.all()),
    )
    return TableEntry(totals=totals, unit=row.unit, unit_group=row.unit_group)


def computed_at(period: Period):
    """Return when the period's results were last recomputed, or None."""
    row = ComputedResult.objects.filter(period=period).order_by("-computed_at").first()
    return row.computed_at if row else None


def computed_ranking_table(*, body: EvaluatingBody, year: int, group: str | None = None) -> RankingTable:
    """Return the table of the year's last recomputed results, marked unpublished."""
    periods = _periods(body=body, year=year)
    rows = list(
        ComputedResult.objects.filter(period=periods[year])
        .select_related("unit", "unit_group")
        .prefetch_related("fields")
    )
    if not rows:
        raise RankingNotFound(_("Chưa tính kết quả của năm %(year)s.") % {"year": year})
    previous = []
    if year - 1 in periods:
        previous = [
            _entry(r)
            for r in published_results()
            .filter(period=periods[year - 1])
            .select_related("unit", "unit_group")
            .prefetch_related("fields")
        ]
    return build_ranking_table(
        body=body,
        periods=periods,
        year=year,
        current=[_computed_entry(r) for r in rows],
        previous=previous,
        group=group,
        published=False,
    )


def results_table(
    *, body: EvaluatingBody, year: int, group: str | None = None, draft: bool = False
) -> RankingTable:
    """Return the year's published table, else the table of its last recompute (RankingNotFound if neither).

    With draft=True the last recompute wins when there is one: it covers every unit past submission, while
    a period may be published for some units only (the others still in appraisal). Staff only.
    """
    if draft and ComputedResult.objects.filter(period__body=body, period__year=year).exists():
        return computed_ranking_table(body=body, year=year, group=group)
    try:
        return ranking_table(body=body, year=year, group=group)
    except RankingNotFound:
        if not ComputedResult.objects.filter(period__body=body, period__year=year).exists():
            raise
    return computed_ranking_table(body=body, year=year, group=group)


def field_names(period: Period) -> dict[str, str]:
    """Return {field code: name} from the period's criteria sets (first group first), else the usual names."""
    names = dict(DEFAULT_FIELD_NAMES)
    seen: set[str] = set()
    fields = CriteriaItem.objects.filter(criteria_set__period=period, level=Level.FIELD).order_by(
        "criteria_set__unit_group__order", "criteria_set_id", "order"
    )
    for code, name in fields.values_list("code", "name"):
        if code not in seen:
            names[code] = name
            seen.add(code)
    return names


# --- points lost ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LostItem:
    """An item of a unit scored below its maximum, with the appraisers' comment (round 2, else round 1)."""

    unit_id: int
    item_code: str
    item_name: str
    field_code: str
    max_points: Decimal
    points: Decimal
    comment: str

    @property
    def lost_points(self) -> Decimal:
        return self.max_points - self.points


def _code_key(code: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))


def lost_items(*, period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, list[LostItem]]:
    """Return {unit_id: items where points were lost}, in code order, from the period's final item points.

    Survey items count too (their comment is empty): they lose points through the ballots.
    """
    from scoring.models import Assessment

    from .live_results import LIVE_STATUSES, unit_results

    assessments = Assessment.objects.filter(period=period, status__in=LIVE_STATUSES).select_related(
        "unit__group"
    )
    if unit_ids is not None:
        assessments = assessments.filter(unit_id__in=list(unit_ids))
    results = unit_results(assessments=list(assessments))
    if not results:
        return {}
    set_ids = {r.assessment.criteria_set_id for r in results}
    items = {
        (i.criteria_set_id, i.code): i
        for i in CriteriaItem.objects.filter(criteria_set_id__in=set_ids).only(
            "id", "criteria_set_id", "code", "name", "method"
        )
    }
    comments: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    for assessment_id, item_id, round_, comment in ItemAppraisal.objects.filter(
        assessment_id__in=[r.assessment.pk for r in results]
    ).values_list("assessment_id", "item_id", "round", "comment"):
        if comment:
            comments[(assessment_id, item_id)][round_] = comment

    lost: dict[int, list[LostItem]] = {}
    for r in results:
        unit_lost = []
        for score in r.items.items:
            if not score.applicable:
                continue
            points = score.points if score.points is not None else calc.ZERO
            if points >= score.max_points:
                continue
            item = items[(r.assessment.criteria_set_id, score.code)]
            by_round = comments.get((r.assessment.pk, item.pk), {})
            unit_lost.append(
                LostItem(
                    unit_id=r.assessment.unit_id,
                    item_code=score.code,
                    item_name=item.name,
                    field_code=score.field_code,
                    max_points=score.max_points,
                    points=points,
                    comment="" if item.method == Method.SURVEY else by_round.get(2) or by_round.get(1, ""),
                )
            )
        unit_lost.sort(key=lambda i: _code_key(i.item_code))
        lost[r.assessment.unit_id] = unit_lost
    return lost
