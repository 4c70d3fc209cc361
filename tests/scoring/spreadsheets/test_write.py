"""The spreadsheet writer: no text it writes can be read as a formula; numbers and plain text are untouched."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scoring.spreadsheets.io import read_table
from scoring.spreadsheets.write import (
    TRIGGERS,
    Formula,
    append_row,
    csv_writer,
    is_risky,
    put,
    xlsx_cell,
)
from tests.scoring.spreadsheets.injection import EVIL as INJECTIONS

# The strings, and two that hide the trigger behind spaces or a new line.
EVIL = (*INJECTIONS, "  =1+1", " \n-1")

# Text with a good share of trigger characters and leading whitespace, so that the risky cases are common.
texts = (
    st.text(alphabet=st.sampled_from([*TRIGGERS, " ", "a", "1", "ố", "|", "'", "!", "(", "\n"]), max_size=12)
    | st.text()
)
numbers = st.integers(min_value=-(10**12), max_value=10**12) | st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
)
values = st.one_of(texts, numbers, st.none())
# Saving and reading a workbook takes tens of milliseconds, more on a loaded machine: no per-example deadline.
workbook_settings = settings(deadline=None, max_examples=60)


def _first_visible(text: str) -> str:
    return text.lstrip()[:1]


def _as_read(text: str) -> str:
    # What Excel reads back: no control characters (invalid in XML); CR survives (openpyxl escapes it as _x000D_).
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _reload(workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def _assert_inert(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and (
                cell.value[:1] in TRIGGERS or _first_visible(cell.value) in TRIGGERS
            ):
                assert cell.quotePrefix, (cell.coordinate, cell.value)


@pytest.mark.parametrize("text", EVIL)
def test_every_trigger_is_risky(text):
    assert is_risky(text)


@pytest.mark.parametrize("text", ["Sở Nội vụ", "1.1.2", "a=b", "'=quoted", "", "   ", "email@x.vn"])
def test_ordinary_text_is_not_risky(text):
    assert not is_risky(text)


@settings(deadline=None)
@given(st.lists(st.lists(values, max_size=6), max_size=6))
def test_csv_never_writes_a_field_that_starts_a_formula(rows):
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(rows)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(read) == len(rows)
    for written, original in zip(read, rows, strict=True):
        for field, value in zip(written, original, strict=True):
            if isinstance(value, str):
                assert field[:1] not in TRIGGERS and _first_visible(field) not in TRIGGERS
                # The text survives, behind an apostrophe only when it needed one.
                assert field == ("'" + value if is_risky(value) or value[:1] == "'" else value)
            elif value is not None:
                assert field == str(value)  # numbers untouched: no apostrophe on -5


@pytest.mark.parametrize("write_only", [True, False])
@workbook_settings
@given(rows=st.lists(st.lists(values, min_size=1, max_size=5), min_size=1, max_size=5))
def test_xlsx_never_writes_a_live_formula(write_only, rows):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("s")
    for row in rows:
        append_row(sheet, row)
    loaded = _reload(workbook)["s"]
    _assert_inert(loaded)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = loaded.cell(row=number, column=column)
            if isinstance(value, str):
                assert (cell.value or "") == _as_read(value)  # the visible text is what was typed
            elif isinstance(value, int | Decimal):
                assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(value)


@workbook_settings
@given(st.lists(texts, min_size=1, max_size=8))
def test_put_writes_text_into_a_normal_sheet(texts_):
    workbook = Workbook()
    sheet = workbook.active
    for column, text in enumerate(texts_, start=1):
        put(sheet, 1, column, text).number_format = "@"
    _assert_inert(_reload(workbook).active)


def test_styled_cells_keep_their_style_and_stay_text():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    from openpyxl.styles import Font

    append_row(
        sheet, [xlsx_cell(sheet, "=1+1", font=Font(bold=True)), Decimal("-2.50"), date(2026, 1, 15), -3]
    )
    cells = list(_reload(workbook)["s"].iter_rows())[0]
    assert (cells[0].value, cells[0].data_type, cells[0].quotePrefix, cells[0].font.b) == (
        "=1+1",
        "s",
        True,
        True,
    )
    assert (cells[1].value, cells[1].data_type, cells[1].quotePrefix) == (-2.5, "n", False)
    assert cells[2].is_date and cells[3].value == -3


def test_a_formula_the_product_writes_goes_through_the_explicit_call():
    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, [Decimal(1), Decimal(2), Formula("=SUM(A1:B1)"), "=SUM(A1:B1)"])
    put(sheet, 2, 1, Formula("=A1*2"))
    loaded = _reload(workbook).active
    assert [c.data_type for c in loaded[1]] == ["n", "n", "f", "s"]
    assert loaded["A2"].data_type == "f"
    with pytest.raises(ValueError):
        Formula("SUM(A1:B1)")


# --- every export writes through this module -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
WRITER = ROOT / "scoring" / "spreadsheets" / "write.py"
# Ways to put a value into a file that skip the writer.
BYPASSES = {
    "csv.writer": re.compile(r"\bcsv\.(writer|DictWriter)\("),
    "a cell made by hand": re.compile(r"\b(WriteOnlyCell|Cell)\("),
    "a value put into a cell": re.compile(r"\.cell\([^)]*\bvalue=|\.value\s*=[^=]"),
}
SHEET = re.compile(r"\b(\w+)\s*=\s*\w+\.(create_sheet\(|active\b)")


def _modules():
    for app in ("scoring", "appraisal", "surveys", "reports"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if path != WRITER and "migrations" not in path.parts:
                yield path


def test_no_export_writes_cells_or_csv_rows_without_the_writer():
    found = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        for what, pattern in BYPASSES.items():
            found += [f"{path.relative_to(ROOT)}: {what}" for _m in pattern.finditer(text)]
        # A sheet's own append takes any text as it is; append_row(sheet, …) is the writer's.
        for name in {m.group(1) for m in SHEET.finditer(text)}:
            if re.search(rf"\b{name}\.append\(", text):
                found.append(f"{path.relative_to(ROOT)}: {name}.append")
    assert found == []


def test_the_bypass_check_sees_a_bypass():
    # The check above must be able to fail: the audit export as it was before the writer.
    old = 'sheet = workbook.create_sheet("x")\nsheet.append(row)\nwriter = csv.writer(buffer)\n'
    assert BYPASSES["csv.writer"].search(old) and SHEET.search(old)
    assert BYPASSES["a value put into a cell"].search("ws.cell(row=1, column=1, value=title)")


@given(
    st.lists(
        st.lists(
            texts.filter(lambda t: t.strip() and "\r" not in t and "\x00" not in t), min_size=2, max_size=4
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_csv_export_reads_back_as_written(rows):
    # The importers read our own CSV files (samples, templates) back: the apostrophe is the writer's, not the text.
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(["ma", "ten", "c", "d"][: len(rows[0])])
    writer.writerows(rows)
    table = read_table(content=out.getvalue().encode(), filename="x.csv")
    assert [list(cells) for _n, cells in table.rows] == rows
