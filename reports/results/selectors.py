"""A period's results as every report and dashboard reads them: published when published, else last recomputed.

- `reports.results.services.period_results_recompute` stores the live results of a period's assessments as
  ComputedResult rows;
- `results_table` (selector) returns the published ranking table of a year, or the table of its computed rows;
- `field_names` and `lost_items` give the names of the fields and the points lost per item, with the
  appraisers' comments, as the annual report, the unit analysis and the recovery plans need them.

Fixed query counts, whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from appraisal.models import ItemAppraisal
from reports.models import ComputedResult, ResultsState
from reports.rankings.selectors import (
    RankingNotFound,
    RankingTable,
    TableEntry,
    _entries,
    _periods,
    build_ranking_table,
    previous_year_entries,
    published_results,
)
from scoring import calc
from scoring.models import Assessment, CriteriaItem, EvaluatingBody, Level, Method, Period, Unit, UnitGroup

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


# --- reading ------------------------------------------------------------------------------------------


def _computed_entries(rows) -> list[TableEntry]:
    """Return the computed rows as table entries, read as plain values (two queries).

    A province's communes are a thousand units: model instances of each row, unit and group would cost more
    than everything else a unit's analysis does.
    """
    from .live import stage_of

    rows = list(
        rows.values_list(
            "period_id",
            "unit_id",
            "unit__code",
            "unit__name",
            "unit__group_id",
            "unit_group_id",
            "appraisal_points",
            "survey_points",
            "max_points",
            "fields",
            "status",
        )
    )
    groups = {g.pk: g for g in UnitGroup.objects.filter(pk__in={r[5] for r in rows})}
    entries = []
    for (
        period_id,
        unit_id,
        code,
        name,
        home_group_id,
        group_id,
        appraisal,
        survey,
        maximum,
        fields,
        status,
    ) in rows:
        group = groups[group_id]
        totals = calc.UnitTotals(
            unit_id=unit_id,
            group=group.code,
            appraisal_points=appraisal,
            survey_points=survey,
            max_points=maximum,
            fields=tuple(
                calc.FieldTotal(code=c, points=Decimal(p), max_points=Decimal(m)) for c, p, m in fields
            ),
        )
        unit = Unit(pk=unit_id, code=code, name=name, group_id=home_group_id, body_id=group.body_id)
        # A row computed before stages were stored counts as appraised, as it was shown then.
        stage = stage_of(status) if status else "appraised"
        entries.append(
            TableEntry(totals=totals, unit=unit, unit_group=group, period_id=period_id, stage=stage)
        )
    return entries


@dataclass(frozen=True, slots=True)
class Freshness:
    """When a period's live figures were computed and whether they still are the current ones."""

    computed_at: datetime | None
    stale: bool  # something changed after computed_at (a recompute is on its way)
    error: str = ""  # the last recompute failed: the figures are those of the one before


def freshness(period: Period) -> Freshness:
    """Return how current the period's computed results are (one query)."""
    state = ResultsState.objects.filter(period=period).first()
    if state is None:
        return Freshness(computed_at=computed_at(period), stale=False)
    return Freshness(
        computed_at=state.computed_at,
        stale=not state.is_current,
        error=state.error
        if state.error_at and (state.computed_at is None or state.error_at > state.computed_at)
        else "",
    )


def computed_at(period: Period):
    """Return when the period's results were last recomputed, or None."""
    state = ResultsState.objects.filter(period=period).only("computed_at").first()
    if state is not None and state.computed_at is not None:
        return state.computed_at
    row = ComputedResult.objects.filter(period=period).order_by("-computed_at").first()
    return row.computed_at if row else None


def results_table(
    *, body: EvaluatingBody, year: int, group: str | None = None, draft: bool = False
) -> RankingTable:
    """Return the year's table: every published group as the decision published it; with draft (the body's
    staff), the groups not published from the last recompute, each unit with its stage. RankingNotFound if none.

    One truth: a published unit has its published figures and rank on every page; a group is ranked either as
    published or live, never a mix, so the same set of units gets the same ranks everywhere.
    """
    periods = _periods(body=body, year=year)
    period = periods[year]
    published = [e for e in _entries(published_results().filter(period=period))]
    live: list[TableEntry] = []
    state = None
    if draft:
        live = _computed_entries(
            ComputedResult.objects.filter(period=period).exclude(unit_id__in=[e.unit.pk for e in published])
        )
        if live:
            state = freshness(period)
    if not published and not live:
        raise RankingNotFound(_("Chưa có kết quả đã công bố của năm %(year)s.") % {"year": year})
    return build_ranking_table(
        body=body,
        periods=periods,
        year=year,
        current=published + live,
        previous=previous_year_entries(periods=periods, year=year),
        group=group,
        computed_at=state.computed_at if state else None,
        stale=state.stale if state else False,
        refresh_error=state.error if state else "",
    )


def computed_ranking_table(*, body: EvaluatingBody, year: int, group: str | None = None) -> RankingTable:
    """Return the body's staff table of the year (published groups as published, the others live)."""
    return results_table(body=body, year=year, group=group, draft=True)


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
    survey: bool = False  # lost through the ballots: no appraiser's comment

    @property
    def lost_points(self) -> Decimal:
        return self.max_points - self.points


def _code_key(code: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))


def lost_items(*, period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, list[LostItem]]:
    """Return {unit_id: items where points were lost}, in code order, from the period's final item points.

    Survey items count too (their comment is empty): they lose points through the ballots.
    """

    from .live import LIVE_STATUSES, SELF_SCORE_STATUSES, unit_results

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
    # As with the points: a round not sent to the unit yet is the appraisers' draft, its comments too.
    for assessment_id, item_id, round_, comment in (
        ItemAppraisal.objects.filter(assessment_id__in=[r.assessment.pk for r in results])
        .exclude(assessment__status__in=SELF_SCORE_STATUSES)
        .values_list("assessment_id", "item_id", "round", "comment")
    ):
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
                    survey=item.method == Method.SURVEY,
                )
            )
        unit_lost.sort(key=lambda i: _code_key(i.item_code))
        lost[r.assessment.unit_id] = unit_lost
    return lost
