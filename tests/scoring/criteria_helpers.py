"""Small workbooks for the criteria-set tests."""

from decimal import Decimal

from scoring.evaluation.rows import CriteriaRow
from scoring.evaluation.workbook_write import criteria_set_to_workbook, workbook_bytes

GOOD_ROWS = (
    CriteriaRow(code="1", name="Công tác chỉ đạo, điều hành cải cách hành chính", max_points=Decimal("3.5")),
    CriteriaRow(code="1.1", name="Kế hoạch cải cách hành chính năm", max_points=Decimal("1.5")),
    CriteriaRow(
        code="1.1.1",
        name="Ban hành kế hoạch đúng thời hạn",
        max_points=Decimal("0.5"),
        method="appraisal",
        guidance="Ban hành trước ngày 15/01: 0,5 điểm",
    ),
    CriteriaRow(code="1.1.2", name="Mức độ thực hiện kế hoạch", max_points=Decimal(1), method="appraisal"),
    CriteriaRow(
        code="1.2",
        name="Khảo sát DDCI",
        max_points=Decimal(2),
        step="0.50",
        method="survey",
        not_applicable_reason="Năm nay không tổ chức khảo sát DDCI",
    ),
    CriteriaRow(code="2", name="Cải cách thể chế", max_points=Decimal(1)),
    CriteriaRow(
        code="2.1", name="Rà soát văn bản quy phạm pháp luật", max_points=Decimal(1), method="appraisal"
    ),
)


def good_workbook(rows=GOOD_ROWS) -> bytes:
    return workbook_bytes(criteria_set_to_workbook(rows=rows))


def bad_workbook() -> bytes:
    """Return a workbook with two problems: a maximum off the step and an item outside any field."""
    rows = (
        *GOOD_ROWS[:3],
        CriteriaRow(
            code="1.1.2", name="Mức độ thực hiện kế hoạch", max_points=Decimal("1.1"), method="appraisal"
        ),
        *GOOD_ROWS[4:],
        CriteriaRow(code="3.1", name="Ngoài lĩnh vực", max_points=Decimal(1), method="appraisal"),
    )
    return good_workbook(rows)
