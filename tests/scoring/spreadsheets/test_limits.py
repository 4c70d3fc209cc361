"""Import limits: the zip directory checked before parsing, rows and columns counted while streaming."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from scoring.spreadsheets.io import TableReadError, read_table, read_tables
from scoring.spreadsheets.limits import MB, Limits, SpreadsheetTooLarge, bounded_rows, check_xlsx
from surveys.ballot_import.io import BallotFileError, Catalogue, read_ballots
from surveys.design.io import forms_from_workbook
from tests.scoring.spreadsheets.bombs import many_rows, row_xml, xlsx, zip_bomb

ROOT = Path(__file__).resolve().parents[3]
IMPORTS = ("criteria", "users", "survey_forms", "ballots", "sipas", "published", "national")
LIMITS = Limits(
    max_rows=100, max_columns=10, max_cells=500, max_uncompressed_bytes=5 * MB, max_members=20, max_ratio=200
)


def _rows_xlsx(rows: list[list[object]], *, sheet_name: str = "Sheet1") -> bytes:
    def write(sheet):
        for number, values in enumerate(rows, start=1):
            sheet.write(row_xml(number, values))

    return xlsx(write, sheet_name=sheet_name)


# --- the zip directory, before parsing -----------------------------------------------------------------


def test_a_zip_bomb_is_refused_on_its_uncompressed_size_without_inflating_it():
    bomb = zip_bomb(megabytes=20)
    with pytest.raises(SpreadsheetTooLarge, match="khi giải nén có 20 MB dữ liệu, vượt mức 5,0 MB"):
        check_xlsx(bomb, LIMITS)


def test_a_member_compressed_beyond_the_ratio_is_refused_even_under_the_size_limit():
    bomb = zip_bomb(megabytes=3)
    with pytest.raises(
        SpreadsheetTooLarge, match=r"nén bất thường \(phần xl/worksheets/sheet1.xml nén \d+ lần"
    ):
        check_xlsx(bomb, LIMITS)


def test_too_many_zip_members_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(21):
            archive.writestr(f"xl/media/{n}.txt", b"x")
    with pytest.raises(SpreadsheetTooLarge, match="gồm 21 phần nén, quá mức cho phép"):
        check_xlsx(buffer.getvalue(), LIMITS)


def test_an_ordinary_workbook_and_a_file_that_is_not_a_zip_pass_the_check():
    check_xlsx(_rows_xlsx([["ma", "ten"], ["1", "Sở Nội vụ"]]), LIMITS)
    check_xlsx(b"not a zip", LIMITS)  # the reader says it is broken, as before


# --- rows and columns, while streaming -------------------------------------------------------------------


def test_the_row_limit_stops_the_reader_at_the_first_row_over_it():
    read = []

    def rows():
        for n in range(1, 1_000_000):
            read.append(n)
            yield n, ("x",)

    with pytest.raises(SpreadsheetTooLarge, match="hơn 100 dòng"):
        list(bounded_rows(rows(), LIMITS))
    assert len(read) == 101


def test_a_cell_beyond_the_column_limit_is_named_by_its_row_but_empty_trailing_cells_are_not():
    assert list(bounded_rows(iter([(1, ("a", *[""] * 50))]), LIMITS)) == [(1, ("a", *[""] * 50))]
    with pytest.raises(SpreadsheetTooLarge, match="Dòng 3 có dữ liệu ở cột thứ 12; mỗi dòng tối đa 10 cột"):
        list(bounded_rows(iter([(3, ("a", *[None] * 10, "b"))]), LIMITS))


def test_the_cell_limit_stops_a_wide_sheet_at_the_row_that_passes_it():
    rows = ((n, ("x",) * 10) for n in range(1, 100))
    with pytest.raises(SpreadsheetTooLarge, match="Tệp có hơn 500 ô dữ liệu \\(tới dòng 51\\)"):
        list(bounded_rows(rows, LIMITS))


@pytest.mark.parametrize("name", ["rows.xlsx", "rows.csv"])
def test_read_table_refuses_a_long_table_with_a_clear_error(settings, name):
    settings.IMPORT_MAX_ROWS = 50
    rows = [["ma", "ten"], *([str(n), "x"] for n in range(60))]
    csv_text = "\n".join(",".join(r) for r in rows)
    content = csv_text.encode() if name.endswith(".csv") else _rows_xlsx(rows)
    with pytest.raises(TableReadError, match="Tệp có hơn 50 dòng; mỗi lần nhập tối đa 50 dòng"):
        read_table(content=content, filename=name)


def test_a_csv_larger_than_the_uncompressed_limit_is_refused_before_decoding(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    with pytest.raises(TableReadError, match="Tệp CSV có 1,1 MB dữ liệu, vượt mức 1,0 MB"):
        read_table(content=b"ma,ten\n" + b"1,x\n" * 300_000, filename="a.csv")


def test_a_wrong_declared_dimension_neither_cuts_nor_pads_the_rows():
    def write(sheet):
        sheet.write(row_xml(1, ["ma", "ten", "gia_tri"]))
        sheet.write(row_xml(2, ["1", "Sở Nội vụ", 3]))

    content = xlsx(write).replace(b"<sheetData>", b'<dimension ref="A1:A1"/><sheetData>')
    table = read_table(content=content, filename="a.xlsx")
    assert table.header == ("ma", "ten", "gia_tri")
    assert table.rows == ((2, ("1", "Sở Nội vụ", 3)),)


def test_read_tables_reads_the_first_sheet_and_the_named_one_from_one_opening():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["year", "points"])
    workbook.active.append([2024, 80])
    fields = workbook.create_sheet("linh_vuc")
    fields.append(["year", "field"])
    fields.append([2024, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    first, extra = read_tables(content=buffer.getvalue(), filename="a.xlsx", extra_sheet="Linh_vuc")
    assert first.rows == ((2, (2024, 80)),)
    assert extra is not None and extra.rows == ((2, (2024, 1)),)
    first, extra = read_tables(content=b"year,points\n2024,80\n", filename="a.csv", extra_sheet="linh_vuc")
    assert extra is None and first.rows == ((2, ("2024", "80")),)


def test_ballots_stop_at_their_own_row_limit(settings):
    settings.BALLOT_IMPORT_MAX_ROWS = 30
    content = _rows_xlsx(
        [["ballot_number", "form_code", "unit_code", "C1"], *([n, "M1", "u", "A"] for n in range(40))]
    )
    with pytest.raises(BallotFileError) as refused:
        read_ballots(content=content, filename="phieu.xlsx", catalogue=Catalogue(forms={}, units={}))
    assert [e.message for e in refused.value.errors] == [
        "Tệp có hơn 30 dòng; mỗi lần nhập tối đa 30 dòng, hãy chia thành nhiều tệp."
    ]


def test_survey_forms_stop_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 5
    content = _rows_xlsx([["Mã mẫu phiếu"], *([f"M{n}"] for n in range(10))], sheet_name="Mẫu phiếu")
    errors = forms_from_workbook(content).errors
    assert [e.message for e in errors] == [
        "Tệp có hơn 5 dòng; mỗi lần nhập tối đa 5 dòng, hãy chia thành nhiều tệp."
    ]


# --- every import's reader, in a process of its own ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    started = time.perf_counter()
    (folder / "bomb.xlsx").write_bytes(zip_bomb(megabytes=300))
    (folder / "rows.xlsx").write_bytes(many_rows(rows=1_000_000))
    assert time.perf_counter() - started < 30  # built as streams: seconds, not minutes
    return folder


def _measure(kind: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.scoring.spreadsheets.measure", kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", IMPORTS)
@pytest.mark.parametrize("hostile", ["bomb", "rows"])
def test_every_import_refuses_a_zip_bomb_and_a_million_rows_in_seconds_and_under_200_mb(
    hostile_files, kind, hostile
):
    figures = _measure(kind, hostile_files / f"{hostile}.xlsx")
    assert figures["errors"], f"{kind} accepted the {hostile} file"
    assert figures["seconds"] < 10
    assert figures["growth_mb"] < 200
    if hostile == "bomb":
        assert any("giải nén" in e or "nén bất thường" in e for e in figures["errors"])
    elif kind in ("users", "sipas", "published", "national"):
        assert any("Tệp có hơn 20000 dòng" in e for e in figures["errors"])
