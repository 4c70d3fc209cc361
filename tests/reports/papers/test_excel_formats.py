"""Every number in the report workbooks carries a number format: counts "#,##0", points and indices "0.00"."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from reports.annual.selectors import annual_report_build
from reports.rankings.selectors import ranking_table
from reports.render.annual_xlsx import annual_workbook
from reports.render.xlsx import rankings_workbook
from scoring.spreadsheets.write import POINTS_FORMAT, WHOLE_NUMBER_FORMAT, append_row, put, xlsx_cell
from tests.reports.ranking_data import lai_chau_2020_create


def _numeric_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    yield ws.title, cell


@pytest.fixture
def lai_chau_2020(body):
    return lai_chau_2020_create(body=body)


def test_every_number_of_the_annual_workbook_has_a_format(body, lai_chau_2020):
    content = annual_workbook(annual_report_build(body=body, year=2020))

    cells = list(_numeric_cells(content))
    assert cells
    unformatted = [f"{title}!{cell.coordinate}" for title, cell in cells if cell.number_format == "General"]
    assert unformatted == []
    formats = {cell.number_format for _t, cell in cells}
    assert formats == {WHOLE_NUMBER_FORMAT, POINTS_FORMAT}
    first = load_workbook(io.BytesIO(content)).worksheets[0]
    assert first["A4"].number_format == WHOLE_NUMBER_FORMAT  # STT
    assert first["I4"].number_format == WHOLE_NUMBER_FORMAT  # rank
    assert first["G4"].number_format == POINTS_FORMAT  # index (%), as the report prints it


def test_every_number_of_the_rankings_workbook_has_a_format(body, lai_chau_2020):
    content = rankings_workbook(table=ranking_table(body=body, year=2020))

    assert [c.coordinate for _t, c in _numeric_cells(content) if c.number_format == "General"] == []


@pytest.mark.parametrize("write_only", [True, False])
@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.integers(-(10**9), 10**9),
            st.decimals(min_value=-1000, max_value=1000, places=2),
            st.text(max_size=5),
            st.none(),
        ),
        max_size=6,
    )
)
def test_append_row_with_number_formats_formats_numbers_only(write_only, values):
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet(title="numbers")
    append_row(ws, values, number_formats=True)
    append_row(ws, [xlsx_cell(ws, 7, number_format="0%")], number_formats=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(buffer)["numbers"]
    for cell, value in zip(read[1], values, strict=False):
        if isinstance(value, int):
            assert cell.number_format == WHOLE_NUMBER_FORMAT
        elif isinstance(value, Decimal):
            assert cell.number_format == POINTS_FORMAT
        elif isinstance(value, str) and cell.value is not None:
            assert cell.number_format == "General"
    kept = [c for row in read.iter_rows() for c in row if c.value == 7 and c.number_format == "0%"]
    assert kept  # a format given on purpose is kept


def test_put_takes_a_number_format():
    ws = Workbook().active
    assert put(ws, 1, 1, 1200, number_format="default").number_format == WHOLE_NUMBER_FORMAT
    assert put(ws, 1, 2, Decimal("85.11"), number_format="default").number_format == POINTS_FORMAT
    assert put(ws, 1, 3, "2020", number_format="default").number_format == "General"
    assert put(ws, 1, 4, 2020).number_format == "General"
