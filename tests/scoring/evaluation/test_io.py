"""The criteria workbook, read and written without a database."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from scoring.evaluation.demo import demo_criteria_sets
from scoring.evaluation.io import parse_rows, read_criteria, validate_rows
from scoring.evaluation.rows import SHEET_CRITERIA, SHEET_GUIDE, CriteriaRow
from scoring.evaluation.summary import summarize
from scoring.evaluation.workbook_write import (
    TEMPLATE_EXAMPLE,
    criteria_set_to_workbook,
    template_workbook,
    workbook_bytes,
)

HEADER = [
    "Mã",
    "Nội dung",
    "Điểm tối đa",
    "Bước điểm",
    "Phương pháp",
    "Hướng dẫn chấm điểm",
    "Không đánh giá trong kỳ (lý do)",
]
# Sheet rows 2..6: a valid tree, extended or broken by each test.
VALID = [
    ["1", "Công tác chỉ đạo, điều hành cải cách hành chính", 3, "", "", "", ""],
    ["1.1", "Kế hoạch cải cách hành chính", 2, "", "", "", ""],
    ["1.1.1", "Ban hành kế hoạch đúng hạn", 1, "", "Thẩm định", "Đúng hạn: 1 điểm", ""],
    ["1.1.2", "Mức độ thực hiện kế hoạch", 1, "0,5", "thẩm định", "", ""],
    ["1.2", "Đánh giá về công tác chỉ đạo", 1, "", "Điều tra XHH", "", ""],
]


def parse(*rows):
    return parse_rows([HEADER, *rows])


def only_error(result):
    assert not result.rows, "nothing is returned when anything is wrong"
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


def xlsx(rows, *, sheet=SHEET_CRITERIA, header=HEADER):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if header:
        worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    return workbook_bytes(workbook)


def test_valid_sheet_gives_rows_in_tree_order_with_levels_and_methods():
    result = parse(*VALID)
    assert result.ok
    assert [(r.code, r.level, r.method, r.max_points) for r in result.rows] == [
        ("1", "field", "", Decimal(3)),
        ("1.1", "criterion", "", Decimal(2)),
        ("1.1.1", "sub_criterion", "appraisal", Decimal(1)),
        ("1.1.2", "sub_criterion", "appraisal", Decimal(1)),
        ("1.2", "criterion", "survey", Decimal(1)),
    ]
    assert result.rows[3].step == "0.50"
    assert result.rows[2].step == "0.25"  # blank step is the default
    assert result.rows[2].guidance == "Đúng hạn: 1 điểm"


def test_children_listed_after_other_fields_are_put_under_their_parent():
    result = parse(
        ["1", "Lĩnh vực 1", 1, "", "", "", ""],
        ["2", "Lĩnh vực 2", 1, "", "", "", ""],
        ["2.1", "Tiêu chí 2.1", 1, "", "survey", "", ""],
        ["1.1", "Tiêu chí 1.1", 1, "", "appraisal", "", ""],
    )
    assert [r.code for r in result.rows] == ["1", "1.1", "2", "2.1"]
    assert [r.row for r in result.rows] == [2, 5, 3, 4]


@pytest.mark.parametrize(
    ("typed", "method"),
    [
        ("Thẩm định", "appraisal"),
        ("  thẩm   định ", "appraisal"),
        ("appraisal", "appraisal"),
        ("Điều tra XHH", "survey"),
        ("điều tra xã hội học", "survey"),
        ("Survey", "survey"),
    ],
)
def test_method_accepts_vietnamese_and_english_spellings(typed, method):
    rows = [list(r) for r in VALID]
    rows[2][4] = typed
    assert parse(*rows).rows[2].method == method


@pytest.mark.parametrize(
    ("typed", "expected"), [("1,5", "1.5"), ("1.5", "1.5"), (1.5, "1.5"), ("0,25", "0.25")]
)
def test_maximum_accepts_excel_numbers_and_vietnamese_comma(typed, expected):
    result = parse(
        ["1", "Lĩnh vực", typed, "", "", "", ""],
        ["1.1", "Tiêu chí", typed, "", "Thẩm định", "", ""],
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows[1].max_points == Decimal(expected)


def test_error_names_sheet_row_and_column_in_vietnamese():
    rows = [list(r) for r in VALID]
    rows.append(["1.3", "Thêm một tiêu chí", "1,3", "", "Thẩm định", "", ""])  # sheet row 7
    rows[0][2] = Decimal("4.3")
    result = parse(*rows)
    error = next(e for e in result.errors if e.row == 7)
    assert (error.sheet, error.row, error.column, error.column_title) == ("Tiêu chí", 7, "C", "Điểm tối đa")
    assert (
        str(error)
        == "Trang 'Tiêu chí', dòng 7, cột C (Điểm tối đa): 1,3 không phải bội số của bước điểm 0,25"
    )


def test_missing_code():
    rows = [list(r) for r in VALID]
    rows[4][0] = ""
    rows[0][2] = 2
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (6, "A", "Thiếu mã.")


def test_duplicate_code_points_to_the_first_row():
    rows = [*VALID, ["1.2", "Trùng mã", 1, "", "Thẩm định", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (7, "A", "Mã 1.2 trùng với dòng 6.")


@pytest.mark.parametrize("code", ["1.a", "1..2", "A1", "-1"])
def test_malformed_code(code):
    rows = [*VALID, [code, "Sai mã", 1, "", "Thẩm định", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (7, "A")
    assert error.message.startswith(f"Mã '{code}' không đúng dạng")


def test_more_than_three_levels():
    rows = [*VALID, ["1.1.1.1", "Cấp 4", 1, "", "Thẩm định", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (7, "A")
    assert error.message == (
        "Mã 1.1.1.1 có 4 cấp; bộ tiêu chí chỉ có 3 cấp: lĩnh vực, tiêu chí, tiêu chí thành phần."
    )


def test_item_outside_any_field():
    rows = [*VALID, ["2.1", "Không có lĩnh vực 2", 1, "", "Thẩm định", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (7, "A")
    assert error.message == "Tiêu chí 2.1 nằm ngoài mọi lĩnh vực: chưa có dòng lĩnh vực 2."


def test_sub_criterion_without_its_criterion():
    rows = [*VALID, ["1.3.1", "Không có tiêu chí 1.3", 1, "", "Thẩm định", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (7, "A")
    assert error.message == ("Tiêu chí thành phần 1.3.1 không thuộc tiêu chí nào: chưa có dòng tiêu chí 1.3.")


def test_parent_maximum_must_equal_sum_of_children():
    rows = [list(r) for r in VALID]
    rows[1][2] = "2,5"
    rows[0][2] = "3,5"
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.column_title) == (3, "C", "Điểm tối đa")
    assert error.message == "Điểm tối đa của mục 1.1 là 2,5 nhưng tổng điểm tối đa các mục con là 2."


def test_negative_maximum():
    rows = [list(r) for r in VALID]
    rows[4][2] = -1
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (6, "C", "Điểm tối đa -1 không được âm.")


def test_maximum_off_the_step():
    rows = [list(r) for r in VALID]
    rows[3][2] = "0,75"  # step 0,5 on this row
    rows[1][2] = "1,75"
    rows[0][2] = "2,75"
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (5, "C", "0,75 không phải bội số của bước điểm 0,5")


@pytest.mark.parametrize("step", ["0,3", "2", "một"])
def test_unknown_step(step):
    rows = [list(r) for r in VALID]
    rows[2][3] = step
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.column_title) == (4, "D", "Bước điểm")
    assert error.message == f"Bước điểm '{step}' không hợp lệ: chỉ dùng 0,25; 0,5 hoặc 1."


def test_unknown_method():
    rows = [list(r) for r in VALID]
    rows[4][4] = "Phỏng vấn"
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (6, "E")
    assert error.message == "Phương pháp 'Phỏng vấn' không hợp lệ: ghi 'Thẩm định' hoặc 'Điều tra XHH'."


def test_scored_item_without_method():
    rows = [list(r) for r in VALID]
    rows[4][4] = ""
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (6, "E")
    assert error.message.startswith("Mục 1.2 được chấm điểm nên phải ghi phương pháp")


def test_method_on_a_container_is_dropped():
    rows = [list(r) for r in VALID]
    rows[1][4] = "Thẩm định"
    assert parse(*rows).rows[1].method == ""


def test_empty_name():
    rows = [list(r) for r in VALID]
    rows[2][1] = "   "
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (4, "B", "Thiếu nội dung của mục 1.1.1.")


@pytest.mark.parametrize(
    ("typed", "message"), [("", "Thiếu điểm tối đa."), ("hai", "'hai' không phải là số.")]
)
def test_missing_or_non_numeric_maximum(typed, message):
    rows = [list(r) for r in VALID]
    rows[4][2] = typed
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (6, "C", message)


def test_field_without_criteria():
    rows = [*VALID, ["2", "Cải cách thể chế", 0, "", "", "", ""]]
    error = only_error(parse(*rows))
    assert (error.row, error.column, error.message) == (7, "A", "Lĩnh vực 2 chưa có tiêu chí nào.")


def test_not_applicable_only_on_scored_items():
    rows = [list(r) for r in VALID]
    rows[1][6] = "Không khảo sát"
    error = only_error(parse(*rows))
    assert (error.row, error.column) == (3, "G")


def test_every_problem_is_listed_at_once_in_sheet_order():
    rows = [list(r) for r in VALID]
    rows[2][4] = "?"
    rows[3][1] = ""
    rows.append(["3.1", "Ngoài lĩnh vực", 1, "", "Thẩm định", "", ""])
    result = parse(*rows)
    assert not result.rows
    assert [(e.row, e.column) for e in result.errors] == [(4, "E"), (5, "B"), (7, "A")]


def test_header_may_follow_title_rows_and_blank_rows_are_skipped():
    result = parse_rows([["BỘ TIÊU CHÍ NĂM 2026"], [], HEADER, VALID[0], [], *VALID[1:]])
    assert result.ok
    assert [r.row for r in result.rows] == [4, 6, 7, 8, 9]


def test_missing_required_column_is_reported_on_the_header_row():
    result = parse_rows([["Mã", "Nội dung"], ["1", "Lĩnh vực"]])
    error = only_error(result)
    assert (error.row, error.message) == (1, "Thiếu cột 'Điểm tối đa' ở dòng tiêu đề.")


def test_sheet_without_header():
    error = only_error(parse_rows([["a", "b"], ["c", "d"]]))
    assert error.row is None
    assert error.message.startswith("Không tìm thấy dòng tiêu đề")


def test_workbook_without_criteria_sheet():
    error = only_error(read_criteria(xlsx(VALID, sheet="Sheet1")))
    assert error.message == "Tệp không có trang 'Tiêu chí' (các trang đang có: Sheet1)."
    assert str(error) == error.message


def test_file_that_is_not_xlsx():
    error = only_error(read_criteria(b"%PDF-1.4 not a workbook"))
    assert error.message.startswith("Không đọc được tệp")


def test_excel_numbers_and_codes_typed_as_numbers_are_read():
    rows = [[1, "Lĩnh vực", 2.5, None, None], [1.1, "Tiêu chí", 2.5, 0.5, "Điều tra XHH"]]
    result = read_criteria(xlsx(rows))
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.code, r.max_points, r.step) for r in result.rows] == [
        ("1", Decimal("2.5"), "0.25"),
        ("1.1", Decimal("2.5"), "0.50"),
    ]


def test_export_then_import_gives_the_same_tree():
    rows = (
        *TEMPLATE_EXAMPLE[:-1],
        CriteriaRow(
            code="1.3",
            name="Khảo sát DDCI",
            max_points=Decimal(2),
            step="0.50",
            method="survey",
            guidance="Dòng 1\nDòng 2",
            not_applicable_reason="Năm 2020 không tổ chức khảo sát DDCI",
        ),
    )
    content = workbook_bytes(criteria_set_to_workbook(rows=rows, info=[("Bộ tiêu chí", "Thử")]))
    result = read_criteria(BytesIO(content))
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows == rows


def test_export_writes_vietnamese_headers_bold_with_widths_and_guide():
    content = workbook_bytes(criteria_set_to_workbook(rows=TEMPLATE_EXAMPLE, info=[("Năm đánh giá", "2026")]))
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["Tiêu chí", "Thông tin", "Hướng dẫn"]
    sheet = workbook["Tiêu chí"]
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["B"].width == 60
    assert sheet["B2"].value == "Công tác chỉ đạo, điều hành cải cách hành chính"
    assert sheet["E4"].value == "Thẩm định"
    assert sheet["E2"].value in (None, "")  # containers carry no method


def test_template_is_itself_a_valid_criteria_set_with_a_guide():
    content = workbook_bytes(template_workbook())
    assert read_criteria(content).rows == TEMPLATE_EXAMPLE
    guide = load_workbook(BytesIO(content))[SHEET_GUIDE]
    topics = [row[0] for row in guide.iter_rows(values_only=True)]
    for title in HEADER:
        assert title in topics


def test_summary_drops_period_wide_exemptions_from_the_scale():
    rows = parse(
        ["1", "Lĩnh vực", 100, "", "", "", ""],
        ["1.1", "Thẩm định", 68, "", "Thẩm định", "", ""],
        ["1.2", "Điều tra", 30, "", "Điều tra XHH", "", ""],
        ["1.3", "DDCI", 2, "", "Điều tra XHH", "", "Năm 2020 không khảo sát DDCI"],
    ).rows
    summary = summarize(rows)
    assert (summary.total, summary.appraisal_points, summary.survey_points) == (100, 68, 32)
    assert summary.max_scale == Decimal(98)


DISTRICT_FIELD_MAXIMA = ["13.5", "5", "13.5", "7.5", "8", "7", "12.5", "33"]


@pytest.mark.parametrize("kind", ["departments", "districts"])
def test_demo_sets_validate_and_sum_to_100(kind):
    demo = demo_criteria_sets()[kind]
    result = validate_rows(demo.rows)
    assert result.ok, [str(e) for e in result.errors]
    summary = summarize(result.rows)
    assert summary.total == 100
    assert len(summary.fields) == 8
    assert 30 <= summary.criterion_count <= 45
    assert 75 <= summary.scored_count <= 95
    assert "(minh họa)" in demo.name
    for field in summary.fields:
        assert field.appraisal_points + field.survey_points == field.max_points


def test_demo_district_field_maxima_are_those_of_2022():
    summary = summarize(demo_criteria_sets()["districts"].rows)
    assert [f.max_points for f in summary.fields] == [Decimal(m) for m in DISTRICT_FIELD_MAXIMA]
    assert summary.fields[7].name.startswith("Tác động của cải cách hành chính")


def test_demo_department_set_splits_70_appraisal_30_survey_with_survey_mostly_in_field_8():
    summary = summarize(demo_criteria_sets()["departments"].rows)
    assert (summary.appraisal_points, summary.survey_points) == (70, 30)
    assert summary.fields[7].survey_points > summary.survey_points / 2
    assert all(f.survey_points > 0 for f in summary.fields)
