"""The rules of an edited criteria tree, without the database: the workbook's checks and the in-use ones."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.evaluation.editing.rules import EditRow, ItemUsage, check_edit, in_use_problems, next_child_code
from scoring.evaluation.rows import CriteriaRow
from tests.scoring.criteria_helpers import GOOD_ROWS

QUARTER = Decimal("0.25")


def lines_of(rows):
    return [EditRow.from_row(row, key=n, order=n) for n, row in enumerate(rows, start=1)]


def test_the_workbook_rows_pass_unchanged():
    checked = check_edit(lines_of(GOOD_ROWS))
    assert checked.ok
    assert [row for _key, row in checked.rows] == list(GOOD_ROWS)
    assert [key for key, _row in checked.rows] == list(range(1, len(GOOD_ROWS) + 1))


def test_a_broken_sum_is_reported_on_the_parent_line_and_column():
    lines = lines_of(GOOD_ROWS)
    lines[2] = replace(lines[2], max_points="0,75")  # 1.1.1
    (error,) = check_edit(lines).errors
    assert (error.index, error.column) == (1, "max_points")  # the line of 1.1
    assert error.message == "Điểm tối đa của mục 1.1 là 1,5 nhưng tổng điểm tối đa các mục con là 1,75."


def test_cell_errors_keep_the_line_given_even_when_lines_are_reordered():
    lines = lines_of(GOOD_ROWS)
    lines[6] = replace(lines[6], max_points="x", order=0)  # 2.1 typed before everything
    errors = check_edit(lines).errors
    assert any(
        e.index == 6 and e.column == "max_points" and e.message == "'x' không phải là số." for e in errors
    )


def test_order_moves_a_line_among_its_siblings():
    lines = lines_of(GOOD_ROWS)
    lines[3] = replace(lines[3], order=2.5)  # 1.1.2 before 1.1.1
    codes = [row.code for _key, row in check_edit(lines).rows]
    assert codes[:4] == ["1", "1.1", "1.1.2", "1.1.1"]


def test_next_child_code():
    codes = [row.code for row in GOOD_ROWS]
    assert next_child_code("1.1", codes) == "1.1.3"
    assert next_child_code("2.1", codes) == "2.1.1"
    assert next_child_code("", codes) == "3"


def test_in_use_refuses_deleting_a_used_item_and_names_the_units():
    before = {n: row for n, row in enumerate(GOOD_ROWS, start=1)}
    after = [(n, row) for n, row in before.items() if row.code != "1.1.1"]
    problems = in_use_problems(before=before, after=after, usage={3: ItemUsage(units=4)})
    assert [p.message for p in problems] == [
        "Không thể xóa mục 1.1.1: 4 đơn vị đã có điểm, thẩm định, giải trình hoặc tài liệu kiểm chứng cho mục này."
    ]


def test_in_use_refuses_a_max_below_a_score_entered():
    before = {n: row for n, row in enumerate(GOOD_ROWS, start=1)}
    after = [(n, replace(row, max_points=QUARTER) if n == 3 else row) for n, row in before.items()]
    usage = {3: ItemUsage(units=2, highest_points=Decimal("0.5"))}
    (problem,) = in_use_problems(before=before, after=after, usage=usage, index_of={3: 2})
    assert (problem.index, problem.column, problem.key) == (2, "max_points", 3)
    assert "không được thấp hơn 0,5" in problem.message
    assert in_use_problems(before=before, after=list(before.items()), usage=usage) == []


def test_in_use_refuses_children_under_a_used_item():
    before = {n: row for n, row in enumerate(GOOD_ROWS, start=1)}
    child = CriteriaRow(code="2.1.1", name="Mới", max_points=Decimal(1), method="appraisal")
    after = [*before.items(), (None, child)]
    (problem,) = in_use_problems(before=before, after=after, usage={7: ItemUsage(units=1)})
    assert "Không thể thêm mục con vào mục 2.1" in problem.message


def test_unused_items_may_go():
    before = {n: row for n, row in enumerate(GOOD_ROWS, start=1)}
    assert in_use_problems(before=before, after=[], usage={3: ItemUsage(units=0)}) == []


# --- property: whatever single edit is accepted keeps the sums and the total ------------------------------


@st.composite
def trees(draw):
    """Return valid rows: 1-3 fields, 1-3 criteria each, 0-3 sub-criteria each, leaves worth 0-2 in quarters."""
    rows = []
    for f in range(1, draw(st.integers(1, 3)) + 1):
        field_rows, field_total = [], Decimal(0)
        for c in range(1, draw(st.integers(1, 3)) + 1):
            subs = [Decimal(draw(st.integers(0, 8))) * QUARTER for _s in range(draw(st.integers(0, 3)))]
            if subs:
                total = sum(subs, Decimal(0))
                field_rows.append(CriteriaRow(code=f"{f}.{c}", name=f"Tiêu chí {f}.{c}", max_points=total))
                field_rows += [
                    CriteriaRow(code=f"{f}.{c}.{s}", name="TP", max_points=m, method="appraisal")
                    for s, m in enumerate(subs, start=1)
                ]
            else:
                total = Decimal(draw(st.integers(0, 8))) * QUARTER
                field_rows.append(CriteriaRow(code=f"{f}.{c}", name="TC", max_points=total, method="survey"))
            field_total += total
        rows += [CriteriaRow(code=str(f), name=f"Lĩnh vực {f}", max_points=field_total), *field_rows]
    return rows


@st.composite
def single_edits(draw):
    rows = draw(trees())
    lines = lines_of(rows)
    n = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["max", "name", "delete", "add"]))
    if kind == "max":
        lines[n] = replace(lines[n], max_points=str(Decimal(draw(st.integers(0, 40))) * QUARTER))
    elif kind == "name":
        lines[n] = replace(lines[n], name=draw(st.text(min_size=0, max_size=10)))
    elif kind == "delete":
        del lines[n]
    else:
        parent = lines[n]
        code = next_child_code(parent.code, [line.code for line in lines])
        points = str(Decimal(draw(st.integers(0, 8))) * QUARTER)
        lines.append(
            EditRow(
                key=None,
                code=code,
                name="Mới",
                max_points=points,
                step="0.25",
                method="appraisal",
                order=n + 1.5,
            )
        )
    return rows, lines


def total(rows):
    return sum((r.max_points for r in rows if "." not in r.code), Decimal(0))


@settings(max_examples=200, deadline=None)
@given(single_edits())
def test_an_accepted_single_edit_keeps_every_sum_and_the_total(case):
    rows, lines = case
    checked = check_edit(lines)
    if not checked.ok:
        return
    after = [row for _key, row in checked.rows]
    by_parent: dict[str, Decimal] = {}
    for row in after:
        if row.parent_code:
            by_parent[row.parent_code] = by_parent.get(row.parent_code, Decimal(0)) + row.max_points
    for row in after:
        if row.code in by_parent:
            assert by_parent[row.code] == row.max_points
    assert total(after) == total(rows)


@settings(max_examples=50, deadline=None)
@given(trees())
def test_every_generated_tree_is_valid(rows):
    assert check_edit(lines_of(rows)).ok


def test_in_use_refuses_changing_the_method_of_a_used_item():
    before = {n: row for n, row in enumerate(GOOD_ROWS, start=1)}
    after = [(n, replace(row, method="survey") if n == 7 else row) for n, row in before.items()]
    (problem,) = in_use_problems(before=before, after=after, usage={7: ItemUsage(units=3)})
    assert problem.column == "method" and "Không thể đổi phương pháp của mục 2.1: 3 đơn vị" in problem.message
