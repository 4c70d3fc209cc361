"""A period's results as reports read them: the recompute (idempotent), the draft table and the points lost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from appraisal.models import ItemAppraisal
from reports.models import ComputedResult
from reports.rankings.selectors import RankingNotFound
from reports.results.selectors import DEFAULT_FIELD_NAMES, computed_at, field_names, lost_items, results_table
from reports.results.services import period_results_recompute
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, set_status, submitted_assessment
from tests.reports.computed_rows import stored_results
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.factories import PeriodFactory, UnitFactory

YEAR = 2026


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=YEAR)


@pytest.fixture
def appraised_pair(period, unit, other_unit):
    low = submitted_assessment(unit=unit, period=period, status=Status.EXPLANATION)
    appraise_all(assessment=low, round=1, points=Decimal("0.75"))
    high = submitted_assessment(unit=other_unit, period=period, status=Status.EXPLANATION)
    appraise_all(assessment=high, round=1)
    return low, high


def test_recompute_stores_each_units_totals_index_class_and_rank(period, appraised_pair):
    summary = period_results_recompute(period=period)

    assert summary.units == 2
    stored = {row[0]: row for row in stored_results(period)}
    assert stored["so-noi-vu"][2:5] == (Decimal(6), Decimal(0), Decimal(8))
    assert stored["so-noi-vu"][5] == Decimal("75.0000")
    assert stored["so-noi-vu"][7] == 2
    assert stored["so-tu-phap"][5] == Decimal("100.0000")
    assert stored["so-tu-phap"][7] == 1
    assert stored["so-noi-vu"][8] == (("1", Decimal(3), Decimal(4)), ("2", Decimal(3), Decimal(4)))
    assert computed_at(period) == summary.computed_at


def test_recompute_twice_leaves_the_same_rows_and_no_duplicates(period, appraised_pair):
    period_results_recompute(period=period)
    first = stored_results(period)
    period_results_recompute(period=period)

    assert stored_results(period) == first
    assert ComputedResult.objects.count() == 2
    assert sum(len(r.fields) for r in ComputedResult.objects.all()) == 4


def test_recompute_follows_a_changed_score(period, appraised_pair):
    low, _ = appraised_pair
    period_results_recompute(period=period)
    ItemAppraisal.objects.filter(assessment=low).update(points=Decimal(1))

    period_results_recompute(period=period)

    assert ComputedResult.objects.get(unit=low.unit).appraisal_points == Decimal(8)


def test_recompute_reports_progress_up_to_100(period, appraised_pair):
    seen = []
    period_results_recompute(period=period, progress=lambda percent, note: seen.append((percent, note)))

    percents = [p for p, _ in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert all(note for _, note in seen)


def test_recompute_ignores_assessments_still_being_self_assessed(period, appraised_pair, body, departments):
    submitted_assessment(
        unit=UnitFactory(body=body, group=departments, code="so-y-te", name="Sở Y tế"),
        period=period,
        status=Status.SELF_ASSESSMENT,
    )

    assert period_results_recompute(period=period).units == 2


def test_results_table_is_the_draft_of_the_last_recompute_when_nothing_is_published(
    body, period, appraised_pair
):
    with pytest.raises(RankingNotFound):
        results_table(body=body, year=YEAR)
    period_results_recompute(period=period)

    table = results_table(body=body, year=YEAR, draft=True)

    assert table.published is False
    assert [(r.unit_code, r.rank) for r in table.rows] == [("so-tu-phap", 1), ("so-noi-vu", 2)]
    assert all(not r.published for r in table.rows)


def test_results_table_reads_a_fixed_number_of_queries(
    body, period, departments, django_assert_max_num_queries
):
    for n in range(6):
        assessment = submitted_assessment(
            unit=UnitFactory(body=body, group=departments, code=f"dv-{n}", name=f"Đơn vị {n}"),
            period=period,
            status=Status.EXPLANATION,
        )
        appraise_all(assessment=assessment, round=1)
    period_results_recompute(period=period)

    with django_assert_max_num_queries(8):
        table = results_table(body=body, year=YEAR, draft=True)
    assert len(table.rows) == 6


def test_lost_items_lists_items_below_their_maximum_with_the_latest_round_comment(period, unit):
    assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    items = appraisal_items(assessment.criteria_set)
    appraise_all(assessment=assessment, round=1)
    first = items[0]
    ItemAppraisal.objects.filter(assessment=assessment, item=first).update(
        points=first.max_points - Decimal("0.25"), comment="Báo cáo gửi chậm", needs_explanation=True
    )
    appraise(
        assessment=assessment,
        item=first,
        round=2,
        points=first.max_points - Decimal("0.5"),
        comment="Giải trình không có tài liệu kiểm chứng",
    )
    set_status(assessment, Status.ROUND_2)

    lost = lost_items(period=period)

    assert list(lost) == [unit.pk]
    (only,) = lost[unit.pk]
    assert (only.item_code, only.lost_points, only.comment) == (
        first.code,
        Decimal("0.5"),
        "Giải trình không có tài liệu kiểm chứng",
    )


def test_field_names_fall_back_to_the_usual_names_without_a_criteria_set(body):
    bare = PeriodFactory(body=body, year=2020)

    assert field_names(bare) == DEFAULT_FIELD_NAMES


def test_summed_totals_equal_the_item_by_item_totals_on_the_demo_province(db):
    # The demo's 2026 period has units in every state: round 2 over round 1, exemptions, survey items, SIPAS.
    from reports.demo.load import demo_load
    from reports.results.live import live_assessments, unit_results, unit_totals
    from scoring.models import Period

    demo_load()
    period = Period.objects.get(body__code="lai-chau", year=YEAR)
    assessments = live_assessments(period=period)
    assert len(assessments) >= 5

    by_items = {r.assessment.pk: r.totals for r in unit_results(assessments=assessments)}
    by_sums = {a.pk: totals for a, totals in unit_totals(assessments=assessments)}

    assert by_sums == by_items
    assert any(t.survey_points > 0 for t in by_sums.values())
