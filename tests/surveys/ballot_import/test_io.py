"""Reading and validating a ballot file against the survey design, without the database."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from surveys.ballot_import import io as ballot_io
from surveys.ballot_import.io import BallotFileError, Catalogue, FormSpec, QuestionSpec, UnitSpec

DISTRICTS, DEPARTMENTS = 1, 2


def _form(form_id: int, code: str, group: int, questions: int = 3) -> FormSpec:
    return FormSpec(
        form_id=form_id,
        code=code,
        target_group_id=group,
        questions={
            n: QuestionSpec(
                question_id=form_id * 100 + n,
                options={c: form_id * 1000 + n * 10 + i for i, c in enumerate("ABCD")},
            )
            for n in range(1, questions + 1)
        },
    )


CATALOGUE = Catalogue(
    forms={"M1": _form(1, "M1", DISTRICTS), "M2": _form(2, "M2", DEPARTMENTS, questions=2)},
    units={
        "muong-te": UnitSpec(11, "muong-te", DISTRICTS),
        "so-noi-vu": UnitSpec(21, "so-noi-vu", DEPARTMENTS),
    },
)


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _read(content: bytes, filename: str = "phieu.csv") -> list[ballot_io.BallotRow]:
    return ballot_io.read_ballots(content=content, filename=filename, catalogue=CATALOGUE)


def _errors(content: bytes, filename: str = "phieu.csv") -> list[tuple[int | None, str]]:
    with pytest.raises(BallotFileError) as caught:
        _read(content, filename)
    return [(e.row, e.column) for e in caught.value.errors]


def test_valid_rows_become_ballots_with_option_ids_and_respondent_attributes():
    rows = _read(
        _csv(
            "ballot_number,form_code,unit_code,gioi_tinh,C1,C2,C3",
            "1,M1,muong-te,Nữ,A,b,C",
            "2,m2,SO-NOI-VU,,D,A,",
        )
    )
    assert [(r.row, r.number, r.form_id, r.unit_id) for r in rows] == [(2, "1", 1, 11), (3, "2", 2, 21)]
    assert rows[0].answers == ((101, 1010), (102, 1021), (103, 1032))
    assert rows[0].respondent == {"gioi_tinh": "Nữ"}
    assert rows[1].respondent == {}
    assert rows[0].complete and rows[1].complete


def test_a_ballot_with_a_blank_answer_is_read_as_incomplete_not_refused():
    (row,) = _read(_csv("ballot_number,form_code,unit_code,C1,C2,C3", "7,M1,muong-te,A,,C"))
    assert not row.complete
    assert row.answers == ((101, 1010), (103, 1032))


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("1,M9,muong-te,A,A,A", "form_code"),
        ("1,M1,khong-co,A,A,A", "unit_code"),
        ("1,M1,so-noi-vu,A,A,A", "unit_code"),  # a department on the district form
        ("1,M1,muong-te,A,F,A", "C2"),
        (",M1,muong-te,A,A,A", "ballot_number"),
        ("1,M2,so-noi-vu,A,A,A", "C3"),  # M2 has two questions only
    ],
)
def test_each_kind_of_bad_cell_is_reported_with_its_row_and_column(line, column):
    assert _errors(_csv("ballot_number,form_code,unit_code,C1,C2,C3", line)) == [(2, column)]


def test_a_ballot_number_twice_on_the_same_form_is_an_error_naming_the_first_row():
    content = _csv(
        "ballot_number,form_code,unit_code,C1", "5,M1,muong-te,A", "5,M2,so-noi-vu,A", "5,M1,muong-te,B"
    )
    with pytest.raises(BallotFileError) as caught:
        _read(content)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (4, "ballot_number")
    assert "dòng 2" in error.message


def test_every_error_of_the_file_is_reported_not_only_the_first():
    content = _csv("ballot_number,form_code,unit_code,C1", "1,M9,muong-te,A", "2,M1,x,A", "3,M1,muong-te,Z")
    assert _errors(content) == [(2, "form_code"), (3, "unit_code"), (4, "C1")]


def test_a_missing_required_column_is_reported_on_the_header_row():
    with pytest.raises(BallotFileError) as caught:
        _read(_csv("# ghi chú", "ballot_number,unit_code,C1", "1,muong-te,A"))
    (error,) = caught.value.errors
    assert error.row == 2 and "form_code" in error.message


def test_an_empty_file_and_a_wrong_extension_are_refused_in_vietnamese():
    assert "trống" in str(pytest.raises(BallotFileError, _read, b"").value)
    assert ".xlsx" in str(pytest.raises(BallotFileError, _read, b"x", "phieu.xls").value)
    assert "Excel" in str(pytest.raises(BallotFileError, _read, b"not a zip", "phieu.xlsx").value)


def test_an_excel_file_is_streamed_with_numbers_typed_as_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ballot_number", "form_code", "unit_code", "C1", "C2", "C3"])
    sheet.append([])
    sheet.append([17, "M1", "muong-te", "A", "B", "C"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = _read(buffer.getvalue(), "phieu.xlsx")
    assert (row.row, row.number, row.complete) == (3, "17", True)


def test_a_semicolon_csv_from_vietnamese_excel_is_read():
    (row,) = _read("\ufeffballot_number;form_code;unit_code;C1;C2\n1;M2;so-noi-vu;A;B\n".encode())
    assert row.complete and row.form_id == 2


def test_the_template_has_the_columns_and_an_example_row_per_form_that_reads_back():
    header, examples = ballot_io.template_rows(catalogue=CATALOGUE)
    assert header[:3] == ["Số phiếu", "Mã mẫu phiếu", "Mã đơn vị"]
    assert header[-3:] == ["C1", "C2", "C3"]
    assert all(row[0].startswith(ballot_io.EXAMPLE_PREFIX) for row in examples)
    # Filled in by the user (their own numbers), the example rows are valid ballots.
    filled = [[row[0].removeprefix(ballot_io.EXAMPLE_PREFIX), *row[1:]] for row in examples]
    lines = [",".join(header), *(",".join(row) for row in filled)]
    rows = _read(_csv(*lines))
    assert [r.form_id for r in rows] == [1, 2]
    assert all(r.complete for r in rows)


def test_example_rows_left_in_the_file_are_not_imported():
    header, examples = ballot_io.template_rows(catalogue=CATALOGUE)
    real = ["17", *examples[0][1:]]
    rows = _read(_csv(",".join(header), *(",".join(row) for row in examples), ",".join(real)))
    assert [r.number for r in rows] == ["17"]


@pytest.mark.parametrize(
    "header",
    [
        "ballot_number,form_code,unit_code",
        "Số phiếu,Mã mẫu phiếu,Mã đơn vị",
        "so_phieu,ma_mau_phieu,ma_don_vi",
    ],
)
def test_vietnamese_and_english_headers_are_both_read(header):
    (row,) = _read(_csv(header + ",C1,C2", "1,M2,so-noi-vu,A,B"))
    assert row.complete and row.form_id == 2
