"""Importing, replacing, cloning and demo-loading criteria sets."""

import dataclasses
from decimal import Decimal

import pytest

from scoring.evaluation import selectors, services
from scoring.evaluation.summary import summarize
from scoring.models import CriteriaItem, CriteriaSet, Level, NotApplicableItem, Period, PeriodStatus
from tests.scoring.criteria_helpers import GOOD_ROWS, bad_workbook, good_workbook
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory


def counts():
    return (
        Period.objects.count(),
        CriteriaSet.objects.count(),
        CriteriaItem.objects.count(),
        NotApplicableItem.objects.count(),
    )


@pytest.fixture
def period(body):
    # A year being set up: its criteria sets may still be imported again (an open year's need a new version).
    return PeriodFactory(body=body, year=2025, status=PeriodStatus.SETUP)


def import_set(period, group, content, **kwargs):
    return services.criteria_set_import(
        period=period, unit_group=group, workbook_file=content, name="Bộ tiêu chí sở 2025", **kwargs
    )


def test_import_saves_the_tree_with_parents_levels_and_period_wide_exemption(period, departments):
    criteria_set = import_set(period, departments, good_workbook())
    items = {i.code: i for i in criteria_set.items.select_related("parent")}
    assert list(criteria_set.items.order_by("order").values_list("code", flat=True)) == [
        "1",
        "1.1",
        "1.1.1",
        "1.1.2",
        "1.2",
        "2",
        "2.1",
    ]
    assert items["1.1.1"].parent == items["1.1"] and items["1.1"].parent == items["1"]
    assert items["1"].parent is None
    assert (items["1"].level, items["1.1"].level, items["1.1.1"].level) == (
        Level.FIELD,
        Level.CRITERION,
        Level.SUB_CRITERION,
    )
    assert items["1.1.1"].guidance == "Ban hành trước ngày 15/01: 0,5 điểm"
    assert (items["1.2"].method, items["1.2"].step, items["1.2"].max_points) == ("survey", "0.50", Decimal(2))
    assert items["1.1"].method == ""
    exemption = NotApplicableItem.objects.get()
    assert (exemption.item, exemption.unit, exemption.reason) == (
        items["1.2"],
        None,
        "Năm nay không tổ chức khảo sát DDCI",
    )
    assert list(CriteriaItem.objects.filter(criteria_set=criteria_set).scored().order_by("order")) == [
        items["1.1.1"],
        items["1.1.2"],
        items["1.2"],
        items["2.1"],
    ]


def test_import_with_errors_saves_nothing_and_lists_every_error(period, departments):
    before = counts()
    with pytest.raises(services.CriteriaImportError) as caught:
        import_set(period, departments, bad_workbook())
    assert counts() == before
    assert [(e.row, e.column) for e in caught.value.errors] == [(5, "C"), (9, "A")]


def test_import_for_a_new_year_does_not_leave_an_empty_period_behind_on_error(body, departments):
    before = counts()
    with pytest.raises(services.CriteriaImportError):
        services.criteria_set_import_for_year(
            body=body, year=2031, unit_group=departments, workbook_file=bad_workbook(), name="x"
        )
    assert counts() == before
    criteria_set = services.criteria_set_import_for_year(
        body=body, year=2031, unit_group=departments, workbook_file=good_workbook(), name="Bộ 2031"
    )
    assert criteria_set.period.year == 2031 and criteria_set.period.bands.count() == 4


def test_import_refuses_a_second_set_for_the_group_without_replace(period, departments):
    first = import_set(period, departments, good_workbook())
    before = counts()
    with pytest.raises(services.CriteriaImportError) as caught:
        import_set(period, departments, good_workbook(GOOD_ROWS[:4]))
    assert counts() == before
    assert "đã có bộ tiêu chí năm 2025" in caught.value.errors[0].message
    assert first.items.count() == len(GOOD_ROWS)


def test_import_with_replace_swaps_the_items_and_exemptions(period, departments):
    first = import_set(period, departments, good_workbook())
    rows = (*GOOD_ROWS[:4], dataclasses.replace(GOOD_ROWS[4], not_applicable_reason=""))
    replaced = services.criteria_set_import(
        period=period,
        unit_group=departments,
        workbook_file=good_workbook(rows),
        name="Bộ mới",
        replace=True,
        is_illustrative=True,
    )
    assert replaced.pk == first.pk
    assert (replaced.name, replaced.is_illustrative) == ("Bộ mới", True)
    assert sorted(replaced.items.values_list("code", flat=True)) == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]
    assert not NotApplicableItem.objects.exists()


def test_replace_with_a_bad_file_keeps_the_old_set(period, departments):
    first = import_set(period, departments, good_workbook())
    before = counts()
    with pytest.raises(services.CriteriaImportError):
        import_set(period, departments, bad_workbook(), replace=True)
    assert counts() == before
    assert first.items.count() == len(GOOD_ROWS)


def test_import_refuses_a_unit_group_of_another_body(period, other_body):
    foreign = UnitGroupFactory(body=other_body)
    with pytest.raises(services.CriteriaImportError):
        import_set(period, foreign, good_workbook())
    assert not CriteriaSet.objects.exists()


def test_tree_selector_returns_items_in_order_with_exemption_reason_in_one_query(
    period, departments, django_assert_num_queries
):
    criteria_set = import_set(period, departments, good_workbook())
    UnitFactory(body=period.body, group=departments)
    with django_assert_num_queries(1):
        rows = selectors.criteria_set_rows(criteria_set=criteria_set)
    assert tuple(rows) == GOOD_ROWS


def test_clone_copies_every_set_with_tree_guidance_and_period_wide_exemptions(body, departments, period):
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND huyện, thành phố", order=2)
    source_dep = import_set(period, departments, good_workbook())
    services.criteria_set_import(
        period=period, unit_group=districts, workbook_file=good_workbook(), name="Bộ tiêu chí huyện"
    )
    unit = UnitFactory(body=body, group=departments)
    NotApplicableItem.objects.create(
        item=source_dep.items.get(code="2.1"), unit=unit, reason="Không có văn bản"
    )
    target = PeriodFactory(body=body, year=2026)

    result = services.criteria_set_clone(source_period=period, target_period=target)

    assert {s.unit_group for s in result.criteria_sets} == {departments, districts}
    copy = CriteriaSet.objects.get(period=target, unit_group=departments)
    assert copy.name == "Bộ tiêu chí sở 2026"
    assert CriteriaSet.objects.get(period=target, unit_group=districts).name == "Bộ tiêu chí huyện (năm 2026)"
    assert tuple(selectors.criteria_set_rows(criteria_set=copy)) == GOOD_ROWS
    assert copy.items.get(code="1.1.1").parent == copy.items.get(code="1.1")
    assert result.exemption_count == 2
    # Per-unit exemptions stay with the year they were decided for.
    assert not NotApplicableItem.objects.filter(item__criteria_set=copy, unit__isnull=False).exists()
    assert source_dep.items.count() == len(GOOD_ROWS)


def test_clone_refuses_when_the_target_year_already_has_a_set_for_a_group(body, departments, period):
    import_set(period, departments, good_workbook())
    target = PeriodFactory(body=body, year=2026)
    import_set(target, departments, good_workbook())
    before = counts()
    with pytest.raises(services.CriteriaCloneError, match="Sở, ban, ngành"):
        services.criteria_set_clone(source_period=period, target_period=target)
    assert counts() == before


def test_clone_refuses_an_empty_source_and_another_body(body, other_body, period):
    with pytest.raises(services.CriteriaCloneError, match="chưa có bộ tiêu chí"):
        services.criteria_set_clone(source_period=period, target_period=PeriodFactory(body=body, year=2026))
    with pytest.raises(services.CriteriaCloneError):
        services.criteria_set_clone(source_period=period, target_period=PeriodFactory(body=other_body))


def test_clone_for_years_creates_the_target_period(body, departments, period):
    import_set(period, departments, good_workbook())
    result = services.criteria_set_clone_for_years(body=body, source_year=2025, target_year=2026)
    assert result.criteria_sets[0].period.year == 2026
    with pytest.raises(services.CriteriaCloneError, match="2019"):
        services.criteria_set_clone_for_years(body=body, source_year=2019, target_year=2026)


@pytest.mark.parametrize("kind", ["departments", "districts"])
def test_demo_load_creates_an_illustrative_set_of_100_points_once(period, departments, kind):
    first = services.criteria_demo_load(period=period, unit_group=departments, kind=kind)
    assert first.is_illustrative and first.name.endswith("(minh họa)")
    summary = summarize(selectors.criteria_set_rows(criteria_set=first))
    assert summary.total == 100 and len(summary.fields) == 8
    before = counts()
    again = services.criteria_demo_load(period=period, unit_group=departments, kind=kind)
    assert again == first and counts() == before
