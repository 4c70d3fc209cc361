"""Tests for scoring.calc: worked examples from the published reports, then properties."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import calc
from scoring.calc import (
    LAI_CHAU_BANDS,
    METHOD_APPRAISAL,
    METHOD_SURVEY,
    Band,
    FieldTotal,
    ItemScore,
    RankedUnit,
    UnitItems,
    UnitTotals,
    classify,
    compare_periods,
    component_indices,
    criterion_points,
    quantize_score,
    rank_units,
    summarize_groups,
    unit_totals_from_items,
)

D = Decimal


def item(code, max_points, points=None, method=METHOD_APPRAISAL, applicable=True):
    parts = code.split(".")
    return ItemScore(
        code=code,
        field_code=parts[0],
        criterion_code=".".join(parts[:2]),
        method=method,
        max_points=D(max_points),
        points=None if points is None else D(points),
        applicable=applicable,
    )


def totals(unit_id, index_points, group="g", max_points="100", fields=()):
    return UnitTotals(
        unit_id=unit_id,
        group=group,
        appraisal_points=D(index_points),
        survey_points=D(0),
        max_points=D(max_points),
        fields=fields,
    )


# --- rounding and format -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("87.418367", "87.42"),
        ("85.665", "85.67"),  # half up, not half even
        ("2.675", "2.68"),
        ("-2.675", "-2.68"),
        ("79.996", "80.00"),
        ("100", "100.00"),
    ],
)
def test_quantize_score_rounds_half_up_to_two_places(value, expected):
    assert str(quantize_score(D(value))) == expected


# --- totals, scale and index from items ---------------------------------------------


def test_so_noi_vu_2020_worked_example():
    # 2020 department set, simplified to one item per method: 70 appraisal + 30 survey
    # points, of which the 2-point DDCI survey item was not run for anyone.
    unit = UnitItems(
        unit_id=1,
        group="full_scale",
        items=(
            item("1.1", "70", "62.30"),
            item("8.1", "28", "23.37", METHOD_SURVEY),
            item("8.2", "2", None, METHOD_SURVEY, applicable=False),
        ),
    )
    result = unit_totals_from_items(unit)
    assert result.appraisal_points == D("62.30")
    assert result.survey_points == D("23.37")
    assert result.total_points == D("85.67")
    assert result.max_points == D("98")
    assert quantize_score(result.index) == D("87.42")
    assert classify(result.index, LAI_CHAU_BANDS).label == "Tốt"


def test_period_wide_not_applicable_item_turns_100_into_98():
    items = (
        item("1.1", "70", "70"),
        item("8.1", "28", "28", METHOD_SURVEY),
        item("8.2", "2", "2", METHOD_SURVEY),
    )
    full = unit_totals_from_items(UnitItems(1, "g", items))
    dropped = unit_totals_from_items(UnitItems(1, "g", items[:2] + (replace(items[2], applicable=False),)))
    assert full.max_points == D(100)
    assert dropped.max_points == D(98)
    assert dropped.survey_points == D(28)
    assert dropped.index == D(100)


@pytest.mark.parametrize(
    ("unit_dropped", "expected_scale"),
    [
        # 2020 scales below 98 (domain.md §4); which items were dropped is synthetic.
        ("19.5", "78.50"),  # Sở Ngoại vụ
        ("18", "80.00"),  # Thanh tra tỉnh
        ("27.5", "70.50"),  # Văn phòng UBND tỉnh
        ("0", "98"),
    ],
)
def test_unit_specific_not_applicable_items_reduce_the_scale(unit_dropped, expected_scale):
    items = (
        item("1.1", "30.5"),
        item("3.3", unit_dropped, applicable=False),
        item("4.2.3", str(D("39.5") - D(unit_dropped))),
        item("8.1", "28", method=METHOD_SURVEY),
        item("8.2", "2", method=METHOD_SURVEY, applicable=False),
    )
    assert unit_totals_from_items(UnitItems(1, "g", items)).max_points == D(expected_scale)


@pytest.mark.parametrize(
    "field_maxima",
    [
        ["14", "6", "14", "7", "6.5", "7.5", "12", "33"],  # district set 2021
        ["13.5", "5", "13.5", "7.5", "8", "7", "12.5", "33"],  # district set 2022
    ],
)
def test_district_field_maxima_add_up_to_100(field_maxima):
    items = tuple(item(f"{n}.1", m) for n, m in enumerate(field_maxima, start=1))
    result = unit_totals_from_items(UnitItems(1, "districts", items))
    assert result.max_points == D(100)
    assert [f.code for f in result.fields] == [str(n) for n in range(1, 9)]
    assert [f.max_points for f in result.fields] == [D(m) for m in field_maxima]


def test_fields_and_criteria_are_summed_over_applicable_items_only():
    unit = UnitItems(
        unit_id=7,
        group="g",
        items=(
            item("4.2.1", "1", "0.5"),
            item("4.2.3", "1.5", "1.5"),
            item("4.1", "2", None),  # not scored yet: counts 0
            item("10.1", "2", "1", METHOD_SURVEY),
            item("6.2", "1", "1", applicable=False),
        ),
    )
    result = unit_totals_from_items(unit)
    assert result.fields == (
        FieldTotal("4", D("2.0"), D("4.5")),
        FieldTotal("6", D(0), D(0)),
        FieldTotal("10", D(1), D(2)),
    )
    assert component_indices(result) == {"4": D("2") * 100 / D("4.5"), "6": None, "10": D(50)}
    assert criterion_points(unit) == {
        "4.1": FieldTotal("4.1", D(0), D(2)),
        "4.2": FieldTotal("4.2", D(2), D("2.5")),
        "6.2": FieldTotal("6.2", D(0), D(0)),
        "10.1": FieldTotal("10.1", D(1), D(2)),
    }


@pytest.mark.parametrize(
    "bad",
    [
        item("1.1", "2", "2.25"),
        item("1.1", "2", "-0.25"),
        item("1.1", "-1"),
        item("1.1", "2", "1", method="guess"),
    ],
)
def test_invalid_items_raise_value_error(bad):
    with pytest.raises(ValueError):
        unit_totals_from_items(UnitItems(1, "g", (bad,)))
    with pytest.raises(ValueError):
        criterion_points(UnitItems(1, "g", (bad,)))


def test_points_of_not_applicable_items_are_not_checked():
    unit = UnitItems(1, "g", (item("1.1", "2", "5", applicable=False), item("1.2", "2", "1")))
    assert unit_totals_from_items(unit).max_points == D(2)


def test_duplicate_item_code_raises():
    with pytest.raises(ValueError):
        unit_totals_from_items(UnitItems(1, "g", (item("1.1", "2"), item("1.1", "2"))))


def test_zero_scale_gives_zero_index():
    assert totals(1, "0", max_points="0").index == D(0)


# --- classification ----------------------------------------------------------------

SHUFFLED_BANDS = (LAI_CHAU_BANDS[2], LAI_CHAU_BANDS[0], LAI_CHAU_BANDS[3], LAI_CHAU_BANDS[1])


@pytest.mark.parametrize("bands", [LAI_CHAU_BANDS, SHUFFLED_BANDS])
@pytest.mark.parametrize(
    ("index", "code"),
    [
        ("87.42", "tot"),
        ("69.96", "trung_binh"),  # published 2020
        ("80.81", "tot"),  # published 2020
        ("79.996", "tot"),  # published as 80,00
        ("79.994", "kha"),  # published as 79,99
        ("70", "kha"),
        ("50", "trung_binh"),
        ("49.99", "yeu"),
        ("0", "yeu"),
        ("100", "tot"),
    ],
)
def test_classify_uses_the_index_as_published(index, code, bands):
    assert classify(D(index), bands).code == code


@pytest.mark.parametrize(
    ("index", "bands"),
    [
        ("50", ()),
        ("-1", LAI_CHAU_BANDS),
        ("50", (Band("a", "A", D(50)), Band("b", "B", D(50)))),
    ],
)
def test_classify_rejects_unclassifiable_input(index, bands):
    with pytest.raises(ValueError):
        classify(D(index), bands)


# --- Lai Châu 2020 departments, as published ------------------------------------------

# Copied from shared/reference/lai-chau-2020-departments.csv (published results of the
# 2020 PAR INDEX of Lai Châu's departments, approved 13/04/2021). Columns: group,
# published order, name, appraisal, survey, total, max scale, index %, classification.
LAI_CHAU_2020 = [
    ("full_scale", 1, "Sở Nội vụ", "62.30", "23.37", "85.67", "98", "87.42", "Tốt"),
    ("full_scale", 2, "Sở Tư pháp", "61.76", "23.03", "84.79", "98", "86.52", "Tốt"),
    ("full_scale", 3, "Sở Kế hoạch và Đầu tư", "62.64", "21.70", "84.34", "98", "86.06", "Tốt"),
    ("full_scale", 4, "Sở Giáo dục và Đào tạo", "61.25", "22.70", "83.95", "98", "85.66", "Tốt"),
    ("full_scale", 5, "Sở Khoa học và Công nghệ", "60.89", "23.06", "83.95", "98", "85.66", "Tốt"),
    ("full_scale", 6, "Sở Giao thông vận tải", "62.20", "21.08", "83.28", "98", "84.98", "Tốt"),
    ("full_scale", 7, "Sở Công thương", "61.46", "21.56", "83.02", "98", "84.71", "Tốt"),
    ("full_scale", 8, "Sở Tài nguyên và Môi trường", "60.06", "22.33", "82.39", "98", "84.07", "Tốt"),
    ("full_scale", 9, "Sở Xây dựng", "58.31", "22.28", "80.59", "98", "82.23", "Tốt"),
    ("full_scale", 10, "Sở Thông tin và Truyền thông", "58.47", "21.84", "80.31", "98", "81.95", "Tốt"),
    ("full_scale", 11, "Sở Văn hóa, Thể thao và Du lịch", "59.52", "20.75", "80.27", "98", "81.91", "Tốt"),
    ("full_scale", 12, "Sở Lao động, Thương binh và Xã hội", "57.81", "21.38", "79.19", "98", "80.81", "Tốt"),
    ("full_scale", 13, "Sở Tài chính", "54.52", "20.88", "75.40", "98", "76.94", "Khá"),
    (
        "full_scale",
        14,
        "Sở Nông nghiệp và Phát triển nông thôn",
        "54.79",
        "20.52",
        "75.31",
        "98",
        "76.85",
        "Khá",
    ),
    ("full_scale", 15, "Sở Y tế", "51.57", "21.25", "72.82", "98", "74.31", "Khá"),
    ("reduced_scale", 1, "Sở Ngoại vụ", "52.36", "15.57", "67.93", "78.50", "86.53", "Tốt"),
]
# The two departments published at 85,66 share rank 4; the next one is 6th.
TIED_AT_4 = {"Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ"}
NAMES = {unit_id: row[2] for unit_id, row in enumerate(LAI_CHAU_2020, start=1)}


def lai_chau_2020_totals():
    return [
        UnitTotals(
            unit_id=unit_id,
            group=group,
            appraisal_points=D(appraisal),
            survey_points=D(survey),
            max_points=D(scale),
        )
        for unit_id, (group, _, _, appraisal, survey, *_, scale, _, _) in enumerate(LAI_CHAU_2020, start=1)
    ]


@pytest.fixture
def ranked_2020():
    return {NAMES[r.unit_id]: r for r in rank_units(lai_chau_2020_totals(), LAI_CHAU_BANDS)}


@pytest.mark.parametrize("row", LAI_CHAU_2020, ids=[row[2] for row in LAI_CHAU_2020])
def test_lai_chau_2020_recomputed_as_published(row, ranked_2020):
    group, order, name, _, _, total, _, index_pct, label = row
    unit = ranked_2020[name]
    assert unit.group == group
    assert unit.totals.total_points == D(total)
    # Published indices come from unrounded points: allow 0.01 (domain.md §8).
    assert abs(quantize_score(unit.index) - D(index_pct)) <= D("0.01")
    assert unit.band.label == label
    assert unit.rank == (4 if name in TIED_AT_4 else order)


def test_lai_chau_2020_ranking_order_and_ties(ranked_2020):
    ranked = rank_units(lai_chau_2020_totals(), LAI_CHAU_BANDS)
    full = [(NAMES[r.unit_id], r.rank) for r in ranked if r.group == "full_scale"]
    assert [rank for _, rank in full] == [1, 2, 3, 4, 4, *range(6, 16)]
    assert ranked_2020["Sở Giao thông vận tải"].rank == 6
    assert ranked_2020["Sở Ngoại vụ"].rank == 1
    assert [r.group for r in ranked] == ["full_scale"] * 15 + ["reduced_scale"]


def test_lai_chau_2020_group_summary(ranked_2020):
    summary = summarize_groups(list(ranked_2020.values()), LAI_CHAU_BANDS)
    full = summary["full_scale"]
    assert full.unit_count == 15
    assert full.class_counts == (("tot", 12), ("kha", 3), ("trung_binh", 0), ("yeu", 0))
    assert NAMES[full.best_unit_id] == "Sở Nội vụ"
    assert NAMES[full.worst_unit_id] == "Sở Y tế"
    indices = [r.index for r in ranked_2020.values() if r.group == "full_scale"]
    assert full.average_index == sum(indices, D(0)) / 15
    published_mean = sum((D(row[7]) for row in LAI_CHAU_2020[:15]), D(0)) / 15
    assert abs(full.average_index - published_mean) <= D("0.01")
    assert summary["reduced_scale"].unit_count == 1
    assert list(summary) == ["full_scale", "reduced_scale"]


def test_rank_units_rejects_duplicate_units():
    with pytest.raises(ValueError):
        rank_units([totals(1, "80"), totals(1, "70")], LAI_CHAU_BANDS)


def test_ties_for_best_and_worst_go_to_the_lowest_unit_id():
    ranked = rank_units([totals(5, "90"), totals(3, "90"), totals(9, "60"), totals(8, "60")], LAI_CHAU_BANDS)
    summary = summarize_groups(ranked, LAI_CHAU_BANDS)["g"]
    assert (summary.best_unit_id, summary.worst_unit_id) == (3, 8)


# --- comparing periods ---------------------------------------------------------------


def field(code, points, max_points):
    return FieldTotal(code, D(points), D(max_points))


def ranked_of(*units):
    return rank_units(units, LAI_CHAU_BANDS)


def test_compare_periods_same_unit():
    previous = ranked_of(
        totals(1, "80", fields=(field("1", "8", "10"), field("2", "5", "10"))),
        totals(2, "90"),
    )
    current = ranked_of(
        totals(1, "91", fields=(field("1", "9", "10"), field("3", "5", "10"))),
        totals(2, "85"),
    )
    change = compare_periods(current, previous, {})[1]
    assert change.previous_unit_id == 1
    assert change.points_change == D(11)
    assert change.index_change == D(11)
    assert change.rank_change == 1
    assert change.field_index_changes == (("1", D(10)), ("3", None))


def test_compare_periods_follows_a_single_predecessor():
    previous = ranked_of(totals(10, "70"), totals(11, "60"))
    current = ranked_of(totals(20, "75"), totals(11, "65"))
    change = compare_periods(current, previous, {20: [10, 99]})[20]
    assert change.previous_unit_id == 10
    assert change.points_change == D(5)


def test_compare_periods_gives_no_change_for_a_merger():
    previous = ranked_of(totals(10, "70"), totals(11, "60"))
    current = ranked_of(totals(20, "75", fields=(field("1", "1", "2"),)))
    change = compare_periods(current, previous, {20: [10, 11]})[20]
    assert change.previous_unit_id is None
    assert (change.points_change, change.index_change, change.rank_change) == (None, None, None)
    assert change.field_index_changes == (("1", None),)


def test_compare_periods_gives_no_rank_change_across_groups():
    previous = ranked_of(totals(1, "70", group="reduced_scale"))
    current = ranked_of(totals(1, "75", group="full_scale"))
    change = compare_periods(current, previous, {})[1]
    assert change.rank_change is None
    assert change.index_change == D(5)


# --- properties ----------------------------------------------------------------------

hundredths = st.integers(0, 10_000).map(lambda n: D(n) / 100)


@st.composite
def item_lists(draw, min_size=1):
    count = draw(st.integers(min_size, 12))
    result = []
    for number in range(1, count + 1):
        max_quarters = draw(st.integers(1, 80))
        points = draw(st.none() | st.integers(0, max_quarters * 25).map(lambda n: D(n) / 100))
        result.append(
            ItemScore(
                code=f"{draw(st.integers(1, 8))}.{number}",
                field_code="",  # filled below from the code
                criterion_code="",
                method=draw(st.sampled_from([METHOD_APPRAISAL, METHOD_SURVEY])),
                max_points=D(max_quarters) / 4,
                points=points,
                applicable=draw(st.booleans()),
            )
        )
    return [replace(i, field_code=i.code.split(".")[0], criterion_code=i.code) for i in result]


@st.composite
def unit_totals_lists(draw):
    count = draw(st.integers(0, 12))
    result = []
    for unit_id in range(1, count + 1):
        scale = draw(st.sampled_from([D(98), D("78.50"), D(100)]))
        total = draw(st.integers(0, int(scale * 100))) / D(100)
        appraisal = draw(st.integers(0, int(total * 100))) / D(100)
        result.append(
            UnitTotals(
                unit_id=unit_id,
                group=draw(st.sampled_from(["full_scale", "reduced_scale"])),
                appraisal_points=appraisal,
                survey_points=total - appraisal,
                max_points=scale,
                fields=(FieldTotal("1", appraisal, scale), FieldTotal("8", D(0), D(0))),
            )
        )
    return result


@given(item_lists())
def test_index_is_between_0_and_100(items):
    result = unit_totals_from_items(UnitItems(1, "g", tuple(items)))
    assert D(0) <= result.index <= D(100)
    for value in component_indices(result).values():
        assert value is None or D(0) <= value <= D(100)


@given(item_lists(), st.data())
def test_not_applicable_item_lowers_the_scale_by_its_maximum(items, data):
    applicable = [n for n, i in enumerate(items) if i.applicable]
    if not applicable:
        return
    n = data.draw(st.sampled_from(applicable))
    before = unit_totals_from_items(UnitItems(1, "g", tuple(items)))
    items[n] = replace(items[n], applicable=False)
    after = unit_totals_from_items(UnitItems(1, "g", tuple(items)))
    assert after.max_points == before.max_points - items[n].max_points
    assert D(0) <= after.index <= D(100)


@given(item_lists())
def test_full_points_give_index_100_whatever_is_not_applicable(items):
    items = [replace(i, points=i.max_points) for i in items]
    items[0] = replace(items[0], applicable=True)
    assert unit_totals_from_items(UnitItems(1, "g", tuple(items))).index == D(100)


@given(unit_totals_lists(), st.data())
def test_equal_totals_get_equal_rank(units, data):
    if not units:
        return
    source = data.draw(st.sampled_from(units))
    twin = replace(source, unit_id=len(units) + 1)
    ranks = {r.unit_id: r.rank for r in rank_units([*units, twin], LAI_CHAU_BANDS)}
    assert ranks[twin.unit_id] == ranks[source.unit_id]


@given(unit_totals_lists(), st.data())
def test_ranking_does_not_depend_on_input_order(units, data):
    shuffled = data.draw(st.permutations(units))
    assert rank_units(shuffled, SHUFFLED_BANDS) == rank_units(units, LAI_CHAU_BANDS)


@given(unit_totals_lists())
def test_rank_is_one_plus_units_strictly_above(units):
    ranked = rank_units(units, LAI_CHAU_BANDS)
    for unit in ranked:
        above = [
            other
            for other in ranked
            if other.group == unit.group and quantize_score(other.index) > quantize_score(unit.index)
        ]
        assert unit.rank == 1 + len(above)
    assert [(r.group, r.rank, r.unit_id) for r in ranked] == sorted(
        (r.group, r.rank, r.unit_id) for r in ranked
    )


@given(unit_totals_lists())
def test_class_counts_add_up_to_unit_count(units):
    summaries = summarize_groups(rank_units(units, LAI_CHAU_BANDS), SHUFFLED_BANDS)
    assert sum(s.unit_count for s in summaries.values()) == len(units)
    for summary in summaries.values():
        assert [code for code, _ in summary.class_counts] == ["tot", "kha", "trung_binh", "yeu"]
        assert sum(count for _, count in summary.class_counts) == summary.unit_count


@given(unit_totals_lists())
def test_identical_periods_show_no_change(units):
    ranked = rank_units(units, LAI_CHAU_BANDS)
    changes = compare_periods(ranked, ranked, {})
    assert set(changes) == {u.unit_id for u in units}
    for change in changes.values():
        assert change.previous_unit_id == change.unit_id
        assert (change.points_change, change.index_change, change.rank_change) == (0, 0, 0)
        assert change.field_index_changes == (("1", D(0)), ("8", None))


def test_ranked_unit_keeps_the_unrounded_index():
    (unit,) = rank_units([totals(1, "85.67", max_points="98")], LAI_CHAU_BANDS)
    assert isinstance(unit, RankedUnit)
    assert unit.index == D("85.67") * 100 / 98


def test_published_index_wins_over_the_recomputed_one():
    totals = calc.UnitTotals(
        unit_id=1,
        group="g",
        appraisal_points=Decimal("63.99"),
        survey_points=Decimal("16.00"),
        max_points=Decimal(100),
        published_index=Decimal("80.00"),
    )
    assert totals.computed_index == Decimal("79.99")
    assert totals.index == Decimal("80.00")
    (ranked,) = calc.rank_units([totals], calc.LAI_CHAU_BANDS)
    assert ranked.band.code == "tot"
