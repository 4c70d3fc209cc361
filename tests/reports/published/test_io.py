"""Parsing and validating files of published results: pure, no database."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from reports.published.data import PublishedResultsImportError
from reports.published.io import RowError, parse_published_results, sample_csv

DATA = Path(__file__).parent.parent / "data"
HEADER = "year,group,unit_name,appraisal_points,survey_points,max_points"


def parse(text: str, filename: str = "ket-qua.csv", **kwargs):
    return parse_published_results(content=text.encode("utf-8"), filename=filename, **kwargs)


def errors_of(text: str, filename: str = "ket-qua.csv", **kwargs) -> list[RowError]:
    with pytest.raises(PublishedResultsImportError) as caught:
        parse(text, filename, **kwargs)
    return list(caught.value.errors)


def test_reference_file_with_comments_and_extra_columns_parses_with_a_chosen_year():
    rows = parse_published_results(
        content=(DATA / "lai-chau-2020-departments.csv").read_bytes(),
        filename="lai-chau-2020-departments.csv",
        default_year=2020,
    )
    assert len(rows) == 16
    first = rows[0]
    assert (first.line, first.year, first.group, first.unit_name) == (5, 2020, "full_scale", "Sở Nội vụ")
    assert (first.appraisal_points, first.survey_points, first.max_points) == (
        Decimal("62.30"),
        Decimal("23.37"),
        Decimal("98"),
    )
    assert first.classification == "Tốt"
    assert rows[-1].unit_name == "Sở Ngoại vụ" and rows[-1].max_points == Decimal("78.50")
    assert rows[10].unit_name == "Sở Văn hóa, Thể thao và Du lịch"


def test_file_without_year_column_and_no_chosen_year_names_the_missing_column():
    content = (DATA / "lai-chau-2020-departments.csv").read_text(encoding="utf-8")
    [error] = errors_of(content)
    assert (error.row, error.column) == (4, "year")
    assert "thiếu cột bắt buộc: year" in error.message


def test_missing_required_columns_are_all_named():
    [error] = errors_of("year,group,unit_name,appraisal_points\n2020,A,Sở X,60\n")
    assert (error.row, error.column) == (1, "survey_points, max_points")
    assert (
        str(error) == "Dòng 1, cột survey_points, max_points: thiếu cột bắt buộc: survey_points, max_points."
    )


def test_unknown_column_is_named():
    [error] = errors_of(f"{HEADER},ghi_chu\n2020,A,Sở X,60,20,100,abc\n")
    assert (error.row, error.column) == (1, "ghi_chu")
    assert "không có trong mẫu" in error.message


def test_duplicated_column_is_an_error():
    [error] = errors_of(f"{HEADER},YEAR\n2020,A,Sở X,60,20,100,2020\n")
    assert (error.row, error.column) == (1, "year")


def test_header_names_are_case_insensitive_and_trimmed():
    [row] = parse(
        " Year , GROUP,Unit_Name,appraisal_points ,survey_points,max_points\n2020,A,Sở X,60,20,100\n"
    )
    assert (row.year, row.unit_name, row.max_points) == (2020, "Sở X", Decimal(100))


def test_non_number_names_row_column_and_value():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,60,20,100\n2020,A,Sở Y,60,abc,100\n")
    assert str(error) == "Dòng 3, cột survey_points: «abc» không phải là số."


def test_negative_points_are_an_error():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,-1,20,100\n")
    assert (error.row, error.column) == (2, "appraisal_points")
    assert "âm" in error.message


def test_zero_scale_is_an_error():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,0,0,0\n")
    assert (error.row, error.column) == (2, "max_points")


def test_total_above_scale_is_an_error():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,70,29.5,98\n")
    assert (error.row, error.column) == (2, "appraisal_points, survey_points")
    assert "99,50" in error.message and "98,00" in error.message


def test_empty_required_cell_is_an_error():
    [error] = errors_of(f"{HEADER}\n2020,A,,60,20,100\n")
    assert (error.row, error.column) == (2, "unit_name")
    assert "trống" in error.message


@pytest.mark.parametrize("year", ["1999", "2101", "20x0", "2020.5"])
def test_year_must_be_a_whole_year_in_range(year):
    [error] = errors_of(f"{HEADER}\n{year},A,Sở X,60,20,100\n")
    assert (error.row, error.column) == (2, "year")


def test_year_differing_from_the_chosen_year_is_an_error():
    [error] = errors_of(f"{HEADER}\n2021,A,Sở X,60,20,100\n", default_year=2020)
    assert (error.row, error.column) == (2, "year")


def test_more_than_four_decimal_places_is_an_error():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,60.12345,20,100\n")
    assert (error.row, error.column) == (2, "appraisal_points")


def test_same_unit_twice_in_a_year_is_an_error_on_the_second_row():
    [error] = errors_of(f"{HEADER}\n2020,A,Sở X,60,20,100\n2020,A,sở  x,61,20,100\n2021,A,Sở X,62,20,100\n")
    assert (error.row, error.column) == (3, "unit_name")
    assert "dòng 2" in error.message


def test_same_unit_code_twice_in_a_year_is_an_error():
    [error] = errors_of(f"{HEADER},unit_code\n2020,A,Sở X,60,20,100,so-x\n2020,A,Sở X mới,61,20,100,so-x\n")
    assert (error.row, error.column) == (3, "unit_code")


def test_invalid_unit_code_is_an_error():
    [error] = errors_of(f"{HEADER},unit_code\n2020,A,Sở X,60,20,100,Sở X\n")
    assert (error.row, error.column) == (2, "unit_code")


def test_field_column_without_its_pair_is_a_header_error():
    [error] = errors_of(f"{HEADER},field_3_points\n2020,A,Sở X,60,20,100,5\n")
    assert (error.row, error.column) == (1, "field_3_points")
    assert "field_3_max" in error.message


def test_field_points_without_maximum_in_a_row_is_an_error():
    [error] = errors_of(f"{HEADER},field_1_points,field_1_max\n2020,A,Sở X,60,20,100,5,\n")
    assert (error.row, error.column) == (2, "field_1_max")


def test_field_points_above_field_maximum_is_an_error():
    [error] = errors_of(f"{HEADER},field_1_points,field_1_max\n2020,A,Sở X,60,20,100,7.5,7\n")
    assert (error.row, error.column) == (2, "field_1_points")


def test_all_eight_field_maxima_must_add_up_to_the_scale():
    columns = ",".join(f"field_{n}_points,field_{n}_max" for n in range(1, 9))
    cells = ",".join("5,12" for _ in range(8))  # 8 × 12 = 96, not 100
    [error] = errors_of(f"{HEADER},{columns}\n2020,A,Sở X,60,20,100,{cells}\n")
    assert error.row == 2 and "96,00" in error.message


def test_eight_fields_adding_up_are_kept_in_order():
    columns = ",".join(f"field_{n}_points,field_{n}_max" for n in range(1, 9))
    cells = ",".join(f"{n},12.5" for n in range(1, 9))
    [row] = parse(f"{HEADER},{columns}\n2020,A,Sở X,60,20,100,{cells}\n")
    assert [(f.code, f.points, f.max_points) for f in row.fields] == [
        (str(n), Decimal(n), Decimal("12.5")) for n in range(1, 9)
    ]


def test_published_total_differing_from_the_sum_is_an_error():
    [error] = errors_of(f"{HEADER},total_points\n2020,A,Sở X,60,20,100,80.02\n")
    assert (error.row, error.column) == (2, "total_points")


def test_published_index_differing_by_more_than_a_hundredth_is_an_error():
    [error] = errors_of(f"{HEADER},index_pct\n2020,A,Sở Nội vụ,62.30,23.37,98,87.44\n")
    assert (error.row, error.column) == (2, "index_pct")
    assert "87,42" in error.message


def test_published_index_from_unrounded_points_is_accepted():
    # Sở Ngoại vụ 2020: 67.93 / 78.5 = 86.535…, published 86.53 from its unrounded points.
    [row] = parse(f'{HEADER},index_pct\n2020,B,Sở Ngoại vụ,52.36,15.57,78.50,"86,53%"\n')
    assert row.max_points == Decimal("78.50")


def test_every_error_of_the_file_is_reported_at_once():
    errors = errors_of(f"{HEADER}\n2020,A,Sở X,abc,20,100\n2020,A,Sở Y,60,-2,100\n2020,A,Sở Z,90,20,100\n")
    assert [(e.row, e.column) for e in errors] == [
        (2, "appraisal_points"),
        (3, "survey_points"),
        (4, "appraisal_points, survey_points"),
    ]


def test_semicolon_csv_with_decimal_commas_and_bom():
    text = "\ufeffyear;group;unit_name;appraisal_points;survey_points;max_points\r\n2020;Sở, ban, ngành;Sở Nội vụ;62,30;23,37;98\r\n"
    [row] = parse(text)
    assert (row.group, row.appraisal_points, row.survey_points) == (
        "Sở, ban, ngành",
        Decimal("62.30"),
        Decimal("23.37"),
    )


def test_decimal_comma_in_a_comma_csv_when_quoted():
    [row] = parse(f'{HEADER}\n2020,A,Sở X,"85,67",0,98\n')
    assert row.appraisal_points == Decimal("85.67")


def test_row_numbers_are_physical_lines_even_after_a_multiline_cell():
    text = f'# chú thích\n\n{HEADER}\n2020,A,"Sở\nX",60,20,100\n2020,A,Sở Y,60,abc,100\n'
    [error] = errors_of(text)
    assert error.row == 6


def test_blank_data_rows_are_skipped():
    rows = parse(f"{HEADER}\n2020,A,Sở X,60,20,100\n,,,,,\n\n2020,A,Sở Y,60,20,100\n")
    assert [r.line for r in rows] == [2, 5]


def test_non_utf8_csv_is_rejected_with_advice():
    with pytest.raises(PublishedResultsImportError) as caught:
        # "Sơ" in Windows-1258, as an old Vietnamese Excel saves it: not valid UTF-8.
        content = HEADER.encode() + b"\n2020,A,S\xf5 X,60,20,100\n"
        parse_published_results(content=content, filename="a.csv")
    assert "UTF-8" in caught.value.errors[0].message


@pytest.mark.parametrize("filename", ["ket-qua.xls", "ket-qua.pdf"])
def test_other_file_types_are_rejected(filename):
    [error] = errors_of(f"{HEADER}\n", filename=filename)
    assert error.row is None


def test_empty_file_and_file_without_rows_are_rejected():
    assert "tiêu đề" in errors_of("# chỉ có chú thích\n")[0].message
    assert "dữ liệu" in errors_of(f"{HEADER}\n")[0].message


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_diacritics_comment_rows_and_numbers():
    content = _xlsx(
        [
            ["# Kết quả năm 2020 — Sở, ban, ngành"],
            [],
            ["Year", "Group", "Unit_Name", "appraisal_points", "survey_points", "max_points", "index_pct"],
            [2020, "Sở, ban, ngành", "Sở Văn hóa, Thể thao và Du lịch", 59.52, 20.75, 98, 81.91],
            [2020, "Sở, ban, ngành", "Sở Lao động, Thương binh và Xã hội", "57,81", 21.38, 98, None],
        ]
    )
    rows = parse_published_results(content=content, filename="KetQua.XLSX")
    assert [(r.line, r.unit_name, r.appraisal_points) for r in rows] == [
        (4, "Sở Văn hóa, Thể thao và Du lịch", Decimal("59.52")),
        (5, "Sở Lao động, Thương binh và Xã hội", Decimal("57.81")),
    ]


def test_xlsx_errors_name_excel_rows():
    content = _xlsx(
        [list(HEADER.split(",")), [2020, "A", "Sở X", 60, 20, 100], [2020, "A", "Sở Y", 60, "abc", 100]]
    )
    with pytest.raises(PublishedResultsImportError) as caught:
        parse_published_results(content=content, filename="a.xlsx")
    assert [str(e) for e in caught.value.errors] == ["Dòng 3, cột survey_points: «abc» không phải là số."]


def test_xlsx_percent_formatted_index_is_read_as_percent():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADER.split(","), "index_pct"])
    sheet.append([2020, "A", "Sở Nội vụ", 62.30, 23.37, 98, 0.8742])
    sheet["G2"].number_format = "0.00%"
    out = io.BytesIO()
    workbook.save(out)
    [row] = parse_published_results(content=out.getvalue(), filename="a.xlsx")
    assert row.unit_name == "Sở Nội vụ"


def test_broken_xlsx_is_rejected():
    [error] = errors_of("không phải excel", filename="a.xlsx")
    assert "Excel" in error.message


def test_sample_file_is_accepted():
    rows = parse(sample_csv())
    assert [r.unit_code for r in rows] == ["so-noi-vu", "so-tai-chinh", "so-ngoai-vu"]
