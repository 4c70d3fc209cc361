"""Writing criteria sets to Excel: the export of a set and the blank template, both readable by read_criteria.

Pure like io.py: plain rows in, an openpyxl Workbook out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.evaluation.rows import (
    COLUMNS,
    METHOD_LABELS,
    SHEET_CRITERIA,
    SHEET_GUIDE,
    SHEET_INFO,
    CriteriaRow,
)
from scoring.evaluation.summary import scored_codes
from scoring.spreadsheets.write import append_row

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FIELD_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A small, valid tree: one field with a criterion scored directly, one with sub-criteria and a survey item.
TEMPLATE_EXAMPLE: tuple[CriteriaRow, ...] = (
    CriteriaRow(code="1", name="Công tác chỉ đạo, điều hành cải cách hành chính", max_points=Decimal("4.5")),
    CriteriaRow(code="1.1", name="Kế hoạch cải cách hành chính năm", max_points=Decimal("1.5")),
    CriteriaRow(
        code="1.1.1",
        name="Ban hành kế hoạch cải cách hành chính năm đúng thời hạn",
        max_points=Decimal("0.5"),
        method="appraisal",
        guidance="Ban hành trước ngày 15/01: 0,5 điểm; ban hành chậm: 0 điểm",
    ),
    CriteriaRow(
        code="1.1.2",
        name="Mức độ thực hiện kế hoạch cải cách hành chính",
        max_points=Decimal("1"),
        method="appraisal",
        guidance="Hoàn thành 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm",
    ),
    CriteriaRow(
        code="1.2",
        name="Thực hiện chế độ báo cáo định kỳ về cải cách hành chính",
        max_points=Decimal("1"),
        method="appraisal",
        guidance="Đầy đủ, đúng hạn: 1 điểm; mỗi báo cáo chậm hoặc thiếu: trừ 0,25 điểm",
    ),
    CriteriaRow(
        code="1.3",
        name="Đánh giá về công tác chỉ đạo, điều hành cải cách hành chính",
        max_points=Decimal("2"),
        step="0.50",
        method="survey",
        guidance="Điểm bình quân của các phiếu điều tra xã hội học hợp lệ",
    ),
)


def _guide_lines() -> list[tuple[str, str]]:
    """Return the "Hướng dẫn" sheet: (topic, explanation) pairs, also copied into docs/criteria-template.md."""
    return [
        (
            _("Trang nhập"),
            _("Nhập bộ tiêu chí ở trang 'Tiêu chí'. Dòng đầu là dòng tiêu đề, giữ nguyên tên cột."),
        ),
        (
            _("Mã"),
            _(
                "Mã cho biết cấp và mục cha: '1' là lĩnh vực, '1.2' là tiêu chí thuộc lĩnh vực 1, "
                "'1.2.3' là tiêu chí thành phần thuộc tiêu chí 1.2. Tối đa 3 cấp. Mỗi mã chỉ xuất hiện một lần. "
                "Nên định dạng cột Mã là Văn bản (Text) để Excel không đổi '1.10' thành '1.1'."
            ),
        ),
        (_("Nội dung"), _("Tên lĩnh vực, tiêu chí hoặc tiêu chí thành phần. Bắt buộc.")),
        (
            _("Điểm tối đa"),
            _(
                "Số không âm, gõ dạng số Excel hoặc văn bản có dấu phẩy ('1,5'). Điểm tối đa của lĩnh vực và của "
                "tiêu chí có tiêu chí thành phần phải bằng tổng điểm tối đa các mục con."
            ),
        ),
        (
            _("Bước điểm"),
            _("0,25; 0,5 hoặc 1 (để trống: 0,25). Điểm tối đa phải là bội số của bước điểm."),
        ),
        (
            _("Phương pháp"),
            _(
                "'Thẩm định' (tự chấm rồi thẩm định) hoặc 'Điều tra XHH' (điều tra xã hội học). Bắt buộc ở mục "
                "được chấm điểm (tiêu chí không có tiêu chí thành phần, và tiêu chí thành phần); để trống ở "
                "lĩnh vực và tiêu chí có tiêu chí thành phần."
            ),
        ),
        (_("Hướng dẫn chấm điểm"), _("Cách cho điểm, hiển thị cho người chấm. Không bắt buộc.")),
        (
            _("Không đánh giá trong kỳ (lý do)"),
            _(
                "Ghi lý do nếu mục được chấm điểm này không đánh giá với mọi đơn vị trong kỳ (ví dụ năm 2020 "
                "không khảo sát DDCI nên thang điểm là 98). Để trống nếu có đánh giá. Việc không đánh giá "
                "với từng đơn vị được khai báo trong hệ thống, không qua tệp này."
            ),
        ),
        (
            _("Kiểm tra khi nhập"),
            _(
                "Hệ thống liệt kê mọi lỗi kèm trang, dòng, cột: mã trùng hoặc sai dạng, mục không thuộc lĩnh vực "
                "hoặc tiêu chí nào, điểm tối đa âm, không phải bội số của bước điểm hoặc khác tổng các mục con, "
                "bước điểm hoặc phương pháp không hợp lệ, thiếu nội dung. Chỉ cần một lỗi là không lưu gì."
            ),
        ),
        (_("Thứ tự"), _("Các mục được sắp theo cây: mục cha trước, các mục con theo thứ tự trong tệp.")),
    ]


def criteria_set_to_workbook(
    *, rows: Sequence[CriteriaRow], info: Sequence[tuple[str, str]] = ()
) -> Workbook:
    """Return a workbook with the criteria rows (tree order), the guide and a sheet of facts about the set."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_CRITERIA
    _write_criteria(sheet, rows)
    if info:
        info_sheet = workbook.create_sheet(SHEET_INFO)
        for label, value in info:
            append_row(info_sheet, [label, value])
            info_sheet.cell(row=info_sheet.max_row, column=1).font = BOLD
        info_sheet.column_dimensions["A"].width = 28
        info_sheet.column_dimensions["B"].width = 70
    _write_guide(workbook.create_sheet(SHEET_GUIDE))
    return workbook


def template_workbook() -> Workbook:
    """Return the blank template: headers, a few example rows to overwrite, and the guide."""
    return criteria_set_to_workbook(rows=TEMPLATE_EXAMPLE)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_criteria(sheet: Worksheet, rows: Sequence[CriteriaRow]) -> None:
    append_row(sheet, [c.title for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    scored = scored_codes(rows)
    for row in rows:
        append_row(
            sheet,
            [
                row.code,
                row.name,
                row.max_points,
                # A number, so that Excel shows it in the reader's locale ("0,25" in Vietnamese).
                Decimal(row.step),
                METHOD_LABELS.get(row.method, "") if row.code in scored else "",
                row.guidance,
                row.not_applicable_reason,
            ],
        )
        number = sheet.max_row
        sheet.cell(row=number, column=1).number_format = "@"  # keep "1.10" as typed
        for column in (2, 6, 7):
            sheet.cell(row=number, column=column).alignment = WRAP
        if row.depth == 1:
            for column in range(1, len(COLUMNS) + 1):
                sheet.cell(row=number, column=column).font = BOLD
                sheet.cell(row=number, column=column).fill = FIELD_FILL
    # Drop-downs guide typing; the import still accepts the other spellings listed in the guide.
    last = max(sheet.max_row, 200)
    methods = DataValidation(type="list", formula1='"Thẩm định,Điều tra XHH"', allow_blank=True)
    methods.add(f"E2:E{last}")
    sheet.add_data_validation(methods)


def _write_guide(sheet: Worksheet) -> None:
    append_row(sheet, [_("Mẫu nhập bộ tiêu chí chỉ số cải cách hành chính")])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    append_row(sheet, [])
    append_row(sheet, [_("Cột / nội dung"), _("Cách ghi")])
    for cell in sheet[3]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for topic, text in _guide_lines():
        append_row(sheet, [topic, text])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.cell(row=sheet.max_row, column=2).alignment = WRAP
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 100
